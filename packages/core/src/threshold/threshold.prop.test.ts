import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confusionAt } from '../eval/confusionAt.js';
import { Rng } from '../random/Rng.js';
import { evtThreshold } from './evtThreshold.js';
import { thresholdBestF1 } from './thresholdBestF1.js';
import { thresholdForFpr } from './thresholdForFpr.js';
import { thresholdFromContamination } from './thresholdFromContamination.js';

const countAbove = (x: ArrayLike<number>, t: number): number => {
  let c = 0;
  for (let i = 0; i < x.length; i++) if ((x[i] as number) > t) c++;
  return c;
};

describe('threshold properties', () => {
  it('the contamination threshold flags rate·n training samples, give or take one (no ties)', () => {
    fc.assert(
      fc.property(
        // SameValueZero: 0 and -0 are a tie (the default SameValue let both in, and the bound failed on them)
        fc.uniqueArray(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
          minLength: 1,
          maxLength: 400,
          comparator: 'SameValueZero',
        }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (x, rate) => {
          const t = thresholdFromContamination(x, rate);
          expect(Math.abs(countAbove(x, t) - rate * x.length)).toBeLessThanOrEqual(1 + 1e-9);
        },
      ),
      {
        numRuns: 200,
        examples: [
          [[-0, -2e-323, -5e-324, -1e-323, -1.5e-323], 0.1666666668333334], // subnormal energies
          // adjacent doubles: the interpolated quantile rounded up onto the upper one and flagged 2 of 4 for 3.000000001
          [[-999999.9999999988, -5e-324, -999999.9999999987, 0], 0.7500000002500001],
        ],
      },
    );
  });
  it('thresholdForFpr keeps the false-positive rate ≤ target and cannot be lowered to the next energy', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (x, target) => {
          const t = thresholdForFpr(x, target);
          const flagged = countAbove(x, t);
          expect(flagged / x.length).toBeLessThanOrEqual(target);
          // When something is flagged, ≥ and > agree on the validation data (t lies between two energies);
          // when nothing may be flagged, t is the maximum energy.
          if (flagged > 0) expect(x.filter((v) => v >= t).length).toBe(flagged);
          else expect(t).toBe(Math.max(...x));
          // Lowering the threshold to the next lower energy would exceed the target.
          const below = x.filter((v) => v <= t);
          if (below.length > 0) {
            const next = Math.max(...below);
            expect(countAbove(x, next - 0.5) / x.length).toBeGreaterThan(target);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
  it('thresholdBestF1 reaches the best F1 of any cut, under both > and ≥', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.tuple(fc.constantFrom(0, 1), fc.integer({ min: -5, max: 5 })), {
            minLength: 2,
            maxLength: 60,
          })
          .filter((a) => a.some(([l]) => l === 1) && a.some(([l]) => l === 0)),
        (a) => {
          const labels = a.map(([l]) => l);
          const scores = a.map(([, s]) => s);
          const best = thresholdBestF1(labels, scores);
          let bruteBest = 0;
          for (const v of new Set(scores)) bruteBest = Math.max(bruteBest, confusionAt(labels, scores, v).f1);
          expect(best.f1).toBeCloseTo(bruteBest, 12);
          expect(confusionAt(labels, scores, best.threshold).f1).toBeCloseTo(bruteBest, 12);
          const strict = scores.map((s) => (s > best.threshold ? 1 : 0));
          const inclusive = scores.map((s) => (s >= best.threshold ? 1 : 0));
          expect(strict).toEqual(inclusive);
        },
      ),
      { numRuns: 150 },
    );
  });
  it('the EVT threshold has a false-alarm rate near its target on fresh samples of known tails', () => {
    const tails: Record<string, (r: Rng) => number> = {
      exponential: (r) => -Math.log(1 - r.uniform()),
      gaussian: (r) => r.normal(),
      'student-t(3)': (r) => {
        const z = r.normal();
        let chi2 = 0;
        for (let k = 0; k < 3; k++) {
          const g = r.normal();
          chi2 += g * g;
        }
        return z / Math.sqrt(chi2 / 3);
      },
      'pareto(2)': (r) => (1 - r.uniform()) ** -0.5,
    };
    const risk = 1e-3;
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(tails)), fc.integer({ min: 0, max: 1e9 }), (name, seed) => {
        const draw = tails[name] as (r: Rng) => number;
        const rng = new Rng(seed);
        const train = new Float64Array(100_000);
        for (let i = 0; i < train.length; i++) train[i] = draw(rng);
        const { threshold } = evtThreshold(train, { risk });
        const fresh = 200_000;
        let alarms = 0;
        for (let i = 0; i < fresh; i++) if (draw(rng) > threshold) alarms++;
        const far = alarms / fresh;
        // Across 160 seeds tried while writing this test the ratio far/risk stayed within [0.70, 1.31].
        expect(far).toBeGreaterThan(risk / 2);
        expect(far).toBeLessThan(risk * 2);
      }),
      { numRuns: 8 },
    );
  });
});
