/**
 * Rolls flagged events up into incidents: events that share a linking value (an entity: a user, a source
 * host, an actor) within a time window belong to one incident, scored by Fisher's combination of their
 * p-values plus the novelty of an incident for its entity.
 *
 * @module
 */
import { describeValue, InputTypeError, message, ParameterError, ValueError } from '../errors.js';
import { fisherLogP } from './fisher.js';
import { DAY_SECONDS, incidentNovelty } from './novelty.js';

/**
 * One flagged event, as the tracker sees it.
 *
 * @example
 * ```ts
 * const e: IncidentEvent = { index: 17, time: 1773410061, keys: ['user=U12'], pValue: 0.0004, energy: 31.2 };
 * ```
 */
export interface IncidentEvent {
  /** The caller's index of the event (its position in the input, a line number, …). */
  readonly index: number;
  /** Event time in seconds. */
  readonly time: number;
  /** Linking values, e.g. `['user=U12', 'src_computer=C1003']`: events sharing one may join an incident. */
  readonly keys: readonly string[];
  /** The event's p-value, in (0, 1]. */
  readonly pValue: number;
  /** The event's energy. */
  readonly energy: number;
}

/**
 * Options of {@link IncidentTracker}.
 *
 * @example
 * ```ts
 * const o: IncidentTrackerOptions = { window: 1800, maxSpan: 43200 };
 * ```
 */
export interface IncidentTrackerOptions {
  /** A flagged event joins an incident when it comes within this many seconds of it (default 3600). */
  readonly window?: number;
  /** An incident spans at most this many seconds; a later event starts a new one (default 86400). */
  readonly maxSpan?: number;
  /** Event indices kept per incident (the rest are counted and scored, not listed; default 1000). */
  readonly maxEvents?: number;
  /**
   * Linking values whose incident history is kept for the novelty term (default 100000); past it the
   * least recently linked value is forgotten (it then counts as never seen).
   */
  readonly maxHistory?: number;
}

/**
 * An incident: flagged events linked by shared values within the window, with one score.
 *
 * @example
 * ```ts
 * const top: Incident = tracker.flush().sort((a, b) => b.score - a.score)[0];
 * ```
 */
export interface Incident {
  /** Opening order (0, 1, …). */
  readonly id: number;
  /** The linking values of its events, sorted. */
  readonly keys: readonly string[];
  /** First and last event time (seconds). */
  readonly start: number;
  readonly end: number;
  /** Flagged events in it. */
  readonly count: number;
  /** Their indices in time order (the first `maxEvents`). */
  readonly events: readonly number[];
  /** The highest energy among them. */
  readonly maxEnergy: number;
  /** The smallest p-value among them. */
  readonly minPValue: number;
  /** ln of the combined p-value (Fisher's method over the events' p-values). */
  readonly logPValue: number;
  /**
   * Earlier incidents of its entity when it opened: the fewest among the linking values of its first
   * event (0 when that event had none).
   */
  readonly earlier: number;
  /** The novelty term, {@link incidentNovelty} of `earlier` and the days of history when it opened. */
  readonly novelty: number;
  /**
   * The ranking score (higher = more anomalous): −log₁₀ of the combined p-value plus `novelty`.
   */
  readonly score: number;
}

interface Open {
  id: number;
  keys: Set<string>;
  start: number;
  end: number;
  count: number;
  events: Array<[number, number]>;
  maxEnergy: number;
  minP: number;
  sumNegLog: number;
  earlier: number;
  novelty: number;
}

function checkNumber(api: string, name: string, v: unknown, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || v < min)
    throw new ParameterError(message(api, `${name} must be a number ≥ ${min}`, `≥ ${min}`, describeValue(v)));
  return v;
}

