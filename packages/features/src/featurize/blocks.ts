/**
 * The building blocks of a feature pipeline. Internal: users describe blocks with {@link BlockSpec}s and
 * the pipeline builds these. Each block writes `width` values at its offset of the output row.
 *
 * State kinds: *learned* state (one-hot vocabularies, rarity frequencies) is fitted on training data and
 * frozen; *long-term* stream state (first-seen sets) persists from training into scoring and is saved;
 * *short-term* stream state (windows, decayed statistics, gaps) is reset after fit and on load.
 *
 * @module
 */
import { EntityTable } from './EntityTable.js';
import { hash64, hashString, pairKey } from './hash.js';
import type {
  BlockSpec,
  CyclicSpec,
  DecaySpec,
  FailureRatioSpec,
  FeaturizerColumn,
  FirstSeenSpec,
  GapSpec,
  HashSpec,
  NumericSpec,
  OneHotSpec,
  RaritySpec,
  WindowSpec,
} from './spec.js';
import { ZoneOffsets } from './zone.js';

/**
 * Settings every block gets from the pipeline (internal).
 *
 * @example
 * ```ts
 * const block = makeBlock(ctx, { type: 'cyclic' });
 * ```
 */
export interface BlockContext {
  readonly index: number;
  readonly seed: number;
  readonly timeField: string;
  readonly utcOffsetMinutes: number;
  readonly timeZone: string | undefined;
  readonly maxEntities: number;
  readonly maxAgeSeconds: number;
  label(field: string): string;
  /** The short-term entity table of a field, shared by every block keyed on that field. */
  entity(field: string): SharedEntity;
  /** The per-event 64-bit hash of a field's value, shared by every block reading that field. */
  hasher(field: string): FieldHasher;
}

/**
 * The 64-bit hash of one field's value for the current event, computed once per event however many
 * blocks ask (the pipeline advances `clock.n` per event). Internal.
 *
 * @example
 * ```ts
 * const h = new FieldHasher('user', clock);
 * h.of(event); // h.k1, h.k2
 * ```
 */
export class FieldHasher {
  /** The field. */
  readonly field: string;
  /** Low half of the current value's hash. */
  k1 = 0;
  /** High half of the current value's hash. */
  k2 = 0;
  private readonly clock: { n: number };
  private stamp = -1;
  private readonly tmp = new Int32Array(2);

  constructor(field: string, clock: { n: number }) {
    this.field = field;
    this.clock = clock;
  }

  /** Hashes the event's value (once per event). */
  of(e: object): void {
    if (this.stamp === this.clock.n) return;
    this.stamp = this.clock.n;
    hash64(strValue(e, this.field), this.tmp);
    this.k1 = this.tmp[0] as number;
    this.k2 = this.tmp[1] as number;
  }

  /** Hashes a value directly (outside the per-event memo). */
  static key(v: string, out: Int32Array): void {
    hash64(v, out);
  }
}

/**
 * A short-term entity table shared by the blocks keyed on one field, looked up once per event: the
 * pipeline advances `clock.n` per event, and every block of that event gets the same slot and `created`.
 * Internal.
 *
 * @example
 * ```ts
 * const slot = ctx.entity('user').get(event, time);
 * ```
 */
export class SharedEntity {
  /** The entity field. */
  readonly field: string;
  /** The bounded table. */
  table: EntityTable;
  /** Slot of the current event's entity. */
  slot = 0;
  /** Whether the current event created (or re-created after eviction) its entity. */
  created = false;
  private readonly clock: { n: number };
  private stamp = -1;
  private readonly capacity: number;
  private readonly maxAge: number;
  private readonly hasher: FieldHasher;

  constructor(hasher: FieldHasher, capacity: number, maxAge: number, clock: { n: number }) {
    this.field = hasher.field;
    this.hasher = hasher;
    this.capacity = capacity;
    this.maxAge = maxAge;
    this.clock = clock;
    this.table = new EntityTable(capacity, maxAge);
  }

