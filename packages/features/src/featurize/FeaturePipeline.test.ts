import { ModelFormatError, NotFittedError, ParameterError, ValueError } from '@nexus/ebm-core';
import { describe, expect, it } from 'vitest';
import { FeaturePipeline } from './FeaturePipeline.js';
import { hashString } from './hash.js';
import { authFeaturizer } from './presets.js';

interface Ev {
  time: number;
  user: string;
  host: string;
  ok: boolean;
  bytes?: number;
}

const ev = (time: number, user: string, host: string, ok = true, bytes?: number): Ev =>
  bytes === undefined ? { time, user, host, ok } : { time, user, host, ok, bytes };

function col(p: FeaturePipeline<Ev>, name: string): number {
  const j = p.featureNames.indexOf(name);
  if (j < 0) throw new Error(`no column ${name} in ${p.featureNames.join(', ')}`);
  return j;
}

describe('FeaturePipeline building blocks', () => {
  it('one-hot keeps the training vocabulary and routes unseen values to <unseen>', () => {
    const p = new FeaturePipeline<Ev>({ blocks: [{ type: 'onehot', field: 'host', maxCategories: 2 }] });
    p.fit([ev(0, 'a', 'h1'), ev(1, 'a', 'h1'), ev(2, 'a', 'h2'), ev(3, 'a', 'h3'), ev(4, 'a', 'h3')]);
    expect(p.featureNames).toEqual(['host=h1', 'host=h3', 'host=<unseen>']);
    expect(p.transform([ev(5, 'a', 'h3'), ev(6, 'a', 'h2')]).toArray()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(p.columns[2]).toMatchObject({ field: 'host', kind: 'onehot', value: '<unseen>' });
  });

  it('numeric applies log1p and clipping; hashing is seeded, signed and one-hot', () => {
    const p = new FeaturePipeline<Ev>({
      seed: 3,
      blocks: [
        { type: 'numeric', field: 'bytes', transform: 'log1p', clip: [0, 5] },
        { type: 'hash', field: 'user', width: 8 },
      ],
    });
    const X = p.fitTransform([
      ev(0, 'alice', 'h', true, Math.E - 1),
      ev(1, 'bob', 'h', true, 1e9),
      ev(2, 'c', 'h', true, -3),
    ]);
    expect(X.get(0, 0)).toBeCloseTo(1, 12);
    expect(X.get(1, 0)).toBe(5);
    expect(X.get(2, 0)).toBe(0);
    for (let i = 0; i < 3; i++) {
      const row = Array.from(X.row(i)).slice(1);
      expect(row.filter((v) => v !== 0)).toHaveLength(1);
      expect(Math.abs(row.find((v) => v !== 0) ?? 0)).toBe(1);
    }
    const again = new FeaturePipeline<Ev>({
      seed: 3,
      blocks: [{ type: 'hash', field: 'user', width: 64 }],
    }).fitTransform([ev(0, 'x', 'h')]);
    const other = new FeaturePipeline<Ev>({
      seed: 4,
      blocks: [{ type: 'hash', field: 'user', width: 64 }],
    }).fitTransform([ev(0, 'x', 'h')]);
    expect(Array.from(again.data)).not.toEqual(Array.from(other.data));
    expect(hashString('abc', 1)).toBe(hashString('abc', 1));
    expect(hashString('abc', 1)).not.toBe(hashString('abc', 2));
  });

  it('cyclic time encodes hour of day and day of week in the configured zone', () => {
    const p = new FeaturePipeline<Ev>({ utcOffsetMinutes: 360, blocks: [{ type: 'cyclic' }] });
    // 1970-01-04 (a Sunday) 00:00 UTC = 06:00 local at UTC+6.
    const X = p.fitTransform([ev(3 * 86400, 'a', 'h')]);
    expect(X.get(0, 0)).toBeCloseTo(1, 12); // sin(2π·6/24)
    expect(X.get(0, 1)).toBeCloseTo(0, 12);
    const week = 6 / 24 / 7; // Sunday 06:00 as a fraction of the week
    expect(X.get(0, 2)).toBeCloseTo(Math.sin(2 * Math.PI * week), 12);
  });

  it('cyclic time follows an IANA zone across daylight saving time', () => {
    const p = new FeaturePipeline<Ev>({ timeZone: 'America/New_York', blocks: [{ type: 'cyclic' }] });
    // Noon in New York: 16:00 UTC in July (EDT), 17:00 UTC in January (EST).
    const X = p.fitTransform([
      ev(Date.UTC(2024, 6, 1, 16) / 1000, 'a', 'h'),
      ev(Date.UTC(2024, 0, 1, 17) / 1000, 'a', 'h'),
    ]);
    for (const i of [0, 1]) {
      expect(X.get(i, 0)).toBeCloseTo(0, 12);
      expect(X.get(i, 1)).toBeCloseTo(-1, 12);
    }
    expect(p.reason(0, ev(Date.UTC(2024, 6, 1, 16, 5) / 1000, 'a', 'h'))).toBe('time of day 12:05');
    expect(() => new FeaturePipeline({ timeZone: 'Mars/Olympus', blocks: [{ type: 'cyclic' }] })).toThrow(
      /IANA/,
    );
  });

  it('first-seen flags pairs, remembers training pairs and reports reasons', () => {
    const p = new FeaturePipeline<Ev>({
      labels: { host: 'dst_computer' },
      blocks: [{ type: 'firstSeen', fields: ['user', 'host'] }],
    });
    const X = p.fitTransform([ev(0, 'U1', 'C1'), ev(1, 'U1', 'C1'), ev(2, 'U1', 'C2'), ev(3, 'U2', 'C1')]);
    expect(Array.from(X.data)).toEqual([1, 0, 1, 1]);
    expect(
      Array.from(p.transform([ev(4, 'U1', 'C2'), ev(5, 'U620', 'C1003'), ev(6, 'U620', 'C1003')]).data),
    ).toEqual([0, 1, 0]);
    expect(p.columns[0]).toMatchObject({
      name: 'user→dst_computer:first_seen',
      field: 'user→dst_computer',
      fields: ['user', 'dst_computer'],
    });
    expect(p.reason(0, ev(5, 'U620', 'C1003'))).toBe('dst_computer C1003 first seen for user U620');
    expect(p.describe(ev(5, 'U620', 'C1003'))).toEqual({ user: 'U620', dst_computer: 'C1003' });
  });

  it('first-seen with within stays 1 for the events of a pair within that many seconds of its first, across save and load', () => {
    const spec = { type: 'firstSeen', fields: ['user', 'host'], within: 3600 } as const;
    const p = new FeaturePipeline<Ev>({ labels: { host: 'repo' }, blocks: [spec] });
    const X = p.fitTransform([
      ev(0, 'U1', 'C1'),
      ev(3599, 'U1', 'C1'),
      ev(3600, 'U1', 'C1'),
      ev(4000, 'U2', 'C1'),
    ]);
    expect(Array.from(X.data)).toEqual([1, 1, 0, 1]);
    const loaded = FeaturePipeline.fromJSON<Ev>(JSON.parse(JSON.stringify(p.toJSON())));
    const later = [ev(7000, 'U2', 'C1'), ev(7600, 'U2', 'C1'), ev(8000, 'U3', 'C9'), ev(11599, 'U3', 'C9')];
    expect(Array.from(p.transform(later).data)).toEqual([1, 0, 1, 1]);
    expect(Array.from(loaded.transform(later).data)).toEqual([1, 0, 1, 1]);
    expect(p.columns[0]).toMatchObject({ name: 'user→repo:first_seen_3600s', fields: ['user', 'repo'] });
    expect(p.reason(0, ev(8000, 'U3', 'C9'))).toBe('repo C9 first seen for user U3 (in the last hour)');
    expect(() => new FeaturePipeline<Ev>({ blocks: [{ ...spec, within: 0 }] })).toThrow(
      /within must be a positive number/,
    );
    expect(() => new FeaturePipeline<Ev>({ blocks: [{ ...spec, within: Number.NaN }] })).toThrow(/within/);
  });

  it('first-seen with baseline flags a pair only once its first field has been seen that long', () => {
    const spec = { type: 'firstSeen', fields: ['user', 'host'], within: 3600, baseline: 86400 } as const;
    const p = new FeaturePipeline<Ev>({ labels: { host: 'repo' }, blocks: [spec] });
    const X = p.fitTransform([
      ev(0, 'U1', 'C1'), // U1's first day: its learning period
      ev(86399, 'U1', 'C2'),
      ev(86400, 'U1', 'C3'), // a day after U1's first event: new, and for the hour after
      ev(89999, 'U1', 'C3'),
      ev(90000, 'U2', 'C3'), // U2 is new itself
    ]);
    expect(Array.from(X.data)).toEqual([0, 0, 1, 1, 0]);
    expect(p.columns[0]).toMatchObject({ name: 'user→repo:first_seen_3600s_baseline_86400s' });
    const loaded = FeaturePipeline.fromJSON<Ev>(JSON.parse(JSON.stringify(p.toJSON())));
    const later = [
      ev(176400, 'U2', 'C3'),
      ev(176401, 'U2', 'C4'),
      ev(176402, 'U1', 'C2'),
      ev(176403, 'U9', 'C1'),
    ];
    expect(Array.from(p.transform(later).data)).toEqual([0, 1, 0, 0]);
    expect(Array.from(loaded.transform(later).data)).toEqual([0, 1, 0, 0]);
    // One field: the stream's own learning period.
    const q = new FeaturePipeline<Ev>({ blocks: [{ type: 'firstSeen', fields: ['host'], baseline: 10 }] });
    expect(
      Array.from(q.fitTransform([ev(0, 'U1', 'C1'), ev(9, 'U1', 'C2'), ev(10, 'U1', 'C3')]).data),
    ).toEqual([0, 0, 1]);
    expect(() => new FeaturePipeline<Ev>({ blocks: [{ ...spec, baseline: 0 }] })).toThrow(
      /baseline must be a positive number/,
    );
    const json = JSON.parse(JSON.stringify(p.toJSON()));
    json.state.blocks[0].baselineK1 = 'x';
    expect(() => FeaturePipeline.fromJSON(json)).toThrow(/firstSeen baselineK1 must be an array/);
  });

  it('loads a pipeline saved before baseline existed and continues it unchanged', () => {
    const spec = { type: 'firstSeen', fields: ['user', 'host'], within: 3600 } as const;
    const p = new FeaturePipeline<Ev>({ blocks: [spec] });
    p.fit([ev(0, 'U1', 'C1'), ev(10, 'U2', 'C1')]);
    const saved = JSON.parse(JSON.stringify(p.toJSON()));
    // What such a file holds: no baseline in the block's config, no baseline arrays in its state.
    expect(saved.config.blocks[0]).toEqual(spec);
    expect(Object.keys(saved.state.blocks[0]).sort()).toEqual(['first', 'k1', 'k2', 'times']);
    const later = [ev(20, 'U1', 'C1'), ev(5000, 'U3', 'C2')];
    expect(Array.from(FeaturePipeline.fromJSON<Ev>(saved).transform(later).data)).toEqual([1, 1]);
  });

  it('rarity is the smoothed −log conditional frequency from training', () => {
    const p = new FeaturePipeline<Ev>({
      blocks: [
        { type: 'rarity', fields: ['user', 'host'] },
        { type: 'rarity', fields: ['host'] },
      ],
    });
    p.fit([ev(0, 'U1', 'A'), ev(1, 'U1', 'A'), ev(2, 'U1', 'A'), ev(3, 'U1', 'B'), ev(4, 'U2', 'B')]);
    const X = p.transform([ev(5, 'U1', 'A'), ev(6, 'U1', 'Z'), ev(7, 'U9', 'Z')]);
    // K_host = 2 distinct hosts, α = 1: −log((3+1)/(4+3)), −log(1/7), −log(1/3).
    expect(X.get(0, 0)).toBeCloseTo(-Math.log(4 / 7), 12);
    expect(X.get(1, 0)).toBeCloseTo(-Math.log(1 / 7), 12);
    expect(X.get(2, 0)).toBeCloseTo(-Math.log(1 / 3), 12);
    expect(X.get(0, 1)).toBeCloseTo(-Math.log(4 / 8), 12);
  });

  it('sliding windows count events and distinct values of an entity', () => {
    const p = new FeaturePipeline<Ev>({
      blocks: [{ type: 'window', entity: 'user', window: 60, distinct: 'host' }],
    });
    p.fit([ev(0, 'x', 'h')]);
    const X = p.transform([
      ev(100, 'U', 'a'),
      ev(110, 'U', 'b'),
      ev(120, 'U', 'a'),
      ev(150, 'V', 'a'),
      ev(165, 'U', 'c'),
      ev(500, 'U', 'a'),
    ]);
    const counts = [0, 1, 2, 4, 5].map((i) => Math.round(Math.expm1(X.get(i, 0))));
    const distinct = [0, 1, 2, 4, 5].map((i) => Math.round(Math.expm1(X.get(i, 1))));
    // At 165 the window is (105, 165]: the event at 100 has left it; at 500 only the event itself is left.
    expect(counts).toEqual([1, 2, 3, 3, 1]);
    expect(distinct).toEqual([1, 2, 2, 3, 1]);
  });

  it('failure ratio, decayed rate and gap regularity follow the stream', () => {
    const p = new FeaturePipeline<Ev>({
      blocks: [
        { type: 'failureRatio', entity: 'user', outcome: 'ok', halfLife: 1e9 },
        { type: 'decay', entity: 'user', halfLife: 10 },
        { type: 'gaps', entity: 'user', minGaps: 3 },
      ],
    });
    p.fit([ev(0, 'x', 'h')]);
    const regular = [0, 60, 120, 180, 240, 300].map((t) => ev(1000 + t, 'bot', 'h', t % 120 === 0));
    const X = p.transform(regular);
    expect(X.get(5, col(p, 'user:failure_ratio'))).toBeCloseTo(3 / 6, 6);
    expect(X.get(1, col(p, 'user:failure_ratio'))).toBeCloseTo(1 / 2, 6);
    expect(X.get(5, col(p, 'user:gap_cv'))).toBe(0);
    expect(X.get(5, col(p, 'user:gap_mad'))).toBe(0);
    expect(X.get(1, col(p, 'user:gap_cv'))).toBe(1); // neutral before minGaps gaps
    const irregular = [0, 1, 50, 52, 400, 401].map((t) => ev(5000 + t, 'human', 'h'));
    const Y = p.transform(irregular);
    expect(Y.get(5, col(p, 'user:gap_cv'))).toBeGreaterThan(1);
    // Decayed rate: two events 10 s apart with a 10 s half-life → 1 + 0.5.
    const Z = p.transform([ev(9000, 'r', 'h'), ev(9010, 'r', 'h')]);
    expect(Z.get(1, col(p, 'user:rate_10s'))).toBeCloseTo(Math.log1p(1.5), 12);
  });

  it('bounds state with LRU eviction and counts evictions', () => {
    const p = new FeaturePipeline<Ev>({ maxEntities: 10, blocks: [{ type: 'firstSeen', fields: ['user'] }] });
    p.fit([ev(0, 'u0', 'h')]);
    const events = Array.from({ length: 100 }, (_, i) => ev(i + 1, `u${i}`, 'h'));
    p.transform(events);
    const st = p.stateStats();
    expect(st.entities).toBeLessThanOrEqual(10);
    expect(st.evictions).toBeGreaterThanOrEqual(90);
    // A recently seen user survives; an evicted one counts as first seen again.
    expect(Array.from(p.transform([ev(200, 'u99', 'h'), ev(201, 'u1', 'h')]).data)).toEqual([0, 1]);
  });

  it('batch transform equals streaming transformOne and processes events in time order', () => {
    const train = [ev(0, 'a', 'h1', true), ev(5, 'b', 'h2', false), ev(9, 'a', 'h2', true)];
    const test = [ev(30, 'a', 'h3'), ev(12, 'b', 'h1', false), ev(40, 'c', 'h1'), ev(20, 'a', 'h3')];
    const mk = (): FeaturePipeline<Ev> =>
      new FeaturePipeline<Ev>({
        blocks: [
          { type: 'firstSeen', fields: ['user', 'host'] },
          { type: 'window', entity: 'user', window: 'hour', distinct: 'host' },
          { type: 'failureRatio', entity: 'user', outcome: 'ok' },
        ],
      });
    const a = mk();
    a.fit(train);
    const X = a.transform(test);
    const b = mk();
    b.fit(train);
    const order = [1, 3, 0, 2];
    for (const i of order) expect(Array.from(b.transformOne(test[i] as Ev))).toEqual(Array.from(X.row(i)));
    expect(X.get(3, 0)).toBe(1); // (a, h3) at t=20 comes before t=30
    expect(X.get(0, 0)).toBe(0);
  });
});

describe('FeaturePipeline lifecycle and persistence', () => {
  it('throws NotFittedError before fit and checks its input', () => {
    const p = new FeaturePipeline<Ev>({ blocks: [{ type: 'cyclic' }] });
    expect(() => p.columns).toThrow(NotFittedError);
    expect(() => p.transform([])).toThrow(NotFittedError);
    expect(() => p.fit([])).toThrow(ValueError);
    expect(() => p.fit([{ time: Number.NaN, user: 'a', host: 'h', ok: true }])).toThrow(
      /event 0 has no finite time/,
    );
    p.fit([ev(0, 'a', 'h')]);
    expect(() => p.transformOne(ev(1, 'a', 'h'), new Float64Array(2))).toThrow(/wrong length/);
  });

  it('fits in passes (startFit, observe in chunks, finishFit, transform) exactly as fitTransform', () => {
    const auth = (i: number) => ({
      format: 'lanl' as const,
      line: i + 1,
      time: 600 * i + (i % 7),
      user: `U${(i * 7) % 13}`,
      srcUser: `U${(i * 7) % 13}`,
      srcHost: `C${i % 5}`,
      dstHost: `C${(i * 3) % 17}`,
      authType: i % 4 === 0 ? 'NTLM' : 'Kerberos',
      logonType: 'Network',
      action: 'LogOn',
      success: i % 11 !== 0,
    });
    const events = Array.from({ length: 400 }, (_, i) => auth(i));
    const whole = authFeaturizer({ seed: 3 });
    const X = whole.fitTransform(events);
    for (const chunk of [1, 37, 400]) {
      const p = authFeaturizer({ seed: 3 });
      p.startFit();
      for (let i = 0; i < events.length; i += chunk) p.observe(events.slice(i, i + chunk));
      p.finishFit();
      const rows: number[] = [];
      for (let i = 0; i < events.length; i += chunk)
        rows.push(...p.transform(events.slice(i, i + chunk)).data);
      p.resetStream();
      expect(Float64Array.from(rows)).toEqual(X.data);
      expect(p.toJSON()).toEqual(whole.toJSON());
    }
    const p = authFeaturizer({ seed: 3 });
    expect(() => p.observe(events)).toThrow(/no fit in passes is under way/);
    p.startFit();
    expect(() => p.finishFit()).toThrow(/no training events/);
    expect(() => p.observe([{ ...auth(0), time: Number.NaN }])).toThrow(/event 0 has no finite time/);
  });

  it('rejects bad configurations with clear messages', () => {
    expect(() => new FeaturePipeline({ blocks: [] })).toThrow(ParameterError);
    expect(() => new FeaturePipeline({ blocks: [{ type: 'hash', field: 'u', width: 0 }] })).toThrow(
      /blocks\[0\].*width must be an integer in \[1, 4096\]/,
    );
    // @ts-expect-error: unknown block type
    expect(() => new FeaturePipeline({ blocks: [{ type: 'magic' }] })).toThrow(/unknown block type/);
    expect(() => new FeaturePipeline({ blocks: [{ type: 'window', entity: 'u', window: -1 }] })).toThrow(
      /window must be/,
    );
    expect(() => new FeaturePipeline({ blocks: [{ type: 'onehot', field: '__proto__' }] })).toThrow(
      /reserved/,
    );
  });

  it('round-trips through JSON and rejects hostile or corrupt saves', () => {
    const f = authFeaturizer({ seed: 5 });
    const auth = (t: number, u: string, s: string, d: string, ok: boolean) => ({
      format: 'lanl' as const,
      line: 1,
      time: t,
      user: u,
      srcUser: u,
      srcHost: s,
      dstHost: d,
      authType: 'NTLM',
      logonType: 'Network',
      action: 'LogOn',
      success: ok,
    });
    const train = Array.from({ length: 60 }, (_, i) =>
      auth(i * 7, `U${i % 5}`, `C${i % 3}`, `C${i % 7}`, i % 9 !== 0),
    );
    const test = Array.from({ length: 30 }, (_, i) =>
      auth(1000 + i * 3, `U${i % 6}`, `C${i % 4}`, `C${i % 8}`, i % 4 !== 0),
    );
    f.fit(train);
    const json = JSON.parse(JSON.stringify(f.toJSON()));
    expect(json).toMatchObject({ kind: 'ebm-features/pipeline', version: 1 });
    const g = FeaturePipeline.fromJSON<(typeof train)[number]>(json);
    expect(g.featureNames).toEqual(f.featureNames);
    expect(Array.from(g.transform(test).data)).toEqual(Array.from(f.transform(test).data));
    expect(() => FeaturePipeline.fromJSON({ ...json, kind: 'other' })).toThrow(ModelFormatError);
    expect(() => FeaturePipeline.fromJSON({ ...json, version: 99 })).toThrow(/unsupported version/);
    const hostile = JSON.parse(JSON.stringify(json).replace('"kind"', '"__proto__":{"x":1},"kind"'));
    expect(() => FeaturePipeline.fromJSON(hostile)).toThrow(/forbidden key/);
    const bad = structuredClone(json);
    bad.state.blocks[6].k1 = 'nope';
    expect(() => FeaturePipeline.fromJSON(bad)).toThrow(/state.blocks\[6\]/);
    const tooMany = structuredClone(json);
    tooMany.config.maxEntities = 2;
    expect(() => FeaturePipeline.fromJSON(tooMany)).toThrow(ModelFormatError);
    expect(() => FeaturePipeline.fromJSON(null)).toThrow(ModelFormatError);
    // an option this version does not know (a later version's, or misspelt) is refused, not ignored
    const later = structuredClone(json);
    later.config.blocks[6].lookback = 86_400;
    expect(() => FeaturePipeline.fromJSON(later)).toThrow(
      /blocks\[6\]: unknown option "lookback" \(expected one of .*got "lookback"\)/,
    );
    const laterConfig = structuredClone(json);
    laterConfig.config.driftWindow = 7;
    expect(() => FeaturePipeline.fromJSON(laterConfig)).toThrow(/unknown option "driftWindow"/);
  });

  it('refuses an option a block type does not have, for every block type', () => {
    const specs = [
      { type: 'numeric', field: 'f' },
      { type: 'onehot', field: 'f' },
      { type: 'hash', field: 'f' },
      { type: 'cyclic' },
      { type: 'firstSeen', fields: ['a', 'b'] },
      { type: 'newItems', entity: 'a', field: 'b' },
      { type: 'rarity', fields: ['a'] },
      { type: 'window', entity: 'a', window: 'hour' },
      { type: 'failureRatio', entity: 'a' },
      { type: 'gaps', entity: 'a' },
      { type: 'decay', entity: 'a' },
      { type: 'temporalProfile', entity: 'a' },
      { type: 'peers', fields: ['a', 'b'] },
    ] as const;
    for (const spec of specs) {
      expect(() => new FeaturePipeline({ blocks: [spec] })).not.toThrow();
      // 'within' belongs to firstSeen only; 'halfLife' is firstSeen's misspelling elsewhere
      const extra = spec.type === 'firstSeen' ? 'halfLife' : 'within';
      expect(() => new FeaturePipeline({ blocks: [{ ...spec, [extra]: 1 } as never] })).toThrow(
        new RegExp(`blocks\\[0\\]: unknown option "${extra}"`),
      );
    }
  });
});