/**
 * Rolls flagged events up into incidents, incrementally (for a stream) or all at once.
 *
 * Rule: a flagged event joins the oldest open incident that shares one of its keys and whose time span,
 * widened by `window` on both sides, contains the event's time — as long as the joined span stays within
 * `maxSpan` — else it opens a new one; its other values then lead to that incident too (unless they
 * already lead to another incident it could join). Incidents never merge, so one busy entity cannot chain
 * a day's alerts into one. An event with no keys is an incident of its own.
 *
 * Score: −log₁₀ of Fisher's combined p-value, P(χ²₂ₖ ≥ −2 Σ ln pᵢ) — one very unusual event and several
 * corroborating ones both raise it — plus the incident's novelty for its entity, {@link incidentNovelty}:
 * when an event opens an incident, c is the fewest earlier incidents any of its linking values joined and
 * d the days since the first event the tracker saw, and the term −log₁₀(1 − e^(−λ)), λ = (c + ½)/(d + 1),
 * is added (0.4 with no history; near 0 for an entity flagged every day; 1.2 after a quiet week). So a
 * busy entity's daily burst ranks below an equally unusual incident of an entity that is rarely flagged.
 * The events of an incident are not independent (a burst is one story), so read the score as a ranking,
 * not as a calibrated probability. (Chosen on simulator seeds 2 and 3 among Fisher alone, the Šidák-
 * corrected and the plain minimum p-value and the harmonic mean p-value; see docs/simulated-data.md.)
 *
 * Results depend only on the events and their order, not on how they are batched between
 * {@link IncidentTracker.closeBefore} calls. Cost: O(keys) per event plus O(count) to score an incident;
 * memory: the open incidents and the history of at most `maxHistory` linking values.
 *
 * @example
 * ```ts
 * const t = new IncidentTracker({ window: 3600 });
 * for (const e of flagged) t.add(e);
 * const incidents = t.flush().sort((a, b) => b.score - a.score);
 * ```
 */
export class IncidentTracker {
  private readonly window: number;
  private readonly maxSpan: number;
  private readonly maxEvents: number;
  private readonly open = new Map<number, Open>();
  private readonly byKey = new Map<string, number>();
  /** Incidents each linking value joined, least recently linked first. */
  private readonly history = new Map<string, number>();
  private readonly maxHistory: number;
  private firstTime = Number.NaN;
  private nextId = 0;

  /** @param options - window, largest span and events kept per incident. */
  constructor(options: IncidentTrackerOptions = {}) {
    const api = 'IncidentTracker';
    if (options === null || typeof options !== 'object')
      throw new InputTypeError(
        message(api, 'options must be an object', 'an object', describeValue(options)),
      );
    this.window = checkNumber(api, 'window', options.window, 3600, 0);
    this.maxSpan = checkNumber(api, 'maxSpan', options.maxSpan, 86400, 0);
    const maxEvents = checkNumber(api, 'maxEvents', options.maxEvents, 1000, 1);
    if (!Number.isInteger(maxEvents))
      throw new ParameterError(
        message(api, 'maxEvents must be an integer', 'an integer ≥ 1', describeValue(maxEvents)),
      );
    this.maxEvents = maxEvents;
    const maxHistory = checkNumber(api, 'maxHistory', options.maxHistory, 100000, 0);
    if (!Number.isInteger(maxHistory))
      throw new ParameterError(
        message(api, 'maxHistory must be an integer', 'an integer ≥ 0', describeValue(maxHistory)),
      );
    this.maxHistory = maxHistory;
  }

  /** Open incidents. */
  get openCount(): number {
    return this.open.size;
  }

