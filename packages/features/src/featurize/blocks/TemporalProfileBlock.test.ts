import { ModelFormatError, ParameterError } from '@nexus/ebm-core';
import { describe, expect, it } from 'vitest';
import { FeaturePipeline } from '../FeaturePipeline.js';
import { authFeaturizer, cloudTrailFeaturizer, githubAuditFeaturizer } from '../presets.js';

interface Ev {
  time: number;
  user: string;
}

const H = 3600;
const DAY = 86400;
/** Monday 2026-03-02 00:00 UTC. */
const MONDAY = Date.UTC(2026, 2, 2) / 1000;

const profile = (extra: Partial<{ prior: number; timeZone: string }> = {}, maxEntities?: number) =>
  new FeaturePipeline<Ev>({
    blocks: [{ type: 'temporalProfile', entity: 'user', ...extra }],
    ...(maxEntities === undefined ? {} : { maxEntities }),
  });

/** A day worker (09:00–16:00 on weekdays) and a night worker (01:00–04:00), for two weeks. */
function history(): Ev[] {
  const out: Ev[] = [];
  for (let d = 0; d < 14; d++) {
    const wd = (d + 1) % 7;
    if (wd === 0 || wd === 6) continue;
    for (let h = 9; h < 17; h++) out.push({ time: MONDAY + d * DAY + h * H + 60, user: 'day' });
    for (let h = 1; h < 5; h++) out.push({ time: MONDAY + d * DAY + h * H + 120, user: 'night' });
  }
  return out.sort((a, b) => a.time - b.time);
}

