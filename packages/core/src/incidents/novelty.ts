/**
 * How surprising it is that an entity has an incident at all, given its own incident rate so far.
 *
 * @module
 */
import { describeValue, message, ValueError } from '../errors.js';

/** Seconds per day. */
export const DAY_SECONDS = 86400;

/**
 * The novelty term of an incident score: −log₁₀ P(an entity has at least one incident in a day) under a
 * Poisson rate λ = (c + ½) / (d + 1) incidents per day, where c is how many earlier incidents the entity
 * had and d how many days of history there were (the ½ and the 1 are a weak prior: an entity with no
 * history at all gets λ = ½, about 0.4). An entity with an incident most days (a service account, a busy
 * jump host) scores near 0; one that had no incident in a week of history scores about 1.16. The
 * incident score adds it to Fisher's −log₁₀ combined p-value, so of two incidents with equally unusual
 * events, the one from the entity that is rarely flagged ranks first.
 *
 * @param earlier - earlier incidents of the entity (c ≥ 0).
 * @param days - days of history (d ≥ 0).
 * @returns −log₁₀(1 − e^(−λ)) ≥ 0.
 * @example
 * ```ts
 * incidentNovelty(0, 0); // 0.41: no history
 * incidentNovelty(0, 6); // 1.16: a week without an incident
 * incidentNovelty(12, 3); // 0.02: about three a day
 * ```
 */
export function incidentNovelty(earlier: number, days: number): number {
  const api = 'incidentNovelty';
  if (typeof earlier !== 'number' || !(earlier >= 0) || !Number.isFinite(earlier))
    throw new ValueError(message(api, 'earlier must be a count', 'a number ≥ 0', describeValue(earlier)));
  if (typeof days !== 'number' || !(days >= 0) || !Number.isFinite(days))
    throw new ValueError(message(api, 'days must be a duration', 'a number ≥ 0', describeValue(days)));
  const rate = (earlier + 0.5) / (days + 1);
  return -Math.log10(-Math.expm1(-rate));
}
