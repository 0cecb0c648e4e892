import { describeValue, message, ParameterError } from '../errors.js';
import type { Matrix } from '../matrix/Matrix.js';
import { BaseScaler, scaleOrOne } from './BaseScaler.js';
import type { ScalerType } from './Scaler.js';

/**
 * Options of {@link RobustScaler}.
 *
 * @example
 * ```ts
 * const opts: RobustScalerOptions = { quantileRange: [10, 90] };
 * ```
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
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  if (lo + 1 >= n) return a;
  const b = sorted[lo + 1] as number;
  const t = h - lo;
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
      center[j] = sortedQuantile(col, m, 0.5);
      const lo = sortedQuantile(col, m, this.qLow);
      const hi = sortedQuantile(col, m, this.qHigh);
      scale[j] = scaleOrOne(hi - lo, Math.max(Math.abs(lo), Math.abs(hi)));
    }
  }
}
