import { describeValue, message, ParameterError, ValueError } from '../errors.js';
import { getBackend } from '../kernels/backend.js';
import { Matrix } from '../matrix/Matrix.js';
import { requireMatrix, requireSquare } from './validate.js';

/**
 * Options of {@link choleskyFactor}.
 */
export interface CholeskyOptions {
  /** Added to the diagonal before factorising (a small ridge for nearly singular matrices). Default 0. */
  readonly jitter?: number;
}

/**
 * The lower-triangular Cholesky factor L of a symmetric positive-definite matrix, `A + jitter·I = L·Lᵀ`,
 * as a new {@link Matrix} (upper triangle zero). Only the lower triangle of A is read. A matrix that is not
 * positive definite is a {@link ValueError} naming the failing pivot; a non-square one a
 * {@link ShapeError}; a negative or non-finite jitter a {@link ParameterError}.
 *
 * Cost: n³/3 flops.
 *
 * @example
 * ```ts
 * const l = choleskyFactor(new Matrix(2, 2, new Float64Array([4, 2, 2, 5])));
 * l.toArray(); // [[2, 0], [1, 2]]
 * ```
 */
export function choleskyFactor(a: Matrix, options: CholeskyOptions = {}): Matrix {
  requireMatrix('choleskyFactor', 'a', a);
  requireSquare('choleskyFactor', 'a', a);
  const jitter = options.jitter ?? 0;
  if (typeof jitter !== 'number' || !Number.isFinite(jitter) || jitter < 0) {
    throw new ParameterError(
      message('choleskyFactor', 'jitter must be a finite non-negative number', '>= 0', describeValue(jitter)),
    );
  }
  const n = a.rows;
  const l = new Matrix(n, n);
  const pivot = getBackend().cholesky(a.data, n, l.data, jitter);
  if (pivot >= 0) {
    throw new ValueError(
      message(
        'choleskyFactor',
        `matrix is not positive definite (pivot ${pivot} is not positive${jitter > 0 ? ` with jitter ${jitter}` : ''})`,
        'a symmetric positive-definite matrix (try a larger jitter)',
        `a non-positive pivot at index ${pivot}`,
      ),
    );
  }
  return l;
}
