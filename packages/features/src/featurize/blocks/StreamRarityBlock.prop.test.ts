import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeaturePipeline } from '../FeaturePipeline.js';

interface Ev {
  time: number;
  user: string;
  ip: string;
}

const event: fc.Arbitrary<Ev> = fc.record({
  time: fc.integer({ min: 0, max: 1000 }),
  user: fc.constantFrom('a', 'b', 'c'),
  ip: fc.constantFrom('x', 'y', 'z', 'w'),
});

const pipeline = (fields: ['user', 'ip'] | ['ip'], alpha: number, maxEntities = 100) =>
  new FeaturePipeline<Ev>({ blocks: [{ type: 'rarity', fields, alpha, stream: true }], maxEntities });

function sorted(xs: Ev[]): [Ev, number][] {
  return xs.map((e, i) => [e, i] as [Ev, number]).sort((x, y) => x[0].time - y[0].time || x[1] - y[1]);
}

/** The documented formula, event by event over the whole stream (training, then scoring). */
function bruteForce(train: Ev[], test: Ev[], pair: boolean, alpha: number): number[] {
  const seen: Ev[] = [];
  const rows = (xs: Ev[]): number[] => {
    const out = new Array<number>(xs.length);
    for (const [e, i] of sorted(xs)) {
      if (pair) {
        const mine = seen.filter((s) => s.user === e.user);
        const c = mine.filter((s) => s.ip === e.ip).length;
        const k = new Set(mine.map((s) => s.ip)).size;
        out[i] = -Math.log((c + alpha) / (mine.length + alpha * (k + 1)));
      } else {
        const c = seen.filter((s) => s.ip === e.ip).length;
        const k = new Set(seen.map((s) => s.ip)).size;
        out[i] = -Math.log((c + alpha) / (seen.length + alpha * (k + 1)));
      }
      seen.push(e);
    }
    return out;
  };
  return [...rows(train), ...rows(test)];
}

describe('rarity in the stream (properties)', () => {
  it('equals a brute-force count over the events so far, for pairs and single fields', () => {
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 12 }),
        fc.array(event, { maxLength: 10 }),
        fc.boolean(),
        fc.double({ min: 0.2, max: 3, noNaN: true }),
        (train, test, pair, alpha) => {
          const p = pipeline(pair ? ['user', 'ip'] : ['ip'], alpha);
          const got = [...p.fitTransform(train).toArray(), ...p.transform(test).toArray()].map((r) => r[0]);
          const want = bruteForce(train, test, pair, alpha);
          got.forEach((v, i) => {
            expect(v).toBeCloseTo(want[i] as number, 10);
          });
        },
      ),
      { numRuns: 80 },
    );
  });

  it('does not depend on chunking and continues identically after save → load', () => {
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 15 }),
        fc.array(event, { minLength: 1, maxLength: 15 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        (train, raw, chunk, maxEntities) => {
          const test = raw.slice().sort((a, b) => a.time - b.time);
          const p = pipeline(['user', 'ip'], 1, maxEntities);
          p.fit(train);
          const saved = JSON.stringify(p.toJSON());
          const whole = p.transform(test).toArray();
          const q = FeaturePipeline.fromJSON<Ev>(JSON.parse(saved));
          const parts: number[][] = [];
          for (let i = 0; i < test.length; i += chunk)
            parts.push(...q.transform(test.slice(i, i + chunk)).toArray());
          expect(parts).toEqual(whole);
          const next = { time: 2000, user: 'a', ip: 'x' };
          const r = FeaturePipeline.fromJSON<Ev>(JSON.parse(JSON.stringify(q.toJSON())));
          expect(Array.from(r.transformOne(next))).toEqual(Array.from(q.transformOne(next)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('makes a new value rare at first and usual as it keeps coming back, and explains itself', () => {
    const p = pipeline(['user', 'ip'], 1);
    const train: Ev[] = Array.from({ length: 50 }, (_, i) => ({ time: i, user: 'a', ip: 'office' }));
    p.fit(train);
    expect(p.featureNames).toEqual(['user→ip:recent_rarity']);
    const X = p.transform(Array.from({ length: 20 }, (_, i) => ({ time: 100 + i, user: 'a', ip: 'hotel' })));
    expect(X.get(0, 0)).toBeGreaterThan(3.5);
    expect(X.get(19, 0)).toBeLessThan(1.5);
    for (let i = 1; i < 20; i++) expect(X.get(i, 0)).toBeLessThan(X.get(i - 1, 0));
    expect(p.reason(0, { time: 0, user: 'a', ip: 'hotel' })).toBe(
      'ip hotel is new or rare so far for user a',
    );
    expect(
      () => new FeaturePipeline({ blocks: [{ type: 'rarity', fields: ['a'], stream: 1 as never }] }),
    ).toThrow(/stream must be a boolean/);
  });
});
