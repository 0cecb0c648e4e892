/**
 * Whether a value (or a pair of values) is seen for the first time: long-term stream state, saved.
 *
 * @module
 */
import type { FeaturizerColumn, FirstSeenSpec } from '../spec.js';
import { type BlockContext, type BlockState, type FieldHasher, TableBlock } from './Block.js';
import { checkInts, checkNumbers, eventKey, relationFields, relationLabel } from './relation.js';

export class FirstSeenBlock extends TableBlock {
  private readonly a: string;
  private readonly b: string | undefined;
  private readonly ha: FieldHasher;
  private readonly hb: FieldHasher | undefined;
  private readonly key = new Int32Array(2);
  constructor(ctx: BlockContext, s: FirstSeenSpec) {
    super(ctx);
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
    return [this.col(`${r}:first_seen`, r, 'flag', relationFields(this.ctx, this.a, this.b), 'first seen')];
  }
  write(e: object, t: number, out: Float64Array, off: number): void {
    const k = this.key;
    eventKey(e, this.ha, this.hb, k);
    this.table.slotOf(k[0] as number, k[1] as number, t);
    out[off] = this.table.created ? 1 : 0;
  }
  override saveState(): BlockState {
    const entries = this.table.entries();
    return { k1: entries.map((x) => x[0]), k2: entries.map((x) => x[1]), times: entries.map((x) => x[2]) };
  }
  override loadState(s: BlockState): void {
    if (!Array.isArray(s.k1) || s.k1.length > this.ctx.maxEntities)
      throw new TypeError(`firstSeen k1 must be an array of at most ${this.ctx.maxEntities} integers`);
    const k1 = checkInts(s.k1, 'firstSeen k1', s.k1.length);
    const k2 = checkInts(s.k2, 'firstSeen k2', k1.length);
    const times = checkNumbers(s.times, 'firstSeen times', k1.length);
    this.resetTable();
    for (let i = 0; i < k1.length; i++)
      this.table.slotOf(k1[i] as number, k2[i] as number, times[i] as number);
  }
  reason(_j: number, e: object): string {
    if (this.b === undefined)
      return `${this.ctx.label(this.a)} ${this.show(e, this.a)} seen for the first time`;
    return `${this.ctx.label(this.b)} ${this.show(e, this.b)} first seen for ${this.ctx.label(this.a)} ${this.show(e, this.a)}`;
  }
}
