import { gemm } from './gemm.js';

/** Columns per block: the panel is factorised by the scalar algorithm, everything else by {@link gemm}. */
const NB = 64;

/**
 * Cholesky factorisation `A + jitter·I = L·Lᵀ` of a symmetric positive-definite n×n row-major matrix.
 *
 * Reads only the lower triangle (and diagonal) of `a`; writes the lower-triangular factor into `l` and
 * zeroes its strict upper triangle. `l` may be the same array as `a` (in-place factorisation). Returns −1
 * on success, or the index of the first pivot that is not positive (or not finite); `l` is then only
 * partly written. Allocates nothing beyond the GEMM's packing buffers; checks nothing else.
 *
 * Blocked and left-looking: each block column of NB columns is first updated with one {@link gemm} by
 * all the columns before it (`L[j₀:, J] −= L[j₀:, :j₀]·L[J, :j₀]ᵀ`, where nearly all of the n³/3 flops
 * are), then factorised column by column.
 *
 * Cost: n³/3 flops.
 *
 * @example
 * ```ts
 * const l = new Float64Array(4);
 * cholesky(new Float64Array([4, 2, 2, 5]), 2, l, 0); // −1, l = [2, 0, 1, 2]
 * ```
 */
export function cholesky(a: Float64Array, n: number, l: Float64Array, jitter: number): number {
  if (l !== a) for (let i = 0; i < n; i++) l.set(a.subarray(i * n, i * n + i + 1), i * n);
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = Math.min(n, j0 + NB);
    if (j0 > 0) gemm(false, true, n - j0, j1 - j0, j0, -1, l, j0 * n, n, l, j0 * n, n, 1, l, j0 * n + j0, n);
    for (let j = j0; j < j1; j++) {
      const rj = j * n;
      // Diagonal pivot: a_jj + jitter − Σ_{k<j} l_jk² (the terms k < j₀ were subtracted by the update).
      let d = (l[rj + j] as number) + jitter;
      for (let k = j0; k < j; k++) {
        const v = l[rj + k] as number;
        d -= v * v;
      }
      if (!(d > 0) || d === Number.POSITIVE_INFINITY) return j;
      const ljj = Math.sqrt(d);
      const inv = 1 / ljj;
      // Column j below the diagonal, to the bottom of the matrix.
      for (let i = j + 1; i < n; i++) {
        const ri = i * n;
        let s = l[ri + j] as number;
        for (let k = j0; k < j; k++) s -= (l[ri + k] as number) * (l[rj + k] as number);
        l[ri + j] = s * inv;
      }
      l[rj + j] = ljj;
    }
  }
  for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
  return -1;
}
