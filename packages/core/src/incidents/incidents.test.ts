import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParameterError, ValueError } from '../errors.js';
import { fisherCombined } from './fisher.js';
import { type Incident, type IncidentEvent, IncidentTracker } from './IncidentTracker.js';
import { incidentNovelty } from './novelty.js';

/** Numerical P(χ²₂ₖ ≥ x) by integrating the density (a brute-force check of the closed form). */
function chiSquareTail(x: number, k: number): number {
  // Density of χ²₂ₖ: t^(k−1) e^(−t/2) / (2^k (k−1)!).
  let logNorm = k * Math.log(2);
  for (let j = 2; j < k; j++) logNorm += Math.log(j);
  // t^0 = 1 also at t = 0 (0 · ln 0 would be NaN: the statistic of p-values all 1 is 0)
  const f = (t: number): number => Math.exp((k === 1 ? 0 : (k - 1) * Math.log(t)) - t / 2 - logNorm);
  const hi = x + 200 + 20 * k;
  const n = 20000;
  const h = (hi - x) / n;
  let s = f(x) + f(hi);
  for (let i = 1; i < n; i++) s += (i % 2 === 0 ? 2 : 4) * f(x + i * h);
  return (s * h) / 3;
}

describe('fisherCombined', () => {
  it('is the χ² tail of −2 Σ ln p with 2k degrees of freedom', () => {
    expect(Math.exp(fisherCombined([0.01]).logP)).toBeCloseTo(0.01, 12);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-6, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (ps) => {
          const { statistic, logP } = fisherCombined(ps);
          const want = chiSquareTail(statistic, ps.length);
          expect(Math.exp(logP)).toBeCloseTo(want, 6);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('stays finite for hundreds of tiny p-values and checks its input', () => {
    const { logP } = fisherCombined(new Array(500).fill(1e-5));
    expect(Number.isFinite(logP)).toBe(true);
    expect(logP).toBeLessThan(-3000);
    expect(() => fisherCombined([])).toThrow(ValueError);
    expect(() => fisherCombined([0])).toThrow(/p-value 0 is out of range/);
    expect(() => fisherCombined([Number.NaN])).toThrow(ValueError);
  });
});

const ev = (index: number, time: number, keys: string[], pValue = 0.001, energy = 10): IncidentEvent => ({
  index,
  time,
  keys,
  pValue,
  energy,
});

describe('IncidentTracker', () => {
  it('links events sharing a value within the window, joining the oldest incident they reach', () => {
    const t = new IncidentTracker({ window: 100 });
    t.add(ev(0, 0, ['user=a']));
    t.add(ev(1, 50, ['user=a', 'src=h1']));
    t.add(ev(2, 120, ['user=b', 'src=h2'])); // new incident
    t.add(ev(3, 140, ['user=c', 'src=h1'])); // joins the first via src=h1
    t.add(ev(4, 160, ['user=b', 'src=h1'])); // reaches both: joins the oldest, no merge
    t.add(ev(5, 170, ['user=b'])); // user=b still leads to the second
    t.add(ev(6, 500, ['user=a'])); // too late: a new incident
    t.add(ev(7, 510, [])); // no keys: its own incident
    const out = t.flush();
    expect(out.map((i) => [i.id, i.count, i.events])).toEqual([
      [0, 4, [0, 1, 3, 4]],
      [1, 2, [2, 5]],
      [2, 1, [6]],
      [3, 1, [7]],
    ]);
    expect(out[0]?.keys).toEqual(['src=h1', 'user=a', 'user=b', 'user=c']);
    expect(out[0]).toMatchObject({ start: 0, end: 160, maxEnergy: 10, minPValue: 0.001 });
    // No history yet: novelty of 0 earlier incidents over 0 days.
    expect(out[0]?.score).toBeCloseTo(
      -fisherCombined([0.001, 0.001, 0.001, 0.001]).logP / Math.LN10 + incidentNovelty(0, 0),
      10,
    );
    // user=a had one incident when event 6 opened the third; user=b's second incident is its first.
    expect(out.map((i) => i.earlier)).toEqual([0, 0, 1, 0]);
    expect(out[2]?.novelty).toBeCloseTo(incidentNovelty(1, 500 / 86400), 12);
  });

  it('ranks an entity flagged every day below a quiet one with the same events (novelty)', () => {
    const day = 86400;
    const t = new IncidentTracker({ window: 3600 });
    // svc is flagged every day for five days; u1 once, on day 5, with the same p-values.
    for (let d = 0; d < 5; d++) t.add(ev(d, d * day, ['user=svc']));
    t.add(ev(5, 5 * day, ['user=svc']));
    t.add(ev(6, 5 * day + 10, ['user=u1']));
    const out = t.flush();
    const svc = out.find((i) => i.events.includes(5)) as Incident;
    const u1 = out.find((i) => i.events.includes(6)) as Incident;
    expect(svc.earlier).toBe(5);
    expect(u1.earlier).toBe(0);
    expect(svc.novelty).toBeCloseTo(incidentNovelty(5, 5), 12);
    expect(u1.novelty).toBeCloseTo(incidentNovelty(0, 5 + 10 / day), 12);
    expect(u1.score).toBeGreaterThan(svc.score);
    expect(u1.logPValue).toBe(svc.logPValue);
  });

  it('forgets the least recently linked values past maxHistory', () => {
    const t = new IncidentTracker({ window: 10, maxHistory: 1 });
    t.add(ev(0, 0, ['user=a']));
    t.add(ev(1, 100, ['user=b'])); // a is forgotten
    t.add(ev(2, 200, ['user=a']));
    t.add(ev(3, 300, ['user=a']));
    expect(t.flush().map((i) => i.earlier)).toEqual([0, 0, 0, 1]);
    const none = new IncidentTracker({ window: 10, maxHistory: 0 });
    none.add(ev(0, 0, ['user=a']));
    none.add(ev(1, 100, ['user=a']));
    expect(none.flush().map((i) => i.earlier)).toEqual([0, 0]);
  });

  it('bounds the span of an incident', () => {
    const t = new IncidentTracker({ window: 100, maxSpan: 150 });
    for (let i = 0; i < 5; i++) t.add(ev(i, i * 60, ['user=a']));
    expect(t.flush().map((i) => i.events)).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  it('gives the same incidents however the stream is cut between closeBefore calls (property)', () => {
    const arb = fc.array(
      fc.record({
        // Mostly within the window, now and then a day or two later (the novelty term counts days).
        dt: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 200000 })),
        keys: fc.subarray(['user=a', 'user=b', 'src=x', 'src=y']),
        p: fc.double({ min: 1e-4, max: 0.01, noNaN: true }),
      }),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(
        arb,
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 10 }),
        (steps, cuts) => {
          let time = 0;
          const events = steps.map((s, i) => {
            time += s.dt;
            return ev(i, time, s.keys, s.p, i);
          });
          const whole = new IncidentTracker({ window: 200, maxSpan: 1000 });
          for (const e of events) whole.add(e);
          const want = whole.flush();
          const chunked = new IncidentTracker({ window: 200, maxSpan: 1000 });
          const got = [];
          let i = 0;
          let c = 0;
          while (i < events.length) {
            const n = cuts[c++ % cuts.length] as number;
            for (const e of events.slice(i, i + n)) chunked.add(e);
            i += n;
            got.push(...chunked.closeBefore((events[Math.min(i, events.length) - 1] as IncidentEvent).time));
          }
          got.push(...chunked.flush());
          expect(got).toEqual(want);
          // The score, replayed from the incidents alone: Fisher plus the novelty of the opening event's
          // fewest earlier incidents (a value counts an incident from the first event that brings it).
          const firstWith = new Map<string, number[]>();
          for (const inc of want) {
            const seen = new Set<string>();
            for (const i of inc.events)
              for (const k of (events[i] as IncidentEvent).keys)
                if (!seen.has(k)) {
                  seen.add(k);
                  firstWith.set(k, [...(firstWith.get(k) ?? []), i]);
                }
          }
          const t0 = (events[0] as IncidentEvent).time;
          for (const inc of want) {
            const open = Math.min(...inc.events);
            const first = events[open] as IncidentEvent;
            const earlier =
              first.keys.length === 0
                ? 0
                : Math.min(...first.keys.map((k) => (firstWith.get(k) ?? []).filter((i) => i < open).length));
            expect(inc.earlier).toBe(earlier);
            const fisher = -fisherCombined(inc.events.map((i) => (events[i] as IncidentEvent).pValue)).logP;
            const want = fisher / Math.LN10 + incidentNovelty(earlier, (first.time - t0) / 86400);
            expect(inc.score).toBeCloseTo(want, 9);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('checks its options and events', () => {
    expect(() => new IncidentTracker({ window: -1 })).toThrow(ParameterError);
    expect(() => new IncidentTracker({ maxEvents: 1.5 })).toThrow(/maxEvents must be an integer/);
    expect(() => new IncidentTracker({ maxHistory: -1 })).toThrow(ParameterError);
    expect(() => new IncidentTracker({ maxHistory: 2.5 })).toThrow(/maxHistory must be an integer/);
    const t = new IncidentTracker();
    expect(() => t.add(ev(0, Number.NaN, []))).toThrow(/time must be a finite number/);
    expect(() => t.add(ev(0, 1, [], 0))).toThrow(/pValue is out of range/);
    expect(() => t.add({ index: 0, time: 1, keys: 'a' as never, pValue: 0.5, energy: 1 })).toThrow(
      /keys must be an array/,
    );
  });
});

describe('incidentNovelty', () => {
  it("is −log₁₀ P(at least one incident a day) at the entity's smoothed rate, and checks its input", () => {
    expect(incidentNovelty(0, 0)).toBeCloseTo(-Math.log10(1 - Math.exp(-0.5)), 12);
    expect(incidentNovelty(12, 3)).toBeCloseTo(-Math.log10(1 - Math.exp(-12.5 / 4)), 12);
    // Fewer earlier incidents or a longer history: more surprising.
    fc.assert(
      fc.property(fc.nat(20), fc.double({ min: 0, max: 60, noNaN: true }), (c, d) => {
        expect(incidentNovelty(c, d)).toBeGreaterThan(incidentNovelty(c + 1, d));
        expect(incidentNovelty(c, d + 1)).toBeGreaterThan(incidentNovelty(c, d));
        expect(incidentNovelty(c, d)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 50 },
    );
    expect(() => incidentNovelty(-1, 0)).toThrow(/earlier must be a count/);
    expect(() => incidentNovelty(0, Number.NaN)).toThrow(ValueError);
  });
});
