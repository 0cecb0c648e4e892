/**
 * Per-entity time since the previous event, and its regularity.
 *
 * @module
 */
import type { FeaturizerColumn, GapSpec } from '../spec.js';
import { type BlockContext, EntityStatBlock, grow, growI } from './Block.js';

export class GapBlock extends EntityStatBlock {
  private readonly history: number;
  private readonly minGaps: number;
  private gaps = new Float64Array(64 * 4);
  private count = new Int32Array(64);
  private head = new Int32Array(64);
  private last = new Float64Array(64);
  private readonly scratch: Float64Array;
  constructor(ctx: BlockContext, s: GapSpec) {
    super(ctx, s.entity);
    this.history = s.history ?? 16;
    this.minGaps = Math.min(s.minGaps ?? 3, this.history);
    this.gaps = new Float64Array(64 * this.history);
    this.scratch = new Float64Array(this.history);
  }
  get width(): number {
    return 2;
  }
  columns(): FeaturizerColumn[] {
    const l = this.ctx.label(this.entity);
    return [
      this.col(
        `${l}:gap_cv`,
        l,
        'regularity',
        [l],
        `variation of gaps between events of this ${l} (low = scripted)`,
      ),
      this.col(
        `${l}:gap_mad`,
        l,
        'regularity',
        [l],
        `median absolute deviation of gaps of this ${l} (low = scripted)`,
      ),
    ];
  }
  write(e: object, t: number, out: Float64Array, off: number): void {
    const s = this.ent.get(e, t);
    const H = this.history;
    if (s >= this.count.length) {
      const n = this.ent.table.slotCount;
      this.count = growI(this.count, n);
      this.head = growI(this.head, n);
      this.last = grow(this.last, n);
      this.gaps = grow(this.gaps, this.count.length * H);
    }
    if (this.ent.created) {
      this.count[s] = 0;
      this.head[s] = 0;
      this.last[s] = t;
      out[off] = 1;
      out[off + 1] = 1;
      return;
    }
    const gap = Math.max(0, t - (this.last[s] as number));
    if (t > (this.last[s] as number)) this.last[s] = t;
    const base = s * H;
    const c = this.count[s] as number;
    const h = this.head[s] as number;
    if (c < H) {
      this.gaps[base + ((h + c) % H)] = gap;
      this.count[s] = c + 1;
    } else {
      this.gaps[base + h] = gap;
      this.head[s] = (h + 1) % H;
    }
    const n = this.count[s] as number;
    if (n < this.minGaps) {
      out[off] = 1;
      out[off + 1] = 1;
      return;
    }
    const sc = this.scratch;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const g = this.gaps[base + i] as number;
      sc[i] = g;
      sum += g;
    }
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const d = (sc[i] as number) - mean;
      ss += d * d;
    }
    const sd = Math.sqrt(ss / n);
    const cv = mean > 0 ? sd / mean : 0;
    const med = median(sc, n);
    const mad = sortedMad(sc, n, med);
    const madRatio = med > 0 ? mad / med : mad > 0 ? 10 : 0;
    out[off] = Math.min(cv, 10);
    out[off + 1] = Math.min(madRatio, 10);
  }
  reason(_j: number, e: object): string {
    return `regular (scripted-looking) timing for ${this.ctx.label(this.entity)} ${this.show(e, this.entity)}`;
  }
}

/** Median of a[0 … n) (sorts that prefix in place; n is small). */
function median(a: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) {
    const x = a[i] as number;
    let j = i - 1;
    while (j >= 0 && (a[j] as number) > x) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = x;
  }
  const m = n >> 1;
  return n % 2 === 1 ? (a[m] as number) : ((a[m - 1] as number) + (a[m] as number)) / 2;
}

/**
 * Median absolute deviation from `med` of the sorted a[0 … n): the deviations left and right of the
 * median are each sorted already, so merging them from the median outwards finds the middle one in O(n).
 */
function sortedMad(a: Float64Array, n: number, med: number): number {
  let l = (n - 1) >> 1; // last index on the left side
  let r = l + 1;
  while (l >= 0 && (a[l] as number) > med) l--;
  while (r < n && (a[r] as number) < med) r++;
  if (r <= l) r = l + 1;
  const want = n >> 1; // index (0-based) of the upper middle deviation
  let prev = 0;
  let cur = 0;
  for (let k = 0; k <= want; k++) {
    const dl = l >= 0 ? med - (a[l] as number) : Number.POSITIVE_INFINITY;
    const dr = r < n ? (a[r] as number) - med : Number.POSITIVE_INFINITY;
    prev = cur;
    if (dl <= dr) {
      cur = dl;
      l--;
    } else {
      cur = dr;
      r++;
    }
  }
  return n % 2 === 1 ? cur : (prev + cur) / 2;
}
