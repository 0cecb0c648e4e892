import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { falseAlarmRange } from '@nexus/ebm-core';
import { parseLines, parsers } from '@nexus/ebm-features';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentText } from '../pipeline/incidents.js';
import { Pipeline } from '../pipeline/Pipeline.js';
import { trainPipeline } from '../pipeline/trainPipeline.js';
import { runCliCaptured } from './testing.js';

const dir = mkdtempSync(join(tmpdir(), 'ebm-cli-'));
const p = (f: string): string => join(dir, f);

beforeAll(async () => {
  const r = await runCliCaptured([
    'generate',
    '--days',
    '5',
    '--train-days',
    '3',
    '--users',
    '12',
    '--seed',
    '3',
    '--out',
    dir,
  ]);
  expect(r.code).toBe(0);
  const t = await runCliCaptured([
    'train',
    '--format',
    'lanl',
    '--model',
    'gaussian',
    '--out',
    p('gauss.json'),
    p('lanl.train.txt'),
  ]);
  expect(t.stderr).toMatch(/trained gaussian on \d+ lanl events/);
  expect(t.code).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ebm train', () => {
  it('saves one tagged, versioned pipeline file', () => {
    const j = JSON.parse(readFileSync(p('gauss.json'), 'utf8')) as Record<string, unknown>;
    expect(j.kind).toBe('ebm/pipeline');
    expect(j.version).toBe(1);
    expect(j.format).toBe('lanl');
    expect((j.detector as { kind: string }).kind).toBe('detector');
    expect((j.featurizer as { kind: string }).kind).toBe('ebm-features/pipeline');
  });

  it('trains the autoencoder on CloudTrail logs with progress', async () => {
    const r = await runCliCaptured([
      'train',
      '--format',
      'cloudtrail',
      '--model',
      'autoencoder',
      '--false-alarm-rate',
      '0.05',
      '--out',
      p('ae.json'),
      p('cloudtrail.train.jsonl'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/training autoencoder/);
  }, 30_000);

  it('streams: the same pipeline as trainPipeline on the events in memory, rows in --temp-dir and gone after', async () => {
    const temp = mkdtempSync(join(dir, 'rows-'));
    const r = await runCliCaptured([
      'train',
      '--model',
      'gaussian',
      '--json',
      '--temp-dir',
      temp,
      '--out',
      p('g2.json'),
      p('lanl.train.txt'),
    ]);
    expect(r.code).toBe(0);
    expect(readdirSync(temp)).toEqual([]);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
    expect(out.passes.events).toBe(3);
    expect(out.events_per_second).toBeGreaterThan(0);
    expect(out.peak_rss_mb).toBeGreaterThan(0);
    expect(out.sampled_rows).toBeNull();
    // Three simulated training days: no weekend next to the weekdays.
    const { events } = parseLines(parsers.lanl(), readFileSync(p('lanl.train.txt'), 'utf8'));
    const times = events.map((e) => e.time);
    const days = (Math.max(...times) - Math.min(...times)) / 86400;
    expect(days).toBeLessThan(3);
    expect(out.training_days).toBeCloseTo(days, 2);
    const warning = `training spans ${days.toFixed(1)} days; weekly patterns (weekends) are not learned`;
    expect(out.warnings).toEqual([warning]);
    expect(r.stderr).toContain(`ebm train: warning: ${warning}`);
    const whole = trainPipeline(events, { format: 'lanl', model: 'gaussian', seed: 1 }).toJSON();
    const saved = JSON.parse(readFileSync(p('g2.json'), 'utf8'));
    expect(saved.warmupEvents).toBe(0); // no warm-up by default
    expect(out.warmup_events).toBe(0);
    expect(saved.featurizer).toEqual(JSON.parse(JSON.stringify(whole.featurizer)));
    expect(saved.detector.scaler).toEqual(JSON.parse(JSON.stringify(whole.detector.scaler)));
    const cal = saved.detector.calibration as number[];
    cal.forEach((c, i) => {
      expect(Math.abs(c - (whole.detector.calibration[i] as number))).toBeLessThan(
        1e-9 * Math.max(1, Math.abs(c)),
      );
    });
    expect(readFileSync(p('g2.json'), 'utf8')).toBe(readFileSync(p('gauss.json'), 'utf8'));
    // --warmup: the same pipeline as trainPipeline's warmupSeconds, capped at a quarter of the < 3-day span.
    const t = await runCliCaptured([
      'train',
      '--warmup',
      '86400',
      '--json',
      '--out',
      p('gw.json'),
      p('lanl.train.txt'),
    ]);
    expect(t.code).toBe(0);
    const warm = events.findIndex((e) => e.time >= Math.min(...times) + (days * 86_400) / 4);
    expect(warm).toBeGreaterThan(0);
    expect(JSON.parse(t.stdout.trim().split('\n').at(-1) as string).warmup_events).toBe(warm);
    expect(t.stderr).toContain(`the model skipped the ${warm} warm-up events`);
    const gw = trainPipeline(events, { format: 'lanl', seed: 1, warmupSeconds: 86_400 }).toJSON();
    expect(gw.warmupEvents).toBe(warm);
    const sw = JSON.parse(readFileSync(p('gw.json'), 'utf8'));
    expect(sw.warmupEvents).toBe(warm);
    expect(sw.featurizer).toEqual(saved.featurizer); // the warm-up events still built the featurizer
    expect(sw.detector.scaler).toEqual(JSON.parse(JSON.stringify(gw.detector.scaler)));
    expect(sw.detector.scaler).not.toEqual(saved.detector.scaler);
    const bad = await runCliCaptured(['train', '--warmup=-1', '--out', p('gx.json'), p('lanl.train.txt')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--warmup must be a number/);
  });

  it('warns only when the training spans less than a week', async () => {
    // 40 logons a day for 8 days, then the same file cut after 6.5 days.
    const line = (t: number, k: number): string =>
      `${t},U${k % 5}@DOM1,U${k % 5}@DOM1,C${k % 7},C${(k * 3) % 11},Kerberos,Network,LogOn,Success`;
    const all = Array.from({ length: 8 * 40 }, (_, k) => line(Math.floor(k * (86400 / 40)), k));
    writeFileSync(p('week.txt'), `${all.join('\n')}\n`);
    writeFileSync(p('short.txt'), `${all.filter((l) => Number(l.split(',')[0]) < 6.5 * 86400).join('\n')}\n`);
    const args = ['train', '--format', 'lanl', '--allow-coarse-threshold', '--json'];
    const week = await runCliCaptured([...args, '--out', p('week.json'), p('week.txt')]);
    expect(week.code).toBe(0);
    const w = JSON.parse(week.stdout.trim().split('\n').at(-1) as string);
    expect(w.training_days).toBeGreaterThanOrEqual(7);
    expect(w.warnings).toEqual([]);
    expect(week.stderr).not.toMatch(/weekly patterns/);
    const short = await runCliCaptured([...args, '--out', p('short.json'), p('short.txt')]);
    const s = JSON.parse(short.stdout.trim().split('\n').at(-1) as string);
    expect(s.training_days).toBeLessThan(7);
    expect(s.warnings).toEqual([
      `training spans ${s.training_days.toFixed(1)} days; weekly patterns (weekends) are not learned`,
    ]);
  });

  it('samples rows for a non-streamable model (--sample-rows) and checks --temp-dir', async () => {
    const r = await runCliCaptured([
      'train',
      '--model',
      'mixture',
      '--sample-rows',
      '2000',
      '--json',
      '--out',
      p('mix.json'),
      p('lanl.train.txt'),
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1) as string).sampled_rows).toBe(2000);
    expect(r.stderr).toMatch(/the model on a seeded sample of 2000 of the \d+ training rows/);
    const bad = await runCliCaptured([
      'train',
      '--temp-dir',
      p('nope'),
      '--out',
      p('x.json'),
      p('lanl.train.txt'),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot use --temp-dir \(expected a folder/);
    const zero = await runCliCaptured([
      'train',
      '--sample-rows',
      '0',
      '--out',
      p('x.json'),
      p('lanl.train.txt'),
    ]);
    expect(zero.code).toBe(2);
  });

  it('rejects bad arguments (2) and bad input (1)', async () => {
    const m = await runCliCaptured(['train', '--model', 'svm', p('lanl.train.txt')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(
      /unknown --model \(expected autoencoder \| rbm \| gaussian \| mixture \| histogram \| knn \| kde \| inne, got "svm"\)/,
    );
    const none = await runCliCaptured(['train']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no input file/);
    const missing = await runCliCaptured(['train', p('nope.txt')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read input/);
    writeFileSync(p('junk.txt'), 'hello\nworld\n');
    const junk = await runCliCaptured(['train', '--out', p('x.json'), p('junk.txt')]);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/no lanl events in the input/);
    const far = await runCliCaptured(['train', '--false-alarm-rate', '2', p('lanl.train.txt')]);
    expect(far.code).toBe(2);
  });
});

describe('ebm score', () => {
  it('writes NDJSON with energy, p-value and flag per event, in line order', async () => {
    const r = await runCliCaptured([
      'score',
      '--model',
      p('gauss.json'),
      '--chunk',
      '500',
      p('lanl.test.txt'),
    ]);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; energy: number; p_value: number; flag: number });
    const n = readFileSync(p('lanl.test.txt'), 'utf8').trimEnd().split('\n').length;
    expect(rows.length).toBe(n);
    expect(rows.map((x) => x.line)).toEqual(rows.map((_, i) => i + 1));
    for (const x of rows) {
      expect(x.p_value).toBeGreaterThan(0);
      expect(x.p_value).toBeLessThanOrEqual(1);
      expect([0, 1]).toContain(x.flag);
    }
    // Chunking must not change the scores (the featurizer's stream state carries across chunks).
    const whole = await runCliCaptured([
      'score',
      '--model',
      p('gauss.json'),
      '--chunk',
      '100000',
      p('lanl.test.txt'),
    ]);
    expect(whole.stdout).toBe(r.stdout);
  });

  it('rolls flagged events up into incidents, the same for every chunk size', async () => {
    const run = async (model: string, chunk: string): Promise<string> => {
      const r = await runCliCaptured([
        'score',
        '--model',
        p(model),
        '--incidents',
        '--chunk',
        chunk,
        p('lanl.test.txt'),
      ]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/scored \d+ events, \d+ flagged in \d+ incidents/);
      return r.stdout;
    };
    const whole = await run('gauss.json', '8192');
    expect(await run('gauss.json', '37')).toBe(whole);
    const incidents = whole
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(incidents.length).toBeGreaterThan(0);
    // The same incidents as the library's Pipeline.incidents on the parsed file (exact contributions,
    // so the reasons do not depend on a background either).
    const lines = readFileSync(p('lanl.test.txt'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const events = parseLines(parsers.lanl(), lines).events as (object & { line: number })[];
    const lib = Pipeline.fromJSON(readFileSync(p('gauss.json'), 'utf8')).incidents(events).incidents;
    expect(incidents.map((inc) => inc.incident).sort((a, b) => Number(a) - Number(b))).toEqual(
      lib.map((inc) => inc.id).sort((a, b) => a - b),
    );
    for (const want of lib) {
      const got = incidents.find((inc) => inc.incident === want.id) as Record<string, unknown>;
      expect(got.events).toBe(want.count);
      expect(got.lines).toEqual(want.events.slice(0, 100).map((i) => events[i]?.line));
      expect(got.score).toBe(Number(want.score.toPrecision(6)));
      expect(got.text).toBe(incidentText(want));
    }
    for (const inc of incidents) {
      expect(Object.keys(inc)).toEqual([
        'incident',
        'start',
        'end',
        'entities',
        'events',
        'lines',
        'score',
        'novelty',
        'earlier',
        'max_energy',
        'min_p_value',
        'reasons',
        'text',
      ]);
      expect((inc.lines as number[]).length).toBe(Math.min(100, inc.events as number));
    }
    expect(incidents.some((inc) => (inc.reasons as unknown[]).length > 0)).toBe(true);
    // A model without exact contributions explains with the input's first rows as background.
    const rbm = await runCliCaptured([
      'train',
      '--format',
      'lanl',
      '--model',
      'rbm',
      '--out',
      p('rbm.json'),
      p('lanl.train.txt'),
    ]);
    expect(rbm.code).toBe(0);
    expect(await run('rbm.json', '29')).toBe(await run('rbm.json', '8192'));
    const csv = await runCliCaptured([
      'score',
      '--model',
      p('gauss.json'),
      '--incidents',
      '--output-format',
      'csv',
      p('lanl.test.txt'),
    ]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/--incidents writes NDJSON/);
    const stray = await runCliCaptured([
      'score',
      '--model',
      p('gauss.json'),
      '--window',
      '60',
      p('lanl.test.txt'),
    ]);
    expect(stray.code).toBe(2);
  }, 60_000);

  it('writes CSV to a file', async () => {
    const r = await runCliCaptured([
      'score',
      '--model',
      p('gauss.json'),
      '--output-format',
      'csv',
      '--out',
      p('s.csv'),
      p('lanl.test.txt'),
    ]);
    expect(r.code).toBe(0);
    const lines = readFileSync(p('s.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('line,energy,p_value,flag,overflow');
    expect(lines[1]).toMatch(/^1,-?[\d.e+-]+,[\d.e+-]+,[01],0$/);
  });

  it('skips malformed lines with a warning, and fails on a bad model file', async () => {
    const good = readFileSync(p('lanl.test.txt'), 'utf8').split('\n').slice(0, 50);
    writeFileSync(
      p('mixed.txt'),
      `${good.slice(0, 10).join('\n')}\nnot,a,log,line\n${good.slice(10).join('\n')}`,
    );
    const r = await runCliCaptured(['score', '--model', p('gauss.json'), p('mixed.txt')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /read 51 lanl lines of .*mixed\.txt: 50 with events \(50 events\), 0 not events, 1 malformed \(first: line 11: expected 9 comma-separated fields, got 4\)/,
    );
    expect(r.stdout).not.toMatch(/"line":11,/);
    writeFileSync(p('bad.json'), '{"kind":"ebm/pipeline","version":99}');
    const b = await runCliCaptured(['score', '--model', p('bad.json'), p('lanl.test.txt')]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/not a valid model file: Pipeline\.fromJSON: unsupported version/);
    const fm = await runCliCaptured([
      'score',
      '--model',
      p('gauss.json'),
      '--format',
      'sshd',
      p('lanl.test.txt'),
    ]);
    expect(fm.code).toBe(2);
    expect(fm.stderr).toMatch(
      /--format does not match the model \(expected lanl, the format it was trained on, got "sshd"\)/,
    );
    const same = await runCliCaptured(['score', '--model', p('gauss.json'), '-f', 'lanl', p('mixed.txt')]);
    expect(same.code).toBe(0);
    const nm = await runCliCaptured(['score', p('lanl.test.txt')]);
    expect(nm.code).toBe(2);
    expect(nm.stderr).toMatch(/--model is required/);
  });
});

describe('ebm eval', () => {
  it('prints ROC-AUC, AP and precision at k and writes a self-contained HTML report', async () => {
    const r = await runCliCaptured([
      'eval',
      '--model',
      p('gauss.json'),
      '--labels',
      p('lanl.test.labels.csv'),
      '--json',
      '--report',
      p('r.html'),
      p('lanl.test.txt'),
    ]);
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout) as {
      roc_auc: number;
      average_precision: number;
      precision_at_k: number;
      false_alarm_rate: number;
      observed_false_alarm_rate: number;
      normal_flagged: number;
      events: number;
      anomalous: number;
      sampling_low: number;
      sampling_high: number;
    };
    expect(f.false_alarm_rate).toBe(0.01);
    // the range sampling alone explains holds the requested rate (its mean is k/(n + 1) ≤ α, within 1/(n + 1))
    expect(f.sampling_low).toBeLessThan(0.01);
    expect(f.sampling_high).toBeGreaterThan(0.01);
    expect(f.observed_false_alarm_rate).toBe(f.normal_flagged / (f.events - f.anomalous));
    // a small simulation (12 people): the rate is noisy, but a broken threshold flags far more
    expect(f.observed_false_alarm_rate).toBeLessThan(0.1);
    expect(f.roc_auc).toBeGreaterThan(0.9);
    expect(f.average_precision).toBeGreaterThan(0.5);
    expect(f.precision_at_k).toBeGreaterThan(0.5);
    const html = readFileSync(p('r.html'), 'utf8');
    expect([...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'summary',
      'curves',
      'energies',
      'scenarios',
      'incidents',
      'top-events',
    ]);
    // The incidents section: the incidents of `ebm score --incidents` (same window and linking fields).
    const inc = await runCliCaptured([
      'score',
      '--model',
      p('gauss.json'),
      '--incidents',
      p('lanl.test.txt'),
    ]);
    const scoredIncidents = inc.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { score: number; events: number });
    const section = html.match(/<section id="incidents">[\s\S]*?<\/section>/)?.[0] ?? '';
    const flaggedIn = scoredIncidents.reduce((a, x) => a + x.events, 0);
    expect(section.replace(/\u202f/g, '')).toContain(
      `${flaggedIn} flagged events rolled up into ${scoredIncidents.length} incidents`,
    );
    const shown = (section.match(/<tr><td class="n">\d+<\/td>/g) ?? []).length;
    expect(shown).toBe(Math.min(20, scoredIncidents.length));
    expect(html).toMatch(/aria-label="ROC curve"/);
    expect(html).toMatch(/aria-label="Energy histogram of normal and anomalous events"/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain(`ROC-AUC ${f.roc_auc.toFixed(4)}`);
    // The report keeps the top events while streaming; `ebm explain` reads the whole file: same events, same reasons.
    const ex = await runCliCaptured([
      'explain',
      '--model',
      p('gauss.json'),
      '--top-k',
      '20',
      '--json',
      p('lanl.test.txt'),
    ]);
    expect(ex.code).toBe(0);
    const explained = ex.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; reasons: { text: string }[] });
    const top = html.match(/<section id="top-events">[\s\S]*?<\/section>/)?.[0] ?? '';
    const rows = [
      ...top.matchAll(/<tr><td class="n">\d+<\/td><td class="n">([\d\u202f]+)<\/td>[\s\S]*?<\/tr>/g),
    ];
    expect(rows.map((m) => Number((m[1] as string).replace(/\u202f/g, '')))).toEqual(
      explained.map((e) => e.line),
    );
    rows.forEach((m, i) => {
      const first = (explained[i] as { reasons: { text: string }[] }).reasons[0];
      if (first !== undefined)
        expect(m[0]).toContain(first.text.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    });
    // the log line itself is read back for each top event
    const lines = readFileSync(p('lanl.test.txt'), 'utf8').split('\n');
    const firstLine = (explained[0] as { line: number }).line;
    expect(top).toContain(`<code class="raw">${lines[firstLine - 1]}</code>`);
  });

  it('escapes a hostile event in every section it reaches', async () => {
    const lines = readFileSync(p('lanl.test.txt'), 'utf8').trimEnd().split('\n');
    const labels = readFileSync(p('lanl.test.labels.csv'), 'utf8').trimEnd().split('\n');
    const evil = '</script><img src=x onerror=alert(1)>';
    // the user of the most anomalous event renamed, everywhere in the test log, and its label too
    const worst = await runCliCaptured([
      'explain',
      '--model',
      p('gauss.json'),
      '--top-k',
      '1',
      '--json',
      p('lanl.test.txt'),
    ]);
    const at = (JSON.parse(worst.stdout) as { line: number }).line;
    const user = ((lines[at - 1] as string).split(',')[1] as string).split('@')[0] as string;
    const renamed = lines.map((l) => l.split(`,${user}@`).join(`,${evil}@`));
    writeFileSync(p('hostile.txt'), `${renamed.join('\n')}\n`);
    labels[at] = `${at},<b>evil</b>`;
    writeFileSync(p('hostile.labels.csv'), `${labels.join('\n')}\n`);
    const r = await runCliCaptured([
      'eval',
      '--model',
      p('gauss.json'),
      '--labels',
      p('hostile.labels.csv'),
      '--report',
      p('hostile.html'),
      p('hostile.txt'),
    ]);
    expect(r.code).toBe(0);
    const html = readFileSync(p('hostile.html'), 'utf8');
    expect(html).not.toMatch(/<img|<\/script|<b>evil/);
    const top = html.match(/<section id="top-events">[\s\S]*?<\/section>/)?.[0] ?? '';
    expect(top).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;@DOM1');
    expect(top).toContain('<td>&lt;b&gt;evil&lt;/b&gt;</td>');
    const scenarios = html.match(/<section id="scenarios">[\s\S]*?<\/section>/)?.[0] ?? '';
    expect(scenarios).toContain('&lt;b&gt;evil&lt;/b&gt;');
  });

  it('names the rate a bounded calibration set delivers when it is not the requested one', async () => {
    // Above 65,536 calibration energies the file keeps the exact tail for rates up to 10× the calibrated
    // one and quantiles below: a rate beyond the tail gets the kept quantile at or above its position.
    const pipe = Pipeline.fromJSON(readFileSync(p('gauss.json'), 'utf8'));
    const det = pipe.detector;
    const own = det.calibrationEnergies;
    const many = Float64Array.from({ length: 70_001 }, (_, i) => (own[i % own.length] as number) + i * 1e-9);
    det.calibrateEnergies(many).setFalseAlarmRate(0.3);
    expect(det.effectiveFalseAlarmRate).not.toBe(0.3);
    writeFileSync(p('bounded.json'), JSON.stringify(pipe.toJSON()));
    const args = ['eval', '--model', p('bounded.json'), '--labels', p('lanl.test.labels.csv')];
    const r = await runCliCaptured([...args, p('lanl.test.txt')]);
    expect(r.code).toBe(0);
    const eff = det.effectiveFalseAlarmRate * 100;
    expect(r.stdout).toMatch(
      /target (29\.\d+) % \(the bounded calibration set keeps a quantile above the requested position; requested 30\.?0* %\)/,
    );
    const shown = Number(/target (29\.\d+) %/.exec(r.stdout)?.[1]);
    expect(Math.abs(shown - eff)).toBeLessThan(1e-3 * eff);
    // the sampling range is the kept quantile's: its rank, not ⌊0.3·(n + 1)⌋
    const said = /sampling alone explains (\d+)–(\d+) of (\d+) /.exec(r.stdout);
    expect(said).not.toBeNull();
    const [, low, high, m] = (said as RegExpExecArray).map(Number);
    const want = falseAlarmRange({
      calibration: 70_001,
      rank: det.thresholdRank as number,
      events: m as number,
    });
    expect([low, high]).toEqual([want.low, want.high]);
    expect(det.thresholdRank).toBe(Math.round(det.effectiveFalseAlarmRate * 70_002));
    const j = JSON.parse((await runCliCaptured([...args, '--json', p('lanl.test.txt')])).stdout) as {
      effective_false_alarm_rate: number;
      coarse_threshold: boolean;
    };
    expect(j.effective_false_alarm_rate).toBe(det.effectiveFalseAlarmRate);
    expect(j.coarse_threshold).toBe(false);
  });

  it('needs labels with both classes', async () => {
    const n = readFileSync(p('lanl.test.txt'), 'utf8').trimEnd().split('\n').length;
    const rows = Array.from({ length: n }, (_, i) => `${i + 1},normal`);
    writeFileSync(p('allnormal.csv'), `line,scenario\n${rows.join('\n')}\n`);
    const r = await runCliCaptured([
      'eval',
      '--model',
      p('gauss.json'),
      '--labels',
      p('allnormal.csv'),
      p('lanl.test.txt'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/need both classes/);
    const nl = await runCliCaptured(['eval', '--model', p('gauss.json'), p('lanl.test.txt')]);
    expect(nl.code).toBe(2);
  });
});

describe('ebm explain', () => {
  it('explains the top-k events with exact contributions, and given lines', async () => {
    const r = await runCliCaptured([
      'explain',
      '--model',
      p('gauss.json'),
      '-k',
      '2',
      '--json',
      p('lanl.test.txt'),
    ]);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { line: number; energy: number; method: string; reasons: { text: string }[] },
      );
    expect(rows.length).toBe(2);
    expect(rows[0]?.method).toBe('exact contributions');
    expect((rows[0]?.energy ?? 0) >= (rows[1]?.energy ?? 0)).toBe(true);
    expect(rows[0]?.reasons.length).toBeGreaterThan(0);
    const l = await runCliCaptured([
      'explain',
      '--model',
      p('gauss.json'),
      '--lines',
      '5,7',
      p('lanl.test.txt'),
    ]);
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(/line 5 {2}energy/);
    expect(l.stdout).toMatch(/line 7 {2}energy/);
  });

  it('uses KernelSHAP for an energy without exact contributions', async () => {
    const r = await runCliCaptured([
      'explain',
      '--model',
      p('ae.json'),
      '-k',
      '1',
      '--reasons',
      '2',
      p('cloudtrail.test.jsonl'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/reasons by (KernelSHAP|exact contributions) of autoencoder/);
  }, 30_000);

  it('rejects bad line lists', async () => {
    const r = await runCliCaptured([
      'explain',
      '--model',
      p('gauss.json'),
      '--lines',
      'a,b',
      p('lanl.test.txt'),
    ]);
    expect(r.code).toBe(2);
    const m = await runCliCaptured([
      'explain',
      '--model',
      p('gauss.json'),
      '--lines',
      '999999',
      p('lanl.test.txt'),
    ]);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/no event on line 999999/);
  });
});

describe('ebm --help', () => {
  it('has help on every command', async () => {
    for (const c of ['demo', 'generate', 'train', 'score', 'eval', 'explain']) {
      const r = await runCliCaptured([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`usage: ebm ${c}`));
    }
    const top = await runCliCaptured(['--help']);
    expect(top.stdout).toMatch(/explain/);
  });
});

describe('streaming and other formats', () => {
  it('shows progress while reading large files and yields bounded chunks', async () => {
    const { PassThrough } = await import('node:stream');
    const { eventChunks } = await import('./files.js');
    const err = new PassThrough();
    const text: string[] = [];
    err.on('data', (b: Buffer) => text.push(b.toString()));
    const io = { stdout: new PassThrough(), stderr: err, isTTY: false };
    const { LineAccount } = await import('./accounting.js');
    const account = new LineAccount('test', 'lanl');
    const sizes: number[] = [];
    for await (const c of eventChunks(
      p('lanl.test.txt'),
      'lanl',
      io,
      'reading',
      700,
      account,
      undefined,
      1,
    )) {
      sizes.push(c.length);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(700);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(account.lines);
    expect(text.join('')).toMatch(/reading\s+100%/);
  });

  it('trains and scores numeric CSV files', async () => {
    const rows = ['time,bytes,duration,label'];
    for (let i = 0; i < 300; i++) rows.push(`${i},${1000 + (i % 13) * 10},${1 + (i % 5) * 0.2},0`);
    writeFileSync(p('train.csv'), `${rows.join('\n')}\n`);
    writeFileSync(p('test.csv'), 'time,bytes,duration,label\n1,1050,1.4,0\n2,90000,40,1\n');
    const few = await runCliCaptured(['train', '--format', 'csv', '--out', p('csv.json'), p('train.csv')]);
    expect(few.code).toBe(1);
    expect(few.stderr).toMatch(
      /too few events to calibrate a 0.01 false-alarm rate.*at least 493 events, 99 of them held back.*got 300 events, 60 held back/,
    );
    const t = await runCliCaptured([
      'train',
      '--format',
      'csv',
      '--false-alarm-rate',
      '0.05',
      '--out',
      p('csv.json'),
      p('train.csv'),
    ]);
    expect(t.code).toBe(0);
    expect(t.stderr).not.toMatch(/too few/);
    const s = await runCliCaptured(['score', '--model', p('csv.json'), p('test.csv')]);
    expect(s.code).toBe(0);
    const [a, b] = s.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; energy: number; flag: number });
    expect(a?.line).toBe(2);
    expect(b?.flag).toBe(1);
    expect(b?.energy ?? 0).toBeGreaterThan(a?.energy ?? 0);
  });
});
