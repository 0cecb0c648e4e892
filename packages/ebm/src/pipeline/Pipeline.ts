import {
  type DetectorJSON,
  explain,
  type Incident,
  IncidentTracker,
  type Matrix,
  ModelFormatError,
  message,
  ParameterError,
  type Reason,
  reasons,
  ValueError,
} from '@nexus/ebm-core';
import {
  checkModelJSON,
  describeValue,
  type ParseModelJSONOptions,
  parseModelJSON,
} from '@nexus/ebm-core/extend';
import {
  checkFieldMap,
  DEFAULT_MAX_LATENESS_SECONDS,
  FeaturePipeline,
  type FeaturePipelineJSON,
  type FieldMap,
  FieldMapParser,
  featurizers,
  type LineParser,
  type ParserFormat,
  type PresetOptions,
  parserFormats,
  parsers,
} from '@nexus/ebm-features';
import { checkMaxLateness } from '@nexus/ebm-features/extend';
import { Detector } from '../persistence/Detector.js';
import { CsvParser, checkCsvEvents } from './csv.js';
import {
  checkIncidentOptions,
  defaultIncidentFields,
  type IncidentOptions,
  ignoreSet,
  incidentEntities,
  incidentKeys,
  mergeReasons,
  type PipelineIncident,
} from './incidents.js';
import { PipelineStream, type PipelineStreamOptions, scoreWhole } from './PipelineStream.js';

/**
 * Log formats a pipeline reads: the parsers' event formats (every {@link ParserFormat} but the red-team
 * label file, `lanl-redteam`), `json` with a field map and numeric `csv`.
 */
export type PipelineFormat = Exclude<ParserFormat, 'lanl-redteam'> | 'json' | 'csv';

/**
 * Every {@link PipelineFormat}, in the parsers' order.
 *
 * @example
 * ```ts
 * PIPELINE_FORMATS.includes('csv'); // true
 * ```
 */
export const PIPELINE_FORMATS: readonly PipelineFormat[] = Object.freeze([
  ...parserFormats.filter((f): f is Exclude<ParserFormat, 'lanl-redteam'> => f !== 'lanl-redteam'),
  'json' as const,
  'csv' as const,
]);

/**
 * The `kind` tag of a saved pipeline file.
 *
 * @example
 * ```ts
 * JSON.parse(text).kind === PIPELINE_FILE_KIND;
 * ```
 */
export const PIPELINE_FILE_KIND = 'ebm/pipeline';
/**
 * The format version of a saved pipeline file.
 *
 * @example
 * ```ts
 * pipeline.toJSON().version === PIPELINE_FILE_VERSION; // true
 * ```
 */
export const PIPELINE_FILE_VERSION = 1;

/**
 * A saved pipeline: the featurizer (configuration and fitted state), the detector (scaler, energy model,
 * threshold and calibration energies) and the log format, in one tagged, versioned JSON object.
 *
 * @example
 * ```ts
 * const json: PipelineJSON = pipeline.toJSON();
 * json.kind; // 'ebm/pipeline'
 * ```
 */
export interface PipelineJSON {
  /** Always {@link PIPELINE_FILE_KIND}. */
  readonly kind: typeof PIPELINE_FILE_KIND;
  /** Always {@link PIPELINE_FILE_VERSION}. */
  readonly version: number;
  /** Log format the pipeline reads. */
  readonly format: PipelineFormat;
  /** Name of the energy it was trained with (`gaussian`, …, or the custom model's kind). */
  readonly model: string;
  /** Number of training events. */
  readonly trainedEvents: number;
  /** The featurizer's JSON. */
  readonly featurizer: FeaturePipelineJSON;
  /** The detector's JSON (scaler, model, threshold, calibration). */
  readonly detector: DetectorJSON;
  /** The field map of a `json` pipeline (absent for other formats). */
  readonly fieldMap?: FieldMap;
  /**
   * The reordering window's lateness in seconds, the default of every scoring run (absent in files written
   * before it existed: {@link DEFAULT_MAX_LATENESS_SECONDS}; null: unbounded).
   */
  readonly maxLatenessSeconds?: number | null;
  /** Training events that came later than the window and were featurized in arrival order (absent: 0). */
  readonly lateTrainingEvents?: number;
  /**
   * Training events of the warm-up: the featurizer learned from them, the scaler and model were not
   * fitted on their rows (absent in files written before the warm-up existed: 0).
   */
  readonly warmupEvents?: number;
}

