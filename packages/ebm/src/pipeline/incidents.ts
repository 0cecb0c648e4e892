/**
 * Incidents of a pipeline: flagged events rolled up per entity and time window (core's
 * `IncidentTracker`), with the reasons of their strongest events merged.
 *
 * @module
 */
import {
  type Incident,
  type IncidentTrackerOptions,
  InputTypeError,
  message,
  ParameterError,
  type Reason,
} from '@nexus/ebm-core';
import { describeValue } from '@nexus/ebm-core/extend';

/**
 * Options of {@link Pipeline.incidents} (and `ebm score --incidents`).
 *
 * @example
 * ```ts
 * const o: IncidentOptions = { by: ['user'], window: 1800, top: 3 };
 * ```
 */
export interface IncidentOptions extends IncidentTrackerOptions {
  /**
   * Event fields whose values link flagged events into one incident (default by featurizer: `user` and
   * `srcHost` for authentication, `user` for CloudTrail, `actor` for the GitHub audit log, none otherwise —
   * then every flagged event is an incident of its own).
   */
  readonly by?: readonly string[];
  /** Values that never link events (default `''`, `?`, `-`, `EXT`, `unknown`: placeholders and "outside"). */
  readonly ignore?: readonly string[];
  /** Merged reasons per incident (default 3). */
  readonly top?: number;
  /** Events explained per incident, its highest energies (default 3). */
  readonly explain?: number;
}

/**
 * A reason of an incident: one raw field's attributions summed over the incident's explained events.
 *
 * @example
 * ```ts
 * const r: IncidentReason = { field: 'user→dst_computer', text: 'dst_computer C1003 first seen for user U620', attribution: 9.4, events: 3 };
 * ```
 */
export interface IncidentReason {
  /** The raw field (or relation). */
  readonly field: string;
  /** The wording of its strongest occurrence. */
  readonly text: string;
  /** Sum of its attributions over the explained events. */
  readonly attribution: number;
  /** In how many explained events it was a reason. */
  readonly events: number;
}

/**
 * An incident of a pipeline: the core incident plus its entities and merged reasons.
 *
 * @example
 * ```ts
 * const [worst] = pipeline.incidents(events).incidents; // highest score first
 * console.log(worst.entities, worst.count, worst.reasons[0]?.text);
 * ```
 */
export interface PipelineIncident extends Incident {
  /** The linking values by field display name, e.g. `{ user: ['U12'], src_computer: ['C1003'] }`. */
  readonly entities: Readonly<Record<string, readonly string[]>>;
  /** Merged reasons, strongest first. */
  readonly reasons: readonly IncidentReason[];
}

const DEFAULT_IGNORE: readonly string[] = ['', '?', '-', 'EXT', 'unknown'];

/**
 * The default linking fields of a featurizer (by its name).
 *
 * @example
 * ```ts
 * defaultIncidentFields('auth'); // ['user', 'srcHost']
 * ```
 */
export function defaultIncidentFields(featurizerName: string | undefined): readonly string[] {
  if (featurizerName === 'auth') return ['user', 'srcHost'];
  if (featurizerName === 'cloudtrail') return ['user'];
  if (featurizerName === 'github-audit') return ['actor'];
  return [];
}

/** Checks incident options (the tracker checks its own). */
export function checkIncidentOptions(api: string, o: IncidentOptions): void {
  if (o === null || typeof o !== 'object')
    throw new InputTypeError(message(api, 'options must be an object', 'an object', describeValue(o)));
  const strings = (name: string, v: unknown): void => {
    if (v !== undefined && (!Array.isArray(v) || !v.every((x) => typeof x === 'string')))
      throw new ParameterError(
        message(api, `${name} must be an array of strings`, 'string[]', describeValue(v)),
      );
  };
  strings('by', o.by);
  strings('ignore', o.ignore);
  for (const [name, v] of [
    ['top', o.top],
    ['explain', o.explain],
  ] as const) {
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100))
      throw new ParameterError(
        message(api, `${name} must be an integer in [0, 100]`, '0 … 100', describeValue(v)),
      );
  }
}

