/**
 * A categorical field as one-hot columns over the vocabulary learned at fit.
 *
 * @module
 */
import type { FeaturizerColumn, OneHotSpec } from '../spec.js';
import { Block, type BlockContext, type BlockState, strValue } from './Block.js';

export class OneHotBlock extends Block {
  private readonly field: string;
  private readonly maxCategories: number;
  private readonly minCount: number;
  private counts: Map<string, number> | undefined = new Map();
  private categories: string[] = [];
  private index_ = new Map<string, number>();
  constructor(ctx: BlockContext, s: OneHotSpec) {
    super(ctx);
    this.field = s.field;
    this.maxCategories = s.maxCategories ?? 32;
    this.minCount = s.minCount ?? 1;
  }
  get width(): number {
    return this.categories.length + 1;
  }
  rawFields(): string[] {
    return [this.field];
  }
  override observe(e: object): void {
    const v = strValue(e, this.field);
    const m = this.counts ?? new Map<string, number>();
    this.counts = m;
    m.set(v, (m.get(v) ?? 0) + 1);
  }
  override finishFit(): void {
    const entries = [...(this.counts ?? new Map<string, number>())].filter(([, c]) => c >= this.minCount);
    entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.setCategories(entries.slice(0, this.maxCategories).map(([k]) => k));
    this.counts = undefined;
  }
  override resetAll(): void {
    this.counts = new Map();
  }
  private setCategories(cats: string[]): void {
    this.categories = cats;
    this.index_ = new Map(cats.map((c, i) => [c, i]));
  }
  columns(): FeaturizerColumn[] {
    const l = this.ctx.label(this.field);
    const cols = this.categories.map((c) =>
      this.col(`${l}=${c === '' ? '?' : c}`, l, 'onehot', [l], `${l} is ${c === '' ? '?' : c}`, c),
    );
    cols.push(this.col(`${l}=<unseen>`, l, 'onehot', [l], `${l} value not seen in training`, '<unseen>'));
    return cols;
  }
  write(e: object, _t: number, out: Float64Array, off: number): void {
    const w = this.categories.length;
    for (let j = 0; j <= w; j++) out[off + j] = 0;
    const i = this.index_.get(strValue(e, this.field));
    out[off + (i === undefined ? w : i)] = 1;
  }
  override saveState(): BlockState {
    return { categories: this.categories.slice() };
  }
  override loadState(s: BlockState): void {
    const c = s.categories;
    if (!Array.isArray(c) || !c.every((x) => typeof x === 'string') || c.length > this.maxCategories)
      throw new TypeError(`onehot categories must be at most ${this.maxCategories} strings`);
    this.setCategories(c as string[]);
    this.counts = undefined;
  }
  reason(j: number, e: object): string {
    const l = this.ctx.label(this.field);
    const v = this.show(e, this.field);
    return j === this.categories.length ? `${l} ${v} never seen in training` : `${l} ${v}`;
  }
}