/**
 * Energies, conformal p-values and flags of scored events.
 */
export interface PipelineScores {
  /** Energy per event (higher = more anomalous). */
  readonly energy: Float64Array;
  /** Conformal p-value per event (small = unusual). */
  readonly pValue: Float64Array;
  /** 1 when the energy is above the threshold. */
  readonly flag: Uint8Array;
}

/**
 * What {@link Pipeline.score} returns: the scores in input order and how many events came later than
 * the reordering window.
 *
 * @example
 * ```ts
 * const { energy, late }: PipelineBatchScores = pipeline.score(events);
 * ```
 */
export interface PipelineBatchScores extends PipelineScores {
  /** Events featurized in arrival order because they came later than the window. */
  readonly late: number;
  /** The events' feature rows, in input order (for {@link Pipeline.explain}). */
  readonly rows: Matrix;
}

/**
 * Options of {@link Pipeline.explain}.
 */
export interface PipelineExplainOptions {
  /** Reasons per event (default 3). */
  readonly top?: number;
  /** Background events' feature rows for KernelSHAP when the model has no exact split (default: none, then exact only). */
  readonly background?: Matrix;
  /** Seed of KernelSHAP's sampling (default 1). */
  readonly seed?: number;
}

export function csvFeaturizer(columns: readonly string[]): FeaturePipeline<object> {
  if (columns.length === 0) {
    throw new ValueError(
      message('trainPipeline', 'the CSV has no feature columns', 'at least one numeric column', '0'),
    );
  }
  return new FeaturePipeline<object>({
    name: 'csv',
    blocks: columns.map((field) => ({ type: 'numeric' as const, field })),
  });
}

/**
 * A line parser for a pipeline format (`csv` included; `json` reads with the given field map).
 *
 * @example
 * ```ts
 * const p = lineParser('sshd');
 * const q = lineParser('json', { event: 'auth', fields: { time: 'ts', user: 'who', success: 'ok' } });
 * ```
 */
export function lineParser(format: PipelineFormat, fieldMap?: FieldMap): LineParser<object> {
  if (format === 'csv') return new CsvParser();
  if (format === 'json') {
    if (fieldMap === undefined) {
      throw new ParameterError(message('lineParser', 'format json needs a field map', 'a FieldMap', 'none'));
    }
    return new FieldMapParser(fieldMap) as LineParser<object>;
  }
  return parsers[format]() as LineParser<object>;
}

/** The ready-made featurizer of a format (`json`: the one of the events its field map makes). */
export function presetFeaturizer(
  format: Exclude<PipelineFormat, 'csv'>,
  fieldMap: FieldMap | undefined,
  options: PresetOptions,
): FeaturePipeline<object> {
  const key = format === 'json' ? ((fieldMap as FieldMap).event === 'auth' ? 'sshd' : 'cloudtrail') : format;
  return featurizers[key](options) as unknown as FeaturePipeline<object>;
}

/** Checks that a field map comes with format `json` and only with it; returns the checked map. */
export function checkMapFormat(api: string, format: PipelineFormat, fieldMap: unknown): FieldMap | undefined {
  if (format === 'json') {
    if (fieldMap === undefined) {
      throw new ParameterError(message(api, 'format json needs a field map', 'fieldMap', 'none'));
    }
    return checkFieldMap(fieldMap);
  }
  if (fieldMap !== undefined) {
    throw new ParameterError(
      message(api, `a field map is only read with format json`, 'format json', format),
    );
  }
  return undefined;
}

/**
 * Featurizer, scaler, energy model, threshold and calibration joined into one object that scores raw
 * events and saves to one JSON file. Build it with {@link trainPipeline} or {@link Pipeline.fromJSON}.
 *
 * @example
 * ```ts
 * const p = trainPipeline(trainEvents, { format: 'lanl', model: 'gaussian', seed: 1 });
 * const { energy, pValue, flag } = p.score(testEvents);
 * fs.writeFileSync('model.json', JSON.stringify(p.toJSON()));
 * ```
 */
