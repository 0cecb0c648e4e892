/**
 * How rare a value (or a pair of values) was in training: −log of its smoothed frequency.
 *
 * @module
 */
import type { FeaturizerColumn, RaritySpec } from '../spec.js';
import { Block, type BlockContext, type BlockState, type FieldHasher, strValue } from './Block.js';
import { CountTable } from './CountTable.js';
import { checkNumbers, eventKey, relationFields, relationLabel, valueKey } from './relation.js';

const FIT_CAPACITY = 1 << 30;

export class RarityBlock extends Block {
  private readonly a: string;
  private readonly b: string | undefined;
  private readonly alpha: number;
  private readonly ha: FieldHasher;
  private readonly hb: FieldHasher | undefined;
  private readonly key = new Int32Array(2);
  private pair = new CountTable(FIT_CAPACITY);
  private marginal = new CountTable(FIT_CAPACITY);
  private distinctB: CountTable | undefined = new CountTable(FIT_CAPACITY);
  private total = 0;
  private distinct = 0;
  constructor(ctx: BlockContext, s: RaritySpec) {
    super(ctx);
    this.a = s.fields[0];
    this.b = s.fields[1];
    this.alpha = s.alpha ?? 1;
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
    return [
      this.col(
        `${r}:rarity`,
        r,
        'rarity',
        relationFields(this.ctx, this.a, this.b),
        this.b === undefined ? 'rare in training' : `unusual for this ${this.ctx.label(this.a)}`,
      ),
    ];
  }
  override observe(e: object): void {
    const k = this.key;
    this.total++;
    const va = strValue(e, this.a);
    if (this.b === undefined) {
      valueKey(va, undefined, k);
      this.pair.add(k[0] as number, k[1] as number);
      return;
    }
    const vb = strValue(e, this.b);
    valueKey(va, vb, k);
    this.pair.add(k[0] as number, k[1] as number);
    valueKey(va, undefined, k);
    this.marginal.add(k[0] as number, k[1] as number);
    valueKey(vb, undefined, k);
    this.distinctB?.add(k[0] as number, k[1] as number);
  }
  override finishFit(): void {
    this.distinct = this.b === undefined ? this.pair.size : (this.distinctB?.size ?? 0);
    this.distinctB = undefined;
    // Keep the most frequent entries within the cap; pruned ones score as unseen (rare).
    this.pair = this.pair.pruned(this.ctx.maxEntities);
    this.marginal = this.marginal.pruned(this.ctx.maxEntities);
  }
  override resetAll(): void {
    this.pair = new CountTable(FIT_CAPACITY);
    this.marginal = new CountTable(FIT_CAPACITY);
    this.distinctB = new CountTable(FIT_CAPACITY);
    this.total = 0;
    this.distinct = 0;
  }
  write(e: object, _t: number, out: Float64Array, off: number): void {
    const al = this.alpha;
    const k = this.key;
    eventKey(e, this.ha, this.hb, k);
    const c = this.pair.get(k[0] as number, k[1] as number);
    if (this.hb === undefined) {
      out[off] = -Math.log((c + al) / (this.total + al * (this.distinct + 1)));
      return;
    }
    const ca = this.marginal.get(this.ha.k1, this.ha.k2);
    out[off] = -Math.log((c + al) / (ca + al * (this.distinct + 1)));
  }
  override saveState(): BlockState {
    const p = this.pair.save();
    const m = this.marginal.save();
    return {
      k1: p.k1,
      k2: p.k2,
      counts: p.counts,
      marginalK1: m.k1,
      marginalK2: m.k2,
      marginalCounts: m.counts,
      total: this.total,
      distinct: this.distinct,
    };
  }
  override loadState(s: BlockState): void {
    const cap = this.ctx.maxEntities;
    this.pair = CountTable.load(s.k1, s.k2, s.counts, 'rarity', cap);
    this.marginal = CountTable.load(s.marginalK1, s.marginalK2, s.marginalCounts, 'rarity marginal', cap);
    const [total, distinct] = checkNumbers([s.total, s.distinct], 'rarity total and distinct', 2) as [
      number,
      number,
    ];
    if (total < 0 || distinct < 0) throw new TypeError('rarity total and distinct must be non-negative');
    this.total = total;
    this.distinct = distinct;
    this.distinctB = undefined;
  }
  reason(_j: number, e: object): string {
    if (this.b === undefined) return `${this.ctx.label(this.a)} ${this.show(e, this.a)} is rare`;
    return `${this.ctx.label(this.b)} ${this.show(e, this.b)} is unusual for ${this.ctx.label(this.a)} ${this.show(e, this.a)}`;
  }
}
