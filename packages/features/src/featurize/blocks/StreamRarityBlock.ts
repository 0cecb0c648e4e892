/**
 * Rarity continued in the stream (`rarity` with `stream: true`): like the frozen rarity, −log of a smoothed
 * frequency, but the counts are long-term stream state — built in time order during fit (each training
 * row sees only earlier events), saved, and updated while scoring, within the entity caps. A value new to
 * an entity (a new address, a new user agent) is rare at first and becomes usual as it keeps coming back,
 * so a trip or a browser update does not stay rare for the model's whole life while a burst from a new
 * address stays rare for all of its events.
 *
 * Two fields: p = (c(a, b) + α) / (n(a) + α(K(a) + 1)) with n(a) the entity's events so far and K(a) the
 * distinct values it has used. One field: p = (c(v) + α) / (N + α(K + 1)) over all events so far.
 *
 * @module
 */
import { EntityTable } from '../EntityTable.js';
import type { FeaturizerColumn, RaritySpec } from '../spec.js';
import { type BlockContext, type BlockState, type FieldHasher, grow, TableBlock } from './Block.js';
import { checkInts, checkNumbers, eventKey, relationFields, relationLabel } from './relation.js';

export class StreamRarityBlock extends TableBlock {
  private readonly a: string;
  private readonly b: string | undefined;
  private readonly alpha: number;
  private readonly ha: FieldHasher;
  private readonly hb: FieldHasher | undefined;
  private readonly key = new Int32Array(2);
  /** Pair (or value) counts, by slot of the inherited table. */
  private counts: Float64Array<ArrayBuffer> = new Float64Array(64);
  /** Per entity: events and distinct values so far (two fields only). */
  private entityTable: EntityTable;
  private events: Float64Array<ArrayBuffer> = new Float64Array(64);
  private distinct: Float64Array<ArrayBuffer> = new Float64Array(64);
  /** One field: events and distinct values over the whole stream. */
  private total = 0;
  private values = 0;

