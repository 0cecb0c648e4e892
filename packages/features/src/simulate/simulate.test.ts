import { describe, expect, it } from 'vitest';
import { formatCloudTrail, formatLanl, formatSshd, formatWinevt, labelsCsv } from './format.js';
import { simulate } from './simulate.js';
import { SCENARIOS } from './types.js';

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
      total++;
      if (local >= u.workStart - 2 && local <= u.workStart + u.workHours + 2) inHours++;
    }
    expect(inHours / total).toBeGreaterThan(0.9);
  });

  it('formats LANL, sshd, Windows and CloudTrail lines with aligned labels', () => {
    for (const f of [formatLanl, formatSshd, formatWinevt, formatCloudTrail]) {
      const out = f(sim);
      expect(out.lines.length).toBeGreaterThan(0);
      expect(out.labels.length).toBe(out.lines.length);
      expect(out.times.length).toBe(out.lines.length);
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
