/**
 * The declarative feature pipeline: fitted on training events only, then applied in batch (a `Matrix`) or
 * streaming (one `Float64Array` row per event), and saved as tagged, versioned JSON with the model.
 *
 * @module
 */
import {
  InputTypeError,
  Matrix,
  ModelFormatError,
  message,
  NotFittedError,
  ValueError,
} from '@nexus/ebm-core';
import { describeValue } from '@nexus/ebm-core/extend';
import { checkMaxLateness, releaseOrder } from '../reorder/ReorderWindow.js';
import { type Block, FieldHasher, listValue, numValue, SharedEntity, strValue } from './blocks/Block.js';
import { makeBlock } from './blocks/index.js';
import { checkConfig, type FeaturizerColumn, type PipelineConfig } from './spec.js';

/**
 * Persistence tag of a saved pipeline.
 *
 * @example
 * ```ts
 * pipeline.toJSON().kind === PIPELINE_KIND; // true
 * ```
 */
export const PIPELINE_KIND = 'ebm-features/pipeline';
/**
 * Format version of a saved pipeline.
 *
 * @example
 * ```ts
 * pipeline.toJSON().version === PIPELINE_VERSION; // true
 * ```
 */
export const PIPELINE_VERSION = 1;

/**
 * Saved pipeline: `{ kind, version, config, state }`.
 *
 * @example
 * ```ts
 * const json: FeaturePipelineJSON = pipeline.toJSON();
 * const again = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(json)));
 * ```
 */
export interface FeaturePipelineJSON {
  readonly kind: typeof PIPELINE_KIND;
  readonly version: number;
  readonly config: PipelineConfig;
  readonly state: { readonly blocks: readonly Record<string, unknown>[] };
}

/**
 * Counts of the bounded per-entity state.
 *
 * @example
 * ```ts
 * const { evictions, entities } = pipeline.stateStats();
 * ```
 */
export interface StateStats {
  /** Entities (or pairs) evicted so far, summed over blocks. */
  readonly evictions: number;
  /** Entities (or pairs) held now, summed over blocks. */
  readonly entities: number;
}

/**
 * Options of the batch methods of {@link FeaturePipeline}.
 *
 * @example
 * ```ts
 * p.transform(events, { maxLatenessSeconds: 300 });
 * ```
 */
export interface FeaturizeOptions {
  /**
   * Order of the batch for the stateful features: the release order of a {@link ReorderWindow} with this
   * lateness (events later than it in arrival order). Default `Infinity`: the whole batch sorted by time
   * (stable); `0`: the order given.
   */
  readonly maxLatenessSeconds?: number;
}

const SWEEP_EVERY = 8192;
const MAX_JSON_DEPTH = 8;
const MAX_JSON_ITEMS = 20_000_000;
const DEFAULT_MAX_AGE = 30 * 86400;

/**
 * A fitted-on-training feature pipeline over typed events.
 *
 * Lifecycle and state:
 * - `fit(train)` learns vocabularies and frequencies from all training events, then streams the
 *   training events in time order through the stateful blocks, so first-seen sets know the training
 *   history. Short-term state (sliding windows, decayed rates, gaps) is then reset, so a fitted pipeline
 *   and the same pipeline saved and loaded behave identically.
 * - `fitTransform(train)` does the same and returns the training matrix, in which each row's stateful
 *   features see only earlier training events (as a stream would).
 * - `transform(events)` (batch, rows in input order, state updated in time order) and
 *   `transformOne(event)` (streaming) continue the stream: a pair first seen in scoring is not first seen
 *   the next time. Call `resetStream()` to clear short-term state between unrelated inputs.
 *
 * @example
 * ```ts
 * const p = new FeaturePipeline<AuthEvent>({
 *   blocks: [{ type: 'cyclic' }, { type: 'onehot', field: 'authType' }, { type: 'firstSeen', fields: ['user', 'dstHost'] }],
 *   labels: { dstHost: 'dst_computer' },
 * });
 * const Xtrain = p.fitTransform(trainEvents);
 * const Xtest = p.transform(testEvents);
 * p.columns[5].name; // 'user→dst_computer:first_seen'
 * ```
 */
