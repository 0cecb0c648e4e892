import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { htmlReport, REPORT_SECTIONS, type ReportData } from './htmlReport.js';

const HOSTILE = '</script><img src=x onerror=alert(1)>"\'&\u0007';

/** A small evaluation: 60 normal events, two scenarios of 6 events each, one energy beyond the double range. */
function data(overrides: Partial<ReportData> = {}): ReportData {
  const n = 72;
  const labels = new Uint8Array(n);
  const labelNames: string[] = [];
  const energies = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const scenario = i < 60 ? 'normal' : i < 66 ? 'brute_force' : 'lateral_movement';
    labels[i] = scenario === 'normal' ? 0 : 1;
    labelNames.push(scenario);
    energies[i] = scenario === 'normal' ? -3 + (i % 10) : 40 + i * 10;
  }
  energies[71] = Number.POSITIVE_INFINITY;
  const threshold = 5.5;
  const flags = Uint8Array.from(energies, (e) => (e > threshold ? 1 : 0));
  return {
    title: 'test.txt',
    files: { log: 'test.txt', labels: 'labels.csv', model: 'model.json' },
    format: 'lanl',
    model: 'gaussian',
    features: 12,
    read: {
      files: ['test.txt'],
      lines: 75,
      event_lines: 72,
      events: 72,
      non_event_lines: 2,
      non_events: { 'blank line': 2 },
      malformed: 1,
      first_malformed: [{ file: 'test.txt', line: 9, reason: 'expected 9 fields' }],
    },
    labels,
    labelNames,
    energies,
    flags,
    threshold,
    falseAlarmRate: { requested: 0.01 },
    figures: { rocAuc: 1, averagePrecision: 1, precisionAtK: 1, k: 10 },
    top: [
      {
        line: 74,
        energy: Number.POSITIVE_INFINITY,
        pValue: 0.0009,
        flag: 1,
        label: 'lateral_movement',
        fields: { user: 'U1' },
        reasons: [],
        note: 'energy beyond the double range: no finite split into reasons',
      },
      {
        line: 70,
        energy: 730,
        pValue: 0.0009,
        flag: 1,
        label: 'lateral_movement',
        fields: { user: 'U7', dst_computer: 'C1003' },
        text: '70,U7@DOM1,U7@DOM1,C17,C1003,NTLM,Network,LogOn,Success',
        reasons: [{ text: 'dst_computer C1003 first seen for user U7 +9.1', attribution: 9.1 }],
      },
    ],
    explainedBy: 'exact contributions',
    ...overrides,
  };
}

