/**
 * Whether a value (or a pair of values) is seen for the first time — or, with `within`, first seen less
 * than `within` seconds ago: long-term stream state, saved.
 *
 * @module
 */
import type { FeaturizerColumn, FirstSeenSpec } from '../spec.js';
import { type BlockContext, type BlockState, type FieldHasher, grow, TableBlock } from './Block.js';
import { checkInts, checkNumbers, eventKey, relationFields, relationLabel } from './relation.js';

export class FirstSeenBlock extends TableBlock {
  private readonly a: string;
  private readonly b: string | undefined;
  private readonly ha: FieldHasher;
  private readonly hb: FieldHasher | undefined;
  private readonly key = new Int32Array(2);
  /** Seconds after the first event during which the value still counts as new (undefined: only the first). */
  private readonly within: number | undefined;
  /** Time of each slot's first event (kept only with `within`). */
  private first = new Float64Array(0);
  constructor(ctx: BlockContext, s: FirstSeenSpec) {
    super(ctx);
    this.within = s.within;
    this.a = s.fields[0];
    this.b = s.fields[1];
    this.ha = ctx.hasher(this.a);
    this.hb = this.b === undefined ? undefined : ctx.hasher(this.b);
  }
  get width(): number {
    return 1;
  }
  rawFields(): string[] {
    return this.b === undefined ? [this.a] : [this.a, this.b];
  }
  columns(): FeaturizerColumn[] {
    const r = relationLabel(this.ctx, this.a, this.b);
    const w = this.within;
    return [
      this.col(
        w === undefined ? `${r}:first_seen` : `${r}:first_seen_${w}s`,
        r,
        'flag',
        relationFields(this.ctx, this.a, this.b),
        w === undefined ? 'first seen' : `first seen, or first seen less than ${w} s ago`,
      ),
    ];
  }
  write(e: object, t: number, out: Float64Array, off: number): void {
    const k = this.key;
    eventKey(e, this.ha, this.hb, k);
    const slot = this.table.slotOf(k[0] as number, k[1] as number, t);
    if (this.within === undefined) {
      out[off] = this.table.created ? 1 : 0;
      return;
    }
    if (slot >= this.first.length) this.first = grow(this.first, this.table.slotCount);
    if (this.table.created) this.first[slot] = t;
    out[off] = t - (this.first[slot] as number) < this.within ? 1 : 0;
  }
  override saveState(): BlockState {
    const entries = this.table.entries();
    const state: BlockState = {
      k1: entries.map((x) => x[0]),
      k2: entries.map((x) => x[1]),
      times: entries.map((x) => x[2]),
    };
    if (this.within !== undefined)
      state.first = entries.map((x) => this.first[this.table.peekOf(x[0], x[1])] as number);
    return state;
  }
  override loadState(s: BlockState): void {
    if (!Array.isArray(s.k1) || s.k1.length > this.ctx.maxEntities)
      throw new TypeError(`firstSeen k1 must be an array of at most ${this.ctx.maxEntities} integers`);
    const k1 = checkInts(s.k1, 'firstSeen k1', s.k1.length);
    const k2 = checkInts(s.k2, 'firstSeen k2', k1.length);
    const times = checkNumbers(s.times, 'firstSeen times', k1.length);
    const first = this.within === undefined ? undefined : checkNumbers(s.first, 'firstSeen first', k1.length);
    this.resetTable();
    this.first = new Float64Array(0);
    for (let i = 0; i < k1.length; i++) {
      const slot = this.table.slotOf(k1[i] as number, k2[i] as number, times[i] as number);
      if (first === undefined) continue;
      if (slot >= this.first.length) this.first = grow(this.first, this.table.slotCount);
      this.first[slot] = first[i] as number;
    }
  }
  reason(_j: number, e: object): string {
    const recent = this.within === undefined ? '' : ` (in the last ${duration(this.within)})`;
    if (this.b === undefined)
      return `${this.ctx.label(this.a)} ${this.show(e, this.a)} seen for the first time${recent}`;
    return `${this.ctx.label(this.b)} ${this.show(e, this.b)} first seen for ${this.ctx.label(this.a)} ${this.show(e, this.a)}${recent}`;
  }
}

/** `3600` → `hour`, `7200` → `2 hours`, `90` → `90 s`. */
function duration(s: number): string {
  if (s % 86400 === 0) return s === 86400 ? 'day' : `${s / 86400} days`;
  if (s % 3600 === 0) return s === 3600 ? 'hour' : `${s / 3600} hours`;
  if (s % 60 === 0) return s === 60 ? 'minute' : `${s / 60} minutes`;
  return `${s} s`;
}