export class FeaturePipeline<E extends object = Record<string, unknown>> {
  /** The configuration (plain JSON). */
  readonly config: PipelineConfig;
  private readonly blocks: Block[];
  private readonly timeField: string;
  private isFitted = false;
  private nCols = 0;
  private cols: FeaturizerColumn[] = [];
  private sinceSweep = 0;
  /** Events observed so far in a fit in passes; −1 outside one. */
  private observing = -1;
  private latest = Number.NEGATIVE_INFINITY;
  private readonly clock = { n: 0 };
  private readonly shared = new Map<string, SharedEntity>();
  private readonly hashers = new Map<string, FieldHasher>();

  /** @param config - the blocks and settings; checked here (`ParameterError` on the first problem). */
  constructor(config: PipelineConfig) {
    checkConfig(config);
    this.config = structuredClone(config) as PipelineConfig;
    const c = this.config;
    const labels = c.labels ?? {};
    const maxAge =
      c.maxAgeSeconds === undefined
        ? DEFAULT_MAX_AGE
        : c.maxAgeSeconds === 0
          ? Number.POSITIVE_INFINITY
          : c.maxAgeSeconds;
    this.timeField = c.timeField ?? 'time';
    const maxEntities = c.maxEntities ?? 100_000;
    const hasher = (field: string): FieldHasher => {
      let h = this.hashers.get(field);
      if (h === undefined) {
        h = new FieldHasher(field, this.clock);
        this.hashers.set(field, h);
      }
      return h;
    };
    const entity = (field: string): SharedEntity => {
      let se = this.shared.get(field);
      if (se === undefined) {
        se = new SharedEntity(hasher(field), maxEntities, maxAge, this.clock);
        this.shared.set(field, se);
      }
      return se;
    };
    this.blocks = c.blocks.map((spec, index) =>
      makeBlock(
        {
          index,
          seed: c.seed ?? 0,
          timeField: this.timeField,
          utcOffsetMinutes: c.utcOffsetMinutes ?? 0,
          timeZone: c.timeZone,
          maxEntities,
          maxAgeSeconds: maxAge,
          entity,
          hasher,
          label: (f: string): string => (Object.hasOwn(labels, f) ? (labels[f] as string) : f),
        },
        spec,
      ),
    );
  }

  /**
   * Whether the pipeline is fitted (or loaded).
   *
   * @example
   * ```ts
   * new FeaturePipeline({ blocks: [{ type: 'cyclic' }] }).fitted; // false
   * ```
   */
  get fitted(): boolean {
    return this.isFitted;
  }

  /**
   * Number of output columns; throws `NotFittedError` before fit.
   *
   * @example
   * ```ts
   * p.nFeatures; // e.g. 57
   * ```
   */
  get nFeatures(): number {
    this.need('nFeatures');
    return this.nCols;
  }

  /**
   * The column map: one entry per output column with its name, raw field(s) and kind.
   *
   * @example
   * ```ts
   * p.columns.filter((c) => c.fields.includes('dst_computer'));
   * ```
   */
  get columns(): readonly FeaturizerColumn[] {
    this.need('columns');
    return this.cols;
  }

  /**
   * The column names (stable, human-readable), e.g. to pass as `featureNames` to a model.
   *
   * @example
   * ```ts
   * model.fit(X, { featureNames: p.featureNames });
   * ```
   */
  get featureNames(): readonly string[] {
    return this.columns.map((c) => c.name);
  }

  /**
   * Fits on training events (see the class description for how state behaves); returns the pipeline.
   *
   * @example
   * ```ts
   * p.fit(trainEvents);
   * ```
   */
  fit(events: readonly E[], options: FeaturizeOptions = {}): this {
    this.fitRows(events, undefined, options);
    return this;
  }

  /**
   * Fits and returns the training matrix (stateful features see only earlier training events).
   *
   * @example
   * ```ts
   * const X = p.fitTransform(trainEvents);
   * ```
   */
  fitTransform(events: readonly E[], options: FeaturizeOptions = {}): Matrix {
    const holder: { m?: Matrix } = {};
    this.fitRows(events, holder, options);
    return holder.m as Matrix;
  }

