import { type BinaryLabels, cumulativeCounts, splitByClass } from './validate.js';

/**
 * The precision–recall curve: one point per distinct score, from the strictest threshold down.
 */
export interface PrCurve {
  /** Precision TP/(TP+FP) at each point. */
  readonly precision: Float64Array;
  /** Recall TP/P at each point, non-decreasing up to 1. */
  readonly recall: Float64Array;
  /** Point k counts the samples with score ≥ thresholds[k]: the distinct scores, descending. */
  readonly thresholds: Float64Array;
}

/**
 * The precision–recall curve: for each distinct score t taken as a threshold (flag when score ≥ t), from
 * the highest down, precision = TP/(TP+FP) and recall = TP/P. Tied scores collapse into one point. Unlike
 * scikit-learn's `precision_recall_curve`, the points run from the strictest threshold down (the order of
 * {@link rocCurve}), no artificial (recall 0, precision 1) end point is added and the curve is not cut at
 * full recall; {@link averagePrecision} is Σₖ (recall[k] − recall[k−1])·precision[k] with recall[−1] = 0.
 *
 * Complexity: O(n) split, O(n) radix sort of each class, O(n) merge; the arrays have one entry per
 * distinct score.
 *
 * @param labels - 0/1 (or false/true) ground truth, 1 = positive (anomaly).
 * @param scores - one finite score per sample; higher = more likely positive.
 * @throws ShapeError if the inputs are empty or differ in length; ValueError for a label other than
 *   0/1/true/false, a non-finite score, or labels of a single class; InputTypeError for non-arrays.
 *
 * @example
 * ```ts
 * const { precision, recall, thresholds } = prCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // thresholds [0.8, 0.4, 0.35, 0.1]
 * // precision  [1,   0.5, 0.667, 0.5]
 * // recall     [0.5, 0.5, 1,     1  ]
 * ```
 */
export function prCurve(labels: BinaryLabels, scores: ArrayLike<number>): PrCurve {
  const { pos, neg } = splitByClass(labels, scores, 'prCurve', true);
  const c = cumulativeCounts(pos, neg);
  const k = c.thresholds.length;
  const precision = new Float64Array(k);
  const recall = new Float64Array(k);
  const nPos = pos.length;
  for (let i = 0; i < k; i++) {
    const tp = c.tps[i] as number;
    precision[i] = tp / (tp + (c.fps[i] as number));
    recall[i] = tp / nPos;
  }
  return { precision, recall, thresholds: c.thresholds };
}
