/**
 * Fisher's method for combining p-values, in log space.
 *
 * @module
 */
import { describeValue, message, ValueError } from '../errors.js';

/**
 * Fisher's combination of k p-values: X = −2 Σ ln pᵢ, and under k independent uniform p-values
 * X ~ χ² with 2k degrees of freedom, so the combined p-value is P(χ²₂ₖ ≥ X) =
 * e^(−X/2) Σⱼ₍₀…ₖ₋₁₎ (X/2)ʲ / j!. Returned as its natural logarithm (a burst of hundreds of tiny p-values
 * underflows any float), computed term by term with a log-sum-exp. O(k).
 *
 * @param pValues - each in (0, 1]; at least one.
 * @returns the statistic X and ln of the combined p-value (≤ 0).
 * @example
 * ```ts
 * fisherCombined([0.01]).logP; // ln 0.01
 * Math.exp(fisherCombined([0.01, 0.01]).logP); // ≈ 0.00106
 * ```
 */
export function fisherCombined(pValues: ArrayLike<number>): { statistic: number; logP: number } {
  const api = 'fisherCombined';
  const k = pValues.length;
  if (k === 0) throw new ValueError(message(api, 'no p-values to combine', 'at least one', '0'));
  let sumLog = 0;
  for (let i = 0; i < k; i++) {
    const p = pValues[i] as number;
    if (!(p > 0 && p <= 1))
      throw new ValueError(
        message(api, `p-value ${i} is out of range`, 'a number in (0, 1]', describeValue(p)),
      );
    sumLog += Math.log(p);
  }
  return { statistic: -2 * sumLog, logP: fisherLogP(-sumLog, k) };
}

/**
 * ln P(χ²₂ₖ ≥ 2h) for h = −Σ ln pᵢ ≥ 0 and k p-values (no checks: the caller's sums).
 *
 * @example
 * ```ts
 * fisherLogP(-Math.log(0.01), 1); // ln 0.01
 * ```
 */
export function fisherLogP(h: number, k: number): number {
  if (!(h > 0)) return 0;
  // Σⱼ hʲ/j! in log space: the terms grow until j ≈ h, then shrink.
  const logH = Math.log(h);
  let term = 0; // ln(h⁰/0!)
  let max = 0;
  const terms = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    if (j > 0) term += logH - Math.log(j);
    terms[j] = term;
    if (term > max) max = term;
  }
  let s = 0;
  for (let j = 0; j < k; j++) s += Math.exp((terms[j] as number) - max);
  return Math.min(0, -h + max + Math.log(s));
}
