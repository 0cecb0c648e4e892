import { columnMeans, columnStd } from '../kernels/columnStats.js';
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
    const { rows: m, cols: n, data } = x;
    const scratch = new Float64Array(n);
    columnMeans(data, m, n, center, scratch);
    columnStd(data, m, n, center, scale, scratch);
    for (let j = 0; j < n; j++) {
      scale[j] = isConstantColumn(x, j) ? 1 : scaleOrOne(scale[j] as number, Math.abs(center[j] as number));
    }
  }
}
