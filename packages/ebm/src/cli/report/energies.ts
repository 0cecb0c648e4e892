/**
 * The report's energy histogram: normal and anomalous events in the same bins, on one energy axis
 * (symmetric log when energies span orders of magnitude) and a log count axis, so a class of 900 events
 * and one of 20 000 are both readable on one honest scale; the threshold is marked.
 *
 * @module
 */
import { chart, energyScale, logScale, type PlotBox, round1 } from './chart.js';
import { esc, int, num } from './html.js';
import type { ReportData, ReportSection } from './htmlReport.js';

const BOX: PlotBox = { width: 1060, height: 330, left: 70, right: 16, top: 36, bottom: 50 };
const BINS = 60;
export const NORMAL_COLOR = '#3b6fb6';
export const ANOMALOUS_COLOR = '#d1495b';

/**
 * The energy range to draw: the finite energies and the threshold (an energy beyond the double range is
 * drawn at the edge, never stretches the axis).
 *
 * @example
 * ```ts
 * energyRange(Float64Array.of(1, 5, Infinity), 3); // [1, 5]
 * ```
 */
export function energyRange(energies: ArrayLike<number>, threshold: number): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < energies.length; i++) {
    const e = energies[i] as number;
    if (!Number.isFinite(e)) continue;
    if (e < lo) lo = e;
    if (e > hi) hi = e;
  }
  if (Number.isFinite(threshold)) {
    lo = Math.min(lo, threshold);
    hi = Math.max(hi, threshold);
  }
  if (!Number.isFinite(lo)) return [0, 1];
  return [lo, hi];
}

/**
 * Energy histogram of both classes with the threshold.
 *
 * @example
 * ```ts
 * energySection.render(data); // '<figure><svg …'
 * ```
 */
export const energySection: ReportSection = {
  id: 'energies',
  title: 'Energies of normal and anomalous events',
  render(d: ReportData): string {
    const [lo, hi] = energyRange(d.energies, d.threshold);
    const xs = energyScale(lo, hi);
    const normal = new Float64Array(BINS);
    const anomalous = new Float64Array(BINS);
    let overflow = 0;
    for (let i = 0; i < d.energies.length; i++) {
      const e = d.energies[i] as number;
      if (!Number.isFinite(e)) overflow++;
      const b = Math.min(BINS - 1, Math.floor(xs.at(e) * BINS));
      if (d.labels[i] === 1) (anomalous[b] as number)++;
      else (normal[b] as number)++;
    }
    const top = Math.max(1, ...normal, ...anomalous);
    const ys = logScale(0.5, 10 ** Math.ceil(Math.log10(top) + 1e-9), (v) => int(v));
    const t = d.threshold;
    const svg = chart({
      box: BOX,
      x: xs,
      y: ys,
      xTitle: `energy${xs.kind === 'symlog' ? ' (symmetric log scale)' : ''} — higher is more anomalous`,
      yTitle: 'events per bin (log scale)',
      label: 'Energy histogram of normal and anomalous events',
      legend: [
        [NORMAL_COLOR, `normal (${int(d.labels.length - d.labels.reduce((a, b) => a + b, 0))})`],
        [ANOMALOUS_COLOR, `anomalous (${int(d.labels.reduce((a, b) => a + b, 0))})`],
      ],
      body: (p) => {
        const out: string[] = [];
        const tx = p.x(t);
        if (Number.isFinite(t)) {
          out.push(
            `<rect x="${tx}" y="${p.y1}" width="${round1(p.x1 - tx)}" height="${round1(p.y0 - p.y1)}" fill="#d1495b" fill-opacity="0.06"/>`,
          );
        }
        const w = (p.x1 - p.x0) / BINS;
        const base = p.y(0.5);
        const bars = (counts: Float64Array, color: string, opacity: number): void => {
          for (let b = 0; b < BINS; b++) {
            const n = counts[b] as number;
            if (n === 0) continue;
            const y = p.y(n);
            out.push(
              `<rect x="${round1(p.x0 + b * w + 0.5)}" y="${y}" width="${round1(w - 1)}" height="${round1(base - y)}" fill="${color}" fill-opacity="${opacity}"/>`,
            );
          }
        };
        bars(normal, NORMAL_COLOR, 0.55);
        bars(anomalous, ANOMALOUS_COLOR, 0.6);
        if (Number.isFinite(t)) {
          out.push(
            `<line x1="${tx}" x2="${tx}" y1="${p.y0}" y2="${p.y1}" stroke="#111" stroke-width="1.5" stroke-dasharray="6 4"/>`,
            tx > p.x1 - 170
              ? `<text x="${round1(tx - 6)}" y="${p.y1 + 14}" font-size="12" text-anchor="end">threshold ${esc(num(t))} (flagged to the right)</text>`
              : `<text x="${round1(tx + 6)}" y="${p.y1 + 14}" font-size="12">threshold ${esc(num(t))} → flagged</text>`,
          );
        }
        return out.join('');
      },
    });
    const note =
      overflow > 0
        ? ` ${int(overflow)} energ${overflow === 1 ? 'y' : 'ies'} beyond the double range ${overflow === 1 ? 'is' : 'are'} counted in the end bin.`
        : '';
    const shown = Number.isFinite(t)
      ? ' The dashed line is the threshold; events to its right are flagged.'
      : '';
    return `<figure>${svg}<figcaption>Counts of events per energy bin, both classes on the same log scale (${BINS} bins).${shown}${note}</figcaption></figure>`;
  },
};
