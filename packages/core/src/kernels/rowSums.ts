/**
 * Sums of each row of the m×n row-major matrix `a` into `out` (length ≥ m). Allocates nothing; checks
 * nothing.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * rowSums(new Float64Array([1, 2, 3, 4]), 2, 2, out); // out = [3, 7]
 * ```
 */
export function rowSums(a: Float64Array, m: number, n: number, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    let s = 0;
    const end = (i + 1) * n;
    for (let k = i * n; k < end; k++) s += a[k] as number;
    out[i] = s;
  }
}
