/**
 * Plots for the HTML report as inline SVG: scales (linear, log, symmetric log) with ticks a reader can
 * use, and a frame with both axes, their ticks and exactly one title per axis. Styling is in SVG
 * presentation attributes, which a Content-Security-Policy never blocks, so a plot reads the same with
 * the page's style sheet refused.
 *
 * @module
 */
import { esc, num } from './html.js';

/**
 * One tick of an axis: where (in data units) and what it says.
 */
export interface Tick {
  readonly value: number;
  readonly label: string;
}

/**
 * A scale: data value → position in [0, 1] along the axis, with its ticks.
 *
 * @example
 * ```ts
 * const s = linearScale(0, 1);
 * s.at(0.5); // 0.5
 * ```
 */
export interface Scale {
  /** Position of a value in [0, 1] (values outside the domain are clamped). */
  at(v: number): number;
  /** The ticks, in increasing order. */
  readonly ticks: readonly Tick[];
  /** `linear`, `log` or `symlog`, for the axis title. */
  readonly kind: 'linear' | 'log' | 'symlog';
}

const clamp01 = (t: number): number => Math.min(1, Math.max(0, t));

function transformed(
  kind: Scale['kind'],
  f: (v: number) => number,
  lo: number,
  hi: number,
  ticks: Tick[],
): Scale {
  const a = f(lo);
  const span = f(hi) - a || 1;
  return {
    kind,
    at: (v: number): number => (Number.isNaN(v) ? 0 : clamp01((f(v) - a) / span)),
    ticks: ticks.filter((t) => t.value >= lo - 1e-12 * Math.abs(lo) && t.value <= hi + 1e-12 * Math.abs(hi)),
  };
}

/**
 * The "nice" step (1, 2 or 5 × 10ᵏ) giving about `n` intervals over `span`.
 *
 * @example
 * ```ts
 * niceStep(7, 5); // 2
 * ```
 */
