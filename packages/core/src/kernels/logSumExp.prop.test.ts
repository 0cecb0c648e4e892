import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logSumExp } from './logSumExp.js';

describe('logSumExp', () => {
  it('matches the naive formula on moderate values, with offsets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 3 }),
        (xs, off) => {
          const arr = new Float64Array(off + xs.length);
          arr.set(xs, off);
          const naive = Math.log(xs.reduce((s, v) => s + Math.exp(v), 0));
          expect(logSumExp(arr, off, xs.length)).toBeCloseTo(naive, 10);
          expect(logSumExp(xs)).toBeCloseTo(naive, 10);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is shift-equivariant and bounded by max and max + log n, even for huge values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        (xs, c) => {
          const lse = logSumExp(xs);
          const max = Math.max(...xs);
          expect(Number.isFinite(lse)).toBe(true);
          expect(lse).toBeGreaterThanOrEqual(max - 1e-9 * Math.abs(max));
          expect(lse).toBeLessThanOrEqual(max + Math.log(xs.length) + 1e-9 * (1 + Math.abs(max)));
          const shifted = logSumExp(xs.map((v) => v + c));
          expect(Math.abs(shifted - (lse + c))).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(lse) + Math.abs(c)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('handles infinities, NaN and the empty range', () => {
    expect(logSumExp([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBe(Number.NEGATIVE_INFINITY);
    expect(logSumExp([])).toBe(Number.NEGATIVE_INFINITY);
    expect(logSumExp([0, Number.NEGATIVE_INFINITY])).toBe(0);
    expect(logSumExp([1, Number.POSITIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY);
    expect(logSumExp([1, Number.NaN, 2])).toBeNaN();
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
  });
});
