/**
 * The report's opening section: the headline figures as cards, what was evaluated (files, format, model,
 * threshold and false-alarm target) and how every line of the log was accounted for.
 *
 * @module
 */

import { clip, esc, int, num, pct } from './html.js';
import type { ReportData, ReportSection } from './htmlReport.js';

function card(value: string, what: string, warn = false): string {
  return `<div class="kpi${warn ? ' warn' : ''}"><b>${esc(value)}</b><span>${esc(what)}</span></div>`;
}

/**
 * Counts at the threshold: flagged events, detected anomalous events and false alarms (flagged normal
 * events).
 *
 * @example
 * ```ts
 * const c = thresholdCounts(labels, flags); // { flagged: 930, detected: 900, anomalous: 914, falseAlarms: 30, normal: 19504 }
 * ```
 */
export function thresholdCounts(
  labels: Uint8Array,
  flags: Uint8Array,
): { flagged: number; detected: number; anomalous: number; falseAlarms: number; normal: number } {
  let flagged = 0;
  let detected = 0;
  let anomalous = 0;
  for (let i = 0; i < labels.length; i++) {
    const f = flags[i] === 1;
    if (f) flagged++;
    if (labels[i] === 1) {
      anomalous++;
      if (f) detected++;
    }
  }
  return { flagged, detected, anomalous, falseAlarms: flagged - detected, normal: labels.length - anomalous };
}

function accounting(r: ReportData['read']): string {
  const parts = [
    `${int(r.lines)} lines: ${int(r.event_lines)} with events (${int(r.events)} events), ${int(r.non_event_lines)} not events, ${int(r.malformed)} malformed`,
  ];
  const reasons = Object.entries(r.non_events);
  const items: string[] = [];
  for (const [why, n] of reasons.slice(0, 8))
    items.push(`<li>not an event: ${esc(clip(why, 120))} — ${int(n)}</li>`);
  if (reasons.length > 8) items.push(`<li>… and ${int(reasons.length - 8)} more reasons</li>`);
  for (const m of r.first_malformed) {
    items.push(`<li>malformed: line ${int(m.line)}: ${esc(clip(m.reason, 160))}</li>`);
  }
  if (r.malformed > r.first_malformed.length) {
    items.push(`<li>… and ${int(r.malformed - r.first_malformed.length)} more malformed lines</li>`);
  }
  return esc(parts.join('')) + (items.length === 0 ? '' : `<ul class="plain">${items.join('')}</ul>`);
}

/**
 * The opening section (no heading: it sits under the page title).
 *
 * @example
 * ```ts
 * summarySection.render(data); // '<div class="kpis">…'
 * ```
 */
export const summarySection: ReportSection = {
  id: 'summary',
  render(d: ReportData): string {
    const c = thresholdCounts(d.labels, d.flags);
    const far = d.falseAlarmRate;
    const target = far.effective ?? far.requested;
    const observed = c.normal === 0 ? Number.NaN : c.falseAlarms / c.normal;
    const targetText =
      far.effective !== undefined && far.effective !== far.requested
        ? far.why === 'bounded'
          ? `${pct(far.effective)} (the bounded calibration set keeps a quantile above the position of the requested ${pct(far.requested)})`
          : far.why === 'ties'
            ? `${pct(far.effective)} (calibration energies tie with the threshold, so fewer lie above it than the requested ${pct(far.requested)})`
            : `${pct(far.effective)} (a coarse threshold: too few calibration events for the requested ${pct(far.requested)})`
        : pct(far.requested);
    const labelValues = new Set(d.labelNames).size;
    const cards = [
      card(d.figures.rocAuc.toFixed(4), 'ROC-AUC'),
      card(d.figures.averagePrecision.toFixed(4), 'average precision'),
      card(d.figures.precisionAtK.toFixed(3), `precision in the top ${int(d.figures.k)}`),
      card(
        c.anomalous === 0 ? '–' : pct(c.detected / c.anomalous),
        `anomalous events flagged (${int(c.detected)} of ${int(c.anomalous)})`,
      ),
      card(
        pct(observed),
        `false alarms (${int(c.falseAlarms)} of ${int(c.normal)} normal events; target ${pct(target)})`,
        observed > 2 * target,
      ),
      card(int(c.flagged), `events flagged of ${int(d.labels.length)} (${pct(c.flagged / d.labels.length)})`),
    ];
    const facts: [string, string][] = [
      ['log', `${esc(d.files.log)} <span class="sub">(${esc(d.format)})</span>`],
      [
        'labels',
        `${esc(d.files.labels)} — ${int(c.normal)} normal, ${int(c.anomalous)} anomalous events; ${int(labelValues)} distinct label value${labelValues === 1 ? '' : 's'}`,
      ],
      ['model', `${esc(d.files.model)} — ${esc(d.model)}, ${int(d.features)} feature columns`],
      [
        'threshold',
        `energy ${esc(num(d.threshold))}, for a false-alarm rate of ${esc(targetText)}; observed here ${esc(pct(observed))}`,
      ],
      ['lines read', accounting(d.read)],
    ];
    return `<div class="kpis">${cards.join('')}</div><dl>${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
  },
};
