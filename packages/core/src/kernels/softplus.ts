/**
 * Softplus `log(1 + eˣ)`, computed stably: `max(x, 0) + log1p(e^(−|x|))`, so it equals x for large
 * positive x (no overflow) and eˣ for very negative x (no loss to 0 − 0). NaN in, NaN out.
 *
 * @example
 * ```ts
 * softplus(0); // log 2
 * softplus(1000); // 1000
 * softplus(-1000); // ≈ 0 (exp(−1000) underflows)
 * ```
 */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
