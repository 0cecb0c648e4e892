import { describeValue, message, ParameterError } from '../errors.js';

/** The same slack as `Detector.setFalseAlarmRate`: 0.29·100 = 28.999999999999996 counts as 29. */
const SLACK = 1e-12;

/**
 * How many calibration rows a conformal threshold needs for a false-alarm rate α: with n rows the p-values
 * move in steps of 1/(n + 1), so no row can reach p ≤ α unless α·(n + 1) ≥ 1, i.e. n ≥ 1/α − 1 (99 rows
 * for 0.01, 999 for 0.001). With fewer, `Detector` refuses the rate unless `allowCoarseThreshold` is set.
 *
 * @param falseAlarmRate - the target rate, strictly between 0 and 1.
 * @example
 * ```ts
 * minCalibrationRows(0.01); // 99
 * minCalibrationRows(0.001); // 999
 * ```
 */
export function minCalibrationRows(falseAlarmRate: number): number {
  const a = falseAlarmRate;
  if (typeof a !== 'number' || !(a > 0 && a < 1)) {
    throw new ParameterError(
      message('minCalibrationRows', 'falseAlarmRate is out of range', 'a number in (0, 1)', describeValue(a)),
    );
  }
  let n = Math.max(1, Math.ceil(1 / a) - 1);
  while (Math.floor(a * (n + 1) + SLACK) < 1) n++;
  while (n > 1 && Math.floor(a * n + SLACK) >= 1) n--;
  return n;
}

/**
 * Index j of the conformal rule for n calibration energies and rate α: a row is flagged when at most j of
 * the calibration energies are ≥ its energy (j = ⌊α(n + 1)⌋ − 1; negative when α is out of reach).
 *
 * @example
 * ```ts
 * conformalRank(0.01, 199); // 1
 * ```
 * @internal
 */
export function conformalRank(falseAlarmRate: number, n: number): number {
  return Math.floor(falseAlarmRate * (n + 1) + SLACK) - 1;
}
