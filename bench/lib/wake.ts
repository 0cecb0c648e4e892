/**
 * An attack's wake (issue 15, case 6; the stop-25 pre-registration): a normal event lies in the wake when
 * an attack event of the same file precedes it by 0 < Δt ≤ W seconds (event time) and shares at least one
 * entity with it — an entity being a value of a field by which the featurizer keys state that continues
 * while scoring. There the features carry the attack's imprint (a user's raised failure count, a host's
 * raised rate); normal events outside every wake are "clear". Ground-truth labels are used only to
 * partition normal events.
 *
 * @module
 */
import type { BlockSpec, PipelineConfig } from '@nexus/ebm-features';

/** One event of the partition: its time, its value of each entity field (in one fixed order) and its class. */
export interface WakeEvent {
  /** Event time in seconds. */
  readonly time: number;
  /** The event's value of each entity field, in the same field order for every event. */
  readonly entities: readonly string[];
  /** Whether the event is a labelled attack event. */
  readonly attack: boolean;
}

/** The fields keying a block's stream state (state that continues while scoring), none for a frozen block. */
function blockKeys(b: BlockSpec): readonly string[] {
  switch (b.type) {
    case 'firstSeen':
      return b.fields;
    case 'rarity':
      return b.stream === true ? b.fields : [];
    case 'newItems':
    case 'window':
    case 'failureRatio':
    case 'gaps':
    case 'decay':
    case 'temporalProfile':
      return [b.entity];
    case 'numeric':
    case 'onehot':
    case 'hash':
    case 'cyclic':
    case 'peers':
      return [];
  }
}

/**
 * The fields by which a featurizer keys its stream state (first-seen sets, stream rarity, new items,
 * windows, failure ratios, gaps, decayed rates, temporal profiles), in first-use order; a pair key
 * contributes both fields. Frozen blocks (rarity without `stream`, peers) and stateless ones add none.
 *
 * @example
 * ```ts
 * stateKeyFields(authFeaturizer().config); // ['user', 'dstHost', 'srcHost']
 * ```
 */
export function stateKeyFields(config: PipelineConfig): string[] {
  const out: string[] = [];
  for (const b of config.blocks) for (const f of blockKeys(b)) if (!out.includes(f)) out.push(f);
  return out;
}

/** The largest index i with sorted[i] < t, or −1. */
function lastBefore(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Which events lie in an attack's wake of `window` seconds: 1 for a normal event that some attack event
 * sharing one of its entities (same field, same value) precedes by 0 < Δt ≤ `window`, else 0 (attack
 * events are 0: the partition is of normal events). Events may come in any order; an attack at the same
 * time as the event (Δt = 0) does not count, one exactly `window` earlier does.
 *
 * @example
 * ```ts
 * attackWake([{ time: 0, entities: ['U1'], attack: true }, { time: 60, entities: ['U1'], attack: false }], 3600);
 * // Uint8Array [0, 1]
 * ```
 */
export function attackWake(events: readonly WakeEvent[], window: number): Uint8Array {
  if (!(Number.isFinite(window) && window > 0))
    throw new Error(`attackWake: window must be a positive number of seconds (expected > 0, got ${window})`);
  const fields = events[0]?.entities.length ?? 0;
  // attack times per (field, value), sorted
  const attacks = new Map<string, number[]>();
  const key = (f: number, v: string): string => `${f}\u0000${v}`;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as WakeEvent;
    if (!Number.isFinite(e.time))
      throw new Error(`attackWake: event ${i} has no finite time (expected seconds, got ${e.time})`);
    if (e.entities.length !== fields)
      throw new Error(
        `attackWake: event ${i} has ${e.entities.length} entity values (expected ${fields}, as event 0)`,
      );
    if (!e.attack) continue;
    for (let f = 0; f < fields; f++) {
      const k = key(f, e.entities[f] as string);
      const list = attacks.get(k);
      if (list === undefined) attacks.set(k, [e.time]);
      else list.push(e.time);
    }
  }
  for (const list of attacks.values()) list.sort((a, b) => a - b);
  const out = new Uint8Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as WakeEvent;
    if (e.attack) continue;
    for (let f = 0; f < fields; f++) {
      const list = attacks.get(key(f, e.entities[f] as string));
      if (list === undefined) continue;
      const j = lastBefore(list, e.time);
      if (j >= 0 && e.time - (list[j] as number) <= window) {
        out[i] = 1;
        break;
      }
    }
  }
  return out;
}
