/**
 * How many of a list-valued field's items are new for the event's entity (e.g. the secrets handed to a
 * workflow job that no earlier job of the repository was handed): long-term stream state, saved.
 *
 * @module
 */
import { hash64, pairKey } from '../hash.js';
import type { FeaturizerColumn, NewItemsSpec } from '../spec.js';
import { type BlockContext, type BlockState, type FieldHasher, listValue } from './Block.js';
import { NoveltyBlock } from './NoveltyBlock.js';
import { relationFields, relationLabel } from './relation.js';

/** Items of the event's list quoted in a reason. */
const SHOWN = 3;

export class NewItemsBlock extends NoveltyBlock {
  private readonly entity: string;
  private readonly field: string;
  private readonly he: FieldHasher;
  private readonly item = new Int32Array(2);
  private readonly key = new Int32Array(2);
  private readonly seen = new Set<string>();
  constructor(ctx: BlockContext, s: NewItemsSpec) {
    super(ctx, 'newItems', s.baseline, ctx.hasher(s.entity));
    this.entity = s.entity;
    this.field = s.field;
    this.he = ctx.hasher(this.entity);
  }
  get width(): number {
    return 1;
  }
  rawFields(): string[] {
    return [this.entity, this.field];
  }
  columns(): FeaturizerColumn[] {
    const r = relationLabel(this.ctx, this.entity, this.field);
    const base = this.baseline === undefined ? '' : `_baseline_${this.baseline.seconds}s`;
    return [
      this.col(
        `${r}:new_items${base}`,
        r,
        'count',
        relationFields(this.ctx, this.entity, this.field),
        `log(1 + number of ${this.ctx.label(this.field)} never seen before for this ${this.ctx.label(this.entity)})`,
      ),
    ];
  }
  write(e: object, t: number, out: Float64Array, off: number): void {
    const items = listValue(e, this.field);
    const known = this.baseline === undefined || this.baseline.established(e, t);
    let n = 0;
    if (items.length > 0) {
      this.he.of(e);
      const seen = this.seen;
      seen.clear();
      for (const v of items) {
        if (seen.has(v)) continue;
        seen.add(v);
        hash64(v, this.item);
        pairKey(this.he.k1, this.he.k2, this.item[0] as number, this.item[1] as number, this.key);
        this.table.slotOf(this.key[0] as number, this.key[1] as number, t);
        if (this.table.created) n++;
      }
    }
    out[off] = known ? Math.log1p(n) : 0;
  }
  override saveState(): BlockState {
    return this.saveKeys();
  }
  override loadState(s: BlockState): void {
    this.loadKeys(s);
  }
  reason(_j: number, e: object, value?: number): string {
    const items = [...new Set(listValue(e, this.field))];
    const f = this.ctx.label(this.field);
    const shown = items.slice(0, SHOWN).join(', ') + (items.length > SHOWN ? ', …' : '');
    const list = items.length === 0 ? '' : ` (${shown})`;
    const whose = `for ${this.ctx.label(this.entity)} ${this.show(e, this.entity)}`;
    if (value === undefined || !Number.isFinite(value)) return `${f}${list} not all seen before ${whose}`;
    const n = Math.round(Math.expm1(value));
    return `${n} of the ${items.length} ${f}${list} never seen before ${whose}`;
  }
}
