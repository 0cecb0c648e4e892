import type { Matrix } from '../matrix/Matrix.js';
import { BaseScaler, isConstantColumn, scaleOrOne } from './BaseScaler.js';
import type { ScalerType } from './Scaler.js';

/**
 * Z-score scaler: subtracts each column's mean and divides by its population standard deviation
 * (ddof 0). The mean is computed in two passes (with a residual correction) and the deviation from
 * centred values rescaled by their largest magnitude, so neither cancels nor overflows. A constant column
 * (or one whose deviation is at the rounding level of its mean, see {@link scaleOrOne}) gets scale 1:
 * it is centred to 0, never divided by zero.
 *
 * @example
 * ```ts
 * const s = new StandardScaler().fit([[1, 5], [3, 5]]);
 * s.transform([[2, 5]]).toArray(); // [[0, 0]]
 * s.toJSON(); // { kind: 'scaler', type: 'standard', version: 1, center: [2, 5], scale: [1, 1] }
 * ```
 */
export class StandardScaler extends BaseScaler {
  /** Always `'standard'`. */
  readonly type: ScalerType = 'standard';
  protected readonly label: string = 'StandardScaler';

  protected computeParams(x: Matrix, center: Float64Array, scale: Float64Array): void {
    const { rows: m, cols: n, data: d } = x;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = j; k < d.length; k += n) s += d[k] as number;
      let mean = s / m;
      let r = 0;
      for (let k = j; k < d.length; k += n) r += (d[k] as number) - mean;
      mean += r / m;
      center[j] = mean;
      if (isConstantColumn(x, j)) {
        scale[j] = 1;
        continue;
      }
      let big = 0;
      for (let k = j; k < d.length; k += n) big = Math.max(big, Math.abs((d[k] as number) - mean));
      let ss = 0;
      for (let k = j; k < d.length; k += n) {
        const t = ((d[k] as number) - mean) / big;
        ss += t * t;
      }
      const sd = big * Math.sqrt(ss / m);
      scale[j] = scaleOrOne(sd, Math.abs(mean));
    }
  }
}
