/**
 * Per-entity decayed failure ratio.
 *
 * @module
 */
import type { FailureRatioSpec, FeaturizerColumn } from '../spec.js';
import { type BlockContext, EntityStatBlock, grow, isSuccess } from './Block.js';

/** Decayed failure counts below this read as zero (2⁻³⁰: thirty half-lives after the last failure). */
const FLUSH = 2 ** -30;

export class FailureRatioBlock extends EntityStatBlock {
  private readonly outcome: string;
  private readonly rate: number;
  private fails = new Float64Array(64);
  private total = new Float64Array(64);
  private last = new Float64Array(64);
  constructor(ctx: BlockContext, s: FailureRatioSpec) {
    super(ctx, s.entity);
    this.outcome = s.outcome ?? 'success';
    this.rate = Math.LN2 / (s.halfLife ?? 3600);
  }
  get width(): number {
    return 2;
  }
  override rawFields(): string[] {
    return [this.entity, this.outcome];
  }
  columns(): FeaturizerColumn[] {
    const l = this.ctx.label(this.entity);
    const o = this.ctx.label(this.outcome);
    return [
      this.col(`${l}:failure_ratio`, `${l}→${o}`, 'ratio', [l, o], `failure ratio of this ${l}`),
      this.col(`${l}:failures`, `${l}→${o}`, 'count', [l, o], `recent failures of this ${l}`),
    ];
  }
  write(e: object, t: number, out: Float64Array, off: number): void {
    const s = this.ent.get(e, t);
    if (s >= this.fails.length) {
      const n = this.ent.table.slotCount;
      this.fails = grow(this.fails, n);
      this.total = grow(this.total, n);
      this.last = grow(this.last, n);
    }
    let f = 0;
    let n = 0;
    if (!this.ent.created) {
      const dt = t - (this.last[s] as number);
      const d = dt > 0 ? Math.exp(-this.rate * dt) : 1;
      f = (this.fails[s] as number) * d;
      n = (this.total[s] as number) * d;
      // A failure decayed below FLUSH (30 half-lives) counts as none. Left alone it would shrink towards
      // 1e-308 over weeks, and once most events carry such a remnant the robust scaler divides by an
      // interquartile range of that size (a month of LANL logons: 7e-305), so squares overflow.
      if (f < FLUSH) f = 0;
    }
    if (!isSuccess(e, this.outcome)) f += 1;
    n += 1;
    this.fails[s] = f;
    this.total[s] = n;
    if (this.ent.created || t > (this.last[s] as number)) this.last[s] = t;
    out[off] = f / n;
    out[off + 1] = Math.log1p(f);
  }
  reason(j: number, e: object): string {
    const l = this.ctx.label(this.entity);
    return j === 0
      ? `high failure ratio for ${l} ${this.show(e, this.entity)}`
      : `many recent failures for ${l} ${this.show(e, this.entity)}`;
  }
}
