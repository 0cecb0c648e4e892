import { logDetCholesky } from '../kernels/logDetCholesky.js';
import type { Matrix } from '../matrix/Matrix.js';
import { choleskyFactor } from './choleskyFactor.js';

/**
 * Natural log of the determinant of a symmetric positive-definite matrix, through its Cholesky factor
 * (`2·Σ log L_ii`), so it neither overflows nor underflows for large or badly scaled matrices. A matrix
 * that is not positive definite is a {@link ValueError}.
 *
 * Cost: n³/3 flops.
 *
 * @example
 * ```ts
 * logDet(new Matrix(2, 2, new Float64Array([4, 2, 2, 5]))); // log 16
 * ```
 */
export function logDet(a: Matrix): number {
  const l = choleskyFactor(a);
  return logDetCholesky(l.data, l.rows);
}
