/**
 * The learning period of a novelty block: when each entity value (or, without an entity, the stream) was
 * first seen, so that "new" is only said once the entity has been watched for `seconds`. Long-term stream
 * state, saved with the block and bounded by the same entity caps.
 *
 * @module
 */
import { EntityTable } from '../EntityTable.js';
import { type BlockContext, type BlockState, type FieldHasher, grow } from './Block.js';
import { checkInts, checkNumbers } from './relation.js';

export class Baseline {
  /** Seconds an entity must have been seen before its novelties count. */
  readonly seconds: number;
  private readonly ctx: BlockContext;
  private readonly hasher: FieldHasher | undefined;
  private table: EntityTable;
  private first = new Float64Array(0);

  /** `hasher`: the entity field's (undefined: one baseline for the whole stream). */
  constructor(ctx: BlockContext, seconds: number, hasher: FieldHasher | undefined) {
    this.ctx = ctx;
    this.seconds = seconds;
    this.hasher = hasher;
    this.table = new EntityTable(ctx.maxEntities, ctx.maxAgeSeconds);
  }

  /** Records the event's entity at time `t`; whether it was first seen at least `seconds` before `t`. */
  established(e: object, t: number): boolean {
    let k1 = 0;
    let k2 = 0;
    if (this.hasher !== undefined) {
      this.hasher.of(e);
      k1 = this.hasher.k1;
      k2 = this.hasher.k2;
    }
    const slot = this.table.slotOf(k1, k2, t);
    if (slot >= this.first.length) this.first = grow(this.first, this.table.slotCount);
    if (this.table.created) this.first[slot] = t;
    return t - (this.first[slot] as number) >= this.seconds;
  }

  /** Forgets every entity (keeps the eviction count). */
  reset(): void {
    const ev = this.table.evictions;
    this.table = new EntityTable(this.ctx.maxEntities, this.ctx.maxAgeSeconds);
    this.table.evictions = ev;
    this.first = new Float64Array(0);
  }

  sweep(now: number): void {
    this.table.sweep(now);
  }

  get evictions(): number {
    return this.table.evictions;
  }

  get size(): number {
    return this.table.size;
  }

  /** Adds `baselineK1`, `baselineK2`, `baselineTimes` (last seen) and `baselineFirst` to `state`. */
  save(state: BlockState): void {
    const entries = this.table.entries();
    state.baselineK1 = entries.map((x) => x[0]);
    state.baselineK2 = entries.map((x) => x[1]);
    state.baselineTimes = entries.map((x) => x[2]);
    state.baselineFirst = entries.map((x) => this.first[this.table.peekOf(x[0], x[1])] as number);
  }

  /** Restores what {@link Baseline.save} wrote; `TypeError` naming `what` on a malformed state. */
  load(s: BlockState, what: string): void {
    if (!Array.isArray(s.baselineK1) || s.baselineK1.length > this.ctx.maxEntities)
      throw new TypeError(`${what} baselineK1 must be an array of at most ${this.ctx.maxEntities} integers`);
    const k1 = checkInts(s.baselineK1, `${what} baselineK1`, s.baselineK1.length);
    const k2 = checkInts(s.baselineK2, `${what} baselineK2`, k1.length);
    const times = checkNumbers(s.baselineTimes, `${what} baselineTimes`, k1.length);
    const first = checkNumbers(s.baselineFirst, `${what} baselineFirst`, k1.length);
    this.reset();
    for (let i = 0; i < k1.length; i++) {
      const slot = this.table.slotOf(k1[i] as number, k2[i] as number, times[i] as number);
      if (slot >= this.first.length) this.first = grow(this.first, this.table.slotCount);
      this.first[slot] = first[i] as number;
    }
  }
}
