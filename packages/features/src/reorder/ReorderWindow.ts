/**
 * The bounded reordering window between parsing and featurizing: events arrive roughly in time order
 * (several shippers, several hosts, buffered forwarding) and stateful features need them in time order.
 *
 * @module
 */
import { message, ParameterError, ValueError } from '@nexus/ebm-core';
import { describeValue } from '@nexus/ebm-core/extend';

/**
 * How far behind the latest time seen an event may arrive and still be put in time order, in seconds
 * (5 minutes: shippers that batch — Windows Event Forwarding, CloudTrail's delivery — stay within it).
 *
 * @example
 * ```ts
 * new ReorderWindow<object>(DEFAULT_MAX_LATENESS_SECONDS);
 * ```
 */
export const DEFAULT_MAX_LATENESS_SECONDS = 300;

/**
 * At most this many events wait in a window by default; beyond it the earliest is released early (and
 * counted as forced), so memory stays bounded however fast events arrive.
 *
 * @example
 * ```ts
 * new ReorderWindow<object>(300, { maxHeld: DEFAULT_MAX_HELD_EVENTS });
 * ```
 */
export const DEFAULT_MAX_HELD_EVENTS = 250_000;

/**
 * Counters of a {@link ReorderWindow}.
 *
 * @example
 * ```ts
 * const { late, forced } = window.stats();
 * ```
 */
export interface ReorderStats {
  /** Events pushed. */
  readonly events: number;
  /** Events later than the window: released at once, in arrival order, out of time order. */
  readonly late: number;
  /** Events released before the watermark passed them because the window was full. */
  readonly forced: number;
  /** Events waiting now. */
  readonly held: number;
}

/**
 * Options of {@link ReorderWindow}.
 *
 * @example
 * ```ts
 * const o: ReorderWindowOptions = { maxHeld: 10_000 };
 * ```
 */
export interface ReorderWindowOptions {
  /** Most events held at once (default {@link DEFAULT_MAX_HELD_EVENTS}). */
  readonly maxHeld?: number;
}

/**
 * Checks a lateness in seconds (a number ≥ 0; `Infinity` = hold everything until the end).
 *
 * @example
 * ```ts
 * checkMaxLateness(300, 'Pipeline.score'); // 300
 * ```
 */
export function checkMaxLateness(value: unknown, api: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new ParameterError(
      message(
        api,
        'maxLatenessSeconds must be a number of seconds ≥ 0',
        '≥ 0 (Infinity allowed)',
        describeValue(value),
      ),
    );
  }
  return value;
}

/**
 * A bounded reordering window: items go in with their event time and come out in time order (ties in
 * arrival order) once the watermark — the latest time seen minus `maxLatenessSeconds` — has passed them.
 * An item whose time is already behind the watermark (or behind an item released early) is *late*: it
 * comes out at once, in arrival order, and is counted. The output is a function of the input sequence
 * alone, never of how it was split into calls, so results do not depend on chunk sizes; and any arrival
 * order in which no item is more than `maxLatenessSeconds` behind the latest time before it gives the
 * time-sorted order. `maxLatenessSeconds` 0 keeps the arrival order (counting out-of-order items as
 * late); `Infinity` holds everything until {@link ReorderWindow.flush} (a full sort).
 *
 * Memory: the held items, at most `maxHeld` (beyond that the earliest is released early and counted as
 * forced).
 *
 * @example
 * ```ts
 * const w = new ReorderWindow<string>(10);
 * const out: string[] = [];
 * w.push('b', 105, out); w.push('a', 100, out); w.push('c', 120, out); // out: ['a', 'b']
 * w.flush(out); // out: ['a', 'b', 'c']
 * ```
 */
export class ReorderWindow<T> {
  /** The lateness bound in seconds. */
  readonly maxLatenessSeconds: number;
  /** Most items held at once. */
  readonly maxHeld: number;
  private items: T[] = [];
  private times: number[] = [];
  private seqs: number[] = [];
  private seq = 0;
  private maxSeen = Number.NEGATIVE_INFINITY;
  private floor = Number.NEGATIVE_INFINITY;
  private nLate = 0;
  private nForced = 0;

  /**
   * @param maxLatenessSeconds - how far behind the latest time an item may arrive (≥ 0; `Infinity` allowed).
   * @param options - the bound on held items.
   */
  constructor(maxLatenessSeconds: number, options: ReorderWindowOptions = {}) {
    this.maxLatenessSeconds = checkMaxLateness(maxLatenessSeconds, 'ReorderWindow');
    const m = options.maxHeld ?? DEFAULT_MAX_HELD_EVENTS;
    if (!Number.isInteger(m) || m < 1) {
      throw new ParameterError(
        message('ReorderWindow', 'maxHeld must be a positive integer', '≥ 1', describeValue(m)),
      );
    }
    this.maxHeld = m;
  }