  /**
   * Features of a batch, one row per event in input order; stateful features are computed in event-time
   * order (stable for ties; with `options.maxLatenessSeconds`, the order of a bounded reordering window)
   * and the stream state moves on.
   *
   * @example
   * ```ts
   * const X = p.transform(testEvents); // Matrix events.length × p.nFeatures
   * ```
   */
  transform(events: readonly E[], options: FeaturizeOptions = {}): Matrix {
    this.need('transform');
    const api = 'FeaturePipeline.transform';
    this.checkEvents(events, api);
    const n = events.length;
    const w = this.nCols;
    const out = new Matrix(n, w);
    const order = this.timeOrder(events, api, options);
    const data = out.data;
    for (let k = 0; k < n; k++) {
      const i = order === undefined ? k : (order[k] as number);
      this.writeRow(events[i] as E, data, i * w, api, i);
    }
    return out;
  }

  /**
   * Features of one event (streaming); writes into `out` when given (length `nFeatures`).
   *
   * @example
   * ```ts
   * const row = new Float64Array(p.nFeatures);
   * for await (const e of events) score(p.transformOne(e, row));
   * ```
   */
  transformOne(event: E, out?: Float64Array): Float64Array {
    this.need('transformOne');
    const api = 'FeaturePipeline.transformOne';
    if (event === null || typeof event !== 'object')
      throw new InputTypeError(
        message(api, 'event must be an object', 'an event object', describeValue(event)),
      );
    const row = out ?? new Float64Array(this.nCols);
    if (row.length !== this.nCols)
      throw new ValueError(
        message(api, 'output row has the wrong length', String(this.nCols), String(row.length)),
      );
    this.writeRow(event, row, 0, api, 0);
    return row;
  }

  /**
   * Streams events through the pipeline, yielding a fresh row per event.
   *
   * @example
   * ```ts
   * for await (const row of p.transformStream(parseStream(parsers.lanl(), stream))) model.energyOne(row);
   * ```
   */
  async *transformStream(events: AsyncIterable<E> | Iterable<E>): AsyncGenerator<Float64Array> {
    for await (const e of events) yield this.transformOne(e);
  }

  /**
   * The raw values of every field the pipeline reads, by display name (missing values as `?`; times as
   * ISO text when they look like Unix times), for reason text.
   *
   * @example
   * ```ts
   * p.describe(event); // { user: 'U620', dst_computer: 'C1003', auth_type: 'NTLM', time: '150885', … }
   * ```
   */
  describe(event: E): Record<string, string> {
    const out: Record<string, string> = Object.create(null) as Record<string, string>;
    const labels = this.config.labels ?? {};
    for (const b of this.blocks) {
      for (const f of b.rawFields()) {
        const label = Object.hasOwn(labels, f) ? (labels[f] as string) : f;
        if (label in out) continue;
        let v = Array.isArray((event as Record<string, unknown>)[f])
          ? listValue(event, f).join(', ')
          : strValue(event, f);
        if (f === this.timeField) {
          const t = numValue(event, f);
          v = t > 1e8 && t < 1e11 ? new Date(t * 1000).toISOString() : String(t);
        }
        out[label] = v === '' ? '?' : v;
      }
    }
    return out;
  }

  /**
   * A short reason for column `j` with the event's values, e.g.
   * `dst_computer C1003 first seen for user U620`. Pass the column's `value` for the event (its feature
   * row's entry) when you have it: phrases of stream state then describe the event as it was scored, not
   * the state now.
   *
   * @example
   * ```ts
   * p.reason(p.featureNames.indexOf('user→dst_computer:first_seen'), event);
   * ```
   */
  reason(column: number, event: E, value?: number): string {
    const cols = this.columns;
    const c = cols[column];
    if (!Number.isInteger(column) || c === undefined)
      throw new ValueError(
        message('FeaturePipeline.reason', 'column out of range', `0 … ${cols.length - 1}`, String(column)),
      );
    const b = this.blocks[c.block] as Block;
    return b.reason(column - b.offset, event, value);
  }

