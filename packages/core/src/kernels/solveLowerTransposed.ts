/**
 * Back substitution with a transposed lower-triangular factor, in place: solves `Lᵀ·X = B` for X, using
 * the n×n lower-triangular row-major matrix in `l` (its strict upper triangle is ignored) without forming
 * Lᵀ. B is n×nrhs row-major starting at `bOff`; X overwrites B. After {@link solveLower} with the same
 * Cholesky factor L this completes the solve of `(L·Lᵀ)·X = B`. Allocates nothing; checks nothing.
 *
 * Cost: n²·nrhs flops.
 *
 * @example
 * ```ts
 * const b = new Float64Array([4, 4]);
 * solveLowerTransposed(new Float64Array([2, 0, 1, 2]), 2, b, 0, 1); // b = [1.5, 2]
 * ```
 */
export function solveLowerTransposed(
  l: Float64Array,
  n: number,
  b: Float64Array,
  bOff: number,
  nrhs: number,
): void {
  for (let i = n - 1; i >= 0; i--) {
    const bi = bOff + i * nrhs;
    const inv = 1 / (l[i * n + i] as number);
    for (let r = 0; r < nrhs; r++) b[bi + r] = (b[bi + r] as number) * inv;
    // x_i is final: remove its contribution Lᵀ[k][i]·x_i = L[i][k]·x_i from the rows k < i.
    const li = i * n;
    for (let k = 0; k < i; k++) {
      const lik = l[li + k] as number;
      if (lik === 0) continue;
      const bk = bOff + k * nrhs;
      for (let r = 0; r < nrhs; r++) b[bk + r] = (b[bk + r] as number) - lik * (b[bi + r] as number);
    }
  }
}
