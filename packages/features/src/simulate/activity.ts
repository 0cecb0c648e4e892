/**
 * Normal activity of one day: a person's logons, Kerberos tickets, server and SSH sessions; a service
 * account's scripted runs; a cloud user's API calls; an on-call person's night page.
 *
 * @module
 */
import { Rng } from '@nexus/ebm-core';
import { base, DAY, ipFor, type MutableEvent, NORMAL, pick, pickZipf } from './common.js';
import type { Presence } from './people.js';
import type { SimUser } from './types.js';

const DOMAIN_CONTROLLERS = ['C1', 'C2'];
export const CLOUD_APIS: readonly (readonly [string, string])[] = [
  ['DescribeInstances', 'ec2.amazonaws.com'],
  ['ListBuckets', 's3.amazonaws.com'],
  ['GetObject', 's3.amazonaws.com'],
  ['PutObject', 's3.amazonaws.com'],
  ['ListObjects', 's3.amazonaws.com'],
  ['GetCallerIdentity', 'sts.amazonaws.com'],
  ['DescribeLogGroups', 'logs.amazonaws.com'],
  ['AssumeRole', 'sts.amazonaws.com'],
];
export const RARE_CLOUD_APIS: readonly (readonly [string, string])[] = [
  ['CreateAccessKey', 'iam.amazonaws.com'],
  ['PutBucketPolicy', 's3.amazonaws.com'],
  ['GetSecretValue', 'secretsmanager.amazonaws.com'],
  ['StopLogging', 'cloudtrail.amazonaws.com'],
  ['ListSecrets', 'secretsmanager.amazonaws.com'],
  ['AttachUserPolicy', 'iam.amazonaws.com'],
];

/** SSH from outside: from `ip`, now and then after a mistyped password. */
function outsideSsh(r: Rng, u: SimUser, t: number, ip: string, out: MutableEvent[]): void {
  const dst = pick(r, u.sshHosts);
  if (r.uniform() < 0.3) {
    out.push(
      base(
        t - 8,
        u,
        'ssh',
        { dst, src: 'EXT', srcIp: ip, authType: 'password', logonType: 'Network', success: false },
        NORMAL,
      ),
    );
  }
  out.push(
    base(t, u, 'ssh', { dst, src: 'EXT', srcIp: ip, authType: 'publickey', logonType: 'Network' }, NORMAL),
  );
}

/**
 * A person's working day: workstation logon, Kerberos tickets and server sessions, SSH to their hosts
 * (from outside when working remotely, and now and then from a public address anyway), logoff.
 */
export function simulateHumanDay(
  rng: Rng,
  u: SimUser,
  p: Presence,
  dayStart: number,
  out: MutableEvent[],
  seed: number,
): void {
  const { arrival, leave } = p;
  const dc = pick(rng, DOMAIN_CONTROLLERS);
  if (rng.uniform() < 0.03) {
    out.push(
      base(
        arrival - 20,
        u,
        'auth',
        { authType: 'Negotiate', logonType: 'Interactive', success: false },
        NORMAL,
      ),
    );
  }
  out.push(base(arrival, u, 'auth', { authType: 'Negotiate', logonType: 'Interactive' }, NORMAL));
  out.push(base(arrival + 2, u, 'auth', { dst: dc, orientation: 'TGT' }, NORMAL));
  const accesses = p.brief ? 2 + rng.int(4) : 6 + rng.int(14);
  for (let a = 0; a < accesses; a++) {
    const t = arrival + rng.uniform() * (leave - arrival);
    const server = pickZipf(rng, u.servers);
    out.push(base(t, u, 'auth', { dst: dc, orientation: 'TGS' }, NORMAL));
    out.push(base(t + 1, u, 'auth', { dst: server, authType: 'Kerberos', logonType: 'Network' }, NORMAL));
    out.push(
      base(
        t + 30 + rng.uniform() * 900,
        u,
        'auth',
        { dst: server, logonType: 'Network', orientation: 'LogOff' },
        NORMAL,
      ),
    );
  }
  if (u.sshHosts.length > 0) {
    const n = p.brief ? rng.int(2) : 1 + rng.int(4);
    for (let s = 0; s < n; s++) {
      const t = arrival + rng.uniform() * (leave - arrival);
      const dst = pickZipf(rng, u.sshHosts);
      if (p.remoteIp !== undefined) {
        out.push(
          base(
            t,
            u,
            'ssh',
            { dst, src: 'EXT', srcIp: p.remoteIp, authType: 'publickey', logonType: 'Network' },
            NORMAL,
          ),
        );
      } else {
        out.push(base(t, u, 'ssh', { dst, authType: 'publickey', logonType: 'Network' }, NORMAL));
      }
    }
    // Benign remote work, drawn from its own generator so every other draw stays as it was: now and then
    // an SSH session from outside (a public address), sometimes after a mistyped password — so an outside
    // source is not a mark that only attacks carry.
    const noise = new Rng(`ssh-noise:${seed}:${u.name}:${dayStart}`);
    if (noise.uniform() < 0.08) {
      const ip = ipFor(noise, false);
      outsideSsh(noise, u, arrival + noise.uniform() * (leave - arrival), ip, out);
    }
  }
  out.push(base(leave, u, 'auth', { logonType: 'Interactive', orientation: 'LogOff' }, NORMAL));
}

