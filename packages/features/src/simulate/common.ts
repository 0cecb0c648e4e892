/**
 * Pieces every part of the simulator shares: seeded choices, addresses, the mutable event it builds and
 * the constants of time.
 *
 * @module
 */
import type { Rng } from '@nexus/ebm-core';
import type { ScenarioName, SimEvent, SimGithubFields, SimUser } from './types.js';

export const DAY = 86_400;
export const HOUR = 3_600;

/** An event under construction (the simulator's output type without `readonly`). */
export interface MutableEvent {
  time: number;
  channel: SimEvent['channel'];
  user: string;
  dstUser: string;
  src: string;
  dst: string;
  authType: string;
  logonType: string;
  orientation: string;
  success: boolean;
  srcIp: string;
  privileged: boolean;
  api?: string;
  service?: string;
  region?: string;
  github?: SimGithubFields;
  scenario: ScenarioName | null;
  incident: number | null;
}

/** A labelled injection in progress: its scenario and incident number (`null` for normal activity). */
export interface Label {
  readonly scenario: ScenarioName | null;
  readonly incident: number | null;
}

/** The label of normal activity. */
export const NORMAL: Label = Object.freeze({ scenario: null, incident: null });

export function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)] as T;
}

/** Zipf-like choice: earlier items are more likely (weight 1/(i+1)). */
export function pickZipf<T>(rng: Rng, xs: readonly T[]): T {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += 1 / (i + 1);
  let u = rng.uniform() * total;
  for (let i = 0; i < xs.length; i++) {
    u -= 1 / (i + 1);
    if (u <= 0) return xs[i] as T;
  }
  return xs[xs.length - 1] as T;
}

/** An internal (10.x) or public address. */
export function ipFor(rng: Rng, internal: boolean): string {
  if (internal) return `10.${1 + rng.int(20)}.${rng.int(256)}.${1 + rng.int(254)}`;
  return `${[45, 77, 91, 103, 185, 193][rng.int(6)]}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
}

/** An event of user `u` with the given fields over the defaults (own workstation, success, …). */
export function base(
  time: number,
  u: SimUser,
  channel: SimEvent['channel'],
  fields: Partial<MutableEvent>,
  label: Label,
): MutableEvent {
  return {
    time: Math.floor(time),
    channel,
    user: u.name,
    dstUser: u.name,
    src: u.workstation,
    dst: u.workstation,
    authType: '?',
    logonType: '?',
    orientation: 'LogOn',
    success: true,
    srcIp: u.ip,
    privileged: false,
    scenario: label.scenario,
    incident: label.incident,
    ...fields,
  };
}

/** Unix time of a local hour of the day that starts at `dayStart` (UTC) for a person at `utcOffset`. */
export function localTime(dayStart: number, utcOffset: number, localHour: number): number {
  return dayStart + (localHour - utcOffset) * HOUR;
}