export function niceStep(span: number, n: number): number {
  const raw = span / Math.max(1, n);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/**
 * A linear scale over [lo, hi] with about `n` nice ticks; `format` writes a tick's label.
 *
 * @example
 * ```ts
 * linearScale(0, 1).ticks.map((t) => t.label); // ['0', '0.2', '0.4', '0.6', '0.8', '1']
 * ```
 */
export function linearScale(lo: number, hi: number, n = 5, format: (v: number) => string = num): Scale {
  if (!(hi > lo)) hi = lo + 1;
  const step = niceStep(hi - lo, n);
  const ticks: Tick[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
    const v = Number((k * step).toPrecision(12));
    ticks.push({ value: v, label: format(v) });
  }
  return transformed('linear', (v) => v, lo, hi, ticks);
}

/**
 * A base-10 log scale over [lo, hi] (both > 0), ticked at each power of ten (every other one when there
 * are more than `maxTicks`).
 *
 * @example
 * ```ts
 * logScale(1e-4, 1, (v) => `${v * 100} %`).ticks.length; // 5
 * ```
 */
export function logScale(lo: number, hi: number, format: (v: number) => string, maxTicks = 8): Scale {
  if (!(lo > 0)) lo = 1e-12;
  if (!(hi > lo)) hi = lo * 10;
  const k0 = Math.ceil(Math.log10(lo) - 1e-9);
  const k1 = Math.floor(Math.log10(hi) + 1e-9);
  const every = Math.max(1, Math.ceil((k1 - k0 + 1) / maxTicks));
  const ticks: Tick[] = [];
  for (let k = k0; k <= k1; k++) {
    if ((k - k0) % every !== 0) continue;
    const v = 10 ** k;
    ticks.push({ value: v, label: format(v) });
  }
  return transformed('log', Math.log10, lo, hi, ticks);
}

/**
 * sign(v)·log₁₀(1 + |v|): logarithmic for |v| ≫ 1, linear near 0 — for energies, which span orders of
 * magnitude and may be negative.
 *
 * @example
 * ```ts
 * symlog(99); // 2
 * ```
 */
export function symlog(v: number): number {
  return Math.sign(v) * Math.log10(1 + Math.abs(v));
}

/**
 * The scale an energy axis uses over [lo, hi]: symmetric log (ticks at 0 and ±10ᵏ, in energy units) when
 * the values span more than about one and a half orders of magnitude, else linear.
 *
 * @example
 * ```ts
 * energyScale(-50, 9000).kind; // 'symlog'
 * energyScale(2, 3).kind;      // 'linear'
 * ```
 */
export function energyScale(lo: number, hi: number, maxTicks = 9): Scale {
  if (!(hi > lo)) {
    const pad = Math.max(1, Math.abs(lo) * 0.1);
    lo -= pad;
    hi += pad;
  }
  if (symlog(hi) - symlog(lo) < 1.5) return linearScale(lo, hi, 6);
  const kMax = Math.floor(Math.log10(Math.max(Math.abs(lo), Math.abs(hi))) + 1e-9);
  const values: number[] = [0];
  for (let k = 0; k <= kMax; k++) values.push(10 ** k, -(10 ** k));
  values.sort((a, b) => a - b);
  const inside = values.filter((v) => v >= lo && v <= hi);
  // Keep ticks at least 1/maxTicks of the axis apart, preferring 0 and the larger magnitudes.
  const span = symlog(hi) - symlog(lo);
  const order = [...inside].sort((a, b) => Math.abs(b) - Math.abs(a) || a - b);
  if (inside.includes(0)) order.unshift(...order.splice(order.indexOf(0), 1));
  const kept: number[] = [];
  for (const v of order) {
    if (kept.every((w) => Math.abs(symlog(v) - symlog(w)) >= span / maxTicks)) kept.push(v);
  }
  kept.sort((a, b) => a - b);
  return transformed(
    'symlog',
    symlog,
    lo,
    hi,
    kept.map((v) => ({ value: v, label: num(v) })),
  );
}

/**
 * Where a plot sits inside its SVG: the full size and the margins around the plotting area.
 */
export interface PlotBox {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/**
 * Pixel mappers of a plot: data → x and y pixels, and the plotting area's edges.
 *
 * @example
 * ```ts
 * `<circle cx="${p.x(0.1)}" cy="${p.y(0.9)}" r="3"/>`;
 * ```
 */
export interface Plot {
  x(v: number): number;
  y(v: number): number;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/**
 * The pixel mappers of `box` for the given scales (y grows upwards).
 *
 * @example
 * ```ts
 * const p = plotArea(box, linearScale(0, 1), linearScale(0, 1));
 * ```
 */
export function plotArea(box: PlotBox, xs: Scale, ys: Scale): Plot {
  const x0 = box.left;
  const x1 = box.width - box.right;
  const y0 = box.height - box.bottom;
  const y1 = box.top;
  return {
    x: (v: number) => round1(x0 + xs.at(v) * (x1 - x0)),
    y: (v: number) => round1(y0 - ys.at(v) * (y0 - y1)),
    x0,
    x1,
    y0,
    y1,
  };
}

/** Rounds a pixel coordinate to 0.1 (keeps the SVG short). */
export function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/**
 * Options of {@link chart}.
 */
export interface ChartOptions {
  readonly box: PlotBox;
  readonly x: Scale;
  readonly y: Scale;
  /** The one title of the x axis. */
  readonly xTitle: string;
  /** The one title of the y axis. */
  readonly yTitle: string;
  /** What the figure shows, for screen readers (`aria-label`). */
  readonly label: string;
  /** The marks, drawn over the grid and under the axes. */
  readonly body: (p: Plot) => string;
  /** Legend entries (colour, text), in one row above the plotting area (leave `top` ≥ 34 for it). */
  readonly legend?: readonly (readonly [string, string])[];
}

const AXIS = '#444';
const GRID = '#e4e4e4';
const TEXT = '#333';

/**
 * An SVG plot: light grid lines at the y ticks, the marks, both axes with tick marks and tick labels,
 * one title per axis (`class="x-title"` / `class="y-title"`) and an optional legend. Every string is
 * escaped.
 *
 * @example
 * ```ts
 * chart({ box, x, y, xTitle: 'false-positive rate', yTitle: 'true-positive rate', label: 'ROC', body: (p) => line });
 * ```
 */
export function chart(o: ChartOptions): string {
  const p = plotArea(o.box, o.x, o.y);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(o.label)}" viewBox="0 0 ${o.box.width} ${o.box.height}" width="${o.box.width}" height="${o.box.height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12" fill="${TEXT}">`,
  ];
  for (const t of o.y.ticks) {
    const y = p.y(t.value);
    out.push(`<line x1="${p.x0}" x2="${p.x1}" y1="${y}" y2="${y}" stroke="${GRID}"/>`);
  }
  out.push(o.body(p));
  out.push(
    `<line x1="${p.x0}" x2="${p.x1}" y1="${p.y0}" y2="${p.y0}" stroke="${AXIS}"/>`,
    `<line x1="${p.x0}" x2="${p.x0}" y1="${p.y0}" y2="${p.y1}" stroke="${AXIS}"/>`,
  );
  for (const t of o.x.ticks) {
    const x = p.x(t.value);
    out.push(
      `<line x1="${x}" x2="${x}" y1="${p.y0}" y2="${p.y0 + 5}" stroke="${AXIS}"/>`,
      `<text x="${x}" y="${p.y0 + 18}" text-anchor="middle">${esc(t.label)}</text>`,
    );
  }
  for (const t of o.y.ticks) {
    const y = p.y(t.value);
    out.push(
      `<line x1="${p.x0 - 5}" x2="${p.x0}" y1="${y}" y2="${y}" stroke="${AXIS}"/>`,
      `<text x="${p.x0 - 8}" y="${round1(y + 4)}" text-anchor="end">${esc(t.label)}</text>`,
    );
  }
  const xMid = round1((p.x0 + p.x1) / 2);
  const yMid = round1((p.y0 + p.y1) / 2);
  out.push(
    `<text class="x-title" x="${xMid}" y="${o.box.height - 10}" text-anchor="middle" font-size="13" font-weight="600">${esc(o.xTitle)}</text>`,
    `<text class="y-title" transform="translate(16 ${yMid}) rotate(-90)" text-anchor="middle" font-size="13" font-weight="600">${esc(o.yTitle)}</text>`,
  );
  if (o.legend !== undefined && o.legend.length > 0) out.push(legend(o.legend, p));
  out.push('</svg>');
  return out.join('');
}

function legend(items: readonly (readonly [string, string])[], p: Plot): string {
  const parts: string[] = [];
  let x = p.x0;
  const y = p.y1 - 22;
  for (const [color, text] of items) {
    parts.push(
      `<rect x="${x}" y="${y}" width="14" height="10" fill="${color}"/>`,
      `<text x="${x + 19}" y="${y + 9.5}">${esc(text)}</text>`,
    );
    x += 19 + text.length * 6.6 + 22;
  }
  return parts.join('');
}

/**
 * A polyline through the points, dropping points within half a pixel of the last kept one (large curves
 * stay small).
 *
 * @example
 * ```ts
 * polyline(p, roc.fpr, roc.tpr, '#c0392b');
 * ```
 */
export function polyline(
  p: Plot,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  color: string,
  extra = '',
): string {
  const pts: string[] = [];
  let lx = Number.NaN;
  let ly = Number.NaN;
  for (let i = 0; i < xs.length; i++) {
    const px = p.x(xs[i] as number);
    const py = p.y(ys[i] as number);
    if (i > 0 && i < xs.length - 1 && Math.abs(px - lx) < 0.5 && Math.abs(py - ly) < 0.5) continue;
    pts.push(`${px},${py}`);
    lx = px;
    ly = py;
  }
  return `<polyline fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${extra} points="${pts.join(' ')}"/>`;
}