  /**
   * Takes one item with its time (finite seconds) and appends to `out` every item it releases, in order;
   * returns true when the item was late (released at once, out of time order).
   *
   * @example
   * ```ts
   * w.push(event, event.time, released);
   * ```
   */
  push(item: T, time: number, out: T[]): boolean {
    if (typeof time !== 'number' || !Number.isFinite(time)) {
      throw new ValueError(
        message(
          'ReorderWindow.push',
          'time must be a finite number of seconds',
          'a finite number',
          describeValue(time),
        ),
      );
    }
    this.seq++;
    const watermark = this.maxSeen - this.maxLatenessSeconds;
    if (time < watermark || time < this.floor) {
      this.nLate++;
      out.push(item);
      return true;
    }
    this.insert(item, time, this.seq);
    if (time > this.maxSeen) this.maxSeen = time;
    const w = this.maxSeen - this.maxLatenessSeconds;
    while (this.items.length > 0 && (this.times[0] as number) <= w) this.pop(out);
    while (this.items.length > this.maxHeld) {
      this.nForced++;
      this.pop(out);
    }
    return false;
  }

  /**
   * Releases every held item, in order (end of input, or an idle stream). Items that arrive later and are
   * behind the released ones count as late.
   *
   * @example
   * ```ts
   * w.flush(released);
   * ```
   */
  flush(out: T[]): void {
    while (this.items.length > 0) this.pop(out);
  }

  /**
   * The counters so far.
   *
   * @example
   * ```ts
   * w.stats().late;
   * ```
   */
  stats(): ReorderStats {
    return { events: this.seq, late: this.nLate, forced: this.nForced, held: this.items.length };
  }

  /** Number of items waiting. */
  get held(): number {
    return this.items.length;
  }

  private pop(out: T[]): void {
    const items = this.items;
    const times = this.times;
    const seqs = this.seqs;
    const top = items[0] as T;
    const t = times[0] as number;
    const lastItem = items.pop() as T;
    const lastTime = times.pop() as number;
    const lastSeq = seqs.pop() as number;
    const n = items.length;
    if (n > 0) {
      // sift the last entry down from the root
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && less(times[r] as number, seqs[r] as number, times[l] as number, seqs[l] as number))
          c = r;
        if (!less(times[c] as number, seqs[c] as number, lastTime, lastSeq)) break;
        items[i] = items[c] as T;
        times[i] = times[c] as number;
        seqs[i] = seqs[c] as number;
        i = c;
      }
      items[i] = lastItem;
      times[i] = lastTime;
      seqs[i] = lastSeq;
    }
    if (t > this.floor) this.floor = t;
    out.push(top);
  }

  private insert(item: T, time: number, seq: number): void {
    const items = this.items;
    const times = this.times;
    const seqs = this.seqs;
    let i = items.length;
    items.push(item);
    times.push(time);
    seqs.push(seq);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(time, seq, times[p] as number, seqs[p] as number)) break;
      items[i] = items[p] as T;
      times[i] = times[p] as number;
      seqs[i] = seqs[p] as number;
      i = p;
    }
    items[i] = item;
    times[i] = time;
    seqs[i] = seq;
  }
}

function less(ta: number, sa: number, tb: number, sb: number): boolean {
  return ta < tb || (ta === tb && sa < sb);
}

/**
 * The order in which a {@link ReorderWindow} releases a whole batch (pushed in index order, then flushed),
 * and how many items were late. `undefined` order when the batch comes out as it went in.
 *
 * @param times - event times in arrival order (finite seconds).
 * @param maxLatenessSeconds - the window (`Infinity`: a stable sort by time).
 * @example
 * ```ts
 * const { order, late } = releaseOrder(Float64Array.of(5, 1, 9), 300); // order [1, 0, 2], late 0
 * ```
 */
export function releaseOrder(
  times: ArrayLike<number>,
  maxLatenessSeconds: number,
): { order: Uint32Array | undefined; late: number } {
  const n = times.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if ((times[i] as number) < (times[i - 1] as number)) sorted = false;
  if (sorted) return { order: undefined, late: 0 };
  const order = new Uint32Array(n);
  if (maxLatenessSeconds === Number.POSITIVE_INFINITY) {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
    return { order, late: 0 };
  }
  const w = new ReorderWindow<number>(maxLatenessSeconds, { maxHeld: Math.max(1, n) });
  const out: number[] = [];
  for (let i = 0; i < n; i++) w.push(i, times[i] as number, out);
  w.flush(out);
  order.set(out);
  return { order, late: w.stats().late };
}
