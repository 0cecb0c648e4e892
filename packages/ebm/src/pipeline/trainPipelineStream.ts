/**
 * Training a pipeline in bounded memory: the events are read in passes (a file read again, chunk by
 * chunk) and never held together, so a month of logons trains on one machine. The result equals
 * {@link trainPipeline} on the same events in the same order: the featurizer's state exactly, the scaler
 * bit for bit, the Gaussian and histogram energies to rounding; the mixture, autoencoder, RBM, k-NN and
 * kernel densities are fitted on a seeded sample of the training rows (all of them when there are at most
 * `sampleRows`; the k-NN and kernel densities then keep their own seeded ≤ `maxRows` subsample of it, as
 * their `fit` does in memory).
 *
 * Passes 2 and 3 read the events through a fresh reordering window each (`maxLatenessSeconds`, as
 * {@link trainPipeline}), so both see the same time order whatever the chunks; events later than the
 * window keep their arrival order and are counted (`outOfOrder`). (The window holds at most 250,000
 * events; only a lateness that spans more than that can make this differ from {@link trainPipeline}.)
 *
 * The passes over the events:
 * 1. count the events (and check them), so that the hold-out — the most recent
 *    `round(calibrationFraction · n)` events ({@link calibrationHoldout}) — is known before anything is
 *    fitted, and too few events fail at once;
 * 2. the featurizer's counting pass over the events before the hold-out (vocabularies, frequencies,
 *    profiles, peer groups: `FeaturePipeline.observe`), stopping at the hold-out; it also counts the
 *    warm-up events ({@link warmupPlan}: the times of pass 1 fix its end);
 * 3. featurize every event in order, as `featurizeWithHoldout` does: the training rows, then (short-term
 *    state cleared) the hold-out's rows, each written to a {@link RowStore} — except the warm-up's rows,
 *    which only advance the featurizer's state (the scaler and the model never see them).
 *
 * Then the rows are read back from the store in blocks of fixed size (never the input's chunks, so the
 * result does not depend on how the events were cut): the robust scaler from the exact quantiles of the
 * training rows (`RobustScaler.fitStream`, about three passes), the model — `fitStream` when the model is
 * streamable (Gaussian: one pass of merged statistics; histogram: two passes), else `fit` on a
 * {@link RowReservoir} sample of `sampleRows` scaled training rows drawn with a seed derived from `seed` —
 * and the calibration energies of the hold-out's rows, one block at a time.
 *
 * @module
 */
import {
  InputTypeError,
  type Matrix,
  message,
  ParameterError,
  type RobustScaler,
  RowReservoir,
  type RowSource,
  ValueError,
} from '@nexus/ebm-core';
import { describeValue } from '@nexus/ebm-core/extend';
import { DEFAULT_MAX_LATENESS_SECONDS, type FeaturePipeline, ReorderWindow } from '@nexus/ebm-features';
import { checkMaxLateness } from '@nexus/ebm-features/extend';
import { checkCsvEvents, csvFeatureColumns } from './csv.js';
import {
  checkHoldoutSize,
  DEFAULT_CALIBRATION_FRACTION,
  holdoutSplit,
  MIN_TRAINING_EVENTS,
  trainingWarmup,
  warmupPlan,
} from './holdout.js';
import { DEFAULT_MODEL, isModelName, MODEL_NAMES } from './models.js';
import { checkMapFormat, csvFeaturizer, PIPELINE_FORMATS, Pipeline, presetFeaturizer } from './Pipeline.js';
import { memoryRowStore, type RowStore, type RowStoreFactory } from './rowStore.js';
import { type TrainPipelineOptions, unfittedDetector } from './trainPipeline.js';

/**
 * Training events read in passes: each call starts a new pass over the same events, in the same order,
 * in chunks of any size.
 *
 * @example
 * ```ts
 * const passes: EventPasses = async function* () { for (const c of chunksOf(file)) yield c; };
 * ```
 */
