import { message, ParameterError, Rng } from '@nexus/ebm-core';
import {
  SCENARIOS,
  type ScenarioName,
  type SimEvent,
  type SimUser,
  type SimulatedLogs,
  type SimulateOptions,
} from './types.js';

const DAY = 86_400;
const HOUR = 3_600;
const DOMAIN_CONTROLLERS = ['C1', 'C2'];
const ROLE_SERVERS: Record<SimUser['role'], readonly string[]> = {
  engineer: ['C10', 'C11', 'C12', 'C100', 'C101', 'C102', 'C103', 'C104', 'C105', 'C106', 'C107', 'C108'],
  admin: ['C10', 'C11', 'C12', 'C13', 'C500', 'C501', 'C502', 'C503', 'C504', 'C505'],
  finance: ['C10', 'C13', 'C14', 'C300', 'C301', 'C302', 'C303'],
  sales: ['C10', 'C14', 'C20', 'C400', 'C401', 'C402', 'C403'],
  service: ['C600', 'C601', 'C602', 'C603', 'C604', 'C605', 'C606', 'C607'],
};
const SSH_HOSTS = ['C200', 'C201', 'C202', 'C203', 'C204', 'C205', 'C206', 'C207'];
const UTC_OFFSETS = [-8, -5, -5, 0, 0, 0, 1, 1, 1, 5.5];
const CLOUD_APIS: readonly (readonly [string, string])[] = [
  ['DescribeInstances', 'ec2.amazonaws.com'],
  ['ListBuckets', 's3.amazonaws.com'],
  ['GetObject', 's3.amazonaws.com'],
  ['PutObject', 's3.amazonaws.com'],
  ['ListObjects', 's3.amazonaws.com'],
  ['GetCallerIdentity', 'sts.amazonaws.com'],
  ['DescribeLogGroups', 'logs.amazonaws.com'],
  ['AssumeRole', 'sts.amazonaws.com'],
];
const RARE_CLOUD_APIS: readonly (readonly [string, string])[] = [
  ['CreateAccessKey', 'iam.amazonaws.com'],
  ['PutBucketPolicy', 's3.amazonaws.com'],
  ['GetSecretValue', 'secretsmanager.amazonaws.com'],
  ['StopLogging', 'cloudtrail.amazonaws.com'],
  ['ListSecrets', 'secretsmanager.amazonaws.com'],
  ['AttachUserPolicy', 'iam.amazonaws.com'],
];

interface MutableEvent {
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
  scenario: ScenarioName | null;
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)] as T;
}

/** Zipf-like choice: earlier items are more likely (weight 1/(i+1)). */
function pickZipf<T>(rng: Rng, xs: readonly T[]): T {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += 1 / (i + 1);
  let u = rng.uniform() * total;
  for (let i = 0; i < xs.length; i++) {
    u -= 1 / (i + 1);
    if (u <= 0) return xs[i] as T;
  }
  return xs[xs.length - 1] as T;
}

