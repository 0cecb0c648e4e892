/**
 * Incident-level figures of the demo (simulated data): how many incidents an analyst would triage per
 * day, and how many of the injected incidents reach the top of their day's queue, beside the event-level
 * alert counts.
 *
 * @module
 */
import type { PipelineIncident } from '../pipeline/incidents.js';

/** Seconds per day. */
const DAY = 86400;

/**
 * One scored stream of test events, with what the simulator injected.
 *
 * @example
 * ```ts
 * const s: IncidentStream = { incidents, injected: logs.incidents.slice(cut), times, score, flag };
 * ```
 */
export interface IncidentStream {
  /** The stream's incidents (indices into its test events). */
  readonly incidents: readonly PipelineIncident[];
  /** Per test event: the injected incident it belongs to, or `null`. */
  readonly injected: readonly (number | null)[];
  /** Per test event: its time in seconds. */
  readonly times: ArrayLike<number>;
  /** Per test event: a score comparable across streams (higher = more anomalous), e.g. −ln p. */
  readonly score: ArrayLike<number>;
  /** Per test event: flagged (1) or not (0). */
  readonly flag: ArrayLike<number>;
  /** Per test event: the injected scenario's name, or `null` (for the figures by scenario). */
  readonly labels?: readonly (string | null)[];
}

/**
 * Incident- and event-level figures of one or more streams pooled into one analyst's queue.
 *
 * @example
 * ```ts
 * const f: IncidentFigures = incidentFigures([lanl, cloud], testStart, 4, 10, 0.9);
 * console.log(f.topOfDayRecall, f.incidentsPerDay, f.flaggedPerDay);
 * ```
 */
export interface IncidentFigures {
  /** Injected incidents in the test days. */
  readonly injected: number;
  /** Share of them with at least one flagged event (the most incident roll-up can reach). */
  readonly flaggedRecall: number;
  /** Share of them in one of the `top` highest-scoring incidents of that incident's day. */
  readonly topOfDayRecall: number;
  /** The same share per scenario (streams with `labels`). */
  readonly topOfDayRecallByScenario: Readonly<Record<string, number>>;
  /**
   * The most any ranking could reach for that share: Σ over days of min(`top`, injected incidents starting
   * that day) ÷ injected incidents — a day with more injected incidents than places at its head cannot have
   * them all there (only an incident that holds several injected ones could beat it).
   */
  readonly topOfDayCeiling: number;
  /** Incidents per test day (all flagged events rolled up). */
  readonly incidentsPerDay: number;
  /** Flagged events per test day. */
  readonly flaggedPerDay: number;
  /**
   * Incidents per day an analyst works down the score-ranked list to find `recall` of the injected
   * incidents (`NaN` when the flagged events do not reach it).
   */
  readonly incidentsPerDayAtRecall: number;
  /** Events per day to find the same share, working down the events ranked by score (no threshold). */
  readonly eventsPerDayAtRecall: number;
}

/**
 * Measures incidents against the injected ones. An injected incident is found by an incident that
 * contains at least one of its events. Streams are pooled by their scores (incident score: −log₁₀ of the
 * combined p-value plus its novelty, core's `IncidentTracker`; event score as given), as one queue.
 *
 * @param streams - scored streams with their incidents.
 * @param testStart - start of the first test day (seconds): days are counted from it.
 * @param days - test days (the per-day denominators).
 * @param top - the head of each day's queue (e.g. 10).
 * @param recall - the share of injected incidents for the per-day work figures (e.g. 0.9).
 */