export type EventPasses = () => AsyncIterable<readonly object[]> | Iterable<readonly object[]>;

/**
 * Where {@link trainPipelineStream} is.
 *
 * @example
 * ```ts
 * onPass: (p: TrainPass) => console.error(`pass ${p.pass}: ${p.what}`);
 * ```
 */
export interface TrainPass {
  /** The passes over the events (1–3), then over the rows. */
  readonly stage: 'events' | 'rows';
  /** What the pass does, e.g. `'counting events'`. */
  readonly what: string;
}

/**
 * Options of {@link trainPipelineStream}: those of {@link trainPipeline}, plus where the rows go between
 * passes and how many a non-streamable model trains on.
 */
export interface TrainPipelineStreamOptions extends TrainPipelineOptions {
  /**
   * Training rows a model without `fitStream` (mixture, autoencoder, RBM, k-NN, kernel density) is fitted
   * on: a seeded uniform sample, in time order ({@link RowReservoir}); every training row when there are
   * no more. Default {@link DEFAULT_SAMPLE_ROWS}, at most 256 MiB of rows for wide features.
   */
  readonly sampleRows?: number;
  /** Where the feature rows are kept between passes (default {@link memoryRowStore}). */
  readonly rowStore?: RowStoreFactory;
  /**
   * Rows per block read back from the store (default {@link streamBlockRows}: 2²⁰ values). The Gaussian
   * merges statistics per block, so its energies move with this at the rounding level; nothing else does.
   */
  readonly blockRows?: number;
  /** Called at the start of each stage. */
  readonly onPass?: (p: TrainPass) => void;
}

/**
 * What a {@link trainPipelineStream} run read and did.
 *
 * @example
 * ```ts
 * const { pipeline, stats } = await trainPipelineStream(passes, options);
 * stats.sampledRows; // rows the model was fitted on, when it was sampled
 * ```
 */
export interface TrainStreamStats {
  /** Events read (per pass). */
  readonly events: number;
  /** The earliest and the latest event time (seconds), e.g. to tell how many days the training spans. */
  readonly minTime: number;
  readonly maxTime: number;
  /** Events the featurizer was fitted on (the earlier ones; the model on those after the warm-up). */
  readonly fitEvents: number;
  /** The first of the `fitEvents`: they built the featurizer's state; the scaler and model skipped them. */
  readonly warmupEvents: number;
  /** The most recent events, held back to calibrate the threshold. */
  readonly calibrationEvents: number;
  /**
   * Events later than the reordering window (`maxLatenessSeconds`): featurized in arrival order, out of
   * time order (saved as the pipeline's `lateTrainingEvents`).
   */
  readonly outOfOrder: number;
  /** Passes over the events. */
  readonly eventPasses: number;
  /** Passes over the stored training rows (scaler and model). */
  readonly rowPasses: number;
  /** Rows a non-streamable model was fitted on (undefined when the model read every row). */
  readonly sampledRows: number | undefined;
  /** Rows per block read back from the store. */
  readonly blockRows: number;
}

/**
 * Default rows of the seeded sample that non-streamable models train on.
 *
 * @example
 * ```ts
 * trainPipelineStream(passes, { format: 'lanl', model: 'rbm', sampleRows: DEFAULT_SAMPLE_ROWS });
 * ```
 */
export const DEFAULT_SAMPLE_ROWS = 200_000;
/** Values per block read back from a row store (8 MiB). */
const BLOCK_VALUES = 1 << 20;
/** Most bytes of the default sample. */
const SAMPLE_BYTES = 256 * 2 ** 20;

/**
 * Rows per block for rows of `cols` columns: 2²⁰ values (8 MiB), at least 64 and at most 65,536 rows.
 *
 * @example
 * ```ts
 * streamBlockRows(50); // 20,971
 * ```
 */
export function streamBlockRows(cols: number): number {
  return Math.max(64, Math.min(65_536, Math.floor(BLOCK_VALUES / cols)));
}

