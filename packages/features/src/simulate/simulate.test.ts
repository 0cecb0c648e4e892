import { describe, expect, it } from 'vitest';
import { parseLines } from '../parse/common.js';
import { GithubAuditParser } from '../parse/githubAudit.js';
import {
  formatCloudTrail,
  formatGithubAudit,
  formatLanl,
  formatSshd,
  formatWinevt,
  labelsCsv,
} from './format.js';
import { simulate } from './simulate.js';
import { SCENARIO_CHANNEL, SCENARIOS } from './types.js';

describe('simulate', () => {
  const sim = simulate({ seed: 3, days: 9, trainDays: 6, users: 30 });

  it('is deterministic under a seed and differs across seeds', () => {
    const again = simulate({ seed: 3, days: 9, trainDays: 6, users: 30 });
    expect(again.events).toEqual(sim.events);
    const other = simulate({ seed: 4, days: 9, trainDays: 6, users: 30 });
    expect(other.events.length).not.toBe(sim.events.length);
  });

  it('keeps the training days free of injected scenarios and sorts events by time', () => {
    for (let i = 0; i < sim.events.length; i++) {
      const e = sim.events[i]!;
      if (e.scenario !== null) expect(e.time).toBeGreaterThanOrEqual(sim.testStart);
      if (i > 0) expect(e.time).toBeGreaterThanOrEqual(sim.events[i - 1]!.time);
    }
  });

  it('injects every scenario in the test days', () => {
    const seen = new Set(sim.events.map((e) => e.scenario).filter((s) => s !== null));
    for (const s of SCENARIOS) expect(seen.has(s)).toBe(true);
  });

  it('puts people to work in their working hours, mostly', () => {
    const people = new Map(sim.users.map((u) => [u.name, u]));
    let inHours = 0;
    let total = 0;
    for (const e of sim.events) {
      const u = people.get(e.user);
      if (e.scenario !== null || u === undefined || u.role === 'service' || e.orientation !== 'LogOn')
        continue;
      const local = (((e.time / 3600 + u.utcOffset) % 24) + 24) % 24;
      const sinceStart = (((local - u.workStart) % 24) + 24) % 24;
      total++;
      if (sinceStart <= u.workHours + 2 || sinceStart >= 22) inHours++;
    }
    // Trips move some days to another zone.
    expect(inHours / total).toBeGreaterThan(0.85);
  });

  it('has night-shift, weekend and on-call staff whose odd hours are in the training days too', () => {
    const big = simulate({ seed: 5, days: 14, trainDays: 10, users: 60 });
    const people = new Map(big.users.map((u) => [u.name, u]));
    const shifts = new Set(big.users.map((u) => u.shift));
    expect(shifts).toEqual(new Set(['day', 'night', 'weekend']));
    expect(big.users.some((u) => u.onCall)).toBe(true);
    const nightSsh = big.events.filter((e) => {
      const u = people.get(e.user);
      if (u === undefined || e.scenario !== null || e.channel !== 'ssh' || e.time >= big.testStart)
        return false;
      const local = (((e.time / 3600 + u.utcOffset) % 24) + 24) % 24;
      return local >= 0.5 && local < 5;
    });
    // Benign SSH in the small hours before any scenario: mostly night shifts and on-call pages (the rest
    // are people on a trip, living by another zone).
    const expected = nightSsh.filter(
      (e) => people.get(e.user)?.shift === 'night' || people.get(e.user)?.onCall,
    );
    expect(nightSsh.length).toBeGreaterThan(20);
    expect(expected.length / nightSsh.length).toBeGreaterThan(0.8);
  });

  it('injects off-hours SSH at hours that are off for that person', () => {
    const big = simulate({ seed: 6, users: 60, scenarios: ['off_hours_ssh'], incidentsPerScenario: 8 });
    const people = new Map(big.users.map((u) => [u.name, u]));
    const hits = big.events.filter((e) => e.scenario === 'off_hours_ssh');
    expect(new Set(hits.map((e) => e.incident)).size).toBe(8);
    for (const e of hits) {
      const u = people.get(e.user);
      expect(u).toBeDefined();
      if (u === undefined) continue;
      expect(u.onCall).toBe(false);
      const local = (((e.time / 3600 + u.utcOffset) % 24) + 24) % 24;
      const sinceStart = (((local - u.workStart) % 24) + 24) % 24;
      expect(sinceStart > u.workHours + 1 && sinceStart < 23).toBe(true);
    }
  });

  it('writes a GitHub audit log with GitHub’s field names, parsed back line for line', () => {
    const gh = formatGithubAudit(sim);
    expect(gh.lines.length).toBeGreaterThan(500);
    const parsed = parseLines(new GithubAuditParser(), gh.lines, { policy: 'throw' }).events;
    expect(parsed).toHaveLength(gh.lines.length);
    const actions = new Set(parsed.map((e) => e.action));
    for (const a of [
      'git.clone',
      'git.push',
      'pull_request.create',
      'pull_request.merge',
      'workflows.created_workflow_run',
      'workflows.prepared_workflow_job',
      'workflows.completed_workflow_run',
      'repo.download_zip',
    ])
      expect(actions.has(a)).toBe(true);
    // Keys GitHub's audit log uses (organisation audit-log stream and export).
    const known = new Set([
      '@timestamp',
      'action',
      'actor',
      'actor_id',
      'actor_ip',
      'actor_location',
      'business',
      'created_at',
      'operation_type',
      'org',
      'org_id',
      'repo',
      'repo_id',
      'public_repo',
      'repository',
      'repository_public',
      'transport_protocol_name',
      'hashed_token',
      'programmatic_access_type',
      'token_scopes',
      'data',
      'job_name',
      'job_workflow_ref',
      'secrets_passed',
      'runner_name',
      'user_agent',
    ]);
    for (const l of gh.lines)
      for (const k of Object.keys(JSON.parse(l) as object)) expect(known.has(k)).toBe(true);
    const jobs = parsed.filter((e) => e.action === 'workflows.prepared_workflow_job');
    expect(jobs.some((e) => e.secrets > 0)).toBe(true);
    expect(parsed.some((e) => e.token !== '' && e.actorIp !== '')).toBe(true);
    for (const s of SCENARIOS.filter((x) => SCENARIO_CHANNEL[x] === 'github'))
      expect(gh.labels.includes(s)).toBe(true);
    expect(gh.incidents.filter((i) => i !== null).length).toBe(gh.labels.filter((l) => l !== null).length);
  });

  it('formats LANL, sshd, Windows and CloudTrail lines with aligned labels', () => {
    for (const f of [formatLanl, formatSshd, formatWinevt, formatCloudTrail, formatGithubAudit]) {
      const out = f(sim);
      expect(out.lines.length).toBeGreaterThan(0);
      expect(out.labels.length).toBe(out.lines.length);
      expect(out.times.length).toBe(out.lines.length);
      expect(out.incidents.length).toBe(out.lines.length);
    }
    const lanl = formatLanl(sim);
    for (const l of lanl.lines.slice(0, 200)) expect(l.split(',')).toHaveLength(9);
    expect(
      formatSshd(sim).lines.some((l) => /sshd\[\d+\]: Failed password for invalid user root from/.test(l)),
    ).toBe(true);
    const win = formatWinevt(sim).lines.map((l) => JSON.parse(l) as { EventID: number });
    const ids = new Set(win.map((w) => w.EventID));
    for (const id of [4624, 4625, 4634, 4672, 4768, 4769]) expect(ids.has(id)).toBe(true);
    const ct = JSON.parse(formatCloudTrail(sim).lines[0]!) as { eventName: string; eventTime: string };
    expect(typeof ct.eventName).toBe('string');
    expect(Number.isNaN(Date.parse(ct.eventTime))).toBe(false);
    const csv = labelsCsv(lanl).split('\n');
    expect(csv[0]).toBe('line,scenario');
    expect(csv.length).toBe(lanl.lines.length + 2);
  });

  it('rejects bad options with clear errors', () => {
    expect(() => simulate({ days: 0 })).toThrow(/simulate: days must be an integer/);
    expect(() => simulate({ start: 'yesterday' })).toThrow(RangeError);
    expect(() => simulate({ scenarios: ['nope' as never] })).toThrow(/unknown scenario/);
  });
});