  /**
   * Clears short-term stream state (sliding windows, decayed rates, gaps); keeps learned state and
   * first-seen sets.
   *
   * @example
   * ```ts
   * p.resetStream();
   * ```
   */
  resetStream(): void {
    for (const b of this.blocks) b.resetShort();
    for (const se of this.shared.values()) se.reset();
    this.latest = Number.NEGATIVE_INFINITY;
    this.sinceSweep = 0;
  }

  /**
   * Evictions and entities of the bounded per-entity state.
   *
   * @example
   * ```ts
   * console.log(p.stateStats().evictions);
   * ```
   */
  stateStats(): StateStats {
    let evictions = 0;
    let entities = 0;
    for (const b of this.blocks) {
      evictions += b.evictions();
      entities += b.entities();
    }
    for (const se of this.shared.values()) {
      evictions += se.table.evictions;
      entities += se.table.size;
    }
    return { evictions, entities };
  }

  /**
   * Tagged, versioned JSON: config plus learned state (vocabularies, frequencies) and first-seen sets.
   *
   * @example
   * ```ts
   * fs.writeFileSync('features.json', JSON.stringify(p.toJSON()));
   * ```
   */
  toJSON(): FeaturePipelineJSON {
    this.need('toJSON');
    return {
      kind: PIPELINE_KIND,
      version: PIPELINE_VERSION,
      config: structuredClone(this.config) as PipelineConfig,
      state: { blocks: this.blocks.map((b) => b.saveState()) },
    };
  }

  /**
   * Loads a saved pipeline, validating it (kind, version, config, state types; rejects `__proto__` /
   * `constructor` / `prototype` keys, deep nesting and oversized arrays) — `ModelFormatError` otherwise.
   *
   * @example
   * ```ts
   * const p = FeaturePipeline.fromJSON<AuthEvent>(JSON.parse(fs.readFileSync('features.json', 'utf8')));
   * ```
   */
  static fromJSON<T extends object = Record<string, unknown>>(json: unknown): FeaturePipeline<T> {
    const api = 'FeaturePipeline.fromJSON';
    checkHostile(json, api);
    const j = json as Record<string, unknown>;
    if (j === null || typeof j !== 'object' || Array.isArray(j))
      throw new ModelFormatError(message(api, 'not a saved pipeline', 'an object', describeValue(json)));
    if (j.kind !== PIPELINE_KIND)
      throw new ModelFormatError(
        message(api, 'wrong kind', JSON.stringify(PIPELINE_KIND), JSON.stringify(j.kind) ?? 'undefined'),
      );
    if (j.version !== PIPELINE_VERSION)
      throw new ModelFormatError(
        message(api, 'unsupported version', `the number ${PIPELINE_VERSION}`, describeValue(j.version)),
      );
    let p: FeaturePipeline<T>;
    try {
      p = new FeaturePipeline<T>(j.config as PipelineConfig);
    } catch (e) {
      throw new ModelFormatError(message(api, `invalid config: ${(e as Error).message}`));
    }
    const st = j.state as Record<string, unknown> | undefined;
    const blocks = st !== null && typeof st === 'object' ? st.blocks : undefined;
    if (!Array.isArray(blocks) || blocks.length !== p.blocks.length)
      throw new ModelFormatError(
        message(
          api,
          'state.blocks must have one entry per block',
          String(p.blocks.length),
          describeValue(blocks),
        ),
      );
    blocks.forEach((s: unknown, i: number) => {
      if (s === null || typeof s !== 'object' || Array.isArray(s))
        throw new ModelFormatError(
          message(api, `state.blocks[${i}] must be an object`, 'an object', describeValue(s)),
        );
      try {
        (p.blocks[i] as Block).loadState(s as Record<string, unknown>);
      } catch (e) {
        throw new ModelFormatError(message(api, `state.blocks[${i}]: ${(e as Error).message}`));
      }
    });
    p.finishLayout();
    p.isFitted = true;
    return p;
  }

  private need(api: string): void {
    if (!this.isFitted) throw new NotFittedError(`FeaturePipeline.${api}`);
  }

  private checkEvents(events: readonly E[], api: string): void {
    if (!Array.isArray(events))
      throw new InputTypeError(
        message(api, 'events must be an array', 'an array of event objects', describeValue(events)),
      );
  }

