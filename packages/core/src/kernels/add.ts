/**
 * Element-wise sum `out = x + y` over n elements (out may alias x or y). Allocates nothing; checks nothing.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * add(2, new Float64Array([1, 2]), 0, new Float64Array([10, 20]), 0, out, 0); // out = [11, 22]
 * ```
 */
export function add(
  n: number,
  x: Float64Array,
  xOff: number,
  y: Float64Array,
  yOff: number,
  out: Float64Array,
  outOff: number,
): void {
  for (let i = 0; i < n; i++) out[outOff + i] = (x[xOff + i] as number) + (y[yOff + i] as number);
}
