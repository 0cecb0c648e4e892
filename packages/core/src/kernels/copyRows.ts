/**
 * Minibatch gather: `dst[dstOff + r·d …]` = row `order[from + r]` of the row-major `src` (d values per row),
 * for r < rows. The JavaScript counterpart of the WebAssembly kernel `gatherRowsF32`; each row is one typed-
 * array copy (a loop over the values cost two to three times as much).
 *
 * Complexity: O(rows · d).
 *
 * @example
 * ```ts
 * copyRows(data, 64, order, b0, 256, batch, 0); // the minibatch of rows order[b0 … b0+255]
 * ```
 */
export function copyRows(
  src: Float32Array,
  d: number,
  order: ArrayLike<number>,
  from: number,
  rows: number,
  dst: Float32Array,
  dstOff: number,
): void {
  for (let r = 0; r < rows; r++) {
    const s = (order[from + r] as number) * d;
    dst.set(src.subarray(s, s + d), dstOff + r * d);
  }
}