  private fitRows(events: readonly E[], holder: { m?: Matrix } | undefined, options: FeaturizeOptions): void {
    const api = holder === undefined ? 'FeaturePipeline.fit' : 'FeaturePipeline.fitTransform';
    this.checkEvents(events, api);
    if (events.length === 0)
      throw new ValueError(message(api, 'no training events', 'at least 1 event', '0'));
    const order = this.timeOrder(events, api, options);
    const n = events.length;
    this.startFit();
    for (let k = 0; k < n; k++)
      this.observeOne(events[order === undefined ? k : (order[k] as number)], k, api);
    this.observing = n;
    this.finishFit();
    const w = this.nCols;
    const m = new Matrix(holder === undefined ? 1 : n, w);
    for (let k = 0; k < n; k++) {
      const i = order === undefined ? k : (order[k] as number);
      this.writeRow(events[i] as E, m.data, holder === undefined ? 0 : i * w, api, i);
    }
    if (holder !== undefined) holder.m = m;
    this.resetStream();
  }

  /**
   * Starts a fit in passes, for training events that do not fit in memory: clears every learned and
   * stream state. Then {@link FeaturePipeline.observe} sees the training events (in chunks, in the order
   * they will be featurized), {@link FeaturePipeline.finishFit} freezes the learned state, and
   * `transform` over the same events in the same order gives the rows `fitTransform` gives (call
   * `resetStream()` after them, as `fitTransform` does). The fitted state equals `fitTransform`'s on the
   * same events in the same order.
   *
   * @example
   * ```ts
   * p.startFit();
   * for (const chunk of pass1) p.observe(chunk);
   * p.finishFit();
   * for (const chunk of pass2) use(p.transform(chunk));
   * p.resetStream();
   * ```
   */
  startFit(): void {
    for (const b of this.blocks) b.resetAll();
    this.resetStream();
    this.isFitted = false;
    this.observing = 0;
  }

  /**
   * The counting pass of a fit in passes (after {@link FeaturePipeline.startFit}): learns vocabularies,
   * frequencies, profiles and peer groups from a chunk of training events, taken in the order given.
   *
   * @example
   * ```ts
   * p.observe(chunk);
   * ```
   */
  observe(events: readonly E[]): void {
    const api = 'FeaturePipeline.observe';
    this.needFitStarted(api);
    this.checkEvents(events, api);
    for (let k = 0; k < events.length; k++) this.observeOne(events[k], this.observing + k, api);
    this.observing += events.length;
  }

  /**
   * Ends the counting pass of a fit in passes: freezes the learned state and lays out the columns; the
   * pipeline is fitted, with empty stream state.
   *
   * @example
   * ```ts
   * p.finishFit().nFeatures;
   * ```
   */
  finishFit(): this {
    const api = 'FeaturePipeline.finishFit';
    this.needFitStarted(api);
    if (this.observing === 0)
      throw new ValueError(message(api, 'no training events', 'at least 1 event', '0'));
    for (const b of this.blocks) b.finishFit();
    this.finishLayout();
    this.isFitted = true;
    this.observing = -1;
    this.resetStream();
    return this;
  }

  private needFitStarted(api: string): void {
    if (this.observing < 0)
      throw new ValueError(
        message(api, 'no fit in passes is under way', 'a call to startFit() first', 'none'),
      );
  }

  private observeOne(e: E | undefined, k: number, api: string): void {
    if (e === null || typeof e !== 'object')
      throw new InputTypeError(
        message(api, `event ${k} is not an object`, 'an event object', describeValue(e)),
      );
    const t = (e as Record<string, unknown>)[this.timeField];
    if (typeof t !== 'number' || !Number.isFinite(t))
      throw new ValueError(
        message(
          api,
          `event ${k} has no finite ${this.timeField}`,
          'seconds as a finite number',
          describeValue(t),
        ),
      );
    for (const b of this.blocks) b.observe(e);
  }

  private finishLayout(): void {
    let off = 0;
    const cols: FeaturizerColumn[] = [];
    for (const b of this.blocks) {
      b.offset = off;
      off += b.width;
      for (const c of b.columns()) cols.push(c);
    }
    this.nCols = off;
    this.cols = cols;
  }