/** Every `<svg …>…</svg>` of the page. */
function svgs(html: string): string[] {
  return html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

/** The tag names the page opens. */
function tags(html: string): Set<string> {
  return new Set([...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => (m[1] as string).toLowerCase()));
}

describe('htmlReport', () => {
  it('has its sections in order, each a <section> with its id', () => {
    const html = htmlReport(data());
    const ids = [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['summary', 'curves', 'energies', 'scenarios', 'top-events']);
    // The incidents section shows only when the evaluation rolled up incidents (ebm eval always does).
    expect(REPORT_SECTIONS.map((s) => s.id)).toEqual([
      'summary',
      'curves',
      'energies',
      'scenarios',
      'incidents',
      'top-events',
    ]);
    expect(html).toMatch(/<h2>Ranking quality<\/h2>/);
    expect(html).toMatch(/<h2>Top events<\/h2>/);
  });

  it('lists the incidents, when given, between the scenarios and the top events', () => {
    const html = htmlReport(
      data({
        incidents: {
          total: 7,
          flagged: 19,
          window: 3600,
          by: ['user', 'src_computer'],
          top: [
            {
              score: 41.5,
              start: '2026-03-14T02:10:00.000Z',
              end: '2026-03-14T02:25:00.000Z',
              entities: { user: ['U1', 'U2', 'U3', 'U4', 'U5'] },
              events: 6,
              lines: [61, 62, 63, 64, 65, 66],
              labels: { brute_force: 6 },
              reasons: ['many recent failures for user U1'],
            },
          ],
        },
      }),
    );
    const ids = [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['summary', 'curves', 'energies', 'scenarios', 'incidents', 'top-events']);
    const section = html.match(/<section id="incidents">[\s\S]*?<\/section>/)?.[0] ?? '';
    expect(section).toContain('19 flagged events rolled up into 7 incidents');
    expect(section).toContain('U1, U2, U3, U4 (+1)');
    expect(section).toContain('2026-03-14 02:10 UTC – 2026-03-14 02:25 UTC');
    expect(section).toContain('brute_force (6)');
    expect(section).toContain('61, 62, 63, 64, 65, …');
    expect(section).toContain('<li>many recent failures for user U1</li>');
  });

  it('gives every plot exactly one title per axis, and ticks on both axes', () => {
    const html = htmlReport(data());
    const plots = svgs(html);
    expect(plots).toHaveLength(4); // ROC, PR, histogram, by scenario
    for (const svg of plots) {
      expect(svg.match(/class="x-title"/g)).toHaveLength(1);
      expect(svg.match(/class="y-title"/g)).toHaveLength(1);
      // tick labels: x ticks are centred under the axis, y ticks right-aligned beside it
      expect((svg.match(/text-anchor="middle">[^<]+<\/text>/g) ?? []).length).toBeGreaterThanOrEqual(3);
      expect((svg.match(/text-anchor="end">[^<]+<\/text>/g) ?? []).length).toBeGreaterThanOrEqual(2);
    }
    const [roc, pr, hist, byScenario] = plots as [string, string, string, string];
    expect(roc).toMatch(/class="x-title"[^>]*>false-positive rate: normal events flagged \(log scale\)</);
    expect(pr).toMatch(/class="y-title"[^>]*>precision/);
    expect(hist).toMatch(/class="y-title"[^>]*>events per bin \(log scale\)</);
    expect(hist).toMatch(/class="x-title"[^>]*>energy \(symmetric log scale\)/);
    expect(hist).toMatch(/>threshold 5\.5 → flagged</);
    expect(hist).toMatch(/stroke-dasharray="6 4"/);
    // y ticks of the log count axis: 1, 10, 100 (60 normal events in at most 60 bins)
    expect(hist).toMatch(/text-anchor="end">1<\/text>/);
    expect(hist).toMatch(/text-anchor="end">10<\/text>/);
    expect(byScenario).toMatch(/>brute_force</);
    expect(byScenario).toMatch(/>lateral_movement</);
  });

  it('reports the threshold, the requested and observed false-alarm rates and the line accounting', () => {
    const html = htmlReport(data());
    // 6 of 60 normal events lie above 5.5 (energy 6, one in each ten)
    expect(html).toContain('false alarms (6 of 60 normal events; target 1\u202f%)');
    expect(html).toContain('observed here 10\u202f%');
    expect(html).toMatch(/class="kpi warn"/); // 10 % against a 1 % target
    expect(html).toContain('75 lines: 72 with events (72 events), 2 not events, 1 malformed');
    expect(html).toContain('<li>malformed: line 9: expected 9 fields</li>');
    expect(html).toContain('<li>not an event: blank line — 2</li>');
    const coarse = htmlReport(data({ falseAlarmRate: { requested: 0.001, effective: 0.0196 } }));
    expect(coarse).toContain('a coarse threshold: too few calibration events for the requested 0.1\u202f%');
    const bounded = htmlReport(
      data({ falseAlarmRate: { requested: 0.3, effective: 0.29994, why: 'bounded' } }),
    );
    expect(bounded).toContain(
      'the bounded calibration set keeps a quantile above the position of the requested',
    );
    expect(bounded).not.toContain('a coarse threshold');
  });

  it('draws per-scenario figures only when the labels name two or more scenarios', () => {
    const d = data();
    const oneName = data({ labelNames: d.labelNames.map((n) => (n === 'normal' ? '0' : '1')) });
    const html = htmlReport(oneName);
    expect(html).not.toMatch(/id="scenarios"/);
    expect(svgs(html)).toHaveLength(3);
    const table = htmlReport(d).match(/<section id="scenarios">[\s\S]*?<\/section>/)?.[0] ?? '';
    expect(table).toMatch(/<td>brute_force<\/td><td class="n">6<\/td><td class="n">6 \(100\u202f%\)<\/td>/);
    expect(table).toMatch(/<td>normal<\/td><td class="n">60<\/td><td class="n">6 \(10\u202f%\)<\/td>/);
  });

  it('lists the top events with their line, fields, log line and reasons', () => {
    const html = htmlReport(data());
    const top = html.match(/<section id="top-events">[\s\S]*?<\/section>/)?.[0] ?? '';
    expect(top.match(/<tr><td class="n">\d+<\/td>/g)).toHaveLength(2);
    expect(top).toContain('<td class="n">∞</td>');
    expect(top).toContain('energy beyond the double range: no finite split into reasons');
    expect(top).toContain('<li>dst_computer C1003 first seen for user U7 +9.1</li>');
    expect(top).toContain('<code class="raw">70,U7@DOM1,U7@DOM1,C17,C1003,NTLM,Network,LogOn,Success</code>');
    expect(top).toContain('reasons by exact contributions');
  });

  it('escapes every log-derived string: no tag or attribute a log could inject', () => {
    const d = data();
    const html = htmlReport(
      data({
        title: HOSTILE,
        files: { log: HOSTILE, labels: HOSTILE, model: HOSTILE },
        format: HOSTILE,
        model: HOSTILE,
        labelNames: d.labelNames.map((n) => (n === 'brute_force' ? HOSTILE : n)),
        read: {
          ...d.read,
          non_events: { [HOSTILE]: 2 },
          first_malformed: [{ file: HOSTILE, line: 9, reason: HOSTILE }],
        },
        top: [
          {
            line: 70,
            energy: 730,
            pValue: 0.001,
            flag: 1,
            label: HOSTILE,
            fields: { [HOSTILE]: HOSTILE, user: HOSTILE },
            text: HOSTILE,
            reasons: [{ text: HOSTILE, attribution: 1 }],
            note: HOSTILE,
          },
        ],
        explainedBy: HOSTILE,
        incidents: {
          total: 1,
          flagged: 1,
          window: 3600,
          by: [HOSTILE],
          top: [
            {
              score: 2,
              start: HOSTILE,
              end: HOSTILE,
              entities: { [HOSTILE]: [HOSTILE] },
              events: 1,
              lines: [70],
              labels: { [HOSTILE]: 1 },
              reasons: [HOSTILE],
            },
          ],
        },
      }),
    );
    expect(html).not.toMatch(/<img|<\/script|<script|onerror=alert\(1\)>/i);
    expect(html).not.toContain('\u0007');
    expect(html).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;\ufffd');
    const allowed = new Set(
      'html head meta title style body main header h1 h2 p section div b span dl dt dd ul ol li figure figcaption svg line rect text polyline circle table thead tbody tr th td code footer'.split(
        ' ',
      ),
    );
    for (const t of tags(html)) expect(allowed.has(t), `unexpected tag <${t}>`).toBe(true);
  });

  it('is self-contained and readable under its own strict Content-Security-Policy', () => {
    const html = htmlReport(data());
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|\shref=|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
    const css = html.match(/<style>([\s\S]*?)<\/style>/)?.[1] ?? '';
    const hash = createHash('sha256').update(css).digest('base64');
    const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(csp).not.toMatch(/unsafe/);
  });

  it('does not draw an infinite threshold, and survives a single energy value', () => {
    const d = data();
    const html = htmlReport(
      data({
        threshold: Number.POSITIVE_INFINITY,
        energies: new Float64Array(d.energies.length).fill(3),
        flags: new Uint8Array(d.energies.length),
      }),
    );
    expect(html).not.toMatch(/stroke-dasharray="6 4"/);
    expect(html).not.toMatch(/NaN|Infinity/);
  });
});
