import { type BinaryLabels, splitByClass } from './validate.js';

/**
 * Average precision, not interpolated (scikit-learn's `average_precision_score`):
 * AP = Σₖ (Rₖ − Rₖ₋₁) · Pₖ, summed over the distinct scores taken as thresholds from the highest down,
 * where Pₖ and Rₖ are the precision and recall when every sample scoring at least the k-th threshold is
 * flagged, and R₀ = 0. Tied scores enter together, as one threshold. It summarises the precision–recall
 * curve as the mean precision reached at each recall level, weighted by the recall gained there.
 *
 * Complexity: O(n) split by class, O(n) radix sort of each class, one O(n) merge.
 *
 * @param labels - 0/1 (or false/true) ground truth, 1 = positive (anomaly).
 * @param scores - one finite score per sample; higher = more likely positive.
 * @returns AP in (0, 1]; the prevalence of positives is chance level.
 * @throws ShapeError if the inputs are empty or differ in length; ValueError for a label other than
 *   0/1/true/false, a non-finite score, or labels of a single class; InputTypeError for non-arrays.
 *
 * @example
 * ```ts
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333… = ½·1 + ½·⅔
 * ```
 */
export function averagePrecision(labels: BinaryLabels, scores: ArrayLike<number>): number {
  const { pos, neg } = splitByClass(labels, scores, 'averagePrecision', true);
  const nPos = pos.length;
  let i = nPos - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let sum = 0;
  // Only thresholds that add positives change recall, so walk the positives' distinct scores downwards.
  while (i >= 0) {
    const v = pos[i] as number;
    const before = tp;
    while (i >= 0 && pos[i] === v) {
      tp++;
      i--;
    }
    while (j >= 0 && (neg[j] as number) >= v) {
      fp++;
      j--;
    }
    sum += ((tp - before) / nPos) * (tp / (tp + fp));
  }
  return sum;
}
