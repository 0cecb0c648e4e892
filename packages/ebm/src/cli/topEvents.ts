/**
 * What `ebm eval --report` keeps while it streams a log, to explain the top events at the end in bounded
 * memory: the `n` highest-energy events with their feature rows ({@link TopEvents}), and background rows
 * for KernelSHAP spread evenly over the whole log ({@link SpreadSample}). Both depend only on the events
 * in file order, never on how the log was chunked.
 *
 * @module
 */
import { Matrix } from '@nexus/ebm-core';
import type { ScoredEvent } from './score.js';

/**
 * One kept event: its score, the event and a copy of its feature row.
 */
export interface KeptEvent {
  readonly row: ScoredEvent;
  readonly event: object;
  readonly x: Float64Array;
}

/** Higher energy first; the earlier line first among equal energies. */
function before(a: ScoredEvent, b: ScoredEvent): number {
  return b.energy - a.energy || a.line - b.line;
}

/**
 * The `n` highest-energy events seen so far (ties: the earlier line), with their events and feature rows.
 *
 * @example
 * ```ts
 * const top = new TopEvents(20);
 * top.offer(events, X, rows); // per chunk
 * top.events(); // highest energy first
 * ```
 */
export class TopEvents {
  private kept: KeptEvent[] = [];
  /** The energy an event must beat to enter, once `n` are kept. */
  private floor: ScoredEvent | undefined;

  /** @param n - how many events to keep. */
  constructor(readonly n: number) {}

  /**
   * Offers one chunk: its events, their feature rows and scores (same order).
   *
   * @example
   * ```ts
   * top.offer(events, X, rows);
   * ```
   */
  offer(events: readonly object[], X: Matrix, rows: readonly ScoredEvent[]): void {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as ScoredEvent;
      if (this.floor !== undefined && before(r, this.floor) >= 0) continue;
      this.kept.push({ row: r, event: events[i] as object, x: Float64Array.from(X.row(i)) });
      if (this.kept.length >= 2 * this.n) this.trim();
    }
  }

  private trim(): void {
    this.kept.sort((a, b) => before(a.row, b.row));
    this.kept.length = Math.min(this.kept.length, this.n);
    if (this.kept.length === this.n) this.floor = (this.kept[this.n - 1] as KeptEvent).row;
  }

  /**
   * The kept events, highest energy first.
   *
   * @example
   * ```ts
   * top.events()[0].row.line;
   * ```
   */
  events(): KeptEvent[] {
    this.trim();
    return this.kept.slice();
  }
}

/**
 * Feature rows spread evenly over a stream of unknown length, in bounded memory: keeps every `stride`-th
 * row, and when `2·n` are kept, drops every other one and doubles the stride. The result (at most `2·n`
 * rows, at least `n` once `n` rows were seen) depends only on the rows in order.
 *
 * @example
 * ```ts
 * const bg = new SpreadSample(32);
 * bg.offer(X); // per chunk
 * bg.matrix(); // background rows for KernelSHAP
 * ```
 */
export class SpreadSample {
  private rows: Float64Array[] = [];
  private stride = 1;
  private seen = 0;
  private cols = 0;

  /** @param n - the fewest rows to keep (when the stream has that many). */
  constructor(readonly n: number) {}

  /**
   * Offers the rows of one chunk.
   *
   * @example
   * ```ts
   * bg.offer(X);
   * ```
   */
  offer(X: Matrix): void {
    this.cols = X.cols;
    for (let i = 0; i < X.rows; i++) {
      if (this.seen++ % this.stride !== 0) continue;
      this.rows.push(Float64Array.from(X.row(i)));
      if (this.rows.length >= 2 * this.n) {
        this.rows = this.rows.filter((_, k) => k % 2 === 0);
        this.stride *= 2;
      }
    }
  }

  /**
   * The kept rows as a matrix (`undefined` before any row).
   *
   * @example
   * ```ts
   * const background = bg.matrix();
   * ```
   */
  matrix(): Matrix | undefined {
    if (this.rows.length === 0) return undefined;
    const data = new Float64Array(this.rows.length * this.cols);
    this.rows.forEach((r, i) => {
      data.set(r, i * this.cols);
    });
    return new Matrix(this.rows.length, this.cols, data);
  }
}
