/**
 * A high-cardinality categorical field hashed into a fixed number of columns.
 *
 * @module
 */
import { hashString } from '../hash.js';
import type { FeaturizerColumn, HashSpec } from '../spec.js';
import { Block, type BlockContext, strValue } from './Block.js';

export class HashBlock extends Block {
  private readonly field: string;
  private readonly w: number;
  private readonly seed: number;
  constructor(ctx: BlockContext, s: HashSpec) {
    super(ctx);
    this.field = s.field;
    this.w = s.width ?? 16;
    this.seed = (Math.imul(ctx.seed | 0, 0x9e3779b1) + ctx.index * 0x85ebca6b) | 0;
  }
  get width(): number {
    return this.w;
  }
  rawFields(): string[] {
    return [this.field];
  }
  columns(): FeaturizerColumn[] {
    const l = this.ctx.label(this.field);
    const cols: FeaturizerColumn[] = [];
    for (let j = 0; j < this.w; j++)
      cols.push(this.col(`${l}#${j}`, l, 'hash', [l], `hash bucket ${j} of ${l}`));
    return cols;
  }
  write(e: object, _t: number, out: Float64Array, off: number): void {
    for (let j = 0; j < this.w; j++) out[off + j] = 0;
    const h = hashString(strValue(e, this.field), this.seed);
    // The top bit gives the sign so collisions cancel on average.
    out[off + ((h & 0x7fffffff) % this.w)] = h & 0x80000000 ? -1 : 1;
  }
  reason(_j: number, e: object): string {
    return `${this.ctx.label(this.field)} ${this.show(e, this.field)}`;
  }
}