export class Pipeline {
  /** Log format. */
  readonly format: PipelineFormat;
  /** Name of the energy. */
  readonly modelName: string;
  /** The fitted featurizer (keeps streaming state: first-seen pairs, windows). */
  readonly featurizer: FeaturePipeline<object>;
  /** Scaler, energy, threshold and calibration. */
  readonly detector: Detector;
  /** Number of training events. */
  readonly trainedEvents: number;
  /** The field map of a `json` pipeline; undefined for other formats. */
  readonly fieldMap: FieldMap | undefined;
  /**
   * The reordering window's lateness in seconds (`Infinity`: unbounded), the default of
   * {@link Pipeline.score}, {@link Pipeline.featurize} and {@link Pipeline.stream}.
   */
  readonly maxLatenessSeconds: number;
  /** Training events that came later than the window (featurized in arrival order). */
  readonly lateTrainingEvents: number;
  /**
   * Training events of the warm-up (see `TrainPipelineOptions.warmupSeconds`): they built the featurizer's
   * state, but the scaler and model were not fitted on their rows.
   */
  readonly warmupEvents: number;

  /**
   * @param parts - the fitted pieces.
   */
  constructor(parts: {
    format: PipelineFormat;
    modelName: string;
    featurizer: FeaturePipeline<object>;
    detector: Detector;
    trainedEvents: number;
    fieldMap?: FieldMap;
    maxLatenessSeconds?: number;
    lateTrainingEvents?: number;
    warmupEvents?: number;
  }) {
    if (!parts.featurizer.fitted) throw new ValueError(message('Pipeline', 'the featurizer is not fitted'));
    if (!parts.detector.fitted) throw new ValueError(message('Pipeline', 'the detector is not fitted'));
    this.format = parts.format;
    this.modelName = parts.modelName;
    this.featurizer = parts.featurizer;
    this.detector = parts.detector;
    this.trainedEvents = parts.trainedEvents;
    this.fieldMap = checkMapFormat('Pipeline', parts.format, parts.fieldMap);
    this.maxLatenessSeconds = checkMaxLateness(
      parts.maxLatenessSeconds ?? DEFAULT_MAX_LATENESS_SECONDS,
      'Pipeline',
    );
    const late = parts.lateTrainingEvents ?? 0;
    if (!Number.isInteger(late) || late < 0) {
      throw new ValueError(
        message('Pipeline', 'lateTrainingEvents must be a count', 'an integer ≥ 0', describeValue(late)),
      );
    }
    this.lateTrainingEvents = late;
    const warm = parts.warmupEvents ?? 0;
    if (!Number.isInteger(warm) || warm < 0 || warm > parts.trainedEvents) {
      throw new ValueError(
        message(
          'Pipeline',
          'warmupEvents must be a count of training events',
          `an integer in [0, ${parts.trainedEvents}]`,
          describeValue(warm),
        ),
      );
    }
    this.warmupEvents = warm;
  }

  /**
   * A fresh parser of the logs this pipeline reads (its format, and its field map for `json`).
   *
   * @example
   * ```ts
   * const { events } = parseLines(pipeline.lineParser(), text);
   * ```
   */
  lineParser(): LineParser<object> {
    return lineParser(this.format, this.fieldMap);
  }

  /**
   * The input columns a `csv` pipeline reads, by name (every raw field its featurizer uses); `undefined`
   * for log formats. A CSV file to score must have exactly these columns, in any order (besides `time`,
   * `label` and `scenario`).
   *
   * @example
   * ```ts
   * pipeline.csvColumns; // ['bytes', 'duration']
   * ```
   */
  get csvColumns(): readonly string[] | undefined {
    if (this.format !== 'csv') return undefined;
    const names = new Set<string>();
    for (const b of this.featurizer.config.blocks) {
      const f = b as { field?: unknown; fields?: unknown };
      if (typeof f.field === 'string') names.add(f.field);
      if (Array.isArray(f.fields)) for (const x of f.fields) if (typeof x === 'string') names.add(x);
    }
    names.delete('time');
    return [...names];
  }

