/**
 * The calibration hold-out of a trained pipeline, in one place: which events calibrate the threshold and
 * how they are featurized. Training in bounded memory reuses {@link calibrationHoldout} (the hold-out is
 * the last events of the training stream, so it can be buffered as the stream goes).
 *
 * The rule: the events are put in the order the featurizer processes them (time order, through the
 * reordering window); the **most recent** `round(calibrationFraction · n)` of them are held back. The
 * featurizer learns its vocabularies, frequencies and first-seen sets from the earlier events only, and the
 * hold-out is then featurized the way a later scoring run sees new events: long-term state (first-seen
 * sets, frequencies) carried over, short-term state (windows, rates, gaps) starting empty. So calibration
 * rows resemble the rows `ebm score` produces later: not in-sample for the featurizer (a random share would
 * be: its pairs and frequencies were counted while fitting), not from the cold first days of the
 * training stream, and from the days closest to the ones scored next.
 *
 * @module
 */
import {
  describeValue,
  type Matrix,
  message,
  minCalibrationRows,
  ParameterError,
  ValueError,
} from '@nexus/ebm-core';
import type { FeaturePipeline } from '@nexus/ebm-features';

/**
 * The default share of training events held back for calibration.
 *
 * @example
 * ```ts
 * calibrationHoldout(10_000, DEFAULT_CALIBRATION_FRACTION); // { fit: 8000, calibration: 2000 }
 * ```
 */
export const DEFAULT_CALIBRATION_FRACTION = 0.2;

/**
 * The fewest events a pipeline trains on (`trainPipeline`, `trainPipelineStream`, `ebm train`).
 *
 * @example
 * ```ts
 * if (events.length < MIN_TRAINING_EVENTS) console.error('collect more events first');
 * ```
 */
export const MIN_TRAINING_EVENTS = 10;

/**
 * How many of `nEvents` (in processing order) fit the featurizer and model, and how many — the last ones —
 * calibrate the threshold.
 *
 * @param nEvents - training events.
 * @param fraction - share held back, in (0, 1).
 * @example
 * ```ts
 * calibrationHoldout(300, 0.2); // { fit: 240, calibration: 60 }
 * ```
 */
export function calibrationHoldout(nEvents: number, fraction: number): { fit: number; calibration: number } {
  const api = 'calibrationHoldout';
  checkCalibrationFraction(api, fraction);
  if (!Number.isInteger(nEvents) || nEvents < 0) {
    throw new ParameterError(
      message(api, 'nEvents must be a count', 'an integer ≥ 0', describeValue(nEvents)),
    );
  }
  const calibration = Math.round(fraction * nEvents);
  return { fit: nEvents - calibration, calibration };
}

/**
 * The fewest training events whose hold-out reaches a false-alarm rate: `minCalibrationRows(rate)` held
 * back with `fraction` (493 events for 0.01 with 0.2; 4,993 for 0.001).
 *
 * @example
 * ```ts
 * minTrainingEvents(0.01, 0.2); // 493
 * ```
 */
export function minTrainingEvents(falseAlarmRate: number, fraction: number): number {
  const need = minCalibrationRows(falseAlarmRate);
  checkCalibrationFraction('minTrainingEvents', fraction);
  let n = Math.ceil(need / fraction);
  while (n > 1 && Math.round(fraction * (n - 1)) >= need) n--;
  while (Math.round(fraction * n) < need) n++;
  return n;
}

/**
 * Refuses a training set whose hold-out cannot reach the false-alarm rate (before anything is fitted),
 * unless a coarser threshold is accepted.
 *
 * @example
 * ```ts
 * checkHoldoutSize('trainPipeline', events.length, 0.01, 0.2, false);
 * ```
 */
export function checkHoldoutSize(
  api: string,
  nEvents: number,
  falseAlarmRate: number,
  fraction: number,
  allowCoarseThreshold: boolean,
): void {
  if (allowCoarseThreshold) return;
  const { calibration } = calibrationHoldout(nEvents, fraction);
  const need = minCalibrationRows(falseAlarmRate);
  if (calibration >= need) return;
  throw new ValueError(
    message(
      api,
      `too few events to calibrate a false-alarm rate of ${falseAlarmRate}: with n held-back events no p-value is below 1/(n + 1), so nothing could ever be flagged`,
      `at least ${minTrainingEvents(falseAlarmRate, fraction)} events, ${need} of them held back with calibrationFraction ${fraction}; add events, raise falseAlarmRate or pass allowCoarseThreshold: true`,
      `${nEvents} events, ${calibration} held back`,
    ),
  );
}

/**
 * {@link calibrationHoldout}, refusing a split without an event on either side (a `ValueError` naming
 * `api`).
 *
 * @example
 * ```ts
 * const { fit, calibration } = holdoutSplit('trainPipelineStream', n, 0.2);
 * ```
 */
export function holdoutSplit(
  api: string,
  nEvents: number,
  fraction: number,
): { fit: number; calibration: number } {
  const split = calibrationHoldout(nEvents, fraction);
  if (split.fit < 1 || split.calibration < 1) {
    throw new ValueError(
      message(
        api,
        `too few events to hold back ${fraction} for calibration`,
        'at least one event to fit and one to calibrate',
        `${nEvents} events`,
      ),
    );
  }
  return split;
}

/**
 * Featurized training and calibration rows under the hold-out rule (see the module description): fits
 * `featurizer` on the first events, featurizes the held-back last ones as a later scoring run would, and
 * leaves the featurizer with its short-term state cleared, as a saved and reloaded pipeline has it.
 *
 * @param featurizer - an unfitted featurizer.
 * @param ordered - the training events in processing order (time order after the reordering window).
 * @param fraction - share held back.
 * @example
 * ```ts
 * const { fit, calibration } = featurizeWithHoldout(featurizer, events, 0.2);
 * detector.fit(fit, { calibrationRows: calibration });
 * ```
 */
export function featurizeWithHoldout(
  featurizer: FeaturePipeline<object>,
  ordered: readonly object[],
  fraction: number,
): { fit: Matrix; calibration: Matrix } {
  const split = holdoutSplit('featurizeWithHoldout', ordered.length, fraction);
  // maxLatenessSeconds 0: featurized in exactly the given order (the window already ordered them).
  const fit = featurizer.fitTransform(ordered.slice(0, split.fit), { maxLatenessSeconds: 0 });
  const calibration = featurizer.transform(ordered.slice(split.fit), { maxLatenessSeconds: 0 });
  featurizer.resetStream();
  return { fit, calibration };
}

function checkCalibrationFraction(api: string, fraction: unknown): void {
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw new ParameterError(
      message(api, 'calibrationFraction is out of range', 'a number in (0, 1)', describeValue(fraction)),
    );
  }
}
