import { prCurve, rocCurve } from '@nexus/ebm-core';

/**
 * What the evaluation report shows.
 *
 * @example
 * ```ts
 * const data: ReportData = { title: 'test.txt', labels, energies, figures: { 'ROC-AUC': '0.99' }, threshold: 3.2 };
 * ```
 */
export interface ReportData {
  /** Title (e.g. the input file). */
  readonly title: string;
  /** 1 = anomalous, 0 = normal, per event. */
  readonly labels: Uint8Array;
  /** Energy per event. */
  readonly energies: Float64Array;
  /** The headline figures, shown as a table. */
  readonly figures: Readonly<Record<string, string>>;
  /** The flag threshold, drawn on the histogram. */
  readonly threshold: number;
}

const W = 360;
const H = 260;
const PAD = 40;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function axes(xLabel: string, yLabel: string): string {
  const x0 = PAD;
  const y0 = H - PAD;
  const ticks: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = k / 4;
    ticks.push(
      `<text x="${x0 + v * (W - 2 * PAD)}" y="${y0 + 14}" text-anchor="middle">${v.toFixed(2)}</text>`,
      `<text x="${x0 - 4}" y="${y0 - v * (H - 2 * PAD) + 4}" text-anchor="end">${v.toFixed(2)}</text>`,
    );
  }
  return `<line x1="${x0}" y1="${y0}" x2="${W - PAD}" y2="${y0}" stroke="#333"/><line x1="${x0}" y1="${y0}" x2="${x0}" y2="${PAD}" stroke="#333"/>${ticks.join('')}<text x="${W / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text><text x="12" y="${H / 2}" text-anchor="middle" transform="rotate(-90 12 ${H / 2})">${esc(yLabel)}</text>`;
}

/** Drops points closer than half a pixel to the last kept one, so large curves stay small. */
function polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, color: string): string {
  const pts: string[] = [];
  let lx = Number.NaN;
  let ly = Number.NaN;
  for (let i = 0; i < xs.length; i++) {
    const px = PAD + (xs[i] as number) * (W - 2 * PAD);
    const py = H - PAD - (ys[i] as number) * (H - 2 * PAD);
    if (i > 0 && i < xs.length - 1 && Math.abs(px - lx) < 0.5 && Math.abs(py - ly) < 0.5) continue;
    pts.push(`${px.toFixed(1)},${py.toFixed(1)}`);
    lx = px;
    ly = py;
  }
  return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"/>`;
}

function svg(title: string, body: string): string {
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-size="10" font-family="sans-serif">${body}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

function histogram(energies: Float64Array, labels: Uint8Array, threshold: number): string {
  const bins = 40;
  // Energies span orders of magnitude: bin sign(e)·log(1+|e|) so both the bulk and the tail are visible.
  const tr = (e: number): number => Math.sign(e) * Math.log1p(Math.abs(e));
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const e of energies) {
    const v = tr(e);
    // An energy beyond the double range goes in the end bin; it does not stretch the axis.
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) lo = 0;
  if (!(hi > lo)) hi = lo + 1;
  const normal = new Float64Array(bins);
  const anomalous = new Float64Array(bins);
  for (let i = 0; i < energies.length; i++) {
    const v = tr(energies[i] as number);
    const b = Math.max(0, Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins)));
    if (labels[i] === 1) (anomalous[b] as number)++;
    else (normal[b] as number)++;
  }
  // Each class is scaled to its own largest bin (the anomalous class is usually tiny).
  const mN = Math.max(1, ...normal);
  const mA = Math.max(1, ...anomalous);
  const bw = (W - 2 * PAD) / bins;
  const bars: string[] = [];
  for (let b = 0; b < bins; b++) {
    const x = PAD + b * bw;
    const hN = ((normal[b] as number) / mN) * (H - 2 * PAD);
    const hA = ((anomalous[b] as number) / mA) * (H - 2 * PAD);
    bars.push(
      `<rect x="${x.toFixed(1)}" y="${(H - PAD - hN).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${hN.toFixed(1)}" fill="#4a7ab5" fill-opacity="0.6"/>`,
      `<rect x="${x.toFixed(1)}" y="${(H - PAD - hA).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${hA.toFixed(1)}" fill="#d1495b" fill-opacity="0.6"/>`,
    );
  }
  const tx = PAD + ((tr(threshold) - lo) / (hi - lo)) * (W - 2 * PAD);
  if (Number.isFinite(tx) && tx >= PAD && tx <= W - PAD) {
    bars.push(
      `<line x1="${tx.toFixed(1)}" y1="${PAD}" x2="${tx.toFixed(1)}" y2="${H - PAD}" stroke="#000" stroke-dasharray="4 3"/>`,
    );
  }
  const labelsSvg = `<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#333"/><text x="${PAD}" y="${H - PAD + 14}">${lo.toFixed(1)}</text><text x="${W - PAD}" y="${H - PAD + 14}" text-anchor="end">${hi.toFixed(1)}</text><text x="${W / 2}" y="${H - 6}" text-anchor="middle">sign(energy)·log(1+|energy|)</text><rect x="${W - 150}" y="10" width="10" height="10" fill="#4a7ab5"/><text x="${W - 136}" y="19">normal</text><rect x="${W - 90}" y="10" width="10" height="10" fill="#d1495b"/><text x="${W - 76}" y="19">anomalous</text>`;
  return svg(
    'Energy histogram (each class scaled to its largest bin; dashed: threshold)',
    bars.join('') + labelsSvg,
  );
}

/**
 * A self-contained HTML evaluation report: the figures, the ROC and precision–recall curves and an energy
 * histogram of both classes, as inline SVG (nothing is fetched from the network).
 *
 * @example
 * ```ts
 * fs.writeFileSync('report.html', htmlReport({ title: 'test.txt', labels, energies, figures: { 'ROC-AUC': '0.99' }, threshold: 3.2 }));
 * ```
 */
export function htmlReport(data: ReportData): string {
  const roc = rocCurve(data.labels, data.energies);
  const pr = prCurve(data.labels, data.energies);
  const rocSvg = svg(
    'ROC curve',
    `${axes('false-positive rate', 'true-positive rate')}<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${PAD}" stroke="#aaa" stroke-dasharray="3 3"/>${polyline(roc.fpr, roc.tpr, '#d1495b')}`,
  );
  const prSvg = svg(
    'Precision–recall curve',
    `${axes('recall', 'precision')}${polyline(pr.recall, pr.precision, '#2e8b57')}`,
  );
  const rows = Object.entries(data.figures)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ebm eval — ${esc(data.title)}</title>
<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}th,td{padding:4px 12px;border-bottom:1px solid #ddd;text-align:left}figure{display:inline-block;margin:1em}figcaption{text-align:center;font-size:0.9em}</style>
</head><body>
<h1>ebm eval — ${esc(data.title)}</h1>
<table>${rows}</table>
<div>${rocSvg}${prSvg}${histogram(data.energies, data.labels, data.threshold)}</div>
<p>Generated by <code>ebm eval</code>. Higher energy = more anomalous.</p>
</body></html>
`;
}
