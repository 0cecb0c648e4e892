/**
 * Sums of each column of the m×n row-major matrix `a` into `out` (length ≥ n), reading `a` row by row.
 * Allocates nothing; checks nothing.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * colSums(new Float64Array([1, 2, 3, 4]), 2, 2, out); // out = [4, 6]
 * ```
 */
export function colSums(a: Float64Array, m: number, n: number, out: Float64Array): void {
  out.fill(0, 0, n);
  for (let i = 0; i < m; i++) {
    const r = i * n;
    for (let j = 0; j < n; j++) out[j] = (out[j] as number) + (a[r + j] as number);
  }
}
