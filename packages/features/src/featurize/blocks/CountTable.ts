/**
 * A frozen 64-bit-key → count table.
 *
 * @module
 */
import { EntityTable } from '../EntityTable.js';
import { grow } from './Block.js';
import { checkInts, checkNumbers } from './relation.js';

/** A frozen 64-bit-key → count table. */
export class CountTable {
  table: EntityTable;
  counts: Float64Array<ArrayBuffer> = new Float64Array(64);
  constructor(capacity: number) {
    this.table = new EntityTable(capacity);
  }
  add(k1: number, k2: number): void {
    const s = this.table.slotOf(k1, k2, 0);
    if (s >= this.counts.length) this.counts = grow(this.counts, this.table.slotCount);
    this.counts[s] = (this.table.created ? 0 : (this.counts[s] as number)) + 1;
  }
  get(k1: number, k2: number): number {
    const s = this.table.peekOf(k1, k2);
    return s < 0 ? 0 : (this.counts[s] as number);
  }
  get size(): number {
    return this.table.size;
  }
  /** A copy keeping the `cap` most frequent keys. */
  pruned(cap: number): CountTable {
    const rows: Array<[number, number, number]> = [];
    this.table.each((k1, k2, s) => {
      rows.push([k1, k2, this.counts[s] as number]);
    });
    rows.sort((x, y) => y[2] - x[2] || x[0] - y[0] || x[1] - y[1]);
    return CountTable.from(rows.slice(0, cap), Math.max(1, cap));
  }
  static from(rows: ReadonlyArray<readonly [number, number, number]>, capacity: number): CountTable {
    const t = new CountTable(capacity);
    for (const [k1, k2, c] of rows) {
      const s = t.table.slotOf(k1, k2, 0);
      if (s >= t.counts.length) t.counts = grow(t.counts, t.table.slotCount);
      t.counts[s] = c;
    }
    return t;
  }
  /**
   * Loads saved keys and counts (checked: at most `cap` entries, 32-bit keys, counts in [0, `max`] —
   * integers when `max` is given); `TypeError` naming `what` otherwise.
   */
  static load(a: unknown, b: unknown, c: unknown, what: string, cap: number, max?: number): CountTable {
    if (!Array.isArray(a) || a.length > cap)
      throw new TypeError(`${what} must be an array of at most ${cap} entries`);
    const k1 = checkInts(a, `${what} k1`, a.length);
    const k2 = checkInts(b, `${what} k2`, k1.length);
    const counts = checkNumbers(c, `${what} counts`, k1.length);
    if (max === undefined) {
      if (counts.some((x) => x < 0)) throw new TypeError(`${what} counts must be non-negative`);
    } else if (counts.some((x) => !Number.isInteger(x) || x < 0 || x > max))
      throw new TypeError(`${what} counts must be integers in [0, ${max}]`);
    return CountTable.from(
      k1.map((x, i) => [x, k2[i] as number, counts[i] as number] as const),
      Math.max(1, cap),
    );
  }
  save(): { k1: number[]; k2: number[]; counts: number[] } {
    const k1: number[] = [];
    const k2: number[] = [];
    const counts: number[] = [];
    this.table.each((a, b, s) => {
      k1.push(a);
      k2.push(b);
      counts.push(this.counts[s] as number);
    });
    return { k1, k2, counts };
  }
}
