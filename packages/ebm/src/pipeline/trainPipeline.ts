import {
  type DetectorFitOptions,
  type EnergyModel,
  type FitOptions,
  InputTypeError,
  type Matrix,
  message,
  ParameterError,
  RobustScaler,
  ValueError,
} from '@nexus/ebm-core';
import { describeValue } from '@nexus/ebm-core/extend';
import {
  DEFAULT_MAX_LATENESS_SECONDS,
  type FeaturePipeline,
  type FieldMap,
  type PresetOptions,
} from '@nexus/ebm-features';
import { checkMaxLateness, releaseOrder } from '@nexus/ebm-features/extend';
import { Detector } from '../persistence/Detector.js';
import { checkCsvEvents, csvFeatureColumns } from './csv.js';
import {
  checkHoldoutSize,
  DEFAULT_CALIBRATION_FRACTION,
  featurizeWithHoldout,
  MIN_TRAINING_EVENTS,
  trainingWarmup,
} from './holdout.js';
import { DEFAULT_MODEL, isModelName, MODEL_NAMES, type ModelName, makeModel } from './models.js';
import {
  checkMapFormat,
  csvFeaturizer,
  PIPELINE_FORMATS,
  Pipeline,
  type PipelineFormat,
  presetFeaturizer,
} from './Pipeline.js';

/**
 * Options of {@link trainPipeline}.
 */
export interface TrainPipelineOptions {
  /** Log format of the events. */
  readonly format: PipelineFormat;
  /** The field map the events were read with; required for (and only for) format `json`. */
  readonly fieldMap?: FieldMap;
  /** A built-in energy by name (default {@link DEFAULT_MODEL}, `gaussian`) or an untrained model of your own. */
  readonly model?: ModelName | EnergyModel;
  /** Seed of every random choice (default 1). */
  readonly seed?: number;
  /** Target false-alarm rate that sets the flag threshold (default 0.01). */
  readonly falseAlarmRate?: number;
  /**
   * Share of the training events held back to calibrate p-values and the threshold: the most recent ones
   * (default 0.2; see {@link calibrationHoldout}).
   */
  readonly calibrationFraction?: number;
  /**
   * Warm-up at the start of the training events, in seconds (default {@link DEFAULT_WARMUP_SECONDS}, 0:
   * none): the featurizer learns from every event, but the scaler and the model are not fitted on
   * the rows of events in the first `warmupSeconds` (their first-seen flags and profiles describe an empty
   * history). Capped at a quarter of the training span and half of the events before the hold-out
   * ({@link warmupPlan}); numeric CSV has none. Saved as the pipeline's `warmupEvents`.
   */
  readonly warmupSeconds?: number;
  /**
   * Accept a coarser threshold when the held-back events are too few for `falseAlarmRate`: the threshold is
   * then the largest calibration energy (a false-alarm rate of 1/(n + 1), reported by
   * `detector.effectiveFalseAlarmRate` and saved in the file). Default false: too few events is an error
   * naming the minimum ({@link minTrainingEvents}).
   */
  readonly allowCoarseThreshold?: boolean;
  /**
   * The reordering window between parsing and featurizing, in seconds: how far behind the latest time seen
   * an event may arrive and still be featurized in time order (default
   * {@link DEFAULT_MAX_LATENESS_SECONDS}, 300). Later events are featurized in arrival order and counted
   * ({@link Pipeline.lateTrainingEvents}). Saved in the pipeline as the default of every scoring run.
   */
  readonly maxLatenessSeconds?: number;
  /** A featurizer of your own (unfitted); default: the ready-made one of the format. */
  readonly featurizer?: FeaturePipeline<object>;
  /** Options of the ready-made featurizer. */
  readonly featurizerOptions?: PresetOptions;
  /** Training progress of the energy model. */
  readonly onProgress?: FitOptions['onProgress'];
}

/**
 * Trains a pipeline on normal (unlabelled) events: fits the featurizer, a robust scaler, the energy model
 * and the threshold for the target false-alarm rate on held-back calibration events.
 *
 * @example
 * ```ts
 * const { events } = parseLines(parsers.lanl(), fs.readFileSync('lanl.train.txt', 'utf8'));
 * const p = trainPipeline(events, { format: 'lanl', model: 'gaussian', seed: 1 });
 * ```
 */