  /** The slot of the event's entity (one table lookup per event, however many blocks ask). */
  get(e: object, t: number): number {
    if (this.stamp === this.clock.n) return this.slot;
    this.stamp = this.clock.n;
    const h = this.hasher;
    h.of(e);
    this.slot = this.table.slotOf(h.k1, h.k2, t);
    this.created = this.table.created;
    return this.slot;
  }

  /** Forgets every entity (keeps the eviction count). */
  reset(): void {
    const ev = this.table.evictions;
    this.table = new EntityTable(this.capacity, this.maxAge);
    this.table.evictions = ev;
    this.stamp = -1;
  }
}

/**
 * A field value as a string ('' when missing).
 *
 * @example
 * ```ts
 * strValue({ success: true }, 'success'); // 'true'
 * ```
 */
export function strValue(e: object, key: string): string {
  const v = (e as Record<string, unknown>)[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

/**
 * A field value as a finite number (booleans 1/0, numeric strings parsed, else 0).
 *
 * @example
 * ```ts
 * numValue({ bytes: '12' }, 'bytes'); // 12
 * ```
 */
export function numValue(e: object, key: string): number {
  const v = (e as Record<string, unknown>)[key];
  if (typeof v === 'number') return Number.isFinite(v) ? v : 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) ? n : 0;
  }
  return 0;
}

/** Whether an outcome value means success (true, non-zero, "Success", "true", "ok", "yes", "1"). */
function isSuccess(e: object, key: string): boolean {
  const v = (e as Record<string, unknown>)[key];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    return s === 'success' || s === 'true' || s === 'ok' || s === 'yes' || s === '1' || s === 'accepted';
  }
  return false;
}

