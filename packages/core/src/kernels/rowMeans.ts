import { rowSums } from './rowSums.js';

/**
 * Means of each row of the m×n row-major matrix `a` into `out` (length ≥ m); NaN when n is 0.
 * Allocates nothing; checks nothing.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * rowMeans(new Float64Array([1, 2, 3, 4]), 2, 2, out); // out = [1.5, 3.5]
 * ```
 */
export function rowMeans(a: Float64Array, m: number, n: number, out: Float64Array): void {
  rowSums(a, m, n, out);
  for (let i = 0; i < m; i++) out[i] = (out[i] as number) / n;
}