function ipFor(rng: Rng, internal: boolean): string {
  if (internal) return `10.${1 + rng.int(20)}.${rng.int(256)}.${1 + rng.int(254)}`;
  return `${[45, 77, 91, 103, 185, 193][rng.int(6)]}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
}

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
  for (const s of o.scenarios ?? []) {
    if (!SCENARIOS.includes(s)) {
      throw new ParameterError(message('simulate', 'unknown scenario', SCENARIOS.join(' | '), String(s)));
    }
  }
}

function makeUsers(rng: Rng, nUsers: number, nService: number): SimUser[] {
  const users: SimUser[] = [];
  const roles: SimUser['role'][] = ['engineer', 'engineer', 'engineer', 'admin', 'finance', 'sales', 'sales'];
  for (let i = 0; i < nUsers; i++) {
    const role = pick(rng, roles);
    const pool = rng.shuffle([...ROLE_SERVERS[role]]);
    const servers = pool.slice(0, 3 + rng.int(4));
    const sshHosts =
      role === 'engineer' || role === 'admin' ? rng.shuffle([...SSH_HOSTS]).slice(0, 1 + rng.int(3)) : [];
    users.push({
      name: `U${100 + i * 7}`,
      role,
      utcOffset: pick(rng, UTC_OFFSETS),
      workStart: 7.5 + rng.uniform() * 2.5,
      workHours: 7.5 + rng.uniform() * 2,
      workstation: `C${1000 + i}`,
      servers,
      sshHosts,
      ip: ipFor(rng, true),
    });
  }
  for (let i = 0; i < nService; i++) {
    const pool = rng.shuffle([...ROLE_SERVERS.service]);
    users.push({
      name: `SVC${i + 1}`,
      role: 'service',
      utcOffset: 0,
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

function base(
  time: number,
  u: SimUser,
  channel: SimEvent['channel'],
  fields: Partial<MutableEvent>,
  scenario: ScenarioName | null,
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
    scenario,
    ...fields,
  };
}

function simulateHumanDay(
  rng: Rng,
  u: SimUser,
  dayStart: number,
  weekday: number,
  out: MutableEvent[],
  seed: number,
): void {
  const weekend = weekday === 0 || weekday === 6;
  if (weekend && !(u.role === 'admin' || u.role === 'engineer') && rng.uniform() > 0.02) return;
  if (weekend && rng.uniform() > 0.12) return;
  if (!weekend && rng.uniform() < 0.06) return; // leave, sickness
  const arrival = dayStart + (u.workStart - u.utcOffset + 0.4 * rng.normal()) * HOUR;
  const length = (weekend ? 1 + rng.uniform() * 2 : u.workHours + 0.5 * rng.normal()) * HOUR;
  const leave = arrival + Math.max(HOUR, length);
  const dc = pick(rng, DOMAIN_CONTROLLERS);
  if (rng.uniform() < 0.03) {
    out.push(
      base(
        arrival - 20,
        u,
        'auth',
        { authType: 'Negotiate', logonType: 'Interactive', success: false },
        null,
      ),
    );
  }
  out.push(base(arrival, u, 'auth', { authType: 'Negotiate', logonType: 'Interactive' }, null));
  out.push(base(arrival + 2, u, 'auth', { dst: dc, orientation: 'TGT' }, null));
  const accesses = weekend ? 2 + rng.int(4) : 6 + rng.int(14);
  for (let a = 0; a < accesses; a++) {
    const t = arrival + rng.uniform() * (leave - arrival);
    const server = pickZipf(rng, u.servers);
    out.push(base(t, u, 'auth', { dst: dc, orientation: 'TGS' }, null));
    out.push(base(t + 1, u, 'auth', { dst: server, authType: 'Kerberos', logonType: 'Network' }, null));
    out.push(
      base(
        t + 30 + rng.uniform() * 900,
        u,
        'auth',
        { dst: server, logonType: 'Network', orientation: 'LogOff' },
        null,
      ),
    );
  }
  if (u.sshHosts.length > 0) {
    const n = weekend ? rng.int(2) : 1 + rng.int(4);
    for (let s = 0; s < n; s++) {
      const t = arrival + rng.uniform() * (leave - arrival);
      out.push(
        base(
          t,
          u,
          'ssh',
          { dst: pickZipf(rng, u.sshHosts), authType: 'publickey', logonType: 'Network' },
          null,
        ),
      );
    }
  }
  if (u.sshHosts.length > 0) {
    // Benign remote work, drawn from its own generator so every other draw stays as it was: now and then
    // an SSH session from outside (a public address), sometimes after a mistyped password — so an outside
    // source is not a mark that only attacks carry.
    const noise = new Rng(`ssh-noise:${seed}:${u.name}:${dayStart}`);
    if (noise.uniform() < 0.08) {
      const ip = ipFor(noise, false);
      const t = arrival + noise.uniform() * (leave - arrival);
      const dst = pick(noise, u.sshHosts);
      if (noise.uniform() < 0.3) {
        out.push(
          base(
            t - 8,
            u,
            'ssh',
            { dst, src: 'EXT', srcIp: ip, authType: 'password', logonType: 'Network', success: false },
            null,
          ),
        );
      }
      out.push(
        base(t, u, 'ssh', { dst, src: 'EXT', srcIp: ip, authType: 'publickey', logonType: 'Network' }, null),
      );
    }
  }
  out.push(base(leave, u, 'auth', { logonType: 'Interactive', orientation: 'LogOff' }, null));
}

function simulateServiceDay(rng: Rng, u: SimUser, dayStart: number, out: MutableEvent[]): void {
  const period = u.period ?? 300;
  const phase = (u.name.length * 37) % period;
  const dst = u.servers[0] as string;
  for (let t = dayStart + phase; t < dayStart + DAY; t += period) {
    const jitter = (rng.uniform() - 0.5) * 2; // scripted: ±1 s
    out.push(base(t + jitter, u, 'auth', { dst, authType: 'Kerberos', logonType: 'Service' }, null));
  }
}

function simulateCloudDay(
  rng: Rng,
  u: SimUser,
  dayStart: number,
  weekday: number,
  region: string,
  out: MutableEvent[],
  seed: number,
): void {
  if (weekday === 0 || weekday === 6) return;
  const start = dayStart + (u.workStart - u.utcOffset) * HOUR;
  const n = 5 + rng.int(25);
  const habits = CLOUD_APIS.slice(0, 4 + (u.name.length % 4));
  // Benign irregularities, drawn from their own generator so every other draw stays as it was: some days
  // a person works from outside the office (a public address), travels (another region) or does a rare
  // administrative call. Scenarios then stand out by combinations and context, not by a field that only
  // attacks carry.
  const noise = new Rng(`cloud-noise:${seed}:${u.name}:${dayStart}`);
  const srcIp = noise.uniform() < 0.1 ? ipFor(noise, false) : u.ip;
  const dayRegion =
    noise.uniform() < 0.04 ? pick(noise, ['ap-southeast-1', 'sa-east-1', 'eu-north-1']) : region;
  for (let i = 0; i < n; i++) {
    const [api, service] = pickZipf(rng, habits);
    out.push(
      base(
        start + rng.uniform() * u.workHours * HOUR,
        u,
        'cloud',
        { api, service, region: dayRegion, dst: service, srcIp, authType: 'aws-cli' },
        null,
      ),
    );
  }
  if (u.role === 'admin' && noise.uniform() < 0.15) {
    const [api, service] = pick(noise, RARE_CLOUD_APIS);
    out.push(
      base(
        start + noise.uniform() * u.workHours * HOUR,
        u,
        'cloud',
        { api, service, region: dayRegion, dst: service, srcIp, authType: 'aws-cli' },
        null,
      ),
    );
  }
}

function localTime(dayStart: number, u: SimUser, localHour: number): number {
  return dayStart + (localHour - u.utcOffset) * HOUR;
}

function injectScenario(
  rng: Rng,
  name: ScenarioName,
  users: readonly SimUser[],
  cloudUsers: readonly SimUser[],
  dayStart: number,
  out: MutableEvent[],
): void {
  const humans = users.filter((u) => u.role !== 'service');
  const sshUsers = humans.filter((u) => u.sshHosts.length > 0);
  const allServers = [...new Set(Object.values(ROLE_SERVERS).flat())];
  switch (name) {
    case 'off_hours_ssh': {
      const u = pick(rng, sshUsers);
      const t = localTime(dayStart, u, 1 + rng.uniform() * 3.5);
      const fromNew = rng.uniform() < 0.5;
      const ip = fromNew ? ipFor(rng, false) : u.ip;
      const auth = rng.uniform() < 0.5 ? 'password' : 'publickey';
      const hosts = 1 + rng.int(2);
      for (let h = 0; h < hosts; h++) {
        out.push(
          base(
            t + h * 240,
            u,
            'ssh',
            {
              dst: pick(rng, u.sshHosts),
              authType: auth,
              logonType: 'Network',
              srcIp: ip,
              src: fromNew ? 'EXT' : u.workstation,
            },
            name,
          ),
        );
      }
      return;
    }
    case 'lateral_movement': {
      const u = pick(rng, humans);
      const t0 = localTime(dayStart, u, u.workStart + 1 + rng.uniform() * (u.workHours - 2));
      const targets = rng
        .shuffle([...allServers, ...humans.map((h) => h.workstation)].filter((c) => !u.servers.includes(c)))
        .slice(0, 6 + rng.int(10));
      let t = t0;
      for (const dst of targets) {
        t += 30 + rng.uniform() * 240;
        out.push(base(t, u, 'auth', { dst, authType: 'NTLM', logonType: 'Network' }, name));
      }
      return;
    }
    case 'brute_force': {
      const host = pick(rng, SSH_HOSTS);
      const ip = ipFor(rng, false);
      const victims = [pick(rng, sshUsers).name, 'root', 'admin', 'oracle'].slice(0, 1 + rng.int(4));
      const attempts = 40 + rng.int(110);
      let t = dayStart + rng.uniform() * DAY;
      const attacker: SimUser = { ...(sshUsers[0] as SimUser), workstation: 'EXT', ip };
      for (let a = 0; a < attempts; a++) {
        t += 1 + rng.uniform() * 6;
        const v = pick(rng, victims);
        out.push(
          base(
            t,
            { ...attacker, name: v },
            'ssh',
            { dst: host, authType: 'password', logonType: 'Network', success: false, src: 'EXT', srcIp: ip },
            name,
          ),
        );
      }
      return;
    }
    case 'credential_stuffing': {
      const src = `C${9000 + rng.int(500)}`;
      const ip = ipFor(rng, true);
      const targets = rng.shuffle([...humans]).slice(0, 20 + rng.int(30));
      const dst = pick(rng, ['C10', 'C11', 'C13', 'C20']);
      let t = dayStart + rng.uniform() * DAY;
      for (const v of targets) {
        const tries = 1 + rng.int(2);
        for (let k = 0; k < tries; k++) {
          t += 2 + rng.uniform() * 10;
          const ok = rng.uniform() < 0.05;
          out.push(
            base(
              t,
              v,
              'auth',
              { src, dst, srcIp: ip, authType: 'NTLM', logonType: 'Network', success: ok },
              name,
            ),
          );
        }
      }
      return;
    }
    case 'scripted_deviation': {
      if (rng.uniform() < 0.5) {
        // a person's account driven by a script: near-perfect cadence, batch logons, outside the usual day
        const u = pick(rng, humans);
        const period = 30 + rng.int(90);
        const n = 40 + rng.int(60);
        const dst = pick(rng, u.servers);
        let t = localTime(dayStart, u, (u.workStart + u.workHours + 2) % 24);
        for (let k = 0; k < n; k++) {
          t += period + (rng.uniform() - 0.5) * 0.6;
          out.push(base(t, u, 'auth', { dst, authType: 'Kerberos', logonType: 'Batch' }, name));
        }
      } else {
        // a service account's script changed slightly: new destination, network logons, a shorter period
        const svcs = users.filter((u) => u.role === 'service');
        if (svcs.length === 0) return;
        const u = pick(rng, svcs);
        const dst = pick(
          rng,
          ROLE_SERVERS.service.filter((c) => c !== u.servers[0] && c !== u.workstation),
        );
        const period = Math.max(20, Math.round((u.period ?? 300) * (0.3 + rng.uniform() * 0.3)));
        let t = dayStart + rng.uniform() * (DAY - 4 * HOUR);
        const n = 30 + rng.int(40);
        for (let k = 0; k < n; k++) {
          t += period + (rng.uniform() - 0.5) * 2;
          out.push(base(t, u, 'auth', { dst, authType: 'Kerberos', logonType: 'Network' }, name));
        }
      }
      return;
    }
    case 'privilege_after_new_source': {
      const u = pick(rng, humans);
      const others = humans.filter((h) => h !== u);
      const src = rng.uniform() < 0.5 ? pick(rng, others).workstation : `C${9500 + rng.int(400)}`;
      const ip = ipFor(rng, true);
      const server = pick(rng, ['C500', 'C501', 'C502', 'C13', 'C1', 'C2']);
      const t = localTime(dayStart, u, u.workStart + rng.uniform() * u.workHours);
      out.push(
        base(t, u, 'auth', { src, dst: src, srcIp: ip, authType: 'NTLM', logonType: 'Network' }, name),
      );
      out.push(
        base(
          t + 5 + rng.uniform() * 50,
          u,
          'auth',
          {
            src,
            dst: server,
            dstUser: 'Administrator',
            srcIp: ip,
            authType: 'NTLM',
            logonType: 'RemoteInteractive',
            privileged: true,
          },
          name,
        ),
      );
      return;
    }
    case 'rare_cloud_api': {
      if (cloudUsers.length === 0) return;
      const u = pick(rng, cloudUsers);
      const ip = ipFor(rng, false);
      const region = pick(rng, ['ap-southeast-1', 'sa-east-1', 'eu-north-1']);
      let t = localTime(dayStart, u, rng.uniform() * 24);
      const n = 3 + rng.int(6);
      for (let k = 0; k < n; k++) {
        t += 10 + rng.uniform() * 120;
        const [api, service] = pick(rng, RARE_CLOUD_APIS);
        out.push(
          base(t, u, 'cloud', { api, service, region, dst: service, srcIp: ip, authType: 'aws-cli' }, name),
        );
      }
      return;
    }
  }
}

/**
 * Simulates an enterprise's authentication, SSH and cloud-API activity, with labelled red-team
 * scenarios injected into the days after `trainDays`. The data is **simulated**: people with roles,
 * time zones, working hours and weekends; workstations, servers and domain controllers; service
 * accounts on a scripted cadence; cloud users with API habits. Scenarios: off-hours SSH logins, lateral
 * movement fanning out from a compromised account, SSH brute force, credential stuffing, scripted activity
 * with small deviations, privilege use right after a logon from a new source, and rare cloud API calls.
 *
 * Complexity: O(days × (users × events per day + service events)); the defaults give about 60,000 events.
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
    scenarios: [...(options.scenarios ?? SCENARIOS)],
  };
  const rng = new Rng(`simulate:${opts.seed}`);
  const users = makeUsers(rng, opts.users, opts.serviceAccounts);
  const humans = users.filter((u) => u.role !== 'service');
  const cloudUsers = humans.filter((u) => u.role === 'engineer' || u.role === 'admin').slice(0, 12);
  const cloudRegion = new Map(
    cloudUsers.map((u) => [u.name, pick(rng, ['us-east-1', 'us-east-1', 'eu-west-1'])]),
  );
  const start = Math.floor(Date.parse(`${opts.start}T00:00:00Z`) / 1000);
  const out: MutableEvent[] = [];
  for (let d = 0; d < days; d++) {
    const dayStart = start + d * DAY;
    const weekday = new Date(dayStart * 1000).getUTCDay();
    for (const u of users) {
      if (u.role === 'service') simulateServiceDay(rng, u, dayStart, out);
      else simulateHumanDay(rng, u, dayStart, weekday, out, opts.seed);
    }
    for (const u of cloudUsers)
      simulateCloudDay(rng, u, dayStart, weekday, cloudRegion.get(u.name) ?? 'us-east-1', out, opts.seed);
  }
  const testDays = days - trainDays;
  if (testDays > 0) {
    for (const s of opts.scenarios) {
      for (let k = 0; k < opts.incidentsPerScenario; k++) {
        const day = trainDays + rng.int(testDays);
        injectScenario(rng, s, users, cloudUsers, start + day * DAY, out);
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
