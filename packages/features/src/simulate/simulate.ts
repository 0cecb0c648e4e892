/**
 * The seeded enterprise log simulator: people, shifts and habits (`people.ts`), a day's normal activity
 * (`activity.ts`), the GitHub organisation (`github.ts`) and the red-team scenarios (`scenarios.ts`).
 *
 * @module
 */
import { message, ParameterError, Rng } from '@nexus/ebm-core';
import { simulateCloudDay, simulateHumanDay, simulatePage, simulateServiceDay } from './activity.js';
import { DAY, type MutableEvent, pick } from './common.js';
import { injectGithubScenario, makeGithubOrg, simulateGithubBots, simulateGithubDay } from './github.js';
import { makeTrip, makeUsers, onCallPage, presence } from './people.js';
import { injectScenario } from './scenarios.js';
import { SCENARIO_CHANNEL, SCENARIOS, type SimulatedLogs, type SimulateOptions } from './types.js';

function checkOptions(o: SimulateOptions): void {
  const ints: [keyof SimulateOptions, number][] = [
    ['days', 1],
    ['users', 4],
    ['serviceAccounts', 0],
    ['incidentsPerScenario', 0],
    ['trainDays', 1],
  ];
  for (const [k, min] of ints) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 100_000)) {
      throw new ParameterError(message('simulate', `${k} must be an integer`, `${min}…100000`, String(v)));
    }
  }
  if (o.start !== undefined && Number.isNaN(Date.parse(o.start))) {
    throw new ParameterError(
      message('simulate', 'start is not a date', 'an ISO date like 2026-03-02', o.start),
    );
  }
  if (o.github !== undefined && typeof o.github !== 'boolean') {
    throw new ParameterError(
      message('simulate', 'github must be a boolean', 'true or false', String(o.github)),
    );
  }
  for (const s of o.scenarios ?? []) {
    if (!SCENARIOS.includes(s)) {
      throw new ParameterError(message('simulate', 'unknown scenario', SCENARIOS.join(' | '), String(s)));
    }
  }
}

/**
 * Simulates an enterprise's authentication, SSH, cloud-API and GitHub activity, with labelled red-team
 * scenarios injected into the days after `trainDays`. The data is **simulated**: people with roles, time
 * zones, day, night and weekend shifts, an on-call rota, remote work and business trips; workstations,
 * servers and domain controllers; service accounts on a scripted cadence; cloud users with API habits;
 * an engineering organisation on GitHub (pushes, pull requests, workflow runs and the secrets passed to
 * them, clones, admin actions, bots). Scenarios: off-hours SSH logins (off hours for that person), lateral
 * movement, SSH brute force, credential stuffing, scripted activity with small deviations, privilege use
 * right after a logon from a new source, rare cloud API calls; and on GitHub a token used from a new
 * address, a workflow handed every secret, mass cloning, branch protection lifted for a force push and a
 * self-hosted runner registered from a new host.
 *
 * Complexity: O(days × (users × events per day + service events)); the defaults give about 90,000 events.
 * Same options and seed, same events.
 *
 * @example
 * ```ts
 * const sim = simulate({ seed: 7, days: 14, trainDays: 10 });
 * const { lines, labels } = formatLanl(sim);
 * ```
 */
export function simulate(options: SimulateOptions = {}): SimulatedLogs {
  checkOptions(options);
  const days = options.days ?? 14;
  const trainDays = Math.min(options.trainDays ?? 10, days);
  const opts = {
    seed: options.seed ?? 1,
    days,
    trainDays,
    users: options.users ?? 60,
    serviceAccounts: options.serviceAccounts ?? 6,
    start: options.start ?? '2026-03-02',
    incidentsPerScenario: options.incidentsPerScenario ?? 4,
    github: options.github ?? true,
    scenarios: [...(options.scenarios ?? SCENARIOS)],
  };
  const rng = new Rng(`simulate:${opts.seed}`);
  const users = makeUsers(rng, opts.users, opts.serviceAccounts, opts.seed);
  const humans = users.filter((u) => u.role !== 'service');
  const cloudUsers = humans.filter((u) => u.role === 'engineer' || u.role === 'admin').slice(0, 12);
  const cloudRegion = new Map(
    cloudUsers.map((u) => [u.name, pick(rng, ['us-east-1', 'us-east-1', 'eu-west-1'])]),
  );
  const trips = new Map(humans.map((u) => [u.name, makeTrip(u, days, opts.seed)]));
  const org = opts.github ? makeGithubOrg(users, opts.seed, days) : undefined;
  const devs = new Map((org?.devs ?? []).map((d) => [d.user.name, d]));
  const start = Math.floor(Date.parse(`${opts.start}T00:00:00Z`) / 1000);
  const out: MutableEvent[] = [];
  for (let d = 0; d < days; d++) {
    const dayStart = start + d * DAY;
    const weekday = new Date(dayStart * 1000).getUTCDay();
    for (const u of users) {
      if (u.role === 'service') {
        simulateServiceDay(rng, u, dayStart, out);
        continue;
      }
      const trip = trips.get(u.name);
      const p = presence(rng, u, d, dayStart, weekday, trip);
      if (p !== null) {
        simulateHumanDay(rng, u, p, dayStart, out, opts.seed);
        if (cloudRegion.has(u.name))
          simulateCloudDay(rng, u, p, dayStart, cloudRegion.get(u.name) as string, out, opts.seed);
        const dev = devs.get(u.name);
        if (org !== undefined && dev !== undefined) simulateGithubDay(org, dev, p, d, opts.seed, out);
      }
      const page = onCallPage(u, d, dayStart, opts.seed, trip);
      if (page !== undefined) simulatePage(u, page, opts.seed, d, out);
    }
    if (org !== undefined) simulateGithubBots(org, dayStart, d, opts.seed, out);
  }
  const testDays = days - trainDays;
  let incident = 0;
  if (testDays > 0) {
    for (const s of opts.scenarios) {
      for (let k = 0; k < opts.incidentsPerScenario; k++) {
        const day = trainDays + rng.int(testDays);
        const label = { scenario: s, incident: incident++ };
        if (SCENARIO_CHANNEL[s] === 'github') {
          if (org !== undefined) injectGithubScenario(org, label, start + day * DAY, opts.seed, out);
        } else injectScenario(rng, label, users, cloudUsers, start + day * DAY, out);
      }
    }
  }
  const testStart = start + trainDays * DAY;
  const end = start + days * DAY;
  const events = out.filter(
    (e) => e.time >= start && e.time < end && (e.scenario === null || e.time >= testStart),
  );
  // stable order: by time, then by insertion (Array.prototype.sort is stable)
  events.sort((a, b) => a.time - b.time);
  return { events, users, start, testStart, options: opts };
}
