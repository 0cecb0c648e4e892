/**
 * Per-entity event counts (and distinct values) in a sliding time window.
 *
 * @module
 */
import type { FeaturizerColumn, WindowSpec } from '../spec.js';
import { Block, type BlockContext, type FieldHasher, type SharedEntity } from './Block.js';

/**
 * Per-entity ring of recent events for sliding windows, with a counting hash set (linear probing with
 * backward-shift deletion, in typed arrays) of the `distinct` values inside the window. Entity times are
 * taken as non-decreasing: the window start only moves forward, so each event is added once and expired
 * once (amortised O(1), no allocation per event).
 */
interface Ring {
  t: Float64Array;
  v: Int32Array;
  head: number;
  len: number;
  /** Hash-set keys (value + 1; 0 = empty) and counts; length a power of two ≥ 2 × ring length. */
  hk: Int32Array;
  hc: Int32Array;
  distinct: number;
}

function home(h: number, mask: number): number {
  return (Math.imul(h, 0x9e3779b1) >>> 16) & mask;
}

function setInc(r: Ring, h: number): void {
  const mask = r.hk.length - 1;
  const key = h + 1;
  let i = home(h, mask);
  while (r.hk[i] !== 0 && r.hk[i] !== key) i = (i + 1) & mask;
  if (r.hk[i] === 0) {
    r.hk[i] = key;
    r.hc[i] = 1;
    r.distinct++;
  } else r.hc[i] = (r.hc[i] as number) + 1;
}

function setDec(r: Ring, h: number): void {
  const hk = r.hk;
  const hc = r.hc;
  const mask = hk.length - 1;
  const key = h + 1;
  let i = home(h, mask);
  while (hk[i] !== 0 && hk[i] !== key) i = (i + 1) & mask;
  if (hk[i] === 0) return;
  const c = (hc[i] as number) - 1;
  if (c > 0) {
    hc[i] = c;
    return;
  }
  r.distinct--;
  // Backward-shift deletion keeps every probe chain unbroken.
  let j = i;
  for (;;) {
    j = (j + 1) & mask;
    const kj = hk[j] as number;
    if (kj === 0) break;
    const k = home(kj - 1, mask);
    const stays = i <= j ? i < k && k <= j : i < k || k <= j;
    if (!stays) {
      hk[i] = kj;
      hc[i] = hc[j] as number;
      i = j;
    }
  }
  hk[i] = 0;
  hc[i] = 0;
}

const WINDOW_SECONDS: Readonly<Record<string, number>> = { minute: 60, hour: 3600, day: 86400 };

export class WindowBlock extends Block {
  private readonly entity: string;
  private readonly distinct: string | undefined;
  private readonly seconds: number;
  private readonly tag: string;
  private readonly capacity: number;
  private readonly ent: SharedEntity;
  private readonly hd: FieldHasher | undefined;
  private rings: Ring[] = [];
  constructor(ctx: BlockContext, s: WindowSpec) {
    super(ctx);
    this.entity = s.entity;
    this.distinct = s.distinct;
    this.seconds = typeof s.window === 'number' ? s.window : (WINDOW_SECONDS[s.window] as number);
    this.tag =
      typeof s.window === 'number'
        ? `${s.window}s`
        : s.window === 'minute'
          ? '1m'
          : s.window === 'hour'
            ? '1h'
            : '1d';
    this.capacity = s.capacity ?? 256;
    this.ent = ctx.entity(s.entity);
    this.hd = s.distinct === undefined ? undefined : ctx.hasher(s.distinct);
  }
  get width(): number {
    return this.distinct === undefined ? 1 : 2;
  }
  rawFields(): string[] {
    return this.distinct === undefined ? [this.entity] : [this.entity, this.distinct];
  }
  columns(): FeaturizerColumn[] {
    const l = this.ctx.label(this.entity);
    const cols = [
      this.col(`${l}:count_${this.tag}`, l, 'count', [l], `events of this ${l} in the last ${this.tag}`),
    ];
    if (this.distinct !== undefined) {
      const d = this.ctx.label(this.distinct);
      cols.push(
        this.col(
          `${l}:distinct_${d}_${this.tag}`,
          `${l}→${d}`,
          'count',
          [l, d],
          `distinct ${d} of this ${l} in the last ${this.tag}`,
        ),
      );
    }
    return cols;
  }
  write(e: object, t: number, out: Float64Array, off: number): void {
    const ent = this.ent;
    const s = ent.get(e, t);
    let r = this.rings[s];
    const track = this.distinct !== undefined;
    if (r === undefined) {
      r = {
        t: new Float64Array(4),
        v: new Int32Array(4),
        head: 0,
        len: 0,
        hk: new Int32Array(track ? 8 : 0),
        hc: new Int32Array(track ? 8 : 0),
        distinct: 0,
      };
      this.rings[s] = r;
    } else if (ent.created) {
      r.len = 0;
      r.head = 0;
      r.hk.fill(0);
      r.hc.fill(0);
      r.distinct = 0;
    }
    // Expire events that left the window (and the oldest one when the ring is full).
    const from = t - this.seconds;
    let cap = r.t.length;
    while (r.len > 0 && ((r.t[r.head] as number) <= from || r.len === this.capacity)) {
      if (track) setDec(r, r.v[r.head] as number);
      r.head = r.head + 1 === cap ? 0 : r.head + 1;
      r.len--;
    }
    if (r.len === cap) {
      // Grow (doubling) up to the capacity.
      const n = Math.min(this.capacity, cap * 2);
      const nt = new Float64Array(n);
      const nv = new Int32Array(n);
      for (let i = 0; i < r.len; i++) {
        const k = (r.head + i) % cap;
        nt[i] = r.t[k] as number;
        nv[i] = r.v[k] as number;
      }
      r.t = nt;
      r.v = nv;
      r.head = 0;
      cap = n;
      if (track) {
        r.hk = new Int32Array(2 * n);
        r.hc = new Int32Array(2 * n);
        r.distinct = 0;
        for (let i = 0; i < r.len; i++) setInc(r, nv[i] as number);
      }
    }
    const pos = (r.head + r.len) % cap;
    r.t[pos] = t;
    r.len++;
    if (track) {
      // 30-bit values stay small integers (no boxing).
      const hd = this.hd as FieldHasher;
      hd.of(e);
      const h = hd.k1 & 0x3fffffff;
      r.v[pos] = h;
      setInc(r, h);
    }
    out[off] = Math.log1p(r.len);
    if (track) out[off + 1] = Math.log1p(r.distinct);
  }
  override resetShort(): void {
    this.rings = [];
  }
  reason(j: number, e: object): string {
    const l = this.ctx.label(this.entity);
    if (j === 0) return `many events for ${l} ${this.show(e, this.entity)} in the last ${this.tag}`;
    return `many distinct ${this.ctx.label(this.distinct ?? '')} for ${l} ${this.show(e, this.entity)} in the last ${this.tag}`;
  }
}