  /** The processing order of the events (see {@link FeaturizeOptions}), or undefined when it is the input order. */
  private timeOrder(events: readonly E[], api: string, options: FeaturizeOptions): Uint32Array | undefined {
    const lateness =
      options.maxLatenessSeconds === undefined
        ? Number.POSITIVE_INFINITY
        : checkMaxLateness(options.maxLatenessSeconds, api);
    const n = events.length;
    const tf = this.timeField;
    const times = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const e = events[i];
      if (e === null || typeof e !== 'object')
        throw new InputTypeError(
          message(api, `event ${i} is not an object`, 'an event object', describeValue(e)),
        );
      const t = (e as Record<string, unknown>)[tf];
      if (typeof t !== 'number' || !Number.isFinite(t))
        throw new ValueError(
          message(api, `event ${i} has no finite ${tf}`, 'seconds as a finite number', describeValue(t)),
        );
      times[i] = t;
    }
    return releaseOrder(times, lateness).order;
  }

  private writeRow(e: E, out: Float64Array, off: number, api: string, i: number): void {
    const t = (e as Record<string, unknown>)[this.timeField];
    if (typeof t !== 'number' || !Number.isFinite(t))
      throw new ValueError(
        message(
          api,
          `event ${i} has no finite ${this.timeField}`,
          'seconds as a finite number',
          describeValue(t),
        ),
      );
    if (t > this.latest) this.latest = t;
    this.clock.n++;
    const blocks = this.blocks;
    for (let b = 0; b < blocks.length; b++) {
      const blk = blocks[b] as Block;
      blk.write(e, t, out, off + blk.offset);
    }
    if (++this.sinceSweep >= SWEEP_EVERY) {
      this.sinceSweep = 0;
      for (let b = 0; b < blocks.length; b++) (blocks[b] as Block).sweep(this.latest);
      for (const se of this.shared.values()) se.table.sweep(this.latest);
    }
  }
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Rejects hostile JSON: forbidden keys, deep nesting, too many items, non-plain values. */
function checkHostile(v: unknown, api: string): void {
  let items = 0;
  const walk = (x: unknown, depth: number, path: string): void => {
    if (++items > MAX_JSON_ITEMS)
      throw new ModelFormatError(
        message(api, 'saved pipeline is too large', `at most ${MAX_JSON_ITEMS} values`, 'more'),
      );
    if (x === null || typeof x === 'string' || typeof x === 'boolean') return;
    if (typeof x === 'number') {
      if (!Number.isFinite(x))
        throw new ModelFormatError(
          message(api, `non-finite number at ${path}`, 'a finite number', String(x)),
        );
      return;
    }
    if (typeof x !== 'object')
      throw new ModelFormatError(message(api, `unexpected value at ${path}`, 'JSON data', typeof x));
    if (depth > MAX_JSON_DEPTH)
      throw new ModelFormatError(
        message(api, `nesting too deep at ${path}`, `at most ${MAX_JSON_DEPTH} levels`, 'deeper'),
      );
    if (Array.isArray(x)) {
      if (x.length > MAX_JSON_ITEMS)
        throw new ModelFormatError(
          message(api, `array too long at ${path}`, `at most ${MAX_JSON_ITEMS}`, String(x.length)),
        );
      for (let i = 0; i < x.length; i++) walk(x[i], depth + 1, `${path}[${i}]`);
      return;
    }
    const proto = Object.getPrototypeOf(x);
    if (proto !== Object.prototype && proto !== null)
      throw new ModelFormatError(
        message(api, `unexpected object at ${path}`, 'a plain object', describeValue(x)),
      );
    for (const k of Object.keys(x)) {
      if (FORBIDDEN.has(k))
        throw new ModelFormatError(
          message(
            api,
            `forbidden key at ${path}`,
            'no __proto__, constructor or prototype keys',
            JSON.stringify(k),
          ),
        );
      walk((x as Record<string, unknown>)[k], depth + 1, `${path}.${k}`);
    }
  };
  walk(v, 0, '$');
}