  /**
   * Feature rows of a complete batch of events, one per event in input order, featurized in the order of
   * the reordering window (see {@link Pipeline.score}); the featurizer's stream state moves on.
   *
   * @example
   * ```ts
   * const X = pipeline.featurize(events);
   * ```
   */
  featurize(
    events: readonly object[],
    options: Pick<PipelineStreamOptions, 'maxLatenessSeconds'> = {},
  ): Matrix {
    const cols = this.csvColumns;
    if (cols !== undefined && Array.isArray(events))
      checkCsvEvents(events, cols, 'Pipeline.featurize', false);
    const lateness = checkMaxLateness(
      options.maxLatenessSeconds ?? this.maxLatenessSeconds,
      'Pipeline.featurize',
    );
    return this.featurizer.transform(events, { maxLatenessSeconds: lateness });
  }

  /**
   * Scores a complete batch of events: energy, p-value and flag per event, in input order. Events pass
   * the reordering window first — featurized in time order when none is more than `maxLatenessSeconds`
   * behind one before it, later ones in arrival order (counted in `late`) — exactly as
   * {@link Pipeline.stream} would score them in chunks of any size. The featurizer's stream state moves on.
   *
   * @example
   * ```ts
   * const s = pipeline.score(events);
   * s.flag.reduce((a, b) => a + b, 0); // number flagged
   * ```
   */
  score(events: readonly object[], options: PipelineStreamOptions = {}): PipelineBatchScores {
    const cols = this.csvColumns;
    if (cols !== undefined && Array.isArray(events)) checkCsvEvents(events, cols, 'Pipeline.score', false);
    const stream = this.stream(options);
    const r = scoreWhole(stream, events);
    return {
      energy: r.energy,
      pValue: r.pValue,
      flag: r.flag,
      late: stream.stats().late,
      rows: r.rows,
    };
  }

  /**
   * A scorer for a stream of events pushed in chunks (files of any size, a message queue): results come
   * back in arrival order, identical however the stream is chunked. See {@link PipelineStream}.
   *
   * @example
   * ```ts
   * const s = pipeline.stream({ maxLatenessSeconds: 60 });
   * for (const chunk of chunks) out(s.push(chunk));
   * out(s.flush());
   * ```
   */
  stream(options: PipelineStreamOptions = {}): PipelineStream {
    return new PipelineStream(this, options);
  }

  /**
   * Scores feature rows already produced by {@link Pipeline.featurize}.
   *
   * @example
   * ```ts
   * const s = pipeline.scoreRows(pipeline.featurize(events));
   * ```
   */
  scoreRows(X: Matrix): PipelineScores {
    // One pass of the model: p-values and flags come from these energies, the same rule as
    // Detector.pValue / Detector.predict (which would each score the rows again).
    const energy = this.detector.score(X);
    const pValue = this.detector.pValueOfEnergies(energy);
    const flag = new Uint8Array(energy.length);
    const t = this.detector.threshold;
    for (let i = 0; i < energy.length; i++) flag[i] = (energy[i] as number) > t ? 1 : 0;
    return { energy, pValue, flag };
  }

