/**
 * Squared Euclidean distances of rows to centres, each summed exactly in column order:
 * `out[outOff + r·k + j] = Σ_{t < d} (x_{r0+r, t} − c_{j, t})²` for rows `r0 … r0+rows−1` of the row-major
 * `x` (d columns) and the k centres `c[cOff …]` (k×d, row-major) — the assignment step of k-means. Every
 * distance is formed term by term in the order t = 0 … d − 1 (no `‖x‖² − 2x·c + ‖c‖²` expansion), so it
 * is the same number however the rows and centres are blocked, and the same in every backend. Checks
 * nothing.
 *
 * Cost: 3·rows·k·d flops.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * centreDistances(new Float64Array([3, 4]), 0, 1, 2, new Float64Array([0, 0, 3, 0]), 0, 2, out, 0);
 * // out = [25, 16]
 * ```
 */
export function centreDistances(
  x: Float64Array,
  r0: number,
  rows: number,
  d: number,
  c: Float64Array,
  cOff: number,
  k: number,
  out: Float64Array,
  outOff: number,
): void {
  for (let r = 0; r < rows; r++) {
    const xo = (r0 + r) * d;
    const o = outOff + r * k;
    for (let j = 0; j < k; j++) {
      const co = cOff + j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = (x[xo + t] as number) - (c[co + t] as number);
        s += v * v;
      }
      out[o + j] = s;
    }
  }
}
