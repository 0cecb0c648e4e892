import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeaturePipeline } from '../FeaturePipeline.js';

interface Ev {
  time: number;
  user: string;
}

const event: fc.Arbitrary<Ev> = fc.record({
  time: fc.integer({ min: 0, max: 30 * 86400 }),
  user: fc.constantFrom('a', 'b', 'c'),
});

const config = (prior: number) => ({
  blocks: [{ type: 'temporalProfile' as const, entity: 'user', prior }],
});

/** The cell (hour + 24 on weekends) of a UTC time, computed with Date. */
function cellOf(t: number): number {
  const d = new Date(t * 1000);
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
  return (weekend ? 24 : 0) + d.getUTCHours();
}

/** Brute force: the module description's formula, entity by entity, event by event. */
function bruteForce(train: Ev[], test: Ev[], prior: number): number[][] {
  const sorted = (xs: Ev[]) =>
    xs.map((e, i) => [e, i] as const).sort((x, y) => x[0].time - y[0].time || x[1] - y[1]);
  // Population: mean of the entities' normalised profiles plus one uniform pseudo-entity.
  const per = new Map<string, number[]>();
  for (const e of train) {
    const c = per.get(e.user) ?? new Array<number>(48).fill(0);
    const cell = cellOf(e.time);
    c[cell] = c[cell]! + 1;
    per.set(e.user, c);
  }
  const pop = new Array<number>(48).fill(1 / 48);
  for (const c of per.values()) {
    const n = c.reduce((a, b) => a + b, 0);
    for (let k = 0; k < 48; k++) pop[k] = pop[k]! + c[k]! / n;
  }
  for (let k = 0; k < 48; k++) pop[k] = pop[k]! / (per.size + 1);
  const spreadOf = (c: number[], cell: number, hourOnly: boolean): number => {
    const h = cell % 24;
    const at = (hh: number): number => {
      const k = (hh + 24) % 24;
      return hourOnly ? c[k]! + c[24 + k]! : c[cell - h + k]!;
    };
    return 0.5 * at(h) + 0.25 * (at(h - 1) + at(h + 1));
  };
  const counts = new Map<string, number[]>();
  const rows = (xs: Ev[]): number[][] => {
    const out: number[][] = new Array(xs.length);
    for (const [e, i] of sorted(xs)) {
      const c = counts.get(e.user) ?? new Array<number>(48).fill(0);
      const n = c.reduce((a, b) => a + b, 0);
      const cell = cellOf(e.time);
      out[i] = [true, false].map(
        (hourOnly) =>
          -Math.log((spreadOf(c, cell, hourOnly) + prior * spreadOf(pop, cell, hourOnly)) / (n + prior)),
      );
      c[cell] = c[cell]! + 1;
      counts.set(e.user, c);
    }
    return out;
  };
  const trainRows = rows(train);
  return [...trainRows, ...rows(test)];
}

describe('temporalProfile block (properties)', () => {
  it('equals a brute-force computation of the smoothed rarity on tiny inputs', () => {
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 12 }),
        fc.array(event, { maxLength: 8 }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        (train, test, prior) => {
          const p = new FeaturePipeline<Ev>(config(prior));
          const Xtr = p.fitTransform(train);
          const X = p.transform(test);
          const want = bruteForce(train, test, prior);
          const got = [...Xtr.toArray(), ...X.toArray()];
          expect(got.length).toBe(want.length);
          got.forEach((row, i) => {
            expect(row[0]).toBeCloseTo(want[i]![0]!, 9);
            expect(row[1]).toBeCloseTo(want[i]![1]!, 9);
          });
        },
      ),
      { numRuns: 80 },
    );
  });

  it('does not depend on how the scored events are chunked, and survives save → load', () => {
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 15 }),
        fc.array(event, { minLength: 1, maxLength: 15 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 5 }),
        (train, rawTest, chunk, maxEntities) => {
          const test = rawTest.slice().sort((a, b) => a.time - b.time);
          const make = () => new FeaturePipeline<Ev>({ ...config(10), maxEntities });
          const whole = make();
          whole.fit(train);
          const saved = JSON.parse(JSON.stringify(whole.toJSON()));
          const all = whole.transform(test).toArray();
          const chunked = FeaturePipeline.fromJSON<Ev>(saved);
          const parts: number[][] = [];
          for (let i = 0; i < test.length; i += chunk)
            parts.push(...chunked.transform(test.slice(i, i + chunk)).toArray());
          expect(parts).toEqual(all);
          // Saving again after scoring and loading gives the same continuation.
          const next = { time: 31 * 86400, user: 'a' };
          const reloaded = FeaturePipeline.fromJSON<Ev>(JSON.parse(JSON.stringify(chunked.toJSON())));
          expect(Array.from(reloaded.transformOne(next))).toEqual(Array.from(chunked.transformOne(next)));
        },
      ),
      { numRuns: 60 },
    );
  });
});
