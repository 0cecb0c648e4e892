import { describeValue, message, ParameterError } from '../errors.js';

/**
 * One conformal threshold and the normal events it was applied to: the threshold is the `rank`-th largest
 * of `calibration` calibration energies (a `Detector` set for rate α on n energies uses rank ⌊α(n + 1)⌋),
 * and `events` normal events were scored against it.
 */
export interface ConformalCount {
  /** n: how many calibration energies the threshold was read from (an integer ≥ 1). */
  readonly calibration: number;
  /** k: the threshold is the k-th largest calibration energy (an integer in [1, n]). */
  readonly rank: number;
  /** m: how many normal events were compared with the threshold (an integer ≥ 0). */
  readonly events: number;
}

/** Largest total event count accepted (the pmf is one double per possible count). */
const MAX_EVENTS = 10_000_000;

/**
 * The distribution of the number of normal events flagged by conformal thresholds when the calibration
 * energies and the later events are exchangeable (i.i.d. normal data, no ties): for one threshold, the
 * count X of m events above the k-th largest of n calibration energies is Beta-Binomial(m, k, n + 1 − k) —
 * the threshold's exceedance probability is Beta(k, n + 1 − k) and, given it, the events are Binomial —
 * whatever the energy's distribution. Its pmf is the negative hypergeometric
 * P(X = x) = C(x + k − 1, x)·C(m − x + n − k, m − x) / C(n + m, m) (the top k of all n + m energies
 * contain exactly x events before the k-th calibration energy). It is computed in log space from
 * P(X = 0) = ∏_{j<k} (n − j)/(n + m − j) and the ratio P(x + 1)/P(x) = (m − x)(x + k) / ((x + 1)(m − x + n − k)):
 * exact up to rounding, no Monte Carlo. Several thresholds (independent seeds pooled) give the sum of
 * independent counts: the convolution of their pmfs (over the counts whose probability is not below the
 * double range).
 *
 * Complexity: O(k + m) per threshold; a convolution costs the product of the two supports' lengths
 * (a few thousand each at m = 20,000 and k = 200).
 *
 * @param parts - one threshold, or several independent ones whose counts are summed.
 * @returns P(total = x) for x = 0 … Σ m.
 * @throws ParameterError when a part is not an object of integers with n ≥ 1, 1 ≤ k ≤ n, m ≥ 0, when
 *   there are no parts, or when Σ m exceeds 10,000,000.
 *
 * @example
 * ```ts
 * // 4 events against the largest of 9 calibration energies: P(none flagged) = 9/13
 * falseAlarmCountPmf({ calibration: 9, rank: 1, events: 4 })[0]; // 0.6923
 * ```
 */
export function falseAlarmCountPmf(parts: ConformalCount | readonly ConformalCount[]): Float64Array {
  return pmfOfChecked(checkParts(parts, 'falseAlarmCountPmf'));
}

/** {@link falseAlarmCountPmf} of parts already checked by {@link checkParts}. @internal */
export function pmfOfChecked(list: readonly ConformalCount[]): Float64Array {
  const total = list.reduce((s, p) => s + p.events, 0);
  let acc = new Float64Array(total + 1);
  let accLen = 0; // acc holds a pmf on 0 … accLen − 1 … (trailing zeros beyond its support)
  let lo = 0;
  let hi = 0;
  for (const p of list) {
    const one = betaBinomialPmf(p.calibration, p.rank, p.events);
    if (accLen === 0) {
      acc.set(one);
      accLen = one.length;
      [lo, hi] = support(acc, accLen);
      continue;
    }
    const [a, b] = support(one, one.length);
    const next = new Float64Array(total + 1);
    for (let i = lo; i <= hi; i++) {
      const pi = acc[i] as number;
      if (pi === 0) continue;
      for (let j = a; j <= b; j++) next[i + j] = (next[i + j] as number) + pi * (one[j] as number);
    }
    acc = next;
    accLen += one.length - 1;
    [lo, hi] = support(acc, accLen);
  }
  return acc;
}

/** Beta-Binomial(m, k, n + 1 − k) pmf on 0 … m, from log P(0) and the ratio of neighbours. */
function betaBinomialPmf(n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(m + 1);
  let lp = 0;
  for (let j = 0; j < k; j++) lp += Math.log(n - j) - Math.log(n + m - j);
  out[0] = Math.exp(lp);
  for (let x = 0; x < m; x++) {
    lp += Math.log(m - x) + Math.log(x + k) - Math.log(x + 1) - Math.log(m - x + n - k);
    out[x + 1] = Math.exp(lp);
  }
  return out;
}

/** First and last index with a non-zero value among the first `len`. */
function support(p: Float64Array, len: number): [number, number] {
  let a = 0;
  while (a < len - 1 && p[a] === 0) a++;
  let b = len - 1;
  while (b > a && p[b] === 0) b--;
  return [a, b];
}

/** Validates one part or a non-empty list of parts (shared with {@link falseAlarmRange}). @internal */
export function checkParts(
  parts: ConformalCount | readonly ConformalCount[],
  api: string,
): readonly ConformalCount[] {
  const list = Array.isArray(parts) ? (parts as readonly ConformalCount[]) : [parts as ConformalCount];
  if (list.length === 0) {
    throw new ParameterError(
      message(api, 'parts is empty', 'at least one { calibration, rank, events }', '[]'),
    );
  }
  let total = 0;
  for (const p of list) {
    if (p === null || typeof p !== 'object') {
      throw new ParameterError(
        message(api, 'a part must be an object', '{ calibration, rank, events }', describeValue(p)),
      );
    }
    const { calibration: n, rank: k, events: m } = p;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
      throw new ParameterError(message(api, 'calibration must be an integer ≥ 1', 'n ≥ 1', describeValue(n)));
    }
    if (typeof k !== 'number' || !Number.isSafeInteger(k) || k < 1 || k > n) {
      throw new ParameterError(
        message(api, 'rank must be an integer in [1, calibration]', `1 ≤ k ≤ ${n}`, describeValue(k)),
      );
    }
    if (typeof m !== 'number' || !Number.isSafeInteger(m) || m < 0) {
      throw new ParameterError(message(api, 'events must be an integer ≥ 0', 'm ≥ 0', describeValue(m)));
    }
    total += m;
  }
  if (total > MAX_EVENTS) {
    throw new ParameterError(
      message(api, 'too many events in total', `at most ${MAX_EVENTS}`, String(total)),
    );
  }
  return list;
}
