/**
 * Per-entity exponentially decayed rates.
 *
 * @module
 */
import type { DecaySpec, FeaturizerColumn } from '../spec.js';
import { type BlockContext, EntityStatBlock, grow } from './Block.js';

export class DecayBlock extends EntityStatBlock {
  private readonly halfLife: number;
  private readonly rate: number;
  private value = new Float64Array(64);
  private last = new Float64Array(64);
  constructor(ctx: BlockContext, s: DecaySpec) {
    super(ctx, s.entity);
    this.halfLife = s.halfLife ?? 600;
    this.rate = Math.LN2 / this.halfLife;
  }
  get width(): number {
    return 1;
  }
  columns(): FeaturizerColumn[] {
    const l = this.ctx.label(this.entity);
    return [this.col(`${l}:rate_${this.halfLife}s`, l, 'state', [l], `recent activity of this ${l}`)];
  }
  write(e: object, t: number, out: Float64Array, off: number): void {
    const s = this.ent.get(e, t);
    if (s >= this.value.length) {
      const n = this.ent.table.slotCount;
      this.value = grow(this.value, n);
      this.last = grow(this.last, n);
    }
    let v = 1;
    if (!this.ent.created) {
      const dt = t - (this.last[s] as number);
      v += (this.value[s] as number) * (dt > 0 ? Math.exp(-this.rate * dt) : 1);
    }
    this.value[s] = v;
    if (this.ent.created || t > (this.last[s] as number)) this.last[s] = t;
    out[off] = Math.log1p(v);
  }
  reason(_j: number, e: object): string {
    return `burst of activity for ${this.ctx.label(this.entity)} ${this.show(e, this.entity)}`;
  }
}
