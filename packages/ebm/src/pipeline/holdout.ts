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
 * The warm-up: the featurizer starts with empty history, so on the first training days every user, host
 * and pair is "first seen" and every profile is thin — rows that describe a cold start, not normal
 * behaviour. The featurizer still learns from those events (its state is built over every training event
 * in order), but the scaler and the model are fitted only on the rows after the warm-up: the leading events
 * (in processing order) whose time is before the first time + `warmupSeconds`, the warm-up capped at
 * {@link WARMUP_MAX_SPAN_SHARE} of the training span and at {@link WARMUP_MAX_FIT_SHARE} of the events
 * before the hold-out ({@link warmupPlan}), so short trainings still fit. The hold-out is never part of
 * the warm-up.
 *
 * @module
 */
import { Matrix, message, minCalibrationRows, ParameterError, ValueError } from '@nexus/ebm-core';
import { describeValue } from '@nexus/ebm-core/extend';
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
 * The default warm-up of training, in seconds: none. Chosen by a rule fixed before measuring (issue 16,
 * stop 23): of no warm-up, one day and two days, the highest mean average precision of the demo's default
 * model on simulator seeds 4 and 5, candidates within 0.002 going to the shortest — all three were within
 * 0.001 (0.9312, 0.9305, 0.9308; simulated data), so no warm-up. Pass `warmupSeconds` to use one.
 *
 * @example
 * ```ts
 * trainPipeline(events, { format: 'lanl', warmupSeconds: 86_400 }); // the first day builds history only
 * ```
 */
export const DEFAULT_WARMUP_SECONDS = 0;

/** The warm-up never exceeds this share of the training span (latest − earliest training event time). */
export const WARMUP_MAX_SPAN_SHARE = 0.25;

/** The warm-up never takes more than this share of the events before the hold-out. */
export const WARMUP_MAX_FIT_SHARE = 0.5;

/**
 * The warm-up of a training run: events whose time is before `until` and that lead the processing order
 * are warm-up events, at most `maxEvents` of them.
 */
export interface WarmupPlan {
  /** Warm-up events have a time before this (the first time + the capped warm-up). */
  readonly until: number;
  /** The most warm-up events: {@link WARMUP_MAX_FIT_SHARE} of the events before the hold-out. */
  readonly maxEvents: number;
}

/**
 * The warm-up rule in one place: `min(warmupSeconds, WARMUP_MAX_SPAN_SHARE · (maxTime − minTime))`
 * after the earliest training time, and at most `floor(WARMUP_MAX_FIT_SHARE · fitEvents)` events.
 *
 * @param warmupSeconds - the requested warm-up (≥ 0; 0: none).
 * @param minTime - the earliest training event time (seconds).
 * @param maxTime - the latest training event time.
 * @param fitEvents - events before the calibration hold-out.
 * @example
 * ```ts
 * warmupPlan(86_400, 0, 10 * 86_400, 8000); // { until: 86400, maxEvents: 4000 }
 * ```
 */
export function warmupPlan(
  warmupSeconds: number,
  minTime: number,
  maxTime: number,
  fitEvents: number,
): WarmupPlan {
  checkWarmupSeconds('warmupPlan', warmupSeconds);
  const span = maxTime - minTime;
  const w = Math.min(warmupSeconds, Number.isFinite(span) && span > 0 ? WARMUP_MAX_SPAN_SHARE * span : 0);
  return { until: minTime + w, maxEvents: w > 0 ? Math.floor(WARMUP_MAX_FIT_SHARE * fitEvents) : 0 };
}

/**
 * How many leading events of `times` (processing order) are warm-up events under `plan`.
 *
 * @example
 * ```ts
 * warmupCount([0, 10, 20, 5, 30], { until: 15, maxEvents: 10 }); // 2
 * ```
 */
export function warmupCount(times: ArrayLike<number>, plan: WarmupPlan): number {
  const n = Math.min(times.length, plan.maxEvents);
  let k = 0;
  while (k < n && (times[k] as number) < plan.until) k++;
  return k;
}

