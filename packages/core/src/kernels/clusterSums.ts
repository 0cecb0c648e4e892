/**
 * Weighted sums of rows by cluster: for r = 0 … rows − 1 in order, `sums[sOff + j·d + t] += w_r · x_{r0+r, t}`
 * for every t, where `j = labels[lOff + r]` and `w_r = weight[wOff + r]` — the update step of k-means
 * (the caller divides by the clusters' masses). Each element is a chain of additions in row order, the same
 * in every backend. `sums` is k×d; a row whose label is outside 0 … k − 1 is skipped (e.g. −1 for a row
 * in no cluster). Checks nothing else.
 *
 * Cost: 2·rows·d flops.
 *
 * @example
 * ```ts
 * const sums = new Float64Array(4);
 * clusterSums(new Float64Array([1, 2, 3, 4]), 0, 2, 2, new Int32Array([1, 1]), 0,
 *   new Float64Array([0.5, 0.5]), 0, sums, 0, 2); // sums = [0, 0, 2, 3]
 * ```
 */
export function clusterSums(
  x: Float64Array,
  r0: number,
  rows: number,
  d: number,
  labels: Int32Array,
  lOff: number,
  weight: Float64Array,
  wOff: number,
  sums: Float64Array,
  sOff: number,
  k: number,
): void {
  for (let r = 0; r < rows; r++) {
    const j = labels[lOff + r] as number;
    if (j < 0 || j >= k) continue;
    const wr = weight[wOff + r] as number;
    const so = sOff + j * d;
    const xo = (r0 + r) * d;
    for (let t = 0; t < d; t++) sums[so + t] = (sums[so + t] as number) + wr * (x[xo + t] as number);
  }
}