export function trainPipeline(events: readonly object[], options: TrainPipelineOptions): Pipeline {
  const api = 'trainPipeline';
  if (!Array.isArray(events)) {
    throw new InputTypeError(
      message(api, 'events must be an array', 'an array of events', describeValue(events)),
    );
  }
  if (events.length < MIN_TRAINING_EVENTS) {
    throw new ValueError(
      message(api, 'too few training events', `at least ${MIN_TRAINING_EVENTS}`, String(events.length)),
    );
  }
  if (!(PIPELINE_FORMATS as readonly string[]).includes(options.format)) {
    throw new ParameterError(
      message(api, 'unknown format', PIPELINE_FORMATS.join(' | '), describeValue(options.format)),
    );
  }
  const fieldMap = checkMapFormat(api, options.format, options.fieldMap);
  const seed = options.seed ?? 1;
  if (options.format === 'csv' && options.featurizer === undefined) {
    const first = events[0] as unknown;
    checkCsvEvents(
      events,
      first !== null && typeof first === 'object' ? csvFeatureColumns(first) : [],
      api,
      true,
    );
  }
  const fraction = options.calibrationFraction ?? DEFAULT_CALIBRATION_FRACTION;
  checkHoldoutSize(
    api,
    events.length,
    options.falseAlarmRate ?? 0.01,
    fraction,
    options.allowCoarseThreshold ?? false,
  );
  const featurizer =
    options.featurizer ??
    (options.format === 'csv'
      ? csvFeaturizer(csvFeatureColumns(events[0] as object))
      : presetFeaturizer(options.format, fieldMap, options.featurizerOptions ?? { seed }));
  const lateness = checkMaxLateness(options.maxLatenessSeconds ?? DEFAULT_MAX_LATENESS_SECONDS, api);
  const { ordered, late } = windowOrdered(events, featurizer.config.timeField ?? 'time', lateness, api);
  const warmup = trainingWarmup(api, options.format, options.warmupSeconds);
  const { fit, calibration, warmupEvents } = featurizeWithHoldout(featurizer, ordered, fraction, warmup);
  const { detector, modelName } = fitDetector(fit, { ...options, calibrationRows: calibration });
  return new Pipeline({
    format: options.format,
    modelName,
    featurizer,
    detector,
    trainedEvents: events.length,
    ...(fieldMap === undefined ? {} : { fieldMap }),
    maxLatenessSeconds: lateness,
    lateTrainingEvents: late,
    warmupEvents,
  });
}

/**
 * Fits a robust scaler, an energy model (by name or your own) and the threshold on feature rows; the
 * step of {@link trainPipeline} after featurizing, for callers that share one featurization between
 * several models.
 *
 * @example
 * ```ts
 * const { detector } = fitDetector(featurizer.fitTransform(events), { model: 'gaussian', seed: 1 });
 * ```
 */
export function fitDetector(
  X: Matrix,
  options: Omit<TrainPipelineOptions, 'format' | 'featurizer' | 'featurizerOptions' | 'warmupSeconds'> & {
    /** Calibration rows held back by the caller (see {@link featurizeWithHoldout}); default: a random share of `X`. */
    readonly calibrationRows?: Matrix;
  },
): { detector: Detector; modelName: string } {
  const { detector, modelName, fitOptions } = unfittedDetector('fitDetector', X.cols, options);
  detector.fit(X, {
    ...fitOptions,
    ...(options.calibrationRows === undefined ? {} : { calibrationRows: options.calibrationRows }),
  });
  return { detector, modelName };
}

/**
 * The detector {@link fitDetector} and `trainPipelineStream` fit — the model by name (or the caller's),
 * a robust scaler, the threshold options — and the options of the model's fit.
 */
export function unfittedDetector(
  api: string,
  cols: number,
  options: Omit<TrainPipelineOptions, 'format' | 'featurizer' | 'featurizerOptions' | 'warmupSeconds'>,
): { detector: Detector; model: EnergyModel; modelName: string; fitOptions: DetectorFitOptions } {
  const seed = options.seed ?? 1;
  const m = options.model ?? DEFAULT_MODEL;
  let model: EnergyModel;
  let modelName: string;
  if (typeof m === 'string') {
    if (!isModelName(m)) {
      throw new ParameterError(message(api, 'unknown model', MODEL_NAMES.join(' | '), JSON.stringify(m)));
    }
    model = makeModel(m, seed, cols);
    modelName = m;
  } else {
    model = m;
    modelName = m.kind;
  }
  const detector = new Detector({
    model,
    scaler: new RobustScaler(),
    falseAlarmRate: options.falseAlarmRate ?? 0.01,
    calibrationFraction: options.calibrationFraction ?? DEFAULT_CALIBRATION_FRACTION,
    allowCoarseThreshold: options.allowCoarseThreshold ?? false,
  });
  const fitOptions: DetectorFitOptions = {
    seed,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  };
  return { detector, model, modelName, fitOptions };
}

/**
 * The events in the order the reordering window releases them (pushed in input order, then flushed), and
 * how many were late; each must carry a finite time.
 */
function windowOrdered(
  events: readonly object[],
  timeField: string,
  lateness: number,
  api: string,
): { ordered: readonly object[]; late: number } {
  const n = events.length;
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = events[i];
    const t = e !== null && typeof e === 'object' ? (e as Record<string, unknown>)[timeField] : undefined;
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw new ValueError(
        message(api, `event ${i} has no finite ${timeField}`, 'seconds as a finite number', describeValue(t)),
      );
    }
    times[i] = t;
  }
  const { order, late } = releaseOrder(times, lateness);
  return { ordered: order === undefined ? events : Array.from(order, (i) => events[i] as object), late };
}
