import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consensusAgreement, memberWeights, trimmedMean } from './memberWeights.js';

const weighting = fc.constantFrom('equal' as const, 'consensus' as const, 'select' as const);
const agreements = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 9 });

/** A random permutation of 0 … k − 1 from fast-check's keys. */
function permutation(keys: readonly number[]): number[] {
  return keys
    .map((key, i) => ({ key, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map((p) => p.i);
}

describe('member weights (properties)', () => {
  it('are non-negative and sum to 1, for any agreements', () => {
    fc.assert(
      fc.property(weighting, agreements, (w, a) => {
        const ws = memberWeights(w, Float64Array.from(a));
        let s = 0;
        for (const v of ws) {
          expect(v).toBeGreaterThanOrEqual(0);
          s += v;
        }
        expect(Math.abs(s - 1)).toBeLessThan(1e-12);
      }),
      { numRuns: 200 },
    );
  });

  it('follow the members when they are permuted (agreements and weights alike)', () => {
    const members = fc.integer({ min: 2, max: 5 }).chain((k) =>
      fc.tuple(
        fc.array(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 12, maxLength: 12 }), {
          minLength: k,
          maxLength: k,
        }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: k, maxLength: k }),
      ),
    );
    fc.assert(
      fc.property(weighting, members, (w, [rows, keys]) => {
        const raw = rows.map((r) => Float64Array.from(r));
        const p = permutation(keys);
        const a = consensusAgreement(raw, raw);
        const b = consensusAgreement(
          p.map((i) => raw[i] as Float64Array),
          p.map((i) => raw[i] as Float64Array),
        );
        const wa = memberWeights(w, a);
        const wb = memberWeights(w, b);
        p.forEach((from, to) => {
          expect(b[to]).toBeCloseTo(a[from] as number, 12);
          expect(wb[to]).toBeCloseTo(wa[from] as number, 12);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('trimmedMean lies between the smallest and the largest value and ignores their order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 9 }),
        (v) => {
          const a = Float64Array.from(v);
          const t = trimmedMean(a);
          expect(t).toBeGreaterThanOrEqual(Math.min(...v) - 1e-6);
          expect(t).toBeLessThanOrEqual(Math.max(...v) + 1e-6);
          const r = Float64Array.from(v).reverse();
          expect(trimmedMean(r)).toBeCloseTo(t, 6);
        },
      ),
      { numRuns: 200 },
    );
  });
});
