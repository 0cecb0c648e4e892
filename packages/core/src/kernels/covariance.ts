import { gemm } from './gemm.js';

/** Rows centred per block before they are multiplied (bounds the scratch buffer to BLOCK×n). */
const BLOCK = 256;
let scratch: Float64Array = new Float64Array(0);

/**
 * Column means and covariance of the m×n row-major data `x` (rows are samples, columns features).
 *
 * Numerically careful, in two passes: the mean is computed and then corrected by the mean residual
 * (`μ += Σ(x − μ)/m`), and the covariance is formed from centred values, `Σ (x − μ)ᵀ(x − μ) / (m − ddof)`
 * (blocks of centred rows fed to {@link gemm}), so there is no `E[x²] − E[x]²` cancellation. The result
 * is exactly symmetric. `mean` receives n values and `cov` n×n row-major values. Allocates only a reused
 * scratch block; checks nothing (m − ddof must be positive).
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
  // Pass 1: mean, then one correction step with the residual sum.
  mean.fill(0, 0, n);
  for (let i = 0; i < m; i++) {
    const r = i * n;
    for (let j = 0; j < n; j++) mean[j] = (mean[j] as number) + (x[r + j] as number);
  }
  for (let j = 0; j < n; j++) mean[j] = (mean[j] as number) / m;
  const corr = cov; // the covariance output doubles as scratch for the residual sums (first n cells)
  corr.fill(0, 0, n);
  for (let i = 0; i < m; i++) {
    const r = i * n;
    for (let j = 0; j < n; j++) corr[j] = (corr[j] as number) + ((x[r + j] as number) - (mean[j] as number));
  }
  for (let j = 0; j < n; j++) mean[j] = (mean[j] as number) + (corr[j] as number) / m;

  // Pass 2: accumulate centred cross products block by block.
  cov.fill(0, 0, n * n);
  const need = Math.min(m, BLOCK) * n;
  if (scratch.length < need) scratch = new Float64Array(need);
  const s = scratch;
  for (let i0 = 0; i0 < m; i0 += BLOCK) {
    const rows = Math.min(m - i0, BLOCK);
    for (let i = 0; i < rows; i++) {
      const src = (i0 + i) * n;
      const dst = i * n;
      for (let j = 0; j < n; j++) s[dst + j] = (x[src + j] as number) - (mean[j] as number);
    }
    gemm(true, false, n, n, rows, 1, s, 0, n, s, 0, n, 1, cov, 0, n);
  }
  const inv = 1 / (m - ddof);
  for (let i = 0; i < n; i++) {
    const d = i * n + i;
    cov[d] = (cov[d] as number) * inv;
    for (let j = i + 1; j < n; j++) {
      const v = (cov[i * n + j] as number) * inv;
      cov[i * n + j] = v;
      cov[j * n + i] = v;
    }
  }
}
