import { type BinaryLabels, splitByClass } from './validate.js';

/**
 * Area under the ROC curve: the probability that a randomly chosen positive scores higher than a randomly
 * chosen negative, a tie counting one half —
 * AUC = (1 / (P·N)) · Σ over positive i, negative j of ([s_i > s_j] + ½·[s_i = s_j]).
 * This equals the trapezoidal area under the ROC curve with tied scores collapsed into one point, which is
 * what scikit-learn's `roc_auc_score` computes. Exact: the pair counts are summed as integers (exact up to
 * about 10⁸ samples) and divided once.
 *
 * Complexity: O(n) to split the scores by class, an O(n) radix sort of each class, then one O(n) merge.
 * A million scores take a few tens of milliseconds.
 *
 * Higher scores mean "more likely positive" (for energies: more anomalous).
 *
 * @param labels - 0/1 (or false/true) ground truth, 1 = positive (anomaly).
 * @param scores - one finite score per sample.
 * @returns the AUC in [0, 1]; 0.5 is chance level.
 * @throws ShapeError if the inputs are empty or differ in length; ValueError for a label other than
 *   0/1/true/false, a non-finite score, or labels of a single class; InputTypeError for non-arrays.
 *
 * @example
 * ```ts
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * rocAuc([0, 1], [0.5, 0.5]); // 0.5 (a tie counts one half)
 * ```
 */
export function rocAuc(labels: BinaryLabels, scores: ArrayLike<number>): number {
  const { pos, neg } = splitByClass(labels, scores, 'rocAuc', true);
  const nPos = pos.length;
  const nNeg = neg.length;
  // Walk both sorted classes upwards; for each group of equal scores, its positives beat every negative
  // below the group and tie with the negatives inside it. Twice the count stays an integer.
  let i = 0;
  let j = 0;
  let negBelow = 0;
  let twice = 0;
  while (i < nPos) {
    const v = pos[i] as number;
    while (j < nNeg && (neg[j] as number) < v) j++;
    negBelow = j;
    let tiedNeg = 0;
    while (j + tiedNeg < nNeg && neg[j + tiedNeg] === v) tiedNeg++;
    let tiedPos = 0;
    while (i < nPos && pos[i] === v) {
      tiedPos++;
      i++;
    }
    twice += tiedPos * (2 * negBelow + tiedNeg);
  }
  return twice / (2 * nPos * nNeg);
}
