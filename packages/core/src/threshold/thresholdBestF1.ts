import { type BinaryLabels, cumulativeCounts, splitByClass } from '../eval/validate.js';
import { between } from './sortedEnergies.js';

/**
 * The F1-optimal threshold and the scores reached at it.
 */
export interface BestF1 {
  /** Flag when score > threshold (equivalently ≥: it lies strictly between two observed scores). */
  readonly threshold: number;
  /** The best F1 = 2·TP / (2·TP + FP + FN). */
  readonly f1: number;
  /** Precision at the threshold. */
  readonly precision: number;
  /** Recall at the threshold. */
  readonly recall: number;
}

/**
 * The threshold maximising F1 on labelled data. Every distinct score t is tried as a cut (flag the
 * samples scoring ≥ t); F1 = 2·TP / (TP + FP + P). Of equally good cuts the strictest (highest) wins. The
 * returned threshold is the midpoint between the chosen score and the next lower distinct score, so
 * "score > threshold" and "score ≥ threshold" give the same flags; it is −Infinity when the best cut
 * flags every sample.
 *
 * Complexity: O(n) split, O(n) radix sort of each class, one O(n) walk.
 *
 * @param labels - 0/1 (or false/true) ground truth, 1 = positive (anomaly).
 * @param scores - one finite score (energy) per sample; higher = more anomalous.
 * @throws ShapeError if the inputs are empty or differ in length; ValueError for a label other than
 *   0/1/true/false, a non-finite score, or labels of a single class; InputTypeError for non-arrays.
 *
 * @example
 * ```ts
 * thresholdBestF1([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // { threshold: 0.225, f1: 0.8, precision: 0.667, recall: 1 }
 * ```
 */
export function thresholdBestF1(labels: BinaryLabels, scores: ArrayLike<number>): BestF1 {
  const { pos, neg } = splitByClass(labels, scores, 'thresholdBestF1', true);
  const c = cumulativeCounts(pos, neg);
  const nPos = pos.length;
  const k = c.thresholds.length;
  let best = 0;
  let bestF1 = -1;
  for (let i = 0; i < k; i++) {
    const tp = c.tps[i] as number;
    const f1 = (2 * tp) / (tp + (c.fps[i] as number) + nPos);
    if (f1 > bestF1) {
      bestF1 = f1;
      best = i;
    }
  }
  const tp = c.tps[best] as number;
  const fp = c.fps[best] as number;
  const v = c.thresholds[best] as number;
  const threshold = best + 1 < k ? between(c.thresholds[best + 1] as number, v) : Number.NEGATIVE_INFINITY;
  return { threshold, f1: bestF1, precision: tp / (tp + fp), recall: tp / nPos };
}