/**
 * The linking keys of an event: `label=value` for each `by` field with a value not in `ignore`.
 *
 * @example
 * ```ts
 * incidentKeys({ user: 'U1', srcHost: 'EXT' }, ['user', 'srcHost'], (f) => f, new Set(['EXT'])); // ['user=U1']
 * ```
 */
export function incidentKeys(
  event: object,
  by: readonly string[],
  label: (field: string) => string,
  ignore: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  for (const f of by) {
    const v = (event as Record<string, unknown>)[f];
    const s = typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
    if (!ignore.has(s)) out.push(`${label(f)}=${s}`);
  }
  return out;
}

/** The ignore set of options. */
export function ignoreSet(o: IncidentOptions): ReadonlySet<string> {
  return new Set(o.ignore ?? DEFAULT_IGNORE);
}

/**
 * The entities of an incident's keys: `{ label: [values…] }`, fields in the order of `order` (then as
 * they come).
 *
 * @example
 * ```ts
 * incidentEntities(['user=U1', 'user=U2']); // { user: ['U1', 'U2'] }
 * ```
 */
export function incidentEntities(
  keys: readonly string[],
  order: readonly string[] = [],
): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const f of order) out[f] = [];
  for (const k of keys) {
    const eq = k.indexOf('=');
    const f = eq < 0 ? k : k.slice(0, eq);
    const v = eq < 0 ? '' : k.slice(eq + 1);
    let list = out[f];
    if (list === undefined) {
      list = [];
      out[f] = list;
    }
    list.push(v);
  }
  for (const f of order) if ((out[f] as string[]).length === 0) delete out[f];
  return out;
}

/**
 * Merges the reasons of an incident's explained events by field: attributions add up, the text is the
 * strongest occurrence's (without its number), strongest first.
 *
 * @example
 * ```ts
 * mergeReasons([[r1, r2], [r3]], 3);
 * ```
 */
export function mergeReasons(lists: readonly (readonly Reason[])[], top: number): IncidentReason[] {
  const byField = new Map<string, { text: string; best: number; sum: number; events: number }>();
  for (const list of lists) {
    for (const r of list) {
      const m = byField.get(r.field);
      const text = r.text.replace(/ [+-][\d.]+(e[+-]?\d+)?$/, '');
      if (m === undefined) byField.set(r.field, { text, best: r.attribution, sum: r.attribution, events: 1 });
      else {
        m.sum += r.attribution;
        m.events++;
        if (r.attribution > m.best) {
          m.best = r.attribution;
          m.text = text;
        }
      }
    }
  }
  return [...byField.entries()]
    .map(([field, m]) => ({ field, text: m.text, attribution: m.sum, events: m.events }))
    .sort((a, b) => b.attribution - a.attribution || (a.field < b.field ? -1 : 1))
    .slice(0, top);
}

/**
 * One line for an incident, e.g.
 * `user U12: 3 events 2026-03-14 02:10–02:25 UTC, score 12.4; 03:10 is unusual for user U12 (…)`.
 *
 * @example
 * ```ts
 * console.log(incidentText(incident));
 * ```
 */
export function incidentText(inc: PipelineIncident): string {
  const who = Object.entries(inc.entities)
    .map(([f, vs]) => `${f} ${vs.slice(0, 3).join(', ')}${vs.length > 3 ? ` (+${vs.length - 3})` : ''}`)
    .join(', ');
  const iso = (t: number): string =>
    t > 1e8 && t < 1e11 ? new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ') : String(t);
  const a = iso(inc.start);
  const b = iso(inc.end);
  const sameDay = a.length === 16 && a.slice(0, 10) === b.slice(0, 10);
  const span = a === b ? a : sameDay ? `${a}–${b.slice(11)}` : `${a} – ${b}`;
  const why = inc.reasons.map((r) => r.text).join('; ');
  return `${who === '' ? 'event' : who}: ${inc.count} event${inc.count === 1 ? '' : 's'} ${span}${inc.start > 1e8 ? ' UTC' : ''}, score ${inc.score.toFixed(1)}${why === '' ? '' : `; ${why}`}`;
}
