import { describeValue, message, ParameterError, ShapeError } from '../errors.js';
import { getBackend } from '../kernels/backend.js';
import { Matrix } from '../matrix/Matrix.js';
import { requireMatrix } from './validate.js';

/**
 * Options of {@link covarianceMatrix}.
 */
export interface CovarianceOptions {
  /** Delta degrees of freedom: the divisor is `rows − ddof`. Default 1 (the unbiased estimate). */
  readonly ddof?: number;
}

/**
 * Result of {@link covarianceMatrix}.
 */
export interface CovarianceResult {
  /** Column means (length = columns). */
  readonly mean: Float64Array;
  /** Covariance matrix (columns × columns), exactly symmetric. */
  readonly cov: Matrix;
}

/**
 * Column means and covariance matrix of `x` (rows are samples), computed in two numerically careful
 * passes (see the {@link covariance} kernel). Needs more rows than `ddof`; a non-integer or negative
 * `ddof` is a {@link ParameterError}.
 *
 * Cost: about rows·cols² flops.
 *
 * @example
 * ```ts
 * const { mean, cov } = covarianceMatrix(new Matrix(2, 2, new Float64Array([1, 2, 3, 6])));
 * // mean = [2, 4], cov = [[2, 4], [4, 8]]
 * ```
 */
export function covarianceMatrix(x: Matrix, options: CovarianceOptions = {}): CovarianceResult {
  requireMatrix('covarianceMatrix', 'x', x);
  const ddof = options.ddof ?? 1;
  if (typeof ddof !== 'number' || !Number.isInteger(ddof) || ddof < 0) {
    throw new ParameterError(
      message(
        'covarianceMatrix',
        'ddof must be a non-negative integer',
        'an integer >= 0',
        describeValue(ddof),
      ),
    );
  }
  if (x.rows <= ddof) {
    throw new ShapeError(
      message('covarianceMatrix', `too few rows for ddof ${ddof}`, `more than ${ddof} rows`, `${x.rows}`),
    );
  }
  const n = x.cols;
  const mean = new Float64Array(n);
  const cov = new Matrix(n, n);
  getBackend().covariance(x.data, x.rows, n, mean, cov.data, ddof);
  return { mean, cov };
}
