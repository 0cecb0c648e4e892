import { describeValue, message, ParameterError } from '../errors.js';
import { type ConformalCount, checkParts, pmfOfChecked } from './falseAlarmCountPmf.js';

/**
 * The counts of flagged normal events that sampling alone explains (see {@link falseAlarmRange}).
 */
export interface FalseAlarmRange {
  /** Lower end: the smallest count c with P(X ≤ c) ≥ (1 − level)/2. */
  readonly low: number;
  /** Upper end: the smallest count c with P(X ≤ c) ≥ 1 − (1 − level)/2. */
  readonly high: number;
  /** E[X] = Σ m·k/(n + 1) (at most α·m for a threshold set for rate α). */
  readonly mean: number;
  /** The probability the range was built for. */
  readonly level: number;
}

/**
 * The central range of flagged-event counts that sampling alone explains when the calibration energies and
 * the later normal events are exchangeable: X, the number of m events above the k-th largest of n
 * calibration energies, is Beta-Binomial(m, k, n + 1 − k) (summed over independent thresholds; see
 * {@link falseAlarmCountPmf}), and the range [low, high] holds X with probability at least `level`
 * (at most (1 − level)/2 below `low`, at most (1 − level)/2 above `high`). An observed count outside it
 * points at something sampling does not explain — later events that differ from the calibration ones.
 * Divide by m·α for the range of observed ÷ requested rate.
 *
 * @param parts - one threshold, or several independent ones whose counts are summed.
 * @param level - the central probability, in (0, 1); default 0.95.
 * @returns `{ low, high, mean, level }` in counts.
 * @throws ParameterError for invalid parts (see {@link falseAlarmCountPmf}) or a level outside (0, 1).
 *
 * @example
 * ```ts
 * // rate 0.001 on 10,980 calibration energies (k = 10) and 19,504 normal test events
 * falseAlarmRange({ calibration: 10_980, rank: 10, events: 19_504 }); // { low: 6, high: 34, mean: 17.8, … }
 * ```
 */
export function falseAlarmRange(
  parts: ConformalCount | readonly ConformalCount[],
  level = 0.95,
): FalseAlarmRange {
  const api = 'falseAlarmRange';
  const list = checkParts(parts, api);
  if (typeof level !== 'number' || !(level > 0 && level < 1)) {
    throw new ParameterError(
      message(api, 'level is out of range', 'a number in (0, 1)', describeValue(level)),
    );
  }
  const pmf = pmfOfChecked(list);
  const tail = (1 - level) / 2;
  let low = -1;
  let high = pmf.length - 1;
  let cdf = 0;
  for (let x = 0; x < pmf.length; x++) {
    cdf += pmf[x] as number;
    if (low < 0 && cdf >= tail) low = x;
    if (cdf >= 1 - tail) {
      high = x;
      break;
    }
  }
  const mean = list.reduce((s, p) => s + (p.events * p.rank) / (p.calibration + 1), 0);
  return { low: Math.max(0, low), high, mean, level };
}
