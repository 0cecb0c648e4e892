/**
 * The base of the blocks that remember what they have seen as 64-bit keys with an optional learning period
 * (first-seen sets, new items): the key table and the {@link Baseline} saved, loaded, swept and counted
 * together.
 *
 * @module
 */
import { Baseline } from './Baseline.js';
import { type BlockContext, type BlockState, type FieldHasher, TableBlock } from './Block.js';
import { checkInts, checkNumbers } from './relation.js';

export abstract class NoveltyBlock extends TableBlock {
  /** The learning period, with `baseline`. */
  protected readonly baseline: Baseline | undefined;
  /** Block type in messages about saved state. */
  private readonly what: string;

  /** `hasher`: the field whose values have the learning period (undefined: the stream). */
  constructor(
    ctx: BlockContext,
    what: string,
    baseline: number | undefined,
    hasher: FieldHasher | undefined,
  ) {
    super(ctx);
    this.what = what;
    this.baseline = baseline === undefined ? undefined : new Baseline(ctx, baseline, hasher);
  }
  /** The keys (`k1`, `k2`, last-seen `times`, oldest first) and the baseline's state; `extra(slot)` per key. */
  protected saveKeys(extra?: (slot: number) => void): BlockState {
    const entries = this.table.entries();
    const state: BlockState = {
      k1: entries.map((x) => x[0]),
      k2: entries.map((x) => x[1]),
      times: entries.map((x) => x[2]),
    };
    if (extra !== undefined) for (const x of entries) extra(this.table.peekOf(x[0], x[1]));
    this.baseline?.save(state);
    return state;
  }
  /** Restores what {@link NoveltyBlock.saveKeys} wrote; `each(slot, i)` per key; `TypeError` when malformed. */
  protected loadKeys(s: BlockState, each?: (slot: number, i: number) => void): number {
    const what = this.what;
    if (!Array.isArray(s.k1) || s.k1.length > this.ctx.maxEntities)
      throw new TypeError(`${what} k1 must be an array of at most ${this.ctx.maxEntities} integers`);
    const k1 = checkInts(s.k1, `${what} k1`, s.k1.length);
    const k2 = checkInts(s.k2, `${what} k2`, k1.length);
    const times = checkNumbers(s.times, `${what} times`, k1.length);
    this.resetTable();
    for (let i = 0; i < k1.length; i++) {
      const slot = this.table.slotOf(k1[i] as number, k2[i] as number, times[i] as number);
      each?.(slot, i);
    }
    this.baseline?.load(s, what);
    return k1.length;
  }
  override resetAll(): void {
    super.resetAll();
    this.baseline?.reset();
  }
  override sweep(now: number): void {
    super.sweep(now);
    this.baseline?.sweep(now);
  }
  override evictions(): number {
    return super.evictions() + (this.baseline?.evictions ?? 0);
  }
  override entities(): number {
    return super.entities() + (this.baseline?.size ?? 0);
  }
}
