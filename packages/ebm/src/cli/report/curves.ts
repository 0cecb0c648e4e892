/**
 * The report's ROC and precision–recall curves, each with the operating point of the threshold marked.
 * The ROC curve's false-positive rate is on a log scale: a SOC lives in the left 1 % of a linear ROC plot.
 *
 * @module
 */
import { prCurve, rocCurve } from '@nexus/ebm-core';
import { finiteValue } from '../energyText.js';
import { chart, linearScale, logScale, type Plot, type PlotBox, polyline } from './chart.js';
import { esc, pct } from './html.js';
import type { ReportData, ReportSection } from './htmlReport.js';
import { thresholdCounts } from './summary.js';

const BOX: PlotBox = { width: 530, height: 350, left: 62, right: 16, top: 36, bottom: 50 };
const ROC_COLOR = '#c0392b';
const PR_COLOR = '#1e7b4f';
const CHANCE = '#9a9a9a';

function point(p: Plot, x: number, y: number, text: string): string {
  const px = p.x(x);
  const py = p.y(y);
  // the label goes to the side with room
  const right = px < (p.x0 + p.x1) / 2;
  const ty = Math.min(p.y0 - 6, Math.max(p.y1 + 14, py + (py < p.y1 + 30 ? 18 : -8)));
  return `<circle cx="${px}" cy="${py}" r="5" fill="#fff" stroke="#111" stroke-width="2"/><text x="${right ? px + 9 : px - 9}" y="${ty}" text-anchor="${right ? 'start' : 'end'}" font-size="12">${esc(text)}</text>`;
}

/**
 * ROC curve (log false-positive rate) and precision–recall curve, side by side.
 *
 * @example
 * ```ts
 * curvesSection.render(data); // '<div class="cols"><figure><svg …'
 * ```
 */
export const curvesSection: ReportSection = {
  id: 'curves',
  title: 'Ranking quality',
  render(d: ReportData): string {
    // an energy beyond the double range ranks as the largest double, as `ebm score` writes it
    const ranked = Float64Array.from(d.energies, finiteValue);
    const roc = rocCurve(d.labels, ranked);
    const pr = prCurve(d.labels, ranked);
    const c = thresholdCounts(d.labels, d.flags);
    const fprAt = c.falseAlarms / c.normal;
    const tprAt = c.detected / c.anomalous;
    const lo = 10 ** Math.floor(Math.log10(1 / c.normal));
    const xRoc = logScale(lo, 1, pct, 6);
    const chanceX: number[] = [];
    for (let i = 0; i <= 60; i++) chanceX.push(10 ** (Math.log10(lo) * (1 - i / 60)));
    const rocSvg = chart({
      box: BOX,
      x: xRoc,
      y: linearScale(0, 1, 5, pct),
      xTitle: 'false-positive rate: normal events flagged (log scale)',
      yTitle: 'true-positive rate: anomalous flagged',
      label: 'ROC curve',
      legend: [
        [ROC_COLOR, `${d.model} (ROC-AUC ${d.figures.rocAuc.toFixed(4)})`],
        [CHANCE, 'chance'],
      ],
      body: (p) =>
        polyline(p, chanceX, chanceX, CHANCE, ' stroke-dasharray="4 4" stroke-width="1.5"') +
        polyline(
          p,
          Array.from(roc.fpr, (v) => Math.max(v, lo)),
          roc.tpr,
          ROC_COLOR,
        ) +
        point(p, Math.max(fprAt, lo), tprAt, `threshold: ${pct(fprAt)} FP, ${pct(tprAt)} TP`),
    });
    const prevalence = c.anomalous / d.labels.length;
    const precAt = c.flagged === 0 ? 1 : c.detected / c.flagged;
    const prSvg = chart({
      box: BOX,
      x: linearScale(0, 1, 5, pct),
      y: linearScale(0, 1, 5, pct),
      xTitle: 'recall: anomalous events found',
      yTitle: 'precision: flagged that are anomalous',
      label: 'Precision–recall curve',
      legend: [
        [PR_COLOR, `${d.model} (AP ${d.figures.averagePrecision.toFixed(4)})`],
        [CHANCE, `chance (prevalence ${pct(prevalence)})`],
      ],
      body: (p) =>
        `<line x1="${p.x0}" x2="${p.x1}" y1="${p.y(prevalence)}" y2="${p.y(prevalence)}" stroke="${CHANCE}" stroke-width="1.5" stroke-dasharray="4 4"/>` +
        polyline(p, pr.recall, pr.precision, PR_COLOR) +
        point(p, tprAt, precAt, `threshold: recall ${pct(tprAt)}, precision ${pct(precAt)}`),
    });
    return `<div class="cols"><figure>${rocSvg}<figcaption>ROC curve: share of anomalous events flagged against share of normal events flagged, as the threshold moves; the circle is the pipeline's threshold.</figcaption></figure><figure>${prSvg}<figcaption>Precision–recall curve: of the events above a threshold, how many are anomalous, against how many anomalous events are above it; the circle is the pipeline's threshold.</figcaption></figure></div>`;
  },
};
