/**
 * A frozen 64-bit-key → count table.
 *
 * @module
 */
import { EntityTable } from '../EntityTable.js';
import { grow } from './Block.js';

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
