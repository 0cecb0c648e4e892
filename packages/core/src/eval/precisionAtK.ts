import { describeValue, message, ParameterError } from '../errors.js';
import { type BinaryLabels, splitByClass } from './validate.js';

/**
 * Precision at k: the fraction of positives among the k highest-scoring samples — for an analyst who
 * reviews the top k alerts, the share that are real. When the k-th place falls inside a group of tied
 * scores, the group contributes its positives in proportion to the places left (the mean over every
 * order of the tied samples), so the result does not depend on the input order.
 *
 * Complexity: O(n) split, O(n) radix sort of each class, then a walk over the top k.
 *
 * A single class is allowed (the result is then 0 or 1).
 *
 * @param labels - 0/1 (or false/true) ground truth, 1 = positive (anomaly).
 * @param scores - one finite score per sample; higher = more likely positive.
 * @param k - how many top-scoring samples to inspect, an integer in [1, n].
 * @returns the precision in [0, 1].
 * @throws ParameterError if k is not an integer in [1, n]; ShapeError if the inputs are empty or differ in
 *   length; ValueError for a label other than 0/1/true/false or a non-finite score.
 *
 * @example
 * ```ts
 * precisionAtK([0, 1, 1, 0, 1], [0.1, 0.9, 0.8, 0.7, 0.2], 3); // 0.6667 (2 of the top 3)
 * precisionAtK([1, 0], [0.5, 0.5], 1); // 0.5 (the tie splits the one place)
 * ```
 */
export function precisionAtK(labels: BinaryLabels, scores: ArrayLike<number>, k: number): number {
  const { pos, neg } = splitByClass(labels, scores, 'precisionAtK', false);
  const n = pos.length + neg.length;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > n) {
    throw new ParameterError(
      message('precisionAtK', 'k must be an integer in [1, n]', `1 ≤ k ≤ ${n}`, describeValue(k)),
    );
  }
  let i = pos.length - 1;
  let j = neg.length - 1;
  let taken = 0;
  let hits = 0;
  while (taken < k) {
    const a = i >= 0 ? (pos[i] as number) : Number.NEGATIVE_INFINITY;
    const b = j >= 0 ? (neg[j] as number) : Number.NEGATIVE_INFINITY;
    const v = Math.max(a, b);
    let gp = 0;
    let gn = 0;
    while (i >= 0 && pos[i] === v) {
      gp++;
      i--;
    }
    while (j >= 0 && neg[j] === v) {
      gn++;
      j--;
    }
    const room = k - taken;
    if (gp + gn <= room) {
      hits += gp;
      taken += gp + gn;
    } else {
      hits += (gp * room) / (gp + gn);
      taken = k;
    }
  }
  return hits / k;
}
