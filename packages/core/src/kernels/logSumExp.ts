/**
 * Stable `log Σ exp(x_i)` over n elements of `x` from `off` (default: the whole array): the maximum is
 * factored out, so large inputs do not overflow and very negative ones do not all underflow to log 0.
 * Returns −Infinity when every element is −Infinity (or n is 0), +Infinity if any is +Infinity, and NaN if
 * any is NaN. Allocates nothing; checks nothing.
 *
 * @example
 * ```ts
 * logSumExp([1000, 1000]); // 1000 + log 2
 * logSumExp(new Float64Array([0, -Infinity])); // 0
 * ```
 */
export function logSumExp(x: ArrayLike<number>, off = 0, n: number = x.length - off): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = off; i < off + n; i++) {
    const v = x[i] as number;
    if (v > max) max = v;
    else if (Number.isNaN(v)) return Number.NaN;
  }
  if (max === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY) return max;
  let s = 0;
  for (let i = off; i < off + n; i++) s += Math.exp((x[i] as number) - max);
  return max + Math.log(s);
}
