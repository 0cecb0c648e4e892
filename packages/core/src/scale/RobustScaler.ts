import { describeValue, message, ParameterError } from '../errors.js';
import type { Matrix } from '../matrix/Matrix.js';
import type { RowSource } from '../matrix/RowSource.js';
import { BaseScaler, scaleOrOne } from './BaseScaler.js';
import { columnOrderStatistics } from './columnOrderStatistics.js';
import type { ScalerType } from './Scaler.js';

/**
 * Options of {@link RobustScaler}.
 */
export interface RobustScalerOptions {
  /** Lower and upper quantiles (in percent) whose distance is the scale. Default `[25, 75]` (the IQR). */
  readonly quantileRange?: readonly [number, number];
}

/**
 * Linear-interpolation quantile (q in [0, 1]) of an ascending sorted array of length n ≥ 1.
 *
 * @example
 * ```ts
 * sortedQuantile(new Float64Array([1, 2, 3, 4]), 4, 0.5); // 2.5
 * ```
 */
export function sortedQuantile(sorted: Float64Array, n: number, q: number): number {
  const { lo, hi, t } = quantilePosition(n, q);
  return interpolate(sorted[lo] as number, hi, hi < 0 ? 0 : (sorted[hi] as number), t);
}

/**
 * The ranks and weight of the linear-interpolation quantile q of n sorted values: the value of rank `lo`,
 * moved `t` of the way to rank `hi` (`hi` = −1 at the top: the value of rank `lo` itself).
 */
function quantilePosition(n: number, q: number): { lo: number; hi: number; t: number } {
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 >= n ? { lo, hi: -1, t: 0 } : { lo, hi: lo + 1, t: h - lo };
}

function interpolate(a: number, hi: number, b: number, t: number): number {
  if (hi < 0) return a;
  const d = b - a;
  // b − a overflows only for values near ±1.8e308; the convex form then stays finite.
  return Number.isFinite(d) ? a + t * d : (1 - t) * a + t * b;
}

/**
 * Robust scaler: subtracts each column's median and divides by its interquartile range (by default the
 * 75th minus the 25th percentile, with linear interpolation), so a few extreme values in the training data
 * barely move the parameters. A column whose quantile range is zero — every constant column, and also a
 * column where more than half the values are equal, or a range at the rounding level of the values (see
 * {@link scaleOrOne}) — gets scale 1 (centred only, never divided by zero). The quantile range is not saved
 * by `toJSON` (only the fitted center and scale are), so a loaded scaler refits with the default range.
 *
 * @example
 * ```ts
 * const s = new RobustScaler().fit([[1], [2], [3], [4], [1000]]);
 * s.toJSON().center; // [3]
 * s.toJSON().scale; // [2]
 * ```
 */
export class RobustScaler extends BaseScaler {
  /** Always `'robust'`. */
  readonly type: ScalerType = 'robust';
  protected readonly label: string = 'RobustScaler';
  private readonly qLow: number;
  private readonly qHigh: number;

  /** @param options - see {@link RobustScalerOptions}. */
  constructor(options: RobustScalerOptions = {}) {
    super();
    const range = options.quantileRange ?? [25, 75];
    const [lo, hi] = Array.isArray(range) ? range : [Number.NaN, Number.NaN];
    if (
      typeof lo !== 'number' ||
      typeof hi !== 'number' ||
      !(lo >= 0) ||
      !(hi <= 100) ||
      !(lo < hi) ||
      range.length !== 2
    ) {
      throw new ParameterError(
        message(
          'RobustScaler',
          'quantileRange must be two percentages in increasing order',
          '[lo, hi] with 0 <= lo < hi <= 100',
          describeValue(range),
        ),
      );
    }
    this.qLow = lo / 100;
    this.qHigh = hi / 100;
  }

  protected computeParams(x: Matrix, center: Float64Array, scale: Float64Array): void {
    const { rows: m, cols: n, data: d } = x;
    const col = new Float64Array(m);
    for (let j = 0; j < n; j++) {
      for (let i = 0, k = j; i < m; i++, k += n) col[i] = d[k] as number;
      col.sort();
      this.paramsOf(m, (k) => col[k] as number, center, scale, j);
    }
  }

  /** Center and scale of column j from its order statistics (`at(k)`: the value of rank k of m). */
  private paramsOf(
    m: number,
    at: (k: number) => number,
    center: Float64Array,
    scale: Float64Array,
    j: number,
  ): void {
    const q = (p: number): number => {
      const { lo, hi, t } = quantilePosition(m, p);
      return interpolate(at(lo), hi, hi < 0 ? 0 : at(hi), t);
    };
    center[j] = q(0.5);
    const lo = q(this.qLow);
    const hi = q(this.qHigh);
    scale[j] = scaleOrOne(hi - lo, Math.max(Math.abs(lo), Math.abs(hi)));
  }

  /**
   * Fits on rows read in passes ({@link RowSource}) with memory that does not grow with the number of rows:
   * the quantiles are the exact order statistics ({@link columnOrderStatistics}, three passes typically),
   * so the scaler equals `fit` on the same rows in one matrix, bit for bit.
   *
   * @example
   * ```ts
   * const s = new RobustScaler().fitStream(matrixRows(X, 4096)); // same center and scale as fit(X)
   * ```
   */
  fitStream(rows: RowSource): this {
    const api = `${this.label}.fitStream`;
    const wanted = (m: number): number[] => {
      const ranks = new Set<number>();
      for (const p of [0.5, this.qLow, this.qHigh]) {
        const { lo, hi } = quantilePosition(m, p);
        ranks.add(lo);
        if (hi >= 0) ranks.add(hi);
      }
      return [...ranks].sort((a, b) => a - b);
    };
    const { n: m, ranks, values } = columnOrderStatistics(rows, wanted, api);
    const d = rows.cols;
    const r = ranks.length;
    const index = new Map(ranks.map((k, i) => [k, i]));
    const center = new Float64Array(d);
    const scale = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      this.paramsOf(m, (k) => values[j * r + (index.get(k) as number)] as number, center, scale, j);
    }
    return this.setFitted(api, center, scale);
  }
}
