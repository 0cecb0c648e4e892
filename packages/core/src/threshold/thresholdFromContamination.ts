import { checkOpenUnit, quantileSorted, sortedEnergies } from './sortedEnergies.js';

/**
 * The energy threshold that flags a given fraction of the training data: the (1 − rate)-quantile of the
 * training energies, interpolated linearly between order statistics (numpy's default `method="linear"`,
 * as PyOD's `contamination` uses it). Flag a sample when its energy is strictly above the threshold; on
 * training energies without ties that flags rate·n samples, give or take one.
 *
 * Complexity: O(n) validation and radix sort of a copy, O(1) lookup.
 *
 * @param trainEnergies - energies of the training data (finite numbers).
 * @param rate - the expected share of anomalies (contamination), strictly between 0 and 1.
 * @returns the threshold.
 * @throws ParameterError if rate is not in (0, 1); ShapeError if energies are empty; ValueError for NaN or
 *   ±Infinity; InputTypeError for a non-array.
 *
 * @example
 * ```ts
 * thresholdFromContamination([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.1); // 9.1: flags only the 10
 * ```
 */
export function thresholdFromContamination(trainEnergies: ArrayLike<number>, rate: number): number {
  const api = 'thresholdFromContamination';
  checkOpenUnit(rate, api, 'rate');
  const sorted = sortedEnergies(trainEnergies, api);
  return quantileSorted(sorted, 1 - rate);
}
