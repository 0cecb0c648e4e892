/**
 * The red-team scenarios of the authentication, SSH and cloud channels, injected into a test day. (The
 * GitHub scenarios live with the GitHub organisation, in `github.ts`.)
 *
 * @module
 */
import type { Rng } from '@nexus/ebm-core';
import { RARE_CLOUD_APIS } from './activity.js';
import { base, DAY, HOUR, ipFor, type Label, localTime, type MutableEvent, pick } from './common.js';
import { ROLE_SERVERS, SSH_HOSTS } from './people.js';
import type { SimUser } from './types.js';

/** Injects one authentication, SSH or cloud scenario (`label.scenario`) on the day at `dayStart`. */
export function injectScenario(
  rng: Rng,
  label: Label,
  users: readonly SimUser[],
  cloudUsers: readonly SimUser[],
  dayStart: number,
  out: MutableEvent[],
): void {
  const humans = users.filter((u) => u.role !== 'service');
  const sshUsers = humans.filter((u) => u.sshHosts.length > 0);
  const allServers = [...new Set(Object.values(ROLE_SERVERS).flat())];
  switch (label.scenario) {
    case 'off_hours_ssh': {
      // Off hours for this person: the small hours for a day worker who is never on call; the middle of
      // the day for a night-shift worker. (A night-shift worker's 03:00 logon is normal.)
      const day = sshUsers.filter((u) => u.shift === 'day' && !u.onCall);
      const night = sshUsers.filter((u) => u.shift === 'night');
      const nightVictim = night.length > 0 && (day.length === 0 || rng.uniform() < 0.25);
      const pool = nightVictim ? night : day.length > 0 ? day : sshUsers;
      const u = pick(rng, pool);
      const t = localTime(
        dayStart,
        u.utcOffset,
        nightVictim ? 12 + rng.uniform() * 4 : 1 + rng.uniform() * 3.5,
      );
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
            label,
          ),
        );
      }
      return;
    }
    case 'lateral_movement': {
      const u = pick(rng, humans);
      const t0 = localTime(dayStart, u.utcOffset, u.workStart + 1 + rng.uniform() * (u.workHours - 2));
      const targets = rng
        .shuffle([...allServers, ...humans.map((h) => h.workstation)].filter((c) => !u.servers.includes(c)))
        .slice(0, 6 + rng.int(10));
      let t = t0;
      for (const dst of targets) {
        t += 30 + rng.uniform() * 240;
        out.push(base(t, u, 'auth', { dst, authType: 'NTLM', logonType: 'Network' }, label));
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
            label,
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
              label,
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
        let t = localTime(dayStart, u.utcOffset, (u.workStart + u.workHours + 2) % 24);
        for (let k = 0; k < n; k++) {
          t += period + (rng.uniform() - 0.5) * 0.6;
          out.push(base(t, u, 'auth', { dst, authType: 'Kerberos', logonType: 'Batch' }, label));
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
          out.push(base(t, u, 'auth', { dst, authType: 'Kerberos', logonType: 'Network' }, label));
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
      const t = localTime(dayStart, u.utcOffset, u.workStart + rng.uniform() * u.workHours);
      out.push(
        base(t, u, 'auth', { src, dst: src, srcIp: ip, authType: 'NTLM', logonType: 'Network' }, label),
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
          label,
        ),
      );
      return;
    }
    case 'rare_cloud_api': {
      if (cloudUsers.length === 0) return;
      const u = pick(rng, cloudUsers);
      const ip = ipFor(rng, false);
      const region = pick(rng, ['ap-southeast-1', 'sa-east-1', 'eu-north-1']);
      let t = localTime(dayStart, u.utcOffset, rng.uniform() * 24);
      const n = 3 + rng.int(6);
      for (let k = 0; k < n; k++) {
        t += 10 + rng.uniform() * 120;
        const [api, service] = pick(rng, RARE_CLOUD_APIS);
        out.push(
          base(t, u, 'cloud', { api, service, region, dst: service, srcIp: ip, authType: 'aws-cli' }, label),
        );
      }
      return;
    }
    default:
      return;
  }
}
