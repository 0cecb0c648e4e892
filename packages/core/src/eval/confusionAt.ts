import { describeValue, message, ParameterError } from '../errors.js';
import { type BinaryLabels, checkLengths, finiteScore, isPositive } from './validate.js';

/**
 * Counts and rates of a binary decision at one threshold.
 */
export interface Confusion {
  /** Positives flagged. */
  readonly tp: number;
  /** Negatives flagged (false alarms). */
  readonly fp: number;
  /** Negatives not flagged. */
  readonly tn: number;
  /** Positives missed. */
  readonly fn: number;
  /** TP / (TP + FP); 0 when nothing is flagged. */
  readonly precision: number;
  /** TP / (TP + FN), the true-positive rate; 0 when there is no positive. */
  readonly recall: number;
  /** FP / (FP + TN), the false-alarm rate; 0 when there is no negative. */
  readonly fpr: number;
  /** 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall; 0 when TP = 0. */
  readonly f1: number;
}

/**
 * The confusion matrix and its usual rates when every sample with score ≥ threshold is flagged (the
 * convention of {@link rocCurve} and {@link prCurve}: confusionAt(labels, scores, thresholds[k]) is
 * point k). A rate whose denominator is zero is reported as 0 (scikit-learn's `zero_division=0`), so a
 * single class is allowed, e.g. to count false alarms on normal-only data.
 *
 * Complexity: O(n), one pass, no sort.
 *
 * @param labels - 0/1 (or false/true) ground truth, 1 = positive (anomaly).
 * @param scores - one finite score per sample; higher = more likely positive.
 * @param threshold - flag when score ≥ threshold; any number but NaN (±Infinity flag nothing / everything).
 * @throws ParameterError for a NaN or non-number threshold; ShapeError if the inputs are empty or differ in
 *   length; ValueError for a label other than 0/1/true/false or a non-finite score.
 *
 * @example
 * ```ts
 * confusionAt([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.35);
 * // { tp: 2, fp: 1, tn: 1, fn: 0, precision: 0.667, recall: 1, fpr: 0.5, f1: 0.8 }
 * ```
 */
export function confusionAt(labels: BinaryLabels, scores: ArrayLike<number>, threshold: number): Confusion {
  const api = 'confusionAt';
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
    throw new ParameterError(
      message(api, 'threshold must be a number', 'a number', describeValue(threshold)),
    );
  }
  const n = checkLengths(labels, scores, api);
  let tp = 0;
  let fp = 0;
  let nPos = 0;
  for (let i = 0; i < n; i++) {
    const flagged = finiteScore(scores[i], i, api) >= threshold;
    if (isPositive(labels[i], i, api)) {
      nPos++;
      if (flagged) tp++;
    } else if (flagged) fp++;
  }
  const fn = nPos - tp;
  const tn = n - nPos - fp;
  return {
    tp,
    fp,
    tn,
    fn,
    precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    recall: nPos > 0 ? tp / nPos : 0,
    fpr: fp + tn > 0 ? fp / (fp + tn) : 0,
    f1: tp > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0,
  };
}
