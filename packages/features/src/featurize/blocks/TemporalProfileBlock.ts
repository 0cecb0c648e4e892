/**
 * How unusual the event's local time is for its entity: a per-entity profile of hour of day × weekday /
 * weekend, smoothed towards the population's profile.
 *
 * Two columns, both −log of a smoothed probability:
 * - `hour_rarity`: the entity's hour-of-day profile (weekdays and weekends pooled);
 * - `weekpart_rarity`: the entity's hour × weekday/weekend profile (48 cells).
 *
 * For a cell b of an entity with counts c(·) and n events so far, with the population profile P(·):
 * p(b) = (c̃(b) + m·P̃(b)) / (n + m), where x̃ spreads each count over its hour (½) and the two neighbouring
 * hours (¼ each; an event's hour is uncertain to about an hour, so a shift that starts a few minutes early
 * is not a new hour) and m is the prior weight in pseudo-events. An entity with little history reads like
 * the population; one with a long history reads like itself.
 *
 * State: the population profile is learned at fit (the mean of the training entities' normalised profiles,
 * each entity weighing the same, so busy service accounts do not set what is normal for everyone) and
 * frozen; the per-entity counts are long-term stream state like first-seen sets: built in time order during
 * fit (each training row sees only earlier events, as a stream would), saved with the pipeline, continued
 * while scoring, bounded by the entity caps. Hours are local to the featurizer's time zone (IANA zones
 * follow daylight saving time, so a shift keeps its hour across the change).
 *
 * @module
 */
import { EntityTable } from '../EntityTable.js';
import type { FeaturizerColumn, TemporalProfileSpec } from '../spec.js';
import { ZoneOffsets } from '../zone.js';
import {
  type BlockContext,
  type BlockState,
  FieldHasher,
  growI,
  numValue,
  percent,
  strValue,
  TableBlock,
} from './Block.js';
import { checkInts, checkNumbers } from './relation.js';

/** Cells per entity: 24 hours × (weekday, weekend). */
export const PROFILE_CELLS = 48;
const FIT_CAPACITY = 1 << 30;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const U32_MAX = 0xffffffff;

/** Local time parts of a Unix time shifted to local seconds. */
export function localParts(local: number): { hour: number; minute: number; weekday: number } {
  const day = Math.floor(local / 86400);
  const sec = local - day * 86400;
  let weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
  if (weekday < 0) weekday += 7;
  return { hour: Math.floor(sec / 3600), minute: Math.floor((sec % 3600) / 60), weekday };
}

/** The cell of an hour and weekday: hour for weekdays, 24 + hour for Saturday and Sunday. */
export function profileCell(hour: number, weekday: number): number {
  return weekday === 0 || weekday === 6 ? 24 + hour : hour;
}

/**
 * The spread count of a cell: ½ of its own count and ¼ of each neighbouring hour of the same day part
 * (hours wrap around midnight). `hourOnly` pools weekdays and weekends.
 */
export function spread(c: ArrayLike<number>, off: number, cell: number, hourOnly: boolean): number {
  const h = cell % 24;
  const part = cell - h;
  const at = (hh: number): number => {
    const k = (hh + 24) % 24;
    return hourOnly ? (c[off + k] as number) + (c[off + 24 + k] as number) : (c[off + part + k] as number);
  };
  return 0.5 * at(h) + 0.25 * (at(h - 1) + at(h + 1));
}

export class TemporalProfileBlock extends TableBlock {
  private readonly entity: string;
  private readonly field: string;
  private readonly prior: number;
  private readonly offsetSeconds: number;
  private readonly zone: ZoneOffsets | undefined;
  private readonly he: FieldHasher;
  private readonly key = new Int32Array(2);
  /** Population profile (sums to 1), frozen at fit. */
  private population = new Float64Array(PROFILE_CELLS);
  /** Per-entity counts, PROFILE_CELLS per slot, and totals (slots of the inherited table). */
  private counts: Uint32Array<ArrayBuffer> = new Uint32Array(0);
  private totals: Float64Array<ArrayBuffer> = new Float64Array(0);
  /** Fit-time per-entity counts (for the population profile). */
  private fitTable: EntityTable | undefined;
  private fitCounts: Int32Array<ArrayBuffer> = new Int32Array(0);

  constructor(ctx: BlockContext, s: TemporalProfileSpec) {
    super(ctx);
    this.entity = s.entity;
    this.field = s.field ?? ctx.timeField;
    this.prior = s.prior ?? 10;
    this.offsetSeconds = (s.utcOffsetMinutes ?? ctx.utcOffsetMinutes) * 60;
    const tz = s.timeZone ?? (s.utcOffsetMinutes === undefined ? ctx.timeZone : undefined);
    this.zone = tz === undefined ? undefined : new ZoneOffsets(tz);
    this.he = ctx.hasher(this.entity);
  }

