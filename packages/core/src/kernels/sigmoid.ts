/**
 * Logistic sigmoid `1 / (1 + e^(−x))`, stable in both tails: for negative x it is computed as
 * `eˣ / (1 + eˣ)` so that `exp` never overflows and tiny results keep their relative precision.
 *
 * @example
 * ```ts
 * sigmoid(0); // 0.5
 * sigmoid(-800); // ≈ 0 (positive, never NaN)
 * sigmoid(800); // 1
 * ```
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
