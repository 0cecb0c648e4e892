/**
 * Log-determinant of `L·Lᵀ` from its n×n lower-triangular Cholesky factor: `2·Σ log L_ii`. Summing logs
 * avoids the overflow and underflow of multiplying the diagonal. Allocates nothing; checks nothing.
 *
 * @example
 * ```ts
 * logDetCholesky(new Float64Array([2, 0, 1, 2]), 2); // 2·(log 2 + log 2) = log 16
 * ```
 */
export function logDetCholesky(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i] as number);
  return 2 * s;
}
