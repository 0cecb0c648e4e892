import { between, checkOpenUnit, sortedEnergies } from './sortedEnergies.js';

/**
 * The lowest energy threshold whose false-positive rate on normal validation data does not exceed a
 * target: with the energies sorted, it flags the m = ⌊targetFpr·n⌋ highest (fewer when the m-th place
 * falls inside a group of tied energies, which cannot be split) and returns the midpoint between the
 * lowest flagged energy and the highest unflagged one, so that "energy > threshold" and
 * "energy ≥ threshold" flag the same validation samples. When even one flag would exceed the target, the
 * maximum energy is returned (nothing is flagged under "energy > threshold").
 *
 * Complexity: O(n) validation and radix sort of a copy, then O(number of ties at the cut).
 *
 * @param normalValidationEnergies - energies of held-out normal data (finite numbers).
 * @param targetFpr - the tolerated false-alarm rate, strictly between 0 and 1.
 * @returns the threshold; the validation false-positive rate at it is ≤ targetFpr.
 * @throws ParameterError if targetFpr is not in (0, 1); ShapeError if energies are empty; ValueError for NaN
 *   or ±Infinity; InputTypeError for a non-array.
 *
 * @example
 * ```ts
 * thresholdForFpr([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.2); // 8.5: flags 9 and 10, an FPR of 0.2
 * ```
 */
export function thresholdForFpr(normalValidationEnergies: ArrayLike<number>, targetFpr: number): number {
  const api = 'thresholdForFpr';
  checkOpenUnit(targetFpr, api, 'targetFpr');
  const x = sortedEnergies(normalValidationEnergies, api);
  const n = x.length;
  // A relative slack keeps e.g. 0.29·100 = 28.999999999999996 at 29 flags.
  const m = Math.min(n - 1, Math.floor(targetFpr * n * (1 + 1e-12)));
  let cut = n - m; // first flagged index
  while (cut < n && x[cut] === x[cut - 1]) cut++;
  if (cut >= n) return x[n - 1] as number;
  return between(x[cut - 1] as number, x[cut] as number);
}
