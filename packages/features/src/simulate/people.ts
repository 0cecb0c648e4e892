/**
 * The simulated population and when each person works: roles and habits, time zones, day, night and
 * weekend shifts, an on-call rota, remote work and business trips.
 *
 * @module
 */
import { Rng } from '@nexus/ebm-core';
import { DAY, HOUR, ipFor, pick } from './common.js';
import type { SimShift, SimUser } from './types.js';

export const ROLE_SERVERS: Record<SimUser['role'], readonly string[]> = {
  engineer: ['C10', 'C11', 'C12', 'C100', 'C101', 'C102', 'C103', 'C104', 'C105', 'C106', 'C107', 'C108'],
  admin: ['C10', 'C11', 'C12', 'C13', 'C500', 'C501', 'C502', 'C503', 'C504', 'C505'],
  finance: ['C10', 'C13', 'C14', 'C300', 'C301', 'C302', 'C303'],
  sales: ['C10', 'C14', 'C20', 'C400', 'C401', 'C402', 'C403'],
  service: ['C600', 'C601', 'C602', 'C603', 'C604', 'C605', 'C606', 'C607'],
};
export const SSH_HOSTS: readonly string[] = ['C200', 'C201', 'C202', 'C203', 'C204', 'C205', 'C206', 'C207'];
const UTC_OFFSETS = [-8, -5, -5, 0, 0, 0, 1, 1, 1, 5.5];
/** Where people travel to (UTC offsets). */
const TRIP_OFFSETS = [-8, -5, 0, 1, 5.5, 8, 9];

/**
 * The people and service accounts. Roles, time zones and working hours come from `rng` (the simulator's
 * main generator); shifts, the on-call rota and home addresses from their own generator, so they can be
 * read without moving every other draw.
 */
export function makeUsers(rng: Rng, nUsers: number, nService: number, seed: number): SimUser[] {
  const users: SimUser[] = [];
  const roles: SimUser['role'][] = ['engineer', 'engineer', 'engineer', 'admin', 'finance', 'sales', 'sales'];
  const habits = new Rng(`people:${seed}`);
  for (let i = 0; i < nUsers; i++) {
    const role = pick(rng, roles);
    const pool = rng.shuffle([...ROLE_SERVERS[role]]);
    const servers = pool.slice(0, 3 + rng.int(4));
    const sshHosts =
      role === 'engineer' || role === 'admin' ? rng.shuffle([...SSH_HOSTS]).slice(0, 1 + rng.int(3)) : [];
    const utcOffset = pick(rng, UTC_OFFSETS);
    let workStart = 7.5 + rng.uniform() * 2.5;
    let workHours = 7.5 + rng.uniform() * 2;
    const ip = ipFor(rng, true);
    // Operations staff on night shifts, support on weekend shifts; on-call engineers and admins.
    const technical = role === 'engineer' || role === 'admin';
    const r = habits.uniform();
    const shift: SimShift = technical && r < 0.12 ? 'night' : r > 0.93 ? 'weekend' : 'day';
    if (shift === 'night') {
      workStart = 21.5 + habits.uniform() * 1.5;
      workHours = 8 + habits.uniform();
    }
    const onCall = technical && shift === 'day' && sshHosts.length > 0 && habits.uniform() < 0.35;
    users.push({
      name: `U${100 + i * 7}`,
      role,
      utcOffset,
      shift,
      onCall,
      homeIp: ipFor(habits, false),
      workStart,
      workHours,
      workstation: `C${1000 + i}`,
      servers,
      sshHosts,
      ip,
    });
  }
  for (let i = 0; i < nService; i++) {
    const pool = rng.shuffle([...ROLE_SERVERS.service]);
    users.push({
      name: `SVC${i + 1}`,
      role: 'service',
      utcOffset: 0,
      shift: 'day',
      onCall: false,
      homeIp: '',
      workStart: 0,
      workHours: 24,
      workstation: pool[0] as string,
      servers: [pool[1] as string],
      sshHosts: [],
      ip: ipFor(rng, true),
      period: pick(rng, [60, 120, 300, 300, 600, 900]),
    });
  }
  return users;
}