  /**
   * Ranked reasons for events whose feature rows are `X` (rows of {@link Pipeline.featurize}), folded by raw
   * field with the featurizer's column map: exact contributions when the model has them, KernelSHAP over
   * `background` otherwise.
   *
   * @example
   * ```ts
   * const X = pipeline.featurize(events);
   * const why = pipeline.explain(events, X, { top: 3 });
   * why[0][0].text; // 'dst_computer = C1003 (…) +4.1'
   * ```
   */
  explain(events: readonly object[], X: Matrix, options: PipelineExplainOptions = {}): Reason[][] {
    const api = 'Pipeline.explain';
    if (events.length !== X.rows) {
      throw new ValueError(
        message(api, 'one event per row is needed', `${X.rows} events`, `${events.length}`),
      );
    }
    const model = this.detector.model;
    const scaled = this.detector.scaler === undefined ? X : this.detector.scaler.transform(X);
    const canExact = model.hasContributions === true;
    if (!canExact && options.background === undefined) {
      throw new ParameterError(
        message(
          api,
          `model ${model.kind} has no exact contributions`,
          'background rows for KernelSHAP',
          'none',
        ),
      );
    }
    const bg =
      options.background === undefined || this.detector.scaler === undefined
        ? options.background
        : this.detector.scaler.transform(options.background);
    const ex = explain(model, scaled, {
      ...(bg === undefined ? {} : { background: bg }),
      seed: options.seed ?? 1,
    });
    const cols = this.featurizer.columns;
    const out: Reason[][] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as object;
      out.push(
        reasons(ex.attributions.row(i), cols, this.featurizer.describe(e), {
          top: options.top ?? 3,
          x: X.row(i),
          phrase: (j) => this.featurizer.reason(j, e, X.get(i, j)),
        }),
      );
    }
    return out;
  }

  /**
   * Scores events and rolls the flagged ones up into incidents: flagged events sharing an entity (see
   * {@link IncidentOptions.by}) within the time window become one incident, scored by Fisher's combination
   * of their p-values plus the incident's novelty for its entity (fewer earlier incidents of that entity in
   * the events given: higher; core's `IncidentTracker`), with the reasons of its strongest events merged. Events
   * are taken in the given order, as the featurizer's stream takes them (so `ebm score --incidents` finds
   * the same incidents in a file). Returns the incidents, highest score first, and every event's scores.
   * Continues the featurizer's stream like {@link Pipeline.score}.
   *
   * @example
   * ```ts
   * const { incidents } = pipeline.incidents(testEvents, { window: 3600 });
   * for (const inc of incidents.slice(0, 10)) console.log(incidentText(inc));
   * ```
   */
  incidents(
    events: readonly object[],
    options: IncidentOptions = {},
  ): { incidents: PipelineIncident[]; scores: PipelineScores } {
    checkIncidentOptions('Pipeline.incidents', options);
    const X = this.featurize(events);
    const scores = this.scoreRows(X);
    return { incidents: this.incidentsOfScored(events, X, scores, options), scores };
  }

  /**
   * {@link Pipeline.incidents} of events already featurized (`X`, e.g. by {@link Pipeline.featurize}) and
   * scored (`scores`, by {@link Pipeline.scoreRows}): the featurizer's stream is not touched.
   *
   * @example
   * ```ts
   * const X = pipeline.featurize(events);
   * const scores = pipeline.scoreRows(X);
   * const incidents = pipeline.incidentsOfScored(events, X, scores, { top: 0 }); // no reasons
   * ```
   */
  incidentsOfScored(
    events: readonly object[],
    X: Matrix,
    scores: PipelineScores,
    options: IncidentOptions = {},
  ): PipelineIncident[] {
    const api = 'Pipeline.incidentsOfScored';
    checkIncidentOptions(api, options);
    const n = events.length;
    if (X.rows !== n || scores.flag.length !== n || scores.pValue.length !== n || scores.energy.length !== n)
      throw new ValueError(
        message(
          api,
          'events, rows and scores disagree in length',
          `${n} rows and scores`,
          `${X.rows} rows, ${scores.flag.length} scores`,
        ),
      );
    const tracker = new IncidentTracker(options);
    const tf = this.featurizer.config.timeField ?? 'time';
    const time = (i: number): number => (events[i] as Record<string, unknown>)[tf] as number;
    const by = options.by ?? defaultIncidentFields(this.featurizer.config.name);
    const ignore = ignoreSet(options);
    const label = this.fieldLabel();
    for (let i = 0; i < n; i++) {
      if (scores.flag[i] !== 1) continue;
      tracker.add({
        index: i,
        time: time(i),
        keys: incidentKeys(events[i] as object, by, label, ignore),
        pValue: scores.pValue[i] as number,
        energy: scores.energy[i] as number,
      });
    }
    const incidents = this.explainIncidents(events, X, scores.energy, tracker.flush(), {
      ...options,
      by,
    });
    incidents.sort((a, b) => b.score - a.score || a.id - b.id);
    return incidents;
  }

  /**
   * Adds entities and merged reasons to core incidents: the `explain` highest-energy events of each (rows
   * of `X`, energies `energy`, indexed like `events`) are explained and their reasons merged by field.
   *
   * @example
   * ```ts
   * const detailed = pipeline.explainIncidents(events, X, scores.energy, tracker.flush());
   * ```
   */
  explainIncidents(
    events: readonly object[],
    X: Matrix,
    energy: ArrayLike<number>,
    list: readonly Incident[],
    options: IncidentOptions & { readonly background?: Matrix; readonly seed?: number } = {},
  ): PipelineIncident[] {
    const nExplain = options.explain ?? 3;
    const top = options.top ?? 3;
    const picks = list.map((inc) =>
      inc.events
        .slice()
        .sort((a, b) => (energy[b] as number) - (energy[a] as number) || a - b)
        .slice(0, nExplain),
    );
    const all = picks.flat();
    let why: Reason[][] = [];
    if (all.length > 0 && top > 0) {
      const background =
        options.background ??
        (this.detector.model.hasContributions === true ? undefined : sampleRows(X, 32, options.seed ?? 1));
      why = this.explain(
        all.map((i) => events[i] as object),
        X.selectRows(all),
        background === undefined
          ? { top: 5, seed: options.seed ?? 1 }
          : { top: 5, seed: options.seed ?? 1, background },
      );
    }
    let at = 0;
    return list.map((inc, k) => {
      const n = (picks[k] as number[]).length;
      const lists = why.slice(at, at + n);
      at += n;
      return {
        ...inc,
        entities: incidentEntities(inc.keys, (options.by ?? []).map(this.fieldLabel())),
        reasons: mergeReasons(lists, top),
      };
    });
  }

  /** Display name of an event field (the featurizer's labels). */
  fieldLabel(): (field: string) => string {
    const labels = this.featurizer.config.labels ?? {};
    return (f: string): string => (Object.hasOwn(labels, f) ? (labels[f] as string) : f);
  }

  /**
   * The tagged, versioned JSON of the whole pipeline.
   *
   * @example
   * ```ts
   * fs.writeFileSync('model.json', JSON.stringify(pipeline.toJSON()));
   * ```
   */
  toJSON(): PipelineJSON {
    return {
      kind: PIPELINE_FILE_KIND,
      version: PIPELINE_FILE_VERSION,
      format: this.format,
      model: this.modelName,
      trainedEvents: this.trainedEvents,
      featurizer: this.featurizer.toJSON(),
      detector: this.detector.toJSON(),
      ...(this.fieldMap === undefined ? {} : { fieldMap: this.fieldMap }),
      maxLatenessSeconds: Number.isFinite(this.maxLatenessSeconds) ? this.maxLatenessSeconds : null,
      lateTrainingEvents: this.lateTrainingEvents,
      warmupEvents: this.warmupEvents,
    };
  }

  /**
   * Loads a saved pipeline (object or JSON text), validating the envelope, the featurizer and the detector
   * with the limits of saved models ({@link parseModelJSON}: at most `options.maxChars` characters of text,
   * no prototype keys, bounded nesting and array lengths, finite numbers); `ModelFormatError` says what is
   * wrong.
   *
   * @example
   * ```ts
   * const p = Pipeline.fromJSON(fs.readFileSync('model.json', 'utf8'));
   * ```
   */
  static fromJSON(json: unknown, options: ParseModelJSONOptions = {}): Pipeline {
    const api = 'Pipeline.fromJSON';
    // The limits of saved models: text size (checked before parsing), prototype keys, nesting depth,
    // array lengths and finite numbers, for text and objects alike.
    const j: unknown = typeof json === 'string' ? parseModelJSON(json, options) : json;
    if (j === null || typeof j !== 'object' || Array.isArray(j)) {
      throw new ModelFormatError(message(api, 'not a saved pipeline', 'an object', describeValue(j)));
    }
    const o = j as Record<string, unknown>;
    checkModelJSON({ kind: PIPELINE_FILE_KIND, version: 1, config: {}, state: o }, api);
    if (o.kind !== PIPELINE_FILE_KIND) {
      throw new ModelFormatError(
        message(api, 'wrong kind', JSON.stringify(PIPELINE_FILE_KIND), JSON.stringify(o.kind) ?? 'undefined'),
      );
    }
    if (o.version !== PIPELINE_FILE_VERSION) {
      throw new ModelFormatError(
        message(api, 'unsupported version', `the number ${PIPELINE_FILE_VERSION}`, describeValue(o.version)),
      );
    }
    if (typeof o.format !== 'string' || !(PIPELINE_FORMATS as readonly string[]).includes(o.format)) {
      throw new ModelFormatError(
        message(api, 'unknown format', PIPELINE_FORMATS.join(' | '), describeValue(o.format)),
      );
    }
    if (typeof o.model !== 'string') {
      throw new ModelFormatError(
        message(api, 'model must be a string', 'a model name', describeValue(o.model)),
      );
    }
    const n = o.trainedEvents;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new ModelFormatError(
        message(api, 'trainedEvents must be a non-negative integer', '≥ 0', describeValue(n)),
      );
    }
    const featurizer = FeaturePipeline.fromJSON<object>(o.featurizer);
    const detector = Detector.fromJSON(o.detector);
    if (detector.model.nFeatures !== featurizer.nFeatures) {
      throw new ModelFormatError(
        message(
          api,
          'the model and the featurizer disagree on the width',
          `${featurizer.nFeatures} features`,
          `${detector.model.nFeatures}`,
        ),
      );
    }
    let fieldMap: FieldMap | undefined;
    try {
      fieldMap = checkMapFormat(api, o.format as PipelineFormat, o.fieldMap);
    } catch (e) {
      throw new ModelFormatError((e as Error).message);
    }
    const lateness = o.maxLatenessSeconds;
    if (
      lateness !== undefined &&
      lateness !== null &&
      (typeof lateness !== 'number' || !Number.isFinite(lateness) || lateness < 0)
    ) {
      throw new ModelFormatError(
        message(
          api,
          'maxLatenessSeconds must be seconds ≥ 0 or null',
          '≥ 0 or null',
          describeValue(lateness),
        ),
      );
    }
    const late = o.lateTrainingEvents;
    if (late !== undefined && (typeof late !== 'number' || !Number.isInteger(late) || late < 0)) {
      throw new ModelFormatError(
        message(api, 'lateTrainingEvents must be a non-negative integer', '≥ 0', describeValue(late)),
      );
    }
    const warm = o.warmupEvents;
    if (warm !== undefined && (typeof warm !== 'number' || !Number.isInteger(warm) || warm < 0 || warm > n)) {
      throw new ModelFormatError(
        message(
          api,
          'warmupEvents must be a count of training events',
          `an integer in [0, ${n}]`,
          describeValue(warm),
        ),
      );
    }
    return new Pipeline({
      format: o.format as PipelineFormat,
      modelName: o.model,
      featurizer,
      detector,
      trainedEvents: n,
      ...(fieldMap === undefined ? {} : { fieldMap }),
      ...(lateness === undefined
        ? {}
        : { maxLatenessSeconds: lateness === null ? Number.POSITIVE_INFINITY : (lateness as number) }),
      ...(late === undefined ? {} : { lateTrainingEvents: late as number }),
      ...(warm === undefined ? {} : { warmupEvents: warm as number }),
    });
  }
}

/**
 * Picks `n` rows spread evenly over `X` (background rows for KernelSHAP).
 *
 * @example
 * ```ts
 * const bg = sampleRows(X, 64, 1);
 * ```
 */
export function sampleRows(X: Matrix, n: number, seed: number): Matrix {
  if (X.rows <= n) return X;
  const idx = new Uint32Array(n);
  // Evenly spaced rows with a seeded offset: deterministic and spread over the whole time range.
  const step = X.rows / n;
  const off = (seed * 2654435761) % Math.max(1, Math.floor(step));
  for (let i = 0; i < n; i++) idx[i] = Math.min(X.rows - 1, Math.floor(i * step) + off);
  return X.selectRows(idx);
}
