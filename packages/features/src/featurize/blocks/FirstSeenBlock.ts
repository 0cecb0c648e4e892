/**
 * Whether a value (or a pair of values) is seen for the first time — or, with `within`, first seen less
 * than `within` seconds ago; with `baseline`, only once the pair's first value (or the stream) has been seen
 * for that long: long-term stream state, saved.
 *
 * @module
 */
import type { FeaturizerColumn, FirstSeenSpec } from '../spec.js';
import { type BlockContext, type BlockState, type FieldHasher, grow } from './Block.js';
import { NoveltyBlock } from './NoveltyBlock.js';
import { checkNumbers, eventKey, relationFields, relationLabel } from './relation.js';

export class FirstSeenBlock extends NoveltyBlock {
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
    // The learning period is the pair's first field's (e.g. the actor's), or the stream's for one field.
    super(ctx, 'firstSeen', s.baseline, s.fields[1] === undefined ? undefined : ctx.hasher(s.fields[0]));
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
    const base = this.baseline === undefined ? '' : `_baseline_${this.baseline.seconds}s`;
    const known =
      this.baseline === undefined
        ? ''
        : ` (once ${this.b === undefined ? 'the stream' : this.ctx.label(this.a)} has been seen for ${this.baseline.seconds} s)`;
    return [
      this.col(
        (w === undefined ? `${r}:first_seen` : `${r}:first_seen_${w}s`) + base,
        r,
        'flag',
        relationFields(this.ctx, this.a, this.b),
        (w === undefined ? 'first seen' : `first seen, or first seen less than ${w} s ago`) + known,
      ),
    ];
  }
  write(e: object, t: number, out: Float64Array, off: number): void {
    const k = this.key;
    eventKey(e, this.ha, this.hb, k);
    const slot = this.table.slotOf(k[0] as number, k[1] as number, t);
    const created = this.table.created;
    const known = this.baseline === undefined || this.baseline.established(e, t);
    if (this.within === undefined) {
      out[off] = created && known ? 1 : 0;
      return;
    }
    if (slot >= this.first.length) this.first = grow(this.first, this.table.slotCount);
    if (created) this.first[slot] = t;
    out[off] = known && t - (this.first[slot] as number) < this.within ? 1 : 0;
  }
  override saveState(): BlockState {
    const first: number[] = [];
    const state = this.saveKeys(
      this.within === undefined ? undefined : (slot) => first.push(this.first[slot] as number),
    );
    if (this.within !== undefined) state.first = first;
    return state;
  }
  override loadState(s: BlockState): void {
    // The pair's first times are checked once the keys' count is known (after the keys themselves).
    const slots: number[] = [];
    const n = this.loadKeys(s, (slot) => slots.push(slot));
    this.first = new Float64Array(0);
    if (this.within === undefined) return;
    const first = checkNumbers(s.first, 'firstSeen first', n);
    for (let i = 0; i < n; i++) {
      const slot = slots[i] as number;
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
