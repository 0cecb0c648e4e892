/**
 * `x = α·x` in place over n elements starting at `xOff`. Allocates nothing; checks nothing.
 *
 * @example
 * ```ts
 * const x = new Float64Array([1, 2]);
 * scal(2, 0.5, x, 0); // x = [0.5, 1]
 * ```
 */
export function scal(n: number, alpha: number, x: Float64Array, xOff: number): void {
  for (let i = xOff; i < xOff + n; i++) x[i] = alpha * (x[i] as number);
}