/**
 * Trains a pipeline from events read in passes, in memory that does not grow with the number of events
 * (see the module description for the passes and what equals {@link trainPipeline}).
 *
 * @param events - the training events, read once per pass.
 * @param options - as {@link trainPipeline}, plus `sampleRows`, `rowStore` and `onPass`.
 * @example
 * ```ts
 * const { pipeline } = await trainPipelineStream(() => chunksOfFile('auth.txt'), { format: 'lanl', model: 'gaussian' });
 * ```
 */
export async function trainPipelineStream(
  events: EventPasses,
  options: TrainPipelineStreamOptions,
): Promise<{ pipeline: Pipeline; stats: TrainStreamStats }> {
  const api = 'trainPipelineStream';
  if (typeof events !== 'function') {
    throw new InputTypeError(
      message(
        api,
        'events must be a function that starts a pass',
        'a function returning chunks',
        describeValue(events),
      ),
    );
  }
  if (options === null || typeof options !== 'object') {
    throw new InputTypeError(
      message(api, 'options must be an object', '{ format, … }', describeValue(options)),
    );
  }
  if (!(PIPELINE_FORMATS as readonly string[]).includes(options.format)) {
    throw new ParameterError(
      message(api, 'unknown format', PIPELINE_FORMATS.join(' | '), describeValue(options.format)),
    );
  }
  const fieldMap = checkMapFormat(api, options.format, options.fieldMap);
  const seed = options.seed ?? 1;
  const fraction = options.calibrationFraction ?? DEFAULT_CALIBRATION_FRACTION;
  const sampleOption = options.sampleRows;
  if (sampleOption !== undefined && (!Number.isInteger(sampleOption) || sampleOption < 1)) {
    throw new ParameterError(
      message(api, 'sampleRows must be a positive integer', 'an integer ≥ 1', describeValue(sampleOption)),
    );
  }
  const blockOption = options.blockRows;
  if (blockOption !== undefined && (!Number.isInteger(blockOption) || blockOption < 1)) {
    throw new ParameterError(
      message(api, 'blockRows must be a positive integer', 'an integer ≥ 1', describeValue(blockOption)),
    );
  }
  const m = options.model ?? DEFAULT_MODEL;
  if (typeof m === 'string' && !isModelName(m)) {
    throw new ParameterError(message(api, 'unknown model', MODEL_NAMES.join(' | '), JSON.stringify(m)));
  }
  const lateness = checkMaxLateness(options.maxLatenessSeconds ?? DEFAULT_MAX_LATENESS_SECONDS, api);
  const warmupSeconds = trainingWarmup(api, options.format, options.warmupSeconds);
  const onPass = options.onPass ?? ((): void => {});
  const stores: RowStore[] = [];
  try {
    // Pass 1: count and check the events; build the featurizer (a CSV's columns come from its first row).
    onPass({ stage: 'events', what: 'counting events' });
    let featurizer = options.featurizer;
    let csvColumns: readonly string[] | undefined;
    let n = 0;
    // The reordering window over the times alone, to count the late events (passes 2 and 3 reorder).
    const window = new ReorderWindow<number>(lateness);
    const released: number[] = [];
    let minTime = Number.POSITIVE_INFINITY;
    let maxTime = Number.NEGATIVE_INFINITY;
    for await (const chunk of events()) {
      checkChunk(api, chunk, n);
      if (featurizer === undefined && chunk.length > 0) {
        if (options.format === 'csv') {
          csvColumns = csvFeatureColumns(chunk[0] as object);
          featurizer = csvFeaturizer(csvColumns);
        } else {
          featurizer = presetFeaturizer(options.format, fieldMap, options.featurizerOptions ?? { seed });
        }
      }
      if (csvColumns !== undefined) checkCsvEvents(chunk, csvColumns, api, true);
      const tf = (featurizer as FeaturePipeline<object>).config.timeField ?? 'time';
      for (let i = 0; i < chunk.length; i++) {
        const t = timeOf(chunk[i] as object, tf, api, n + i);
        if (t < minTime) minTime = t;
        if (t > maxTime) maxTime = t;
        window.push(0, t, released);
      }
      released.length = 0;
      n += chunk.length;
    }
    const outOfOrder = window.stats().late;
    if (n < MIN_TRAINING_EVENTS || featurizer === undefined) {
      throw new ValueError(
        message(api, 'too few training events', `at least ${MIN_TRAINING_EVENTS}`, String(n)),
      );
    }
    checkHoldoutSize(api, n, options.falseAlarmRate ?? 0.01, fraction, options.allowCoarseThreshold ?? false);
    const split = holdoutSplit(api, n, fraction);
    const f = featurizer;
    const tf = f.config.timeField ?? 'time';

    // Pass 2: the featurizer's counting pass over the training part; the warm-up's length.
    onPass({ stage: 'events', what: 'learning the featurizer' });
    const plan = warmupPlan(warmupSeconds, minTime, maxTime, split.fit);
    let warm = 0;
    let warming = plan.maxEvents > 0;
    f.startFit();
    let seen = 0;
    for await (const chunk of windowed(events, tf, lateness)) {
      const take = Math.min(chunk.length, split.fit - seen);
      for (let i = 0; warming && i < take; i++) {
        if (warm < plan.maxEvents && ((chunk[i] as Record<string, unknown>)[tf] as number) < plan.until)
          warm++;
        else warming = false;
      }
      f.observe(take === chunk.length ? chunk : chunk.slice(0, take));
      seen += take;
      if (seen >= split.fit) break;
    }
    if (seen !== split.fit) throw changed(api, `${split.fit} training events`, `${seen}`);
    f.finishFit();

    // Pass 3: featurize in order — training rows, then the hold-out's — into the row stores.
    onPass({ stage: 'events', what: 'featurizing' });
    const d = f.nFeatures;
    const makeStore = options.rowStore ?? memoryRowStore;
    const fitRows = makeStore(d);
    stores.push(fitRows);
    const calRows = makeStore(d);
    stores.push(calRows);
    // Rows from `skip` on are stored: the warm-up's rows only advance the featurizer's state.
    const write = (part: readonly object[], store: RowStore, skip: number): void => {
      // In the window's release order exactly (maxLatenessSeconds 0: no reordering within the batch).
      const X = f.transform(part, { maxLatenessSeconds: 0 });
      if (skip >= X.rows) return;
      store.append(skip === 0 ? X.data : X.data.subarray(skip * X.cols), X.rows - skip);
    };
    let featurized = 0;
    for await (const chunk of windowed(events, tf, lateness)) {
      const fitPart = Math.max(0, Math.min(chunk.length, split.fit - featurized));
      if (fitPart > 0) {
        const skip = Math.max(0, Math.min(fitPart, warm - featurized));
        write(fitPart === chunk.length ? chunk : chunk.slice(0, fitPart), fitRows, skip);
        featurized += fitPart;
        // The hold-out is featurized as a later scoring run sees it: short-term state starts empty.
        if (featurized === split.fit) f.resetStream();
      }
      if (fitPart < chunk.length) write(fitPart === 0 ? chunk : chunk.slice(fitPart), calRows, 0);
    }
    f.resetStream();
    if (fitRows.rows !== split.fit - warm || calRows.rows !== split.calibration) {
      throw changed(api, `${n} events`, `${warm + fitRows.rows + calRows.rows}`);
    }

    // The rows, read back in fixed blocks.
    const blockRows = blockOption ?? streamBlockRows(d);
    let rowPasses = 0;
    const counted = (src: RowSource): RowSource => ({
      cols: src.cols,
      blocks(): Iterable<Matrix> {
        rowPasses++;
        return src.blocks();
      },
    });
    const { detector, model, modelName, fitOptions } = unfittedDetector(api, d, options);
    onPass({ stage: 'rows', what: 'fitting the scaler' });
    const scaler = (detector.scaler as RobustScaler).fitStream(counted(fitRows.source(blockRows)));
    const scaled = counted(scaledRows(fitRows.source(blockRows), scaler));
    let sampledRows: number | undefined;
    onPass({ stage: 'rows', what: `training ${modelName}` });
    if (model.streamable === true && typeof model.fitStream === 'function') {
      model.fitStream(scaled, fitOptions);
    } else {
      const cap =
        sampleOption ?? Math.max(1, Math.min(DEFAULT_SAMPLE_ROWS, Math.floor(SAMPLE_BYTES / (8 * d))));
      const reservoir = new RowReservoir(cap, d, `sample:${seed}`);
      for (const block of scaled.blocks()) reservoir.add(block);
      const sample = reservoir.sample();
      sampledRows = sample.rows < fitRows.rows ? sample.rows : undefined;
      model.fit(sample, fitOptions);
    }
    onPass({ stage: 'rows', what: 'calibrating' });
    const energies = new Float64Array(split.calibration);
    let at = 0;
    for (const block of calRows.source(blockRows).blocks()) {
      energies.set(detector.score(block), at);
      at += block.rows;
    }
    detector.calibrateEnergies(energies);
    const pipeline = new Pipeline({
      format: options.format,
      modelName,
      featurizer: f,
      detector,
      trainedEvents: n,
      ...(fieldMap === undefined ? {} : { fieldMap }),
      maxLatenessSeconds: lateness,
      lateTrainingEvents: outOfOrder,
      warmupEvents: warm,
    });
    return {
      pipeline,
      stats: {
        events: n,
        minTime,
        maxTime,
        fitEvents: split.fit,
        warmupEvents: warm,
        calibrationEvents: split.calibration,
        outOfOrder,
        eventPasses: 3,
        rowPasses,
        sampledRows,
        blockRows,
      },
    };
  } finally {
    for (const s of stores) s.dispose();
  }
}