/**
 * Checks a requested warm-up (seconds, finite, ≥ 0) and returns it; throws a `ParameterError` naming
 * `api` otherwise.
 *
 * @example
 * ```ts
 * const w = checkWarmupSeconds('trainPipeline', options.warmupSeconds ?? DEFAULT_WARMUP_SECONDS);
 * ```
 */
export function checkWarmupSeconds(api: string, warmupSeconds: unknown): number {
  if (typeof warmupSeconds !== 'number' || !Number.isFinite(warmupSeconds) || warmupSeconds < 0) {
    throw new ParameterError(
      message(
        api,
        'warmupSeconds is out of range',
        'seconds as a finite number ≥ 0',
        describeValue(warmupSeconds),
      ),
    );
  }
  return warmupSeconds;
}

/**
 * The warm-up a pipeline of `format` trains with: `warmupSeconds` (default {@link DEFAULT_WARMUP_SECONDS}),
 * checked; 0 for numeric CSV.
 *
 * @example
 * ```ts
 * trainingWarmup('trainPipeline', 'lanl', 86_400); // 86400 (0 for 'csv')
 * ```
 */
export function trainingWarmup(api: string, format: string, warmupSeconds: number | undefined): number {
  const w = checkWarmupSeconds(api, warmupSeconds ?? DEFAULT_WARMUP_SECONDS);
  return format === 'csv' ? 0 : w;
}

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
 * leaves the featurizer with its short-term state cleared, as a saved and reloaded pipeline has it. With a
 * warm-up, the featurizer still learns from every event before the hold-out, but the rows of the warm-up
 * events are left out of `fit` (the rows the scaler and model are fitted on).
 *
 * @param featurizer - an unfitted featurizer.
 * @param ordered - the training events in processing order (time order after the reordering window).
 * @param fraction - share held back.
 * @param warmupSeconds - warm-up in seconds (default 0: none; {@link trainPipeline} passes its
 *   `warmupSeconds`), capped by {@link warmupPlan}; needs a finite time on every event.
 * @example
 * ```ts
 * const { fit, calibration } = featurizeWithHoldout(featurizer, events, 0.2, 86_400);
 * detector.fit(fit, { calibrationRows: calibration });
 * ```
 */
export function featurizeWithHoldout(
  featurizer: FeaturePipeline<object>,
  ordered: readonly object[],
  fraction: number,
  warmupSeconds = 0,
): { fit: Matrix; calibration: Matrix; warmupEvents: number } {
  const api = 'featurizeWithHoldout';
  const split = holdoutSplit(api, ordered.length, fraction);
  const warmup = checkWarmupSeconds(api, warmupSeconds);
  let warmupEvents = 0;
  if (warmup > 0) {
    const tf = featurizer.config.timeField ?? 'time';
    const times = new Float64Array(ordered.length);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < ordered.length; i++) {
      const t = (ordered[i] as Record<string, unknown>)[tf];
      if (typeof t !== 'number' || !Number.isFinite(t)) {
        throw new ValueError(
          message(
            api,
            `event ${i} has no finite ${tf} (a warm-up needs times)`,
            'seconds as a finite number',
            describeValue(t),
          ),
        );
      }
      times[i] = t;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    warmupEvents = warmupCount(times, warmupPlan(warmup, lo, hi, split.fit));
  }
  // maxLatenessSeconds 0: featurized in exactly the given order (the window already ordered them).
  const all = featurizer.fitTransform(ordered.slice(0, split.fit), { maxLatenessSeconds: 0 });
  const calibration = featurizer.transform(ordered.slice(split.fit), { maxLatenessSeconds: 0 });
  featurizer.resetStream();
  const c = all.cols;
  const fit =
    warmupEvents === 0 ? all : new Matrix(all.rows - warmupEvents, c, all.data.slice(warmupEvents * c));
  return { fit, calibration, warmupEvents };
}

function checkCalibrationFraction(api: string, fraction: unknown): void {
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw new ParameterError(
      message(api, 'calibrationFraction is out of range', 'a number in (0, 1)', describeValue(fraction)),
    );
  }
}