/** An on-call night page: SSH to the person's hosts from home, one to three sessions. */
export function simulatePage(
  u: SimUser,
  page: { start: number; end: number },
  seed: number,
  d: number,
  out: MutableEvent[],
): void {
  const r = new Rng(`page:${seed}:${u.name}:${d}`);
  const n = 1 + r.int(3);
  for (let k = 0; k < n; k++)
    outsideSsh(r, u, page.start + r.uniform() * (page.end - page.start), u.homeIp, out);
}

/** A service account's scripted runs at its period, ±1 s. */
export function simulateServiceDay(rng: Rng, u: SimUser, dayStart: number, out: MutableEvent[]): void {
  const period = u.period ?? 300;
  const phase = (u.name.length * 37) % period;
  const dst = u.servers[0] as string;
  for (let t = dayStart + phase; t < dayStart + DAY; t += period) {
    const jitter = (rng.uniform() - 0.5) * 2; // scripted: ±1 s
    out.push(base(t + jitter, u, 'auth', { dst, authType: 'Kerberos', logonType: 'Service' }, NORMAL));
  }
}

/**
 * A cloud user's API calls during their working time: their usual calls (Zipf), from the office address
 * or, some days, from outside or another region; admins now and then make a rare administrative call.
 */
export function simulateCloudDay(
  rng: Rng,
  u: SimUser,
  p: Presence,
  dayStart: number,
  region: string,
  out: MutableEvent[],
  seed: number,
): void {
  if (p.brief) return;
  const n = 5 + rng.int(25);
  const habits = CLOUD_APIS.slice(0, 4 + (u.name.length % 4));
  const span = p.leave - p.arrival;
  // Benign irregularities, drawn from their own generator so every other draw stays as it was: some days
  // a person works from outside the office (a public address), travels (another region) or does a rare
  // administrative call. Scenarios then stand out by combinations and context, not by a field that only
  // attacks carry.
  const noise = new Rng(`cloud-noise:${seed}:${u.name}:${dayStart}`);
  const srcIp = p.remoteIp ?? (noise.uniform() < 0.1 ? ipFor(noise, false) : u.ip);
  const dayRegion =
    noise.uniform() < 0.04 ? pick(noise, ['ap-southeast-1', 'sa-east-1', 'eu-north-1']) : region;
  for (let i = 0; i < n; i++) {
    const [api, service] = pickZipf(rng, habits);
    out.push(
      base(
        p.arrival + rng.uniform() * span,
        u,
        'cloud',
        { api, service, region: dayRegion, dst: service, srcIp, authType: 'aws-cli' },
        NORMAL,
      ),
    );
  }
  if (u.role === 'admin' && noise.uniform() < 0.15) {
    const [api, service] = pick(noise, RARE_CLOUD_APIS);
    out.push(
      base(
        p.arrival + noise.uniform() * span,
        u,
        'cloud',
        { api, service, region: dayRegion, dst: service, srcIp, authType: 'aws-cli' },
        NORMAL,
      ),
    );
  }
}