/** The rows of `src`, scaled block by block. */
function scaledRows(src: RowSource, scaler: RobustScaler): RowSource {
  return {
    cols: src.cols,
    *blocks(): Iterable<Matrix> {
      for (const block of src.blocks()) yield scaler.transform(block);
    },
  };
}

/**
 * One pass over the events through a fresh reordering window: the events it releases, chunk by chunk,
 * then the rest at the end. The order is a function of the events alone (not of the chunks), so every
 * pass sees the same sequence, and it is the order {@link trainPipeline} featurizes in.
 */
async function* windowed(
  events: EventPasses,
  tf: string,
  lateness: number,
): AsyncGenerator<readonly object[]> {
  const window = new ReorderWindow<object>(lateness);
  for await (const chunk of events()) {
    const out: object[] = [];
    for (const e of chunk) window.push(e, (e as Record<string, unknown>)[tf] as number, out);
    if (out.length > 0) yield out;
  }
  const rest: object[] = [];
  window.flush(rest);
  if (rest.length > 0) yield rest;
}

function checkChunk(api: string, chunk: unknown, first: number): void {
  if (!Array.isArray(chunk)) {
    throw new InputTypeError(
      message(
        api,
        `the chunk after event ${first} is not an array`,
        'an array of events',
        describeValue(chunk),
      ),
    );
  }
}

function timeOf(e: object, tf: string, api: string, k: number): number {
  if (e === null || typeof e !== 'object') {
    throw new InputTypeError(
      message(api, `event ${k} is not an object`, 'an event object', describeValue(e)),
    );
  }
  const t = (e as Record<string, unknown>)[tf];
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new ValueError(
      message(api, `event ${k} has no finite ${tf}`, 'seconds as a finite number', describeValue(t)),
    );
  }
  return t;
}

function changed(api: string, expected: string, got: string): ValueError {
  return new ValueError(message(api, 'the events changed between passes', expected, got));
}