/** A business trip: days [first, last] spent at another UTC offset, online from a hotel's address. */
export interface Trip {
  readonly first: number;
  readonly last: number;
  readonly utcOffset: number;
  readonly ip: string;
}

/** One trip for about a fifth of the people, anywhere in the simulated days (training days included). */
export function makeTrip(u: SimUser, days: number, seed: number): Trip | undefined {
  if (u.role === 'service') return undefined;
  const r = new Rng(`travel:${seed}:${u.name}`);
  if (r.uniform() >= 0.2) return undefined;
  const first = r.int(days);
  const offsets = TRIP_OFFSETS.filter((o) => o !== u.utcOffset);
  return { first, last: first + 1 + r.int(3), utcOffset: pick(r, offsets), ip: ipFor(r, false) };
}

/** A person's working time on one day. */
export interface Presence {
  /** First and last second at work. */
  readonly arrival: number;
  readonly leave: number;
  /** A short weekend session (day workers), not a full shift. */
  readonly brief: boolean;
  /** The UTC offset the person lives by that day (a trip moves it). */
  readonly utcOffset: number;
  /** Working from outside the office (a trip, or home on a weekend session): the public address. */
  readonly remoteIp: string | undefined;
}

/** Whether the shift works on a UTC weekday (0 = Sunday): the day the shift starts. */
function worksOn(shift: SimShift, weekday: number): boolean {
  if (shift === 'night') return weekday >= 0 && weekday <= 4; // shifts starting Sunday to Thursday evening
  if (shift === 'weekend') return weekday === 5 || weekday === 6 || weekday === 0 || weekday === 1;
  return weekday >= 1 && weekday <= 5;
}

/**
 * When `u` works on day `d` (starting at `dayStart`, UTC weekday `weekday`), or `null` for a day off.
 * Draws from `rng` in a fixed order.
 */
export function presence(
  rng: Rng,
  u: SimUser,
  d: number,
  dayStart: number,
  weekday: number,
  trip: Trip | undefined,
): Presence | null {
  const onTrip = trip !== undefined && d >= trip.first && d <= trip.last;
  const offset = onTrip ? trip.utcOffset : u.utcOffset;
  const working = worksOn(u.shift, weekday);
  const technical = u.role === 'admin' || u.role === 'engineer';
  let brief = false;
  if (!working) {
    // Day workers: engineers and admins now and then put in a short session on a day off.
    if (u.shift !== 'day' || !technical) {
      if (rng.uniform() > 0.02) return null;
    } else if (rng.uniform() > 0.12) return null;
    brief = true;
  } else if (rng.uniform() < 0.06) return null; // leave, sickness
  const arrival = dayStart + (u.workStart - offset + 0.4 * rng.normal()) * HOUR;
  const length = (brief ? 1 + rng.uniform() * 2 : u.workHours + 0.5 * rng.normal()) * HOUR;
  return {
    arrival,
    leave: arrival + Math.max(HOUR, length),
    brief,
    utcOffset: offset,
    remoteIp: onTrip ? trip.ip : brief ? u.homeIp : undefined,
  };
}

/**
 * A night page of an on-call person on day `d` (on call every other week): about a third of their on-call
 * nights, between 00:30 and 05:00 local time after the day, for 20–60 minutes. Its own generator.
 */
export function onCallPage(
  u: SimUser,
  d: number,
  dayStart: number,
  seed: number,
  trip: Trip | undefined,
): { start: number; end: number } | undefined {
  if (!u.onCall) return undefined;
  const rota = (Math.floor(d / 7) + Number(u.name.slice(1))) % 2 === 0;
  if (!rota) return undefined;
  const r = new Rng(`on-call:${seed}:${u.name}:${d}`);
  if (r.uniform() >= 0.35) return undefined;
  const offset = trip !== undefined && d >= trip.first && d <= trip.last ? trip.utcOffset : u.utcOffset;
  const start = dayStart + DAY + (0.5 + r.uniform() * 4.5 - offset) * HOUR;
  return { start, end: start + (20 + r.uniform() * 40) * 60 };
}
