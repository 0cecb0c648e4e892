/**
 * Cholesky factorisation `A + jitter·I = L·Lᵀ` of a symmetric positive-definite n×n row-major matrix.
 *
 * Reads only the lower triangle (and diagonal) of `a`; writes the lower-triangular factor into `l` and
 * zeroes its strict upper triangle. `l` may be the same array as `a` (in-place factorisation). Returns −1
 * on success, or the index of the first pivot that is not positive (or not finite); `l` is then only
 * partly written. Allocates nothing; checks nothing else.
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
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    // Diagonal pivot: a_jj + jitter − Σ_{k<j} l_jk².
    let d = (a[rj + j] as number) + jitter;
    for (let k = 0; k < j; k++) {
      const v = l[rj + k] as number;
      d -= v * v;
    }
    if (!(d > 0) || d === Number.POSITIVE_INFINITY) return j;
    const ljj = Math.sqrt(d);
    const inv = 1 / ljj;
    // Row j of L is complete up to the diagonal; fill column j below it.
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j] as number;
      let k = 0;
      for (; k + 1 < j; k += 2) {
        s -=
          (l[ri + k] as number) * (l[rj + k] as number) +
          (l[ri + k + 1] as number) * (l[rj + k + 1] as number);
      }
      if (k < j) s -= (l[ri + k] as number) * (l[rj + k] as number);
      l[ri + j] = s * inv;
    }
    l[rj + j] = ljj;
  }
  for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
  return -1;
}
