/**
 * Scoring a stream of events in chunks through the reordering window, so results do not depend on how
 * the stream was chunked.
 *
 * @module
 */
import { InputTypeError, Matrix, message, ValueError } from '@nexus/ebm-core';
import { describeValue } from '@nexus/ebm-core/extend';
import { DEFAULT_MAX_HELD_EVENTS, type ReorderStats, ReorderWindow } from '@nexus/ebm-features';
import { checkMaxLateness } from '@nexus/ebm-features/extend';
import type { Pipeline, PipelineScores } from './Pipeline.js';

/**
 * Options of {@link PipelineStream} (and of `Pipeline.score`, `Pipeline.featurize`).
 *
 * @example
 * ```ts
 * const o: PipelineStreamOptions = { maxLatenessSeconds: 60 };
 * ```
 */
export interface PipelineStreamOptions {
  /**
   * How far behind the latest time seen an event may arrive and still be featurized in time order, in
   * seconds (default: the pipeline's `maxLatenessSeconds`, set at training, 300 unless chosen otherwise).
   * Later events are featurized in arrival order and counted as late.
   */
  readonly maxLatenessSeconds?: number;
  /** Most events waiting in the window (default 250,000); beyond it the earliest goes early (counted). */
  readonly maxHeld?: number;
  /** How an error names an event (default `event N`, N its 0-based arrival index). */
  readonly label?: (event: object, index: number) => string;
}

/**
 * Results of {@link PipelineStream.push} / {@link PipelineStream.flush}: consecutive events in arrival
 * order, starting at arrival index `first`.
 *
 * @example
 * ```ts
 * const r: StreamScores = stream.push(chunk);
 * r.events[0]; // the event with arrival index r.first
 * ```
 */
export interface StreamScores extends PipelineScores {
  /** Arrival index (0-based, over every event pushed into the stream) of the first result. */
  readonly first: number;
  /** The scored events, in arrival order. */
  readonly events: readonly object[];
  /** Their feature rows (for explanations). */
  readonly rows: Matrix;
  /** 1 for an event that came later than the window and was featurized in arrival order. */
  readonly late: Uint8Array;
}

/** Row references a library message may make within a featurized batch (`row 17`, `event 4`). */
const ROW_REF = /\b(row|event)s? (\d+)/g;

/**
 * Scores a stream of events pushed in chunks: events pass a bounded reordering window (between parsing
 * and featurizing), are featurized and scored in the window's release order, and come back in **arrival
 * order** (each result tied to its event) as soon as every earlier event has been scored. The results are
 * therefore identical however the stream is cut into chunks, and identical to the time-sorted run for any
 * arrival order in which no event is more than `maxLatenessSeconds` behind one that arrived before it.
 * Events later than that are featurized in arrival order and counted ({@link PipelineStream.stats}).
 * Memory: the events in the window and those waiting for an earlier one to be released.
 *
 * @example
 * ```ts
 * const stream = pipeline.stream();
 * for (const chunk of chunks) write(stream.push(chunk));
 * write(stream.flush());
 * stream.stats().late; // events featurized out of time order
 * ```
 */
export class PipelineStream {
  /** The pipeline scoring the stream (its featurizer's state moves on). */
  readonly pipeline: Pipeline;
  /** The lateness bound in seconds. */
  readonly maxLatenessSeconds: number;
  private readonly window: ReorderWindow<number>;
  private readonly label: (event: object, index: number) => string;
  private readonly timeField: string;
  /** Arrival index of the first event not yet returned. */
  private base = 0;
  private next = 0;
  private events: (object | undefined)[] = [];
  private energy: number[] = [];
  private pValue: number[] = [];
  private flag: number[] = [];
  private rows: (Float64Array | undefined)[] = [];
  private lateAt: number[] = [];

  /**
   * @param pipeline - a trained pipeline.
   * @param options - the window (default: the pipeline's lateness).
   */
  constructor(pipeline: Pipeline, options: PipelineStreamOptions = {}) {
    const api = 'PipelineStream';
    this.pipeline = pipeline;
    this.maxLatenessSeconds = checkMaxLateness(
      options.maxLatenessSeconds ?? pipeline.maxLatenessSeconds,
      api,
    );
    this.window = new ReorderWindow<number>(this.maxLatenessSeconds, {
      maxHeld: options.maxHeld ?? DEFAULT_MAX_HELD_EVENTS,
    });
    this.label = options.label ?? ((_e, i) => `event ${i}`);
    this.timeField = pipeline.featurizer.config.timeField ?? 'time';
  }