export function incidentFigures(
  streams: readonly IncidentStream[],
  testStart: number,
  days: number,
  top: number,
  recall: number,
): IncidentFigures {
  // Injected incidents get one global key per stream: `${stream}:${number}`.
  const injected = new Set<string>();
  const scenarioOf = new Map<string, string>();
  const startOf = new Map<string, number>();
  streams.forEach((st, s) => {
    st.injected.forEach((v, i) => {
      if (v === null || v === undefined) return;
      injected.add(`${s}:${v}`);
      const t = st.times[i] as number;
      if (!(t >= (startOf.get(`${s}:${v}`) ?? Number.POSITIVE_INFINITY))) startOf.set(`${s}:${v}`, t);
      const l = st.labels?.[i];
      if (l !== null && l !== undefined) scenarioOf.set(`${s}:${v}`, l);
    });
  });
  interface Item {
    readonly score: number;
    readonly day: number;
    readonly covers: readonly string[];
  }
  const items: Item[] = [];
  let flagged = 0;
  const flaggedFound = new Set<string>();
  streams.forEach((st, s) => {
    for (let i = 0; i < st.flag.length; i++) {
      if (st.flag[i] !== 1) continue;
      flagged++;
      const v = st.injected[i];
      if (v !== null && v !== undefined) flaggedFound.add(`${s}:${v}`);
    }
    for (const inc of st.incidents) {
      let first = Number.POSITIVE_INFINITY;
      const covers = new Set<string>();
      for (const i of inc.events) {
        first = Math.min(first, st.times[i] as number);
        const v = st.injected[i];
        if (v !== null && v !== undefined) covers.add(`${s}:${v}`);
      }
      items.push({ score: inc.score, day: Math.floor((first - testStart) / DAY), covers: [...covers] });
    }
  });
  const n = injected.size;
  const share = (k: number): number => (n === 0 ? Number.NaN : k / n);
  // The head of each day's queue.
  const byDay = new Map<number, Item[]>();
  for (const it of items) {
    let list = byDay.get(it.day);
    if (list === undefined) {
      list = [];
      byDay.set(it.day, list);
    }
    list.push(it);
  }
  const inTop = new Set<string>();
  for (const list of byDay.values()) {
    list.sort((a, b) => b.score - a.score);
    for (const it of list.slice(0, top)) for (const c of it.covers) inTop.add(c);
  }
  // Work down the incidents, then the events, until `recall` of the injected incidents is found.
  const need = Math.ceil(recall * n - 1e-9);
  const sorted = items.slice().sort((a, b) => b.score - a.score);
  const seen = new Set<string>();
  let incidentsNeeded = Number.NaN;
  for (let k = 0; k < sorted.length && n > 0; k++) {
    for (const c of (sorted[k] as Item).covers) seen.add(c);
    if (seen.size >= need) {
      incidentsNeeded = k + 1;
      break;
    }
  }
  const events: { score: number; key: string | null }[] = [];
  streams.forEach((st, s) => {
    for (let i = 0; i < st.score.length; i++) {
      const v = st.injected[i];
      events.push({ score: st.score[i] as number, key: v === null || v === undefined ? null : `${s}:${v}` });
    }
  });
  events.sort((a, b) => b.score - a.score);
  seen.clear();
  let eventsNeeded = Number.NaN;
  for (let k = 0; k < events.length && n > 0; k++) {
    const key = (events[k] as { key: string | null }).key;
    if (key !== null) seen.add(key);
    if (seen.size >= need) {
      eventsNeeded = k + 1;
      break;
    }
  }
  const perDay = new Map<number, number>();
  for (const t of startOf.values()) {
    const d = Math.floor((t - testStart) / DAY);
    perDay.set(d, (perDay.get(d) ?? 0) + 1);
  }
  let reachable = 0;
  for (const c of perDay.values()) reachable += Math.min(top, c);
  const byScenario: Record<string, number> = {};
  const per = new Map<string, [number, number]>();
  for (const key of injected) {
    const l = scenarioOf.get(key);
    if (l === undefined) continue;
    const c = per.get(l) ?? [0, 0];
    c[0] += inTop.has(key) ? 1 : 0;
    c[1]++;
    per.set(l, c);
  }
  for (const [l, [found, all]] of [...per].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    byScenario[l] = found / all;
  return {
    injected: n,
    flaggedRecall: share(flaggedFound.size),
    topOfDayRecall: share(inTop.size),
    topOfDayRecallByScenario: byScenario,
    topOfDayCeiling: share(reachable),
    incidentsPerDay: items.length / days,
    flaggedPerDay: flagged / days,
    incidentsPerDayAtRecall: incidentsNeeded / days,
    eventsPerDayAtRecall: eventsNeeded / days,
  };
}
