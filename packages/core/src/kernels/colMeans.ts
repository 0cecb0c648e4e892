import { colSums } from './colSums.js';

/**
 * Means of each column of the m×n row-major matrix `a` into `out` (length ≥ n); NaN when m is 0.
 * Allocates nothing; checks nothing.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * colMeans(new Float64Array([1, 2, 3, 4]), 2, 2, out); // out = [2, 3]
 * ```
 */
export function colMeans(a: Float64Array, m: number, n: number, out: Float64Array): void {
  colSums(a, m, n, out);
  for (let j = 0; j < n; j++) out[j] = (out[j] as number) / m;
}
