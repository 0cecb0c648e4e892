import { describeValue, InputTypeError, message, ShapeError, ValueError } from '../errors.js';
import { sortFloat64 } from './sortFloat64.js';

/**
 * Ground-truth labels of a binary problem: `1` or `true` marks a positive (an anomaly, an attack), `0` or
 * `false` a negative (normal). Any other value is rejected.
 *
 * @example
 * ```ts
 * const labels: BinaryLabels = [0, 0, 1, 0];
 * const same: BinaryLabels = [false, false, true, false];
 * ```
 */
export type BinaryLabels = ArrayLike<number> | ArrayLike<boolean>;

/**
 * Scores split by class, each sorted ascending (internal).
 *
 * @example
 * ```ts
 * const { pos, neg }: ClassSplit = splitByClass([0, 1], [0.2, 0.7], 'rocAuc', true);
 * ```
 * @internal
 */
export interface ClassSplit {
  /** Scores of the positives, ascending. */
  readonly pos: Float64Array;
  /** Scores of the negatives, ascending. */
  readonly neg: Float64Array;
}

function checkArrayLike(x: unknown, api: string, what: string): asserts x is ArrayLike<unknown> {
  if (x === null || typeof x !== 'object' || typeof (x as { length?: unknown }).length !== 'number') {
    throw new InputTypeError(
      message(api, `${what} must be an array`, 'an array-like of numbers', describeValue(x)),
    );
  }
}

/**
 * Checks that labels and scores are arrays of the same, non-zero length and returns that length.
 *
 * @example
 * ```ts
 * checkLengths([0, 1], [0.2, 0.9], 'confusionAt'); // 2
 * ```
 * @internal
 */
export function checkLengths(labels: BinaryLabels, scores: ArrayLike<number>, api: string): number {
  checkArrayLike(labels, api, 'labels');
  checkArrayLike(scores, api, 'scores');
  const n = labels.length;
  if (scores.length !== n) {
    throw new ShapeError(
      message(api, 'labels and scores differ in length', `${n} scores`, `${scores.length}`),
    );
  }
  if (n === 0) throw new ShapeError(message(api, 'empty input', 'at least one sample', '0 samples'));
  return n;
}

/**
 * Reads label i: true for 1/true, false for 0/false, a `ValueError` otherwise.
 *
 * @example
 * ```ts
 * isPositive(1, 0, 'rocAuc'); // true
 * ```
 * @internal
 */
export function isPositive(l: unknown, i: number, api: string): boolean {
  if (l === 1 || l === true) return true;
  if (l === 0 || l === false) return false;
  throw new ValueError(message(api, `invalid label at index ${i}`, '0, 1, true or false', describeValue(l)));
}

/**
 * Reads score i: the number itself (−0 as +0), an `InputTypeError` for a non-number, a `ValueError` for
 * NaN or ±Infinity.
 *
 * @example
 * ```ts
 * finiteScore(0.5, 0, 'rocAuc'); // 0.5
 * ```
 * @internal
 */
export function finiteScore(v: unknown, i: number, api: string): number {
  if (typeof v !== 'number') {
    throw new InputTypeError(
      message(api, `score at index ${i} is not a number`, 'a finite number', describeValue(v)),
    );
  }
  if (v - v !== 0) {
    throw new ValueError(message(api, `non-finite score at index ${i}`, 'a finite number', String(v)));
  }
  return v + 0;
}

/**
 * Throws a `ValueError` unless both classes are present.
 *
 * @example
 * ```ts
 * requireBothClasses(3, 10, 'rocAuc'); // fine
 * ```
 * @internal
 */
export function requireBothClasses(nPos: number, n: number, api: string): void {
  if (nPos === 0 || nPos === n) {
    throw new ValueError(
      message(
        api,
        'only one class present in labels',
        'both positives (1) and negatives (0)',
        nPos === 0 ? `${n} negatives and no positive` : `${n} positives and no negative`,
      ),
    );
  }
}

/**
 * Validates labels and scores at a metric's public boundary and returns the scores split by class, each
 * sorted ascending (−0 is read as +0). Throws `InputTypeError` for non-arrays, `ShapeError` for empty input
 * or a length mismatch, `ValueError` for a label other than 0/1/true/false, a non-finite score, or (with
 * `requireBoth`) a single class. O(n) plus the sort.
 *
 * @example
 * ```ts
 * splitByClass([0, 1, 1], [0.2, 0.9, 0.4], 'rocAuc', true); // { pos: [0.4, 0.9], neg: [0.2] }
 * ```
 * @internal
 */
export function splitByClass(
  labels: BinaryLabels,
  scores: ArrayLike<number>,
  api: string,
  requireBoth: boolean,
): ClassSplit {
  const n = checkLengths(labels, scores, api);
  const buf = new Float64Array(n);
  let p = 0;
  let q = n;
  for (let i = 0; i < n; i++) {
    const v = finiteScore(scores[i], i, api);
    if (isPositive(labels[i], i, api)) buf[p++] = v;
    else buf[--q] = v;
  }
  if (requireBoth) requireBothClasses(p, n, api);
  const pos = buf.subarray(0, p);
  const neg = buf.subarray(p);
  sortFloat64(pos);
  sortFloat64(neg);
  return { pos, neg };
}

/**
 * Cumulative counts at each distinct score, from the highest score down (internal).
 *
 * @example
 * ```ts
 * const c: CumulativeCounts = cumulativeCounts(Float64Array.of(0.7), Float64Array.of(0.2)); // tps [1, 1], fps [0, 1]
 * ```
 * @internal
 */
export interface CumulativeCounts {
  /** Distinct scores, descending. */
  readonly thresholds: Float64Array;
  /** Positives with score ≥ thresholds[k]. */
  readonly tps: Float64Array;
  /** Negatives with score ≥ thresholds[k]. */
  readonly fps: Float64Array;
}

/**
 * Walks both sorted classes from the top and returns, for every distinct score (descending), how many
 * positives and negatives score at least that much. O(n).
 *
 * @example
 * ```ts
 * cumulativeCounts(Float64Array.of(0.4, 0.9), Float64Array.of(0.4)); // thresholds [0.9, 0.4], tps [1, 2], fps [0, 1]
 * ```
 * @internal
 */
export function cumulativeCounts(pos: Float64Array, neg: Float64Array): CumulativeCounts {
  const n = pos.length + neg.length;
  const thr = new Float64Array(n);
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  let i = pos.length - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let k = 0;
  while (i >= 0 || j >= 0) {
    const a = i >= 0 ? (pos[i] as number) : Number.NEGATIVE_INFINITY;
    const b = j >= 0 ? (neg[j] as number) : Number.NEGATIVE_INFINITY;
    const v = Math.max(a, b);
    while (i >= 0 && pos[i] === v) {
      tp++;
      i--;
    }
    while (j >= 0 && neg[j] === v) {
      fp++;
      j--;
    }
    thr[k] = v;
    tps[k] = tp;
    fps[k] = fp;
    k++;
  }
  return { thresholds: thr.slice(0, k), tps: tps.slice(0, k), fps: fps.slice(0, k) };
}
