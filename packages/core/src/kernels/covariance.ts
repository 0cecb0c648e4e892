import { columnMeans } from './columnStats.js';
import { comoment } from './comoment.js';

/**
 * Column means and covariance of the m×n row-major data `x` (rows are samples, columns features).
 *
 * Numerically careful, in two passes: the mean is computed and then corrected by the mean residual
 * (`μ += Σ(x − μ)/m`), and the covariance is formed from centred values, `Σ (x − μ)ᵀ(x − μ) / (m − ddof)`
 * ({@link comoment}: blocks of centred rows, lower triangle only), so there is no `E[x²] − E[x]²` cancellation. The result
 * is exactly symmetric. `mean` receives n values and `cov` n×n row-major values. Allocates only
 * {@link comoment}'s reused scratch block; checks nothing (m − ddof must be positive).
 *
 * Cost: about m·n² flops.
 *
 * @example
 * ```ts
 * const mean = new Float64Array(2);
 * const cov = new Float64Array(4);
 * covariance(new Float64Array([1, 2, 3, 6]), 2, 2, mean, cov, 1); // mean = [2, 4], cov = [2, 4, 4, 8]
 * ```
 */
export function covariance(
  x: Float64Array,
  m: number,
  n: number,
  mean: Float64Array,
  cov: Float64Array,
  ddof: number,
): void {
  columnMeans(x, m, n, mean, cov); // the covariance output doubles as scratch for the residual sums
  // Pass 2: the co-moment of the centred rows (a blocked SYRK), then scaled.
  comoment(x, m, n, mean, 0, null, 0, 1, cov, 0);
  const inv = 1 / (m - ddof);
  for (let k = 0; k < n * n; k++) cov[k] = (cov[k] as number) * inv;
}
