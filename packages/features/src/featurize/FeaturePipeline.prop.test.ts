import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuthEvent } from '../parse/events.js';
import { FeaturePipeline } from './FeaturePipeline.js';
import { authFeaturizer } from './presets.js';

const name = fc.constantFrom('', 'U1', 'U2', 'C1', 'C2', 'C3', '?', 'ünï', '__proto__', 'a'.repeat(40));
const authEvent: fc.Arbitrary<AuthEvent> = fc.record({
  format: fc.constant('lanl' as const),
  line: fc.nat(),
  time: fc.oneof(fc.double({ min: -1e10, max: 1e10, noNaN: true }), fc.integer({ min: 0, max: 1e6 })),
  user: name,
  srcUser: name,
  srcHost: name,
  dstHost: name,
  authType: name,
  logonType: name,
  action: name,
  success: fc.boolean(),
});

describe('authFeaturizer on random events', () => {
  it('gives finite, bounded features; batch equals stream; save and load give the same rows', () => {
    fc.assert(
      fc.property(
        fc.array(authEvent, { minLength: 1, maxLength: 25 }),
        fc.array(authEvent, { maxLength: 25 }),
        fc.integer(),
        (train, test, seed) => {
          const f = authFeaturizer({ seed, maxEntities: 8 });
          const Xtr = f.fitTransform(train);
          const loaded = FeaturePipeline.fromJSON<AuthEvent>(JSON.parse(JSON.stringify(f.toJSON())));
          const X = f.transform(test);
          expect(X.cols).toBe(f.nFeatures);
          for (const v of Xtr.data) expect(Number.isFinite(v) && Math.abs(v) < 1e3).toBe(true);
          for (const v of X.data) expect(Number.isFinite(v) && Math.abs(v) < 1e3).toBe(true);
          const order = test
            .map((_, i) => i)
            .sort((a, b) => (test[a] as AuthEvent).time - (test[b] as AuthEvent).time || a - b);
          for (const i of order) {
            expect(Array.from(loaded.transformOne(test[i] as AuthEvent))).toEqual(Array.from(X.row(i)));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('gap regularity', () => {
  it('gap_cv and gap_mad match a brute-force computation over the last gaps', () => {
    const med = (v: number[]): number => {
      const s = v.slice().sort((a, b) => a - b);
      const m = s.length >> 1;
      return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
    };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 3, maxLength: 20 }), (gaps) => {
        const p = new FeaturePipeline<{ time: number; u: string }>({
          blocks: [{ type: 'gaps', entity: 'u', history: 16, minGaps: 3 }],
        });
        p.fit([{ time: 0, u: 'x' }]);
        let t = 1000;
        const evs = [{ time: t, u: 'a' }];
        for (const g of gaps) {
          t += g;
          evs.push({ time: t, u: 'a' });
        }
        const X = p.transform(evs);
        const last = gaps.slice(-16);
        const mean = last.reduce((a, b) => a + b, 0) / last.length;
        const sd = Math.sqrt(last.reduce((a, b) => a + (b - mean) ** 2, 0) / last.length);
        const m = med(last);
        const mad = med(last.map((g) => Math.abs(g - m)));
        expect(X.get(X.rows - 1, 0)).toBeCloseTo(mean > 0 ? Math.min(sd / mean, 10) : 0, 10);
        expect(X.get(X.rows - 1, 1)).toBeCloseTo(m > 0 ? Math.min(mad / m, 10) : mad > 0 ? 10 : 0, 10);
      }),
      { numRuns: 150 },
    );
  });
});

describe('first-seen within a time', () => {
  interface Ev {
    readonly time: number;
    readonly actor: string;
    readonly repo: string;
  }
  const event: fc.Arbitrary<Ev> = fc.record({
    time: fc.integer({ min: 0, max: 20000 }),
    actor: fc.constantFrom('a', 'b', 'c'),
    repo: fc.constantFrom('r1', 'r2', 'r3'),
  });
  it('is 1 iff the pair was first seen less than `within` seconds ago (and, with baseline, its actor at least `baseline` ago); save and load continue it', () => {
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 30 }),
        fc.array(event, { maxLength: 30 }),
        fc.option(fc.integer({ min: 1, max: 30000 }), { nil: undefined }),
        (a, b, baseline) => {
          const byTime = (xs: Ev[]): Ev[] => xs.slice().sort((x, y) => x.time - y.time);
          const train = byTime(a);
          const test = byTime(b).map((e) => ({ ...e, time: e.time + 20000 }));
          const p = new FeaturePipeline<Ev>({
            blocks: [
              {
                type: 'firstSeen',
                fields: ['actor', 'repo'],
                within: 3600,
                ...(baseline === undefined ? {} : { baseline }),
              },
            ],
          });
          const Xtr = p.fitTransform(train);
          const loaded = FeaturePipeline.fromJSON<Ev>(JSON.parse(JSON.stringify(p.toJSON())));
          const X = p.transform(test);
          // Brute force: the first time of each pair and of each actor, in order.
          const first = new Map<string, number>();
          const actorFirst = new Map<string, number>();
          const want = [...train, ...test].map((e) => {
            const k = `${e.actor}|${e.repo}`;
            if (!first.has(k)) first.set(k, e.time);
            if (!actorFirst.has(e.actor)) actorFirst.set(e.actor, e.time);
            const known = baseline === undefined || e.time - (actorFirst.get(e.actor) as number) >= baseline;
            return known && e.time - (first.get(k) as number) < 3600 ? 1 : 0;
          });
          expect([...Array.from(Xtr.data), ...Array.from(X.data)]).toEqual(want);
          expect(Array.from(loaded.transform(test).data)).toEqual(Array.from(X.data));
        },
      ),
      { numRuns: 60 },
    );
  });
});