  /**
   * Pushes a chunk of events (in arrival order); returns the results now complete, in arrival order.
   *
   * @example
   * ```ts
   * const r = stream.push(events);
   * ```
   */
  push(events: readonly object[]): StreamScores {
    const api = 'PipelineStream.push';
    if (!Array.isArray(events)) {
      throw new InputTypeError(
        message(api, 'events must be an array', 'an array of event objects', describeValue(events)),
      );
    }
    const released: number[] = [];
    const tf = this.timeField;
    for (let k = 0; k < events.length; k++) {
      const e = events[k];
      const index = this.next;
      if (e === null || typeof e !== 'object') {
        throw new InputTypeError(
          message(api, `${this.label({}, index)} is not an object`, 'an event object', describeValue(e)),
        );
      }
      const t = (e as Record<string, unknown>)[tf];
      if (typeof t !== 'number' || !Number.isFinite(t)) {
        throw new ValueError(
          message(
            api,
            `${this.label(e, index)} has no finite ${tf}`,
            'seconds as a finite number',
            describeValue(t),
          ),
        );
      }
      this.next++;
      this.events.push(e);
      this.rows.push(undefined);
      this.energy.push(0);
      this.pValue.push(0);
      this.flag.push(0);
      if (this.window.push(index, t, released)) this.lateAt.push(index);
    }
    this.score(released);
    return this.take();
  }

  /**
   * Releases and scores every event still waiting (end of input, or an idle stream); returns the rest of
   * the results. The stream can go on afterwards: an event behind those released counts as late.
   *
   * @example
   * ```ts
   * const rest = stream.flush();
   * ```
   */
  flush(): StreamScores {
    const released: number[] = [];
    this.window.flush(released);
    this.score(released);
    return this.take();
  }

  /**
   * Window counters (events, late, forced, held) and events scored but waiting for an earlier one.
   *
   * @example
   * ```ts
   * const { late } = stream.stats();
   * ```
   */
  stats(): ReorderStats & { readonly waiting: number } {
    const s = this.window.stats();
    return { ...s, waiting: this.next - this.base - s.held };
  }

  /** Featurizes and scores released events in release order, storing the results by arrival index. */
  private score(released: readonly number[]): void {
    if (released.length === 0) return;
    const batch = released.map((i) => this.events[i - this.base] as object);
    let X: Matrix;
    let s: PipelineScores;
    try {
      X = this.pipeline.featurizer.transform(batch, { maxLatenessSeconds: 0 });
      s = this.pipeline.scoreRows(X);
    } catch (e) {
      throw relabel(e, (k) => {
        const i = released[k];
        return i === undefined ? undefined : this.label(this.events[i - this.base] as object, i);
      });
    }
    const w = X.cols;
    for (let k = 0; k < released.length; k++) {
      const slot = (released[k] as number) - this.base;
      this.energy[slot] = s.energy[k] as number;
      this.pValue[slot] = s.pValue[k] as number;
      this.flag[slot] = s.flag[k] as number;
      this.rows[slot] = X.data.slice(k * w, (k + 1) * w);
    }
  }

  /** The longest run of completed results from the oldest event on. */
  private take(): StreamScores {
    let n = 0;
    while (n < this.rows.length && this.rows[n] !== undefined) n++;
    const first = this.base;
    const w = this.pipeline.featurizer.nFeatures;
    const rows = new Matrix(n, w);
    for (let k = 0; k < n; k++) rows.data.set(this.rows[k] as Float64Array, k * w);
    const late = new Uint8Array(n);
    let keep = 0;
    for (const i of this.lateAt) {
      if (i < first + n) late[i - first] = 1;
      else this.lateAt[keep++] = i;
    }
    this.lateAt.length = keep;
    const out: StreamScores = {
      first,
      events: this.events.splice(0, n) as object[],
      rows,
      energy: Float64Array.from(this.energy.splice(0, n)),
      pValue: Float64Array.from(this.pValue.splice(0, n)),
      flag: Uint8Array.from(this.flag.splice(0, n)),
      late,
    };
    this.rows.splice(0, n);
    this.base += n;
    return out;
  }
}

/**
 * Pushes a complete batch into `stream` and flushes its window: the results of every event still pending
 * (with a stream flushed after each batch, exactly the batch's), in arrival order, as one block.
 * `Pipeline.score` and the stream worker score whole batches through it.
 */
export function scoreWhole(stream: PipelineStream, events: readonly object[]): StreamScores {
  const a = stream.push(events);
  const b = stream.flush();
  if (b.events.length === 0) return a;
  if (a.events.length === 0) return b;
  const join = <T extends Float64Array | Uint8Array>(x: T, y: T, out: T): T => {
    out.set(x, 0);
    out.set(y, x.length);
    return out;
  };
  const n = a.events.length + b.events.length;
  const cols = a.rows.cols;
  return {
    first: a.first,
    events: [...a.events, ...b.events],
    rows: new Matrix(n, cols, join(a.rows.data, b.rows.data, new Float64Array(n * cols))),
    energy: join(a.energy, b.energy, new Float64Array(n)),
    pValue: join(a.pValue, b.pValue, new Float64Array(n)),
    flag: join(a.flag, b.flag, new Uint8Array(n)),
    late: join(a.late, b.late, new Uint8Array(n)),
  };
}

/** Re-raises an error of a featurized batch with its `row k` / `event k` references named for the stream. */
function relabel(e: unknown, name: (k: number) => string | undefined): unknown {
  if (!(e instanceof Error)) return e;
  const text = e.message.replace(ROW_REF, (m: string, _kind: string, k: string) => name(Number(k)) ?? m);
  if (text === e.message) return e;
  const again = Object.create(Object.getPrototypeOf(e) as object) as Error;
  Object.defineProperties(again, Object.getOwnPropertyDescriptors(e));
  again.message = text;
  return again;
}