  get width(): number {
    return 2;
  }

  rawFields(): string[] {
    return [this.entity, this.field];
  }

  columns(): FeaturizerColumn[] {
    const l = this.ctx.label(this.field);
    const u = this.ctx.label(this.entity);
    return [
      this.col(`${u}:hour_rarity`, l, 'rarity', [u, l], `hour of day unusual for this ${u}`),
      this.col(`${u}:weekpart_rarity`, l, 'rarity', [u, l], `hour and day type unusual for this ${u}`),
    ];
  }

  private local(e: object, t: number): number {
    const x = this.field === this.ctx.timeField ? t : numValue(e, this.field);
    return x + (this.zone === undefined ? this.offsetSeconds : this.zone.offsetSeconds(x));
  }

  private cellOf(e: object, t: number): number {
    const p = localParts(this.local(e, t));
    return profileCell(p.hour, p.weekday);
  }

  override observe(e: object): void {
    const t = numValue(e, this.ctx.timeField);
    const cell = this.cellOf(e, t);
    this.fitTable ??= new EntityTable(FIT_CAPACITY);
    // Hash directly: the per-event hash memo only advances while events are written.
    const k = this.key;
    FieldHasher.key(strValue(e, this.entity), k);
    const s = this.fitTable.slotOf(k[0] as number, k[1] as number, 0);
    const need = this.fitTable.slotCount * PROFILE_CELLS;
    if (need > this.fitCounts.length) this.fitCounts = growI(this.fitCounts, need);
    const i = s * PROFILE_CELLS + cell;
    this.fitCounts[i] = (this.fitCounts[i] as number) + 1;
  }

  override finishFit(): void {
    // The mean of the entities' normalised profiles, plus one uniform pseudo-entity (never zero).
    const pop = new Float64Array(PROFILE_CELLS).fill(1 / PROFILE_CELLS);
    let entities = 1;
    const c = this.fitCounts;
    this.fitTable?.each((_a, _b, s) => {
      const off = s * PROFILE_CELLS;
      let n = 0;
      for (let k = 0; k < PROFILE_CELLS; k++) n += c[off + k] as number;
      if (n === 0) return;
      for (let k = 0; k < PROFILE_CELLS; k++) pop[k] = (pop[k] as number) + (c[off + k] as number) / n;
      entities++;
    });
    for (let k = 0; k < PROFILE_CELLS; k++) pop[k] = (pop[k] as number) / entities;
    this.population = pop;
    this.fitTable = undefined;
    this.fitCounts = new Int32Array(0);
  }

  override resetAll(): void {
    this.resetTable();
    this.counts = new Uint32Array(0);
    this.totals = new Float64Array(0);
    this.fitTable = undefined;
    this.fitCounts = new Int32Array(0);
    this.population = new Float64Array(PROFILE_CELLS);
  }

  private slotFor(k1: number, k2: number, t: number): number {
    const s = this.table.slotOf(k1, k2, t);
    if (this.table.slotCount > this.totals.length) {
      const n = Math.max(this.table.slotCount, this.totals.length * 2, 16);
      const c = new Uint32Array(n * PROFILE_CELLS);
      c.set(this.counts);
      this.counts = c;
      const tt = new Float64Array(n);
      tt.set(this.totals);
      this.totals = tt;
    }
    if (this.table.created) {
      this.counts.fill(0, s * PROFILE_CELLS, (s + 1) * PROFILE_CELLS);
      this.totals[s] = 0;
    }
    return s;
  }

  /** −log p of the cell (hour only, or hour × day part) for an entity with `n` events. */
  private rarity(off: number, n: number, cell: number, hourOnly: boolean): number {
    const c = n === 0 ? 0 : spread(this.counts, off, cell, hourOnly);
    const pop = spread(this.population, 0, cell, hourOnly);
    const m = this.prior;
    return -Math.log((c + m * pop) / (n + m));
  }

  write(e: object, t: number, out: Float64Array, off: number): void {
    const cell = this.cellOf(e, t);
    this.he.of(e);
    const s = this.slotFor(this.he.k1, this.he.k2, t);
    const n = this.totals[s] as number;
    const base = s * PROFILE_CELLS;
    out[off] = this.rarity(base, n, cell, true);
    out[off + 1] = this.rarity(base, n, cell, false);
    const i = base + cell;
    const v = this.counts[i] as number;
    if (v < U32_MAX) {
      this.counts[i] = v + 1;
      this.totals[s] = n + 1;
    }
  }