describe('temporalProfile block', () => {
  it('rates an hour by the entity’s own history: 03:00 is rare for a day worker, usual for a night worker', () => {
    const p = profile();
    p.fit(history());
    expect(p.featureNames).toEqual(['user:hour_rarity', 'user:weekpart_rarity']);
    const t = MONDAY + 14 * DAY + 3 * H; // Monday 03:00
    const X = p.transform([
      { time: t, user: 'day' },
      { time: t + 1, user: 'night' },
      { time: t + 7 * H, user: 'day' }, // 10:00
      { time: t + 2, user: 'newcomer' },
    ]);
    const dayAt3 = X.get(0, 0);
    const nightAt3 = X.get(1, 0);
    const dayAt10 = X.get(2, 0);
    expect(dayAt3).toBeGreaterThan(nightAt3 + 3);
    expect(dayAt3).toBeGreaterThan(dayAt10 + 2);
    // A newcomer reads like the population: between the two.
    expect(X.get(3, 0)).toBeGreaterThan(nightAt3);
    expect(X.get(3, 0)).toBeLessThan(dayAt3);
  });

  it('separates weekdays from weekends in the second column', () => {
    const p = profile();
    p.fit(history());
    const sat10 = MONDAY + 19 * DAY + 10 * H;
    const mon10 = MONDAY + 14 * DAY + 10 * H;
    const X = p.transform([
      { time: mon10, user: 'day' },
      { time: sat10, user: 'day' },
    ]);
    // Same hour, so the same hour-of-day rarity up to the one Monday event counted in between.
    expect(Math.abs(X.get(1, 0) - X.get(0, 0))).toBeLessThan(0.05);
    expect(X.get(1, 1)).toBeGreaterThan(X.get(0, 1) + 3);
  });

  it('continues the profile in the stream and starts entities from the population', () => {
    const p = profile();
    p.fit(history());
    const t = MONDAY + 15 * DAY + 3 * H;
    const rows = [0, 1, 2, 3].map((k) => p.transformOne({ time: t + k * 60, user: 'day' })[0] as number);
    for (let k = 1; k < rows.length; k++) expect(rows[k]).toBeLessThan(rows[k - 1] as number);
  });

  it('keeps local hours across a daylight-saving change in the featurizer’s zone', () => {
    // New York moves from UTC−5 to UTC−4 on 2026-03-08: a 09:00–17:00 shift moves by an hour in UTC.
    const events: Ev[] = [];
    for (let d = 0; d < 6; d++) {
      for (let h = 9; h < 17; h++) events.push({ time: MONDAY + d * DAY + (h + 5) * H, user: 'ny' });
    }
    const local = profile({ timeZone: 'America/New_York' });
    const utc = profile();
    local.fit(events);
    utc.fit(events);
    // Tuesday 2026-03-10, 09:30 New York time (13:30 UTC after the change).
    const after = [{ time: MONDAY + 8 * DAY + 13.5 * H, user: 'ny' }];
    const inZone = local.transform(after).get(0, 0);
    const inUtc = utc.transform(after).get(0, 0);
    expect(inZone).toBeLessThan(3);
    expect(inUtc).toBeGreaterThan(inZone + 0.5);
  });

  it('says what is unusual with the entity’s counts and the population’s share', () => {
    const p = profile();
    p.fit(history());
    const e = { time: MONDAY + 19 * DAY + 3 * H + 10 * 60, user: 'day' }; // Saturday 03:10
    const x = p.transform([e]);
    // With the column's value (as scored), the phrase does not depend on the stream state now.
    expect(p.reason(0, e, x.get(0, 0))).toMatch(
      /^03:10 is unusual for user day \(their profile gives that hour [\d.]+ %; all users [\d.]+ %\)$/,
    );
    expect(p.reason(0, e)).toMatch(
      /^03:10 is unusual for user day \(0 of their other 80 events so far in that hour; all users [\d.]+ %\)$/,
    );
    expect(p.reason(1, e)).toMatch(
      /^Sat 03:10 is unusual for user day \(0 of their other 80 events so far in that hour on weekends;/,
    );
  });

  it('bounds the entities it remembers and forgets the counts of evicted ones', () => {
    const p = profile({}, 4);
    p.fit(history());
    const evs: Ev[] = [];
    for (let i = 0; i < 40; i++) evs.push({ time: MONDAY + 20 * DAY + i, user: `u${i}` });
    p.transform(evs);
    expect(p.stateStats().evictions).toBeGreaterThan(0);
    const saved = p.toJSON().state.blocks[0] as { k1: number[] };
    expect(saved.k1.length).toBeLessThanOrEqual(4);
    // "day" was evicted: a day-time event reads like a newcomer again.
    const again = p.transform([{ time: MONDAY + 21 * DAY + 3 * H, user: 'day' }]).get(0, 0);
    const fresh = p.transform([{ time: MONDAY + 21 * DAY + 3 * H + 1, user: 'other' }]).get(0, 0);
    expect(again).toBeCloseTo(fresh, 12);
  });

  it('checks its spec and its saved state', () => {
    expect(() => new FeaturePipeline({ blocks: [{ type: 'temporalProfile', entity: '' }] })).toThrow(
      ParameterError,
    );
    expect(
      () => new FeaturePipeline({ blocks: [{ type: 'temporalProfile', entity: 'u', prior: 0 }] }),
    ).toThrow(/prior must be a positive number/);
    expect(
      () =>
        new FeaturePipeline({ blocks: [{ type: 'temporalProfile', entity: 'u', timeZone: 'Mars/Base' }] }),
    ).toThrow(/IANA/);
    const p = profile();
    p.fit(history());
    const json = JSON.parse(JSON.stringify(p.toJSON()));
    json.state.blocks[0].population[0] = -1;
    expect(() => FeaturePipeline.fromJSON(json)).toThrow(ModelFormatError);
    const json2 = JSON.parse(JSON.stringify(p.toJSON()));
    json2.state.blocks[0].counts.pop();
    expect(() => FeaturePipeline.fromJSON(json2)).toThrow(/temporalProfile counts/);
  });
});

describe('the ready-made featurizers', () => {
  it('judge the hour per entity and the destination, call or repository among peers', () => {
    const auth = authFeaturizer();
    auth.fit([
      {
        format: 'lanl',
        line: 1,
        time: 0,
        user: 'U1',
        srcUser: 'U1',
        srcHost: 'C1',
        dstHost: 'C2',
        authType: 'Kerberos',
        logonType: 'Network',
        action: 'LogOn',
        success: true,
      },
    ]);
    expect(auth.featureNames).toEqual(
      expect.arrayContaining(['user:hour_rarity', 'user:weekpart_rarity', 'user→dst_computer:peer_rarity']),
    );
    const names = (f: { config: { blocks: readonly { type: string }[] } }): string[] =>
      f.config.blocks.map((b) => b.type);
    expect(names(cloudTrailFeaturizer())).toEqual(expect.arrayContaining(['temporalProfile', 'peers']));
    expect(names(githubAuditFeaturizer())).toEqual(expect.arrayContaining(['temporalProfile', 'peers']));
  });
});
