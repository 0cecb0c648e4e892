/**
 * The base class of every block, the context the pipeline gives it, and the helpers blocks share (field
 * values, per-event hashes, the shared short-term entity table, typed-array growth). Internal: users
 * describe blocks with `BlockSpec`s and the pipeline builds these.
 *
 * State kinds: *learned* state (one-hot vocabularies, rarity frequencies) is fitted on training data and
 * frozen; *long-term* stream state (first-seen sets) persists from training into scoring and is saved;
 * *short-term* stream state (windows, decayed statistics, gaps) is reset after fit and on load.
 *
 * @module
 */
import { EntityTable } from '../EntityTable.js';
import { hash64 } from '../hash.js';
import type { FeaturizerColumn } from '../spec.js';

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
 * A list-valued field's items as strings: an array's string and finite-number elements (others and `''`
 * skipped), a non-empty string or finite number as one item, else none.
 *
 * @example
 * ```ts
 * listValue({ secrets: ['NPM_TOKEN', 'DEPLOY_TOKEN'] }, 'secrets'); // ['NPM_TOKEN', 'DEPLOY_TOKEN']
 * ```
 */
export function listValue(e: object, key: string): string[] {
  const v = (e as Record<string, unknown>)[key];
  if (!Array.isArray(v)) {
    const s = strValue(e, key);
    return s === '' ? [] : [s];
  }
  const out: string[] = [];
  for (const x of v as unknown[]) {
    if (typeof x === 'string' && x !== '') out.push(x);
    else if (typeof x === 'number' && Number.isFinite(x)) out.push(String(x));
  }
  return out;
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
export function isSuccess(e: object, key: string): boolean {
  const v = (e as Record<string, unknown>)[key];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    return s === 'success' || s === 'true' || s === 'ok' || s === 'yes' || s === '1' || s === 'accepted';
  }
  return false;
}

/**
 * A share as a percentage for reason text: `12 %`, `3.4 %`, `0.05 %`.
 *
 * @example
 * ```ts
 * percent(0.034); // '3.4 %'
 * ```
 */
export function percent(x: number): string {
  const v = 100 * Math.max(0, x);
  return `${v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2)} %`;
}

export function grow(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Float64Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

export function growI(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Int32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

/**
 * Saved learned or long-term state of one block (plain JSON).
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
  /**
   * A reason phrase for column `j` of this block with the event's raw values; `value` is the column's value
   * for the event when known (as it was when the event was featurized).
   */
  abstract reason(j: number, e: object, value?: number): string;

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

/** Blocks with one table and a few per-entity numbers. */
export abstract class EntityStatBlock extends Block {
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

/**
 * Blocks with their own long-term entity table (first-seen sets, temporal profiles): bounded by the
 * entity caps, swept for age, counted in `stateStats()`.
 */
export abstract class TableBlock extends Block {
  protected table: EntityTable;
  constructor(ctx: BlockContext) {
    super(ctx);
    this.table = new EntityTable(ctx.maxEntities, ctx.maxAgeSeconds);
  }
  /** Starts an empty table (keeping the eviction count). */
  protected resetTable(): void {
    const ev = this.table.evictions;
    this.table = new EntityTable(this.ctx.maxEntities, this.ctx.maxAgeSeconds);
    this.table.evictions = ev;
  }
  override resetAll(): void {
    this.resetTable();
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
}