  constructor(ctx: BlockContext, s: RaritySpec) {
    super(ctx);
    this.a = s.fields[0];
    this.b = s.fields[1];
    this.alpha = s.alpha ?? 1;
    this.ha = ctx.hasher(this.a);
    this.hb = this.b === undefined ? undefined : ctx.hasher(this.b);
    this.entityTable = new EntityTable(ctx.maxEntities, ctx.maxAgeSeconds);
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
        `${r}:recent_rarity`,
        r,
        'rarity',
        relationFields(this.ctx, this.a, this.b),
        this.b === undefined ? 'rare so far' : `unusual so far for this ${this.ctx.label(this.a)}`,
      ),
    ];
  }

  override resetAll(): void {
    this.resetTable();
    const ev = this.entityTable.evictions;
    this.entityTable = new EntityTable(this.ctx.maxEntities, this.ctx.maxAgeSeconds);
    this.entityTable.evictions = ev;
    this.counts = new Float64Array(64);
    this.events = new Float64Array(64);
    this.distinct = new Float64Array(64);
    this.total = 0;
    this.values = 0;
  }

  /** The slot of a pair (or value) key, its count reset when the slot is new. */
  private pairSlot(k1: number, k2: number, t: number): number {
    const s = this.table.slotOf(k1, k2, t);
    if (s >= this.counts.length) this.counts = grow(this.counts, this.table.slotCount);
    if (this.table.created) this.counts[s] = 0;
    return s;
  }

  /** The slot of an entity key, its totals reset when the slot is new. */
  private entitySlot(k1: number, k2: number, t: number): number {
    const s = this.entityTable.slotOf(k1, k2, t);
    if (s >= this.events.length) {
      this.events = grow(this.events, this.entityTable.slotCount);
      this.distinct = grow(this.distinct, this.entityTable.slotCount);
    }
    if (this.entityTable.created) {
      this.events[s] = 0;
      this.distinct[s] = 0;
    }
    return s;
  }

  write(e: object, t: number, out: Float64Array, off: number): void {
    const al = this.alpha;
    const k = this.key;
    eventKey(e, this.ha, this.hb, k);
    const s = this.pairSlot(k[0] as number, k[1] as number, t);
    const c = this.counts[s] as number;
    if (this.hb === undefined) {
      out[off] = -Math.log((c + al) / (this.total + al * (this.values + 1)));
      if (c === 0) this.values++;
      this.total++;
    } else {
      const es = this.entitySlot(this.ha.k1, this.ha.k2, t);
      const n = this.events[es] as number;
      const d = this.distinct[es] as number;
      out[off] = -Math.log((c + al) / (n + al * (d + 1)));
      this.events[es] = n + 1;
      if (c === 0) this.distinct[es] = d + 1;
    }
    this.counts[s] = c + 1;
  }

  override sweep(now: number): void {
    super.sweep(now);
    this.entityTable.sweep(now);
  }

  override evictions(): number {
    return super.evictions() + this.entityTable.evictions;
  }

  override entities(): number {
    return super.entities() + this.entityTable.size;
  }

  override saveState(): BlockState {
    const rows = (t: EntityTable, values: readonly Float64Array[]): number[][] => {
      const r: number[][] = [];
      t.each((k1, k2, s) => {
        r.push([k1, k2, t.lastSeen[s] as number, ...values.map((v) => v[s] as number)]);
      });
      r.sort(
        (x, y) =>
          (x[2] as number) - (y[2] as number) ||
          (x[0] as number) - (y[0] as number) ||
          (x[1] as number) - (y[1] as number),
      );
      return r;
    };
    const p = rows(this.table, [this.counts]);
    const q = rows(this.entityTable, [this.events, this.distinct]);
    return {
      k1: p.map((r) => r[0]),
      k2: p.map((r) => r[1]),
      times: p.map((r) => r[2]),
      counts: p.map((r) => r[3]),
      entityK1: q.map((r) => r[0]),
      entityK2: q.map((r) => r[1]),
      entityTimes: q.map((r) => r[2]),
      events: q.map((r) => r[3]),
      distinct: q.map((r) => r[4]),
      total: this.total,
      values: this.values,
    };
  }

  override loadState(s: BlockState): void {
    const cap = this.ctx.maxEntities;
    const keys = (a: unknown, b: unknown, t: unknown, what: string): [number[], number[], number[]] => {
      if (!Array.isArray(a) || a.length > cap)
        throw new TypeError(`${what} must be an array of at most ${cap} integers`);
      const k1 = checkInts(a, `${what} k1`, a.length);
      return [k1, checkInts(b, `${what} k2`, k1.length), checkNumbers(t, `${what} times`, k1.length)];
    };
    const counts = (v: unknown, n: number, what: string): number[] => {
      const c = checkNumbers(v, what, n);
      if (c.some((x) => !Number.isInteger(x) || x < 0))
        throw new TypeError(`${what} must be non-negative integers`);
      return c;
    };
    const [k1, k2, times] = keys(s.k1, s.k2, s.times, 'rarity');
    const c = counts(s.counts, k1.length, 'rarity counts');
    const [e1, e2, et] = keys(s.entityK1, s.entityK2, s.entityTimes, 'rarity entity');
    const ev = counts(s.events, e1.length, 'rarity events');
    const di = counts(s.distinct, e1.length, 'rarity distinct');
    const [total, values] = counts([s.total, s.values], 2, 'rarity total and values') as [number, number];
    this.resetAll();
    for (let i = 0; i < k1.length; i++)
      this.counts[this.pairSlot(k1[i] as number, k2[i] as number, times[i] as number)] = c[i] as number;
    for (let i = 0; i < e1.length; i++) {
      const es = this.entitySlot(e1[i] as number, e2[i] as number, et[i] as number);
      this.events[es] = ev[i] as number;
      this.distinct[es] = di[i] as number;
    }
    this.total = total;
    this.values = values;
  }

  reason(_j: number, e: object): string {
    if (this.b === undefined) return `${this.ctx.label(this.a)} ${this.show(e, this.a)} is rare so far`;
    return `${this.ctx.label(this.b)} ${this.show(e, this.b)} is new or rare so far for ${this.ctx.label(this.a)} ${this.show(e, this.a)}`;
  }
}