function grow(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Float64Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

function growI(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Int32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

const LN2 = Math.LN2;

/**
 * Saved learned or long-term state of one block (plain JSON).
 *
 * @example
 * ```ts
 * const st: BlockState = block.saveState();
 * ```
 */
export type BlockState = Record<string, unknown>;

/**
 * Base class of every block (internal; users describe blocks with `BlockSpec`s).
 *
 * @example
 * ```ts
 * block.write(event, time, row, block.offset);
 * ```
 */
export abstract class Block {
  /** Column offset in the row (set by the pipeline). */
  offset = 0;
  /** Index of the block in the pipeline. */
  readonly index: number;
  protected readonly ctx: BlockContext;

  constructor(ctx: BlockContext) {
    this.ctx = ctx;
    this.index = ctx.index;
  }

  /** Number of columns (final after fit). */
  abstract get width(): number;
  /** Raw fields (event keys) the block reads. */
  abstract rawFields(): string[];
  /** The block's columns (after fit). */
  abstract columns(): FeaturizerColumn[];
  /** Writes the block's values for event `e` at time `t` into `out[off …]`, updating stream state. */
  abstract write(e: object, t: number, out: Float64Array, off: number): void;
  /** Sees one training event in the counting pass (learned state). */
  observe(_e: object): void {}
  /** Ends the counting pass. */
  finishFit(): void {}
  /** Clears short-term stream state. */
  resetShort(): void {}
  /** Clears all stream state (before a refit). */
  resetAll(): void {
    this.resetShort();
  }
  /** Evicts idle entities. */
  sweep(_now: number): void {}
  /** Evictions so far. */
  evictions(): number {
    return 0;
  }
  /** Entities held. */
  entities(): number {
    return 0;
  }
  /** Learned and long-term state to save. */
  saveState(): BlockState {
    return {};
  }
  /** Restores saved state (validated by the caller for shape; checked here for types). */
  loadState(_s: BlockState): void {}
  /** A reason phrase for column `j` of this block with the event's raw values. */
  abstract reason(j: number, e: object): string;

  protected col(
    name: string,
    field: string,
    kind: FeaturizerColumn['kind'],
    fields: string[],
    description: string,
    value?: string,
  ): FeaturizerColumn {
    const c: FeaturizerColumn = { name, field, kind, fields, block: this.index, description };
    return value === undefined ? c : { ...c, value };
  }

  protected show(e: object, key: string): string {
    const v = strValue(e, key);
    return v === '' ? '?' : v;
  }
}

class NumericBlock extends Block {
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

class OneHotBlock extends Block {
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

class HashBlock extends Block {
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

const TWO_PI = 2 * Math.PI;

class CyclicBlock extends Block {
  private readonly field: string;
  private readonly offsetSeconds: number;
  private readonly zone: ZoneOffsets | undefined;
  constructor(ctx: BlockContext, s: CyclicSpec) {
    super(ctx);
    this.field = s.field ?? ctx.timeField;
    this.offsetSeconds = (s.utcOffsetMinutes ?? ctx.utcOffsetMinutes) * 60;
    const tz = s.timeZone ?? (s.utcOffsetMinutes === undefined ? ctx.timeZone : undefined);
    this.zone = tz === undefined ? undefined : new ZoneOffsets(tz);
  }
  private local(t: number): number {
    return t + (this.zone === undefined ? this.offsetSeconds : this.zone.offsetSeconds(t));
  }
  get width(): number {
    return 4;
  }
  rawFields(): string[] {
    return [this.field];
  }
  columns(): FeaturizerColumn[] {
    const l = this.ctx.label(this.field);
    return [
      this.col(`${l}:hour_sin`, l, 'cyclic', [l], 'hour of day'),
      this.col(`${l}:hour_cos`, l, 'cyclic', [l], 'hour of day'),
      this.col(`${l}:weekday_sin`, l, 'cyclic', [l], 'day of week'),
      this.col(`${l}:weekday_cos`, l, 'cyclic', [l], 'day of week'),
    ];
  }
  write(e: object, t: number, out: Float64Array, off: number): void {
    const x = this.local(this.field === this.ctx.timeField ? t : numValue(e, this.field));
    let day = (x % 86400) / 86400;
    if (day < 0) day += 1;
    // 1970-01-01 was a Thursday: shift so that 0 is Sunday 00:00.
    let week = ((x / 86400 + 4) % 7) / 7;
    if (week < 0) week += 1;
    out[off] = Math.sin(TWO_PI * day);
    out[off + 1] = Math.cos(TWO_PI * day);
    out[off + 2] = Math.sin(TWO_PI * week);
    out[off + 3] = Math.cos(TWO_PI * week);
  }
  reason(j: number, e: object): string {
    const d = new Date(this.local(numValue(e, this.field)) * 1000);
    const hh = String(d.getUTCHours()).padStart(2, '0');
    const mm = String(d.getUTCMinutes()).padStart(2, '0');
    const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
    return j < 2 ? `time of day ${hh}:${mm}` : `day of week ${days[d.getUTCDay()]}`;
  }
}

function relationLabel(ctx: BlockContext, a: string, b: string | undefined): string {
  return b === undefined ? ctx.label(a) : `${ctx.label(a)}→${ctx.label(b)}`;
}

function relationFields(ctx: BlockContext, a: string, b: string | undefined): string[] {
  return b === undefined ? [ctx.label(a)] : [ctx.label(a), ctx.label(b)];
}

function checkNumbers(v: unknown, what: string, n: number): number[] {
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
    throw new TypeError(`${what} must be an array of ${n} finite numbers`);
  return v as number[];
}

/** The 64-bit key of one field or of the pair a → b for the current event, in `out`. */
function eventKey(e: object, ha: FieldHasher, hb: FieldHasher | undefined, out: Int32Array): void {
  ha.of(e);
  if (hb === undefined) {
    out[0] = ha.k1;
    out[1] = ha.k2;
    return;
  }
  hb.of(e);
  pairKey(ha.k1, ha.k2, hb.k1, hb.k2, out);
}

/** The 64-bit key of literal values (for fitting and loading). */
function valueKey(va: string, vb: string | undefined, out: Int32Array): void {
  hash64(va, out);
  if (vb === undefined) return;
  const a1 = out[0] as number;
  const a2 = out[1] as number;
  hash64(vb, out);
  pairKey(a1, a2, out[0] as number, out[1] as number, out);
}

function checkInts(v: unknown, what: string, n: number): number[] {
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && (x | 0) === x))
    throw new TypeError(`${what} must be an array of ${n} 32-bit integers`);
  return v as number[];
}

class FirstSeenBlock extends Block {
  private readonly a: string;
  private readonly b: string | undefined;
  private readonly ha: FieldHasher;
  private readonly hb: FieldHasher | undefined;
  private readonly key = new Int32Array(2);
  private table: EntityTable;
  constructor(ctx: BlockContext, s: FirstSeenSpec) {
    super(ctx);
    this.a = s.fields[0];
    this.b = s.fields[1];
    this.ha = ctx.hasher(this.a);
    this.hb = this.b === undefined ? undefined : ctx.hasher(this.b);
    this.table = new EntityTable(ctx.maxEntities, ctx.maxAgeSeconds);
  }
  get width(): number {
    return 1;
  }
  rawFields(): string[] {
    return this.b === undefined ? [this.a] : [this.a, this.b];
  }
  columns(): FeaturizerColumn[] {
    const r = relationLabel(this.ctx, this.a, this.b);
    return [this.col(`${r}:first_seen`, r, 'flag', relationFields(this.ctx, this.a, this.b), 'first seen')];
  }
  write(e: object, t: number, out: Float64Array, off: number): void {
    const k = this.key;
    eventKey(e, this.ha, this.hb, k);
    this.table.slotOf(k[0] as number, k[1] as number, t);
    out[off] = this.table.created ? 1 : 0;
  }
  override resetAll(): void {
    const ev = this.table.evictions;
    this.table = new EntityTable(this.ctx.maxEntities, this.ctx.maxAgeSeconds);
    this.table.evictions = ev;
  }
  override sweep(now: number): void {
    this.table.sweep(now);
  }
  override evictions(): number {
    return this.table.evictions;
  }
  override entities(): number {
    return this.table.size;
  }
  override saveState(): BlockState {
    const entries = this.table.entries();
    return { k1: entries.map((x) => x[0]), k2: entries.map((x) => x[1]), times: entries.map((x) => x[2]) };
  }
  override loadState(s: BlockState): void {
    if (!Array.isArray(s.k1) || s.k1.length > this.ctx.maxEntities)
      throw new TypeError(`firstSeen k1 must be an array of at most ${this.ctx.maxEntities} integers`);
    const k1 = checkInts(s.k1, 'firstSeen k1', s.k1.length);
    const k2 = checkInts(s.k2, 'firstSeen k2', k1.length);
    const times = checkNumbers(s.times, 'firstSeen times', k1.length);
    this.table = new EntityTable(this.ctx.maxEntities, this.ctx.maxAgeSeconds);
    for (let i = 0; i < k1.length; i++)
      this.table.slotOf(k1[i] as number, k2[i] as number, times[i] as number);
  }
  reason(_j: number, e: object): string {
    if (this.b === undefined)
      return `${this.ctx.label(this.a)} ${this.show(e, this.a)} seen for the first time`;
    return `${this.ctx.label(this.b)} ${this.show(e, this.b)} first seen for ${this.ctx.label(this.a)} ${this.show(e, this.a)}`;
  }
}

/** A frozen 64-bit-key → count table. */
class CountTable {
  table: EntityTable;
  counts: Float64Array<ArrayBuffer> = new Float64Array(64);
  constructor(capacity: number) {
    this.table = new EntityTable(capacity);
  }
  add(k1: number, k2: number): void {
    const s = this.table.slotOf(k1, k2, 0);
    if (s >= this.counts.length) this.counts = grow(this.counts, this.table.slotCount);
    this.counts[s] = (this.table.created ? 0 : (this.counts[s] as number)) + 1;
  }
  get(k1: number, k2: number): number {
    const s = this.table.peekOf(k1, k2);
    return s < 0 ? 0 : (this.counts[s] as number);
  }
  get size(): number {
    return this.table.size;
  }
  /** A copy keeping the `cap` most frequent keys. */
  pruned(cap: number): CountTable {
    const rows: Array<[number, number, number]> = [];
    this.table.each((k1, k2, s) => {
      rows.push([k1, k2, this.counts[s] as number]);
    });
    rows.sort((x, y) => y[2] - x[2] || x[0] - y[0] || x[1] - y[1]);
    return CountTable.from(rows.slice(0, cap), Math.max(1, cap));
  }
  static from(rows: ReadonlyArray<readonly [number, number, number]>, capacity: number): CountTable {
    const t = new CountTable(capacity);
    for (const [k1, k2, c] of rows) {
      const s = t.table.slotOf(k1, k2, 0);
      if (s >= t.counts.length) t.counts = grow(t.counts, t.table.slotCount);
      t.counts[s] = c;
    }
    return t;
  }
  save(): { k1: number[]; k2: number[]; counts: number[] } {
    const k1: number[] = [];
    const k2: number[] = [];
    const counts: number[] = [];
    this.table.each((a, b, s) => {
      k1.push(a);
      k2.push(b);
      counts.push(this.counts[s] as number);
    });
    return { k1, k2, counts };
  }
}

const FIT_CAPACITY = 1 << 30;

class RarityBlock extends Block {
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
    const load = (a: unknown, b: unknown, c: unknown, what: string): CountTable => {
      if (!Array.isArray(a) || a.length > cap)
        throw new TypeError(`${what} must be an array of at most ${cap} entries`);
      const k1 = checkInts(a, `${what} k1`, a.length);
      const k2 = checkInts(b, `${what} k2`, k1.length);
      const counts = checkNumbers(c, `${what} counts`, k1.length);
      if (counts.some((x) => x < 0)) throw new TypeError(`${what} counts must be non-negative`);
      return CountTable.from(
        k1.map((x, i) => [x, k2[i] as number, counts[i] as number] as const),
        Math.max(1, cap),
      );
    };
    this.pair = load(s.k1, s.k2, s.counts, 'rarity');
    this.marginal = load(s.marginalK1, s.marginalK2, s.marginalCounts, 'rarity marginal');
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

class WindowBlock extends Block {
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

/** Blocks with one table and a few per-entity numbers. */
abstract class EntityStatBlock extends Block {
  protected readonly entity: string;
  protected readonly ent: SharedEntity;
  constructor(ctx: BlockContext, entity: string) {
    super(ctx);
    this.entity = entity;
    this.ent = ctx.entity(entity);
  }
  rawFields(): string[] {
    return [this.entity];
  }
}

class FailureRatioBlock extends EntityStatBlock {
  private readonly outcome: string;
  private readonly rate: number;
  private fails = new Float64Array(64);
  private total = new Float64Array(64);
  private last = new Float64Array(64);
  constructor(ctx: BlockContext, s: FailureRatioSpec) {
    super(ctx, s.entity);
    this.outcome = s.outcome ?? 'success';
    this.rate = LN2 / (s.halfLife ?? 3600);
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

class GapBlock extends EntityStatBlock {
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

class DecayBlock extends EntityStatBlock {
  private readonly halfLife: number;
  private readonly rate: number;
  private value = new Float64Array(64);
  private last = new Float64Array(64);
  constructor(ctx: BlockContext, s: DecaySpec) {
    super(ctx, s.entity);
    this.halfLife = s.halfLife ?? 600;
    this.rate = LN2 / this.halfLife;
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

/**
 * Builds the block of a (checked) spec.
 *
 * @example
 * ```ts
 * const b = makeBlock(ctx, { type: 'hash', field: 'user', width: 8 });
 * ```
 */
export function makeBlock(ctx: BlockContext, s: BlockSpec): Block {
  switch (s.type) {
    case 'numeric':
      return new NumericBlock(ctx, s);
    case 'onehot':
      return new OneHotBlock(ctx, s);
    case 'hash':
      return new HashBlock(ctx, s);
    case 'cyclic':
      return new CyclicBlock(ctx, s);
    case 'firstSeen':
      return new FirstSeenBlock(ctx, s);
    case 'rarity':
      return new RarityBlock(ctx, s);
    case 'window':
      return new WindowBlock(ctx, s);
    case 'failureRatio':
      return new FailureRatioBlock(ctx, s);
    case 'gaps':
      return new GapBlock(ctx, s);
    case 'decay':
      return new DecayBlock(ctx, s);
  }
}
