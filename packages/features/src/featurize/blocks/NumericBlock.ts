/**
 * A numeric field as one column (optionally log-scaled and clipped).
 *
 * @module
 */
import type { FeaturizerColumn, NumericSpec } from '../spec.js';
import { Block, type BlockContext, numValue } from './Block.js';

export class NumericBlock extends Block {
  private readonly field: string;
  private readonly log: boolean;
  private readonly lo: number;
  private readonly hi: number;
  constructor(ctx: BlockContext, s: NumericSpec) {
    super(ctx);
    this.field = s.field;
    this.log = s.transform === 'log1p';
    this.lo = s.clip?.[0] ?? Number.NEGATIVE_INFINITY;
    this.hi = s.clip?.[1] ?? Number.POSITIVE_INFINITY;
  }
  get width(): number {
    return 1;
  }
  rawFields(): string[] {
    return [this.field];
  }
  columns(): FeaturizerColumn[] {
    const l = this.ctx.label(this.field);
    return [this.col(this.log ? `log1p(${l})` : l, l, 'numeric', [l], this.log ? 'log(1 + value)' : 'value')];
  }
  write(e: object, _t: number, out: Float64Array, off: number): void {
    let v = numValue(e, this.field);
    if (this.log) v = v < 0 ? -Math.log1p(-v) : Math.log1p(v);
    if (v < this.lo) v = this.lo;
    else if (v > this.hi) v = this.hi;
    // Values beyond ±1e12 are clipped too, so every feature stays finite and usable.
    out[off] = v > 1e12 ? 1e12 : Math.max(v, -1e12);
  }
  reason(_j: number, e: object): string {
    return `${this.ctx.label(this.field)} ${this.show(e, this.field)}`;
  }
}