  override saveState(): BlockState {
    const rows: Array<[number, number, number, number]> = [];
    this.table.each((k1, k2, s) => {
      rows.push([k1, k2, this.table.lastSeen[s] as number, s]);
    });
    rows.sort((a, b) => a[2] - b[2] || a[0] - b[0] || a[1] - b[1]);
    const counts: number[] = [];
    for (const r of rows) {
      const off = r[3] * PROFILE_CELLS;
      for (let k = 0; k < PROFILE_CELLS; k++) counts.push(this.counts[off + k] as number);
    }
    return {
      population: Array.from(this.population),
      k1: rows.map((r) => r[0]),
      k2: rows.map((r) => r[1]),
      times: rows.map((r) => r[2]),
      counts,
    };
  }

  override loadState(st: BlockState): void {
    const pop = checkNumbers(st.population, 'temporalProfile population', PROFILE_CELLS);
    if (pop.some((x) => !(x > 0)) || Math.abs(pop.reduce((a, b) => a + b, 0) - 1) > 1e-6)
      throw new TypeError('temporalProfile population must be positive and sum to 1');
    const cap = this.ctx.maxEntities;
    if (!Array.isArray(st.k1) || st.k1.length > cap)
      throw new TypeError(`temporalProfile k1 must be an array of at most ${cap} integers`);
    const k1 = checkInts(st.k1, 'temporalProfile k1', st.k1.length);
    const k2 = checkInts(st.k2, 'temporalProfile k2', k1.length);
    const times = checkNumbers(st.times, 'temporalProfile times', k1.length);
    const counts = checkNumbers(st.counts, 'temporalProfile counts', k1.length * PROFILE_CELLS);
    if (counts.some((x) => !Number.isInteger(x) || x < 0 || x > U32_MAX))
      throw new TypeError('temporalProfile counts must be non-negative 32-bit integers');
    this.resetAll();
    this.population = Float64Array.from(pop);
    for (let i = 0; i < k1.length; i++) {
      const s = this.slotFor(k1[i] as number, k2[i] as number, times[i] as number);
      let n = 0;
      for (let k = 0; k < PROFILE_CELLS; k++) {
        const v = counts[i * PROFILE_CELLS + k] as number;
        this.counts[s * PROFILE_CELLS + k] = v;
        n += v;
      }
      this.totals[s] = n;
    }
  }

  /**
   * E.g. `Sat 03:10 is unusual for user U12 (their profile gives that hour on weekends 0.02 %; all users
   * 0.40 %)` from the column's value, or, without it, `(0 of their other 412 events so far in that hour on
   * weekends; all users 0.40 %)` from the profile now, without this event.
   */
  reason(j: number, e: object, value?: number): string {
    const t = numValue(e, this.ctx.timeField);
    const p = localParts(this.local(e, t));
    const cell = profileCell(p.hour, p.weekday);
    const hourOnly = j === 0;
    let pop = 0;
    for (let k = 0; k < PROFILE_CELLS; k++)
      if (k % 24 === p.hour && (hourOnly || k === cell)) pop += this.population[k] as number;
    const hhmm = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
    const when = hourOnly ? hhmm : `${DAYS[p.weekday]} ${hhmm}`;
    const where = hourOnly ? 'that hour' : `that hour on ${cell >= 24 ? 'weekends' : 'weekdays'}`;
    const u = this.ctx.label(this.entity);
    const head = `${when} is unusual for ${u} ${this.show(e, this.entity)}`;
    if (value !== undefined && Number.isFinite(value))
      return `${head} (their profile gives ${where} ${percent(Math.exp(-value))}; all ${u}s ${percent(pop)})`;
    // Hash directly: the per-event memo holds the last written event, not necessarily this one.
    const k = this.key;
    FieldHasher.key(strValue(e, this.entity), k);
    const s = this.table.peekOf(k[0] as number, k[1] as number);
    let inCell = 0;
    let n = 0;
    if (s >= 0) {
      const off = s * PROFILE_CELLS;
      n = this.totals[s] as number;
      inCell = hourOnly
        ? (this.counts[off + p.hour] as number) + (this.counts[off + 24 + p.hour] as number)
        : (this.counts[off + cell] as number);
      // The event itself was counted when it was featurized.
      if (inCell > 0 && n > 0) {
        inCell--;
        n--;
      }
    }
    return `${head} (${inCell} of their other ${n} events so far in ${where}; all ${u}s ${percent(pop)})`;
  }
}
