import type { Matrix } from '../matrix/Matrix.js';
import { BaseScaler, scaleOrOne } from './BaseScaler.js';
import type { ScalerType } from './Scaler.js';

/**
 * Min-max scaler: maps each column's training range [min, max] onto [0, 1] (center = min, scale =
 * max − min). New data outside the training range maps outside [0, 1] (it is not clipped). A constant
 * column (or one whose range is at the rounding level of its values, see {@link scaleOrOne}) gets scale 1,
 * so it maps to 0 and is never divided by zero.
 *
 * @example
 * ```ts
 * new MinMaxScaler().fit([[0, 7], [10, 7]]).transform([[5, 7]]).toArray(); // [[0.5, 0]]
 * ```
 */
export class MinMaxScaler extends BaseScaler {
  /** Always `'minmax'`. */
  readonly type: ScalerType = 'minmax';
  protected readonly label: string = 'MinMaxScaler';

  protected computeParams(x: Matrix, center: Float64Array, scale: Float64Array): void {
    const { cols: n, data: d } = x;
    for (let j = 0; j < n; j++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let k = j; k < d.length; k += n) {
        const v = d[k] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      center[j] = lo;
      // hi === lo is the explicit constant-column case (spread 0 → scale 1).
      scale[j] = scaleOrOne(hi - lo, Math.max(Math.abs(lo), Math.abs(hi)));
    }
  }
}
