import { type BinaryLabels, cumulativeCounts, splitByClass } from './validate.js';

/**
 * The ROC curve: one point per distinct score, from the strictest threshold down.
 */
export interface RocCurve {
  /** False-positive rate FP/N at each point, non-decreasing from 0 to 1. */
  readonly fpr: Float64Array;
  /** True-positive rate (recall) TP/P at each point, non-decreasing from 0 to 1. */
  readonly tpr: Float64Array;
  /**
   * Point k counts the samples with score ≥ thresholds[k]: the distinct scores, descending, after a first
   * point at +Infinity (nothing flagged, fpr = tpr = 0).
   */
  readonly thresholds: Float64Array;
}

/**
 * The receiver operating characteristic: for each distinct score t taken as a threshold (flag when
 * score ≥ t), the false-positive rate FP/N and the true-positive rate TP/P. Tied scores collapse into one
 * point, and a first point (0, 0) at threshold +Infinity is prepended, as scikit-learn's
 * `roc_curve(…, drop_intermediate=False)` does; the trapezoidal area under these points is {@link rocAuc}.
 *
 * Complexity: O(n) split, O(n) radix sort of each class, O(n) merge; the arrays have (number of distinct
 * scores + 1) entries.
 *
 * @param labels - 0/1 (or false/true) ground truth, 1 = positive (anomaly).
 * @param scores - one finite score per sample; higher = more likely positive.
 * @throws ShapeError if the inputs are empty or differ in length; ValueError for a label other than
 *   0/1/true/false, a non-finite score, or labels of a single class; InputTypeError for non-arrays.
 *
 * @example
 * ```ts
 * const { fpr, tpr, thresholds } = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // thresholds [Infinity, 0.8, 0.4, 0.35, 0.1]
 * // fpr        [0,        0,   0.5, 0.5,  1  ]
 * // tpr        [0,        0.5, 0.5, 1,    1  ]
 * ```
 */
export function rocCurve(labels: BinaryLabels, scores: ArrayLike<number>): RocCurve {
  const { pos, neg } = splitByClass(labels, scores, 'rocCurve', true);
  const c = cumulativeCounts(pos, neg);
  const k = c.thresholds.length;
  const fpr = new Float64Array(k + 1);
  const tpr = new Float64Array(k + 1);
  const thresholds = new Float64Array(k + 1);
  thresholds[0] = Number.POSITIVE_INFINITY;
  thresholds.set(c.thresholds, 1);
  const nPos = pos.length;
  const nNeg = neg.length;
  for (let i = 0; i < k; i++) {
    fpr[i + 1] = (c.fps[i] as number) / nNeg;
    tpr[i + 1] = (c.tps[i] as number) / nPos;
  }
  return { fpr, tpr, thresholds };
}