  /**
   * Adds one flagged event.
   *
   * @example
   * ```ts
   * tracker.add({ index: 3, time: 100, keys: ['user=U1'], pValue: 0.001, energy: 12 });
   * ```
   */
  add(e: IncidentEvent): void {
    const api = 'IncidentTracker.add';
    if (e === null || typeof e !== 'object')
      throw new InputTypeError(message(api, 'event must be an object', 'an IncidentEvent', describeValue(e)));
    const { time, pValue, energy } = e;
    if (typeof time !== 'number' || !Number.isFinite(time))
      throw new ValueError(message(api, 'time must be a finite number', 'seconds', describeValue(time)));
    if (typeof pValue !== 'number' || !(pValue > 0 && pValue <= 1))
      throw new ValueError(
        message(api, 'pValue is out of range', 'a number in (0, 1]', describeValue(pValue)),
      );
    if (typeof energy !== 'number' || Number.isNaN(energy))
      throw new ValueError(message(api, 'energy must be a number', 'a number', describeValue(energy)));
    if (!Array.isArray(e.keys))
      throw new InputTypeError(
        message(api, 'keys must be an array of strings', 'string[]', describeValue(e.keys)),
      );
    // The open incidents this event links (each once), oldest first.
    const linked: Open[] = [];
    for (const k of e.keys) {
      const id = this.byKey.get(k);
      if (id === undefined) continue;
      const inc = this.open.get(id);
      if (inc === undefined || linked.includes(inc)) continue;
      const lo = Math.min(inc.start, time);
      const hi = Math.max(inc.end, time);
      if (time >= inc.start - this.window && time <= inc.end + this.window && hi - lo <= this.maxSpan)
        linked.push(inc);
    }
    linked.sort((a, b) => a.id - b.id);
    if (Number.isNaN(this.firstTime)) this.firstTime = time;
    let target = linked[0];
    if (target === undefined) {
      let earlier = e.keys.length === 0 ? 0 : Number.POSITIVE_INFINITY;
      for (const k of e.keys) earlier = Math.min(earlier, this.history.get(k) ?? 0);
      const days = Math.max(0, time - this.firstTime) / DAY_SECONDS;
      target = {
        id: this.nextId++,
        keys: new Set(),
        start: time,
        end: time,
        count: 0,
        events: [],
        maxEnergy: Number.NEGATIVE_INFINITY,
        minP: 1,
        sumNegLog: 0,
        earlier,
        novelty: incidentNovelty(earlier, days),
      };
      this.open.set(target.id, target);
    }
    target.start = Math.min(target.start, time);
    target.end = Math.max(target.end, time);
    target.count++;
    if (target.events.length < this.maxEvents) target.events.push([time, e.index]);
    if (energy > target.maxEnergy) target.maxEnergy = energy;
    if (pValue < target.minP) target.minP = pValue;
    target.sumNegLog -= Math.log(pValue);
    for (const k of e.keys) {
      if (!target.keys.has(k)) this.remember(k);
      target.keys.add(k);
      // A value already leading to another incident this event links keeps leading there.
      const id = this.byKey.get(k);
      const other = id === undefined ? undefined : this.open.get(id);
      if (other === undefined || other === target || !linked.includes(other)) this.byKey.set(k, target.id);
    }
  }

  /** Counts one more incident for a linking value (most recently linked last; the oldest forgotten). */
  private remember(k: string): void {
    const n = this.history.get(k) ?? 0;
    this.history.delete(k);
    if (this.maxHistory === 0) return;
    this.history.set(k, n + 1);
    if (this.history.size > this.maxHistory) {
      const oldest = this.history.keys().next().value as string;
      this.history.delete(oldest);
    }
  }

  /**
   * Closes and returns the incidents no event at or after `now` can join any more (their last event is
   * more than `window` seconds before `now`), ordered by last event time, then id. Call it with the
   * latest event time seen so far.
   *
   * @example
   * ```ts
   * for (const inc of tracker.closeBefore(latestTime)) write(inc);
   * ```
   */
  closeBefore(now: number): Incident[] {
    const out: Open[] = [];
    for (const inc of this.open.values()) if (inc.end + this.window < now) out.push(inc);
    return this.finish(out);
  }

  /**
   * Closes and returns every open incident (end of input), ordered by last event time, then id.
   *
   * @example
   * ```ts
   * const rest = tracker.flush();
   * ```
   */
  flush(): Incident[] {
    return this.finish([...this.open.values()]);
  }

  private finish(list: Open[]): Incident[] {
    list.sort((a, b) => a.end - b.end || a.id - b.id);
    return list.map((inc) => {
      this.open.delete(inc.id);
      for (const k of inc.keys) if (this.byKey.get(k) === inc.id) this.byKey.delete(k);
      const events = inc.events.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const logP = fisherLogP(inc.sumNegLog, inc.count);
      return {
        id: inc.id,
        keys: [...inc.keys].sort(),
        start: inc.start,
        end: inc.end,
        count: inc.count,
        events: events.map((x) => x[1]),
        maxEnergy: inc.maxEnergy,
        minPValue: inc.minP,
        logPValue: logP,
        earlier: inc.earlier,
        novelty: inc.novelty,
        score: -logP / Math.LN10 + inc.novelty,
      };
    });
  }
}
