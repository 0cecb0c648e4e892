/**
 * `y = α·x + y` over n elements, starting at `xOff` in x and `yOff` in y. Allocates nothing; checks nothing.
 *
 * @example
 * ```ts
 * const y = new Float64Array([1, 1]);
 * axpy(2, 3, new Float64Array([1, 2]), 0, y, 0); // y = [4, 7]
 * ```
 */
export function axpy(
  n: number,
  alpha: number,
  x: Float64Array,
  xOff: number,
  y: Float64Array,
  yOff: number,
): void {
  for (let i = 0; i < n; i++) y[yOff + i] = (y[yOff + i] as number) + alpha * (x[xOff + i] as number);
}
