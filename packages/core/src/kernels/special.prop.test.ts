import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logSumExp } from './logSumExp.js';
import { sigmoid } from './sigmoid.js';
import { softplus } from './softplus.js';

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

describe('softplus and sigmoid', () => {
  it('match the naive formulas where those are accurate', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (x) => {
        expect(softplus(x)).toBeCloseTo(Math.log(1 + Math.exp(x)), 12);
        expect(sigmoid(x)).toBeCloseTo(1 / (1 + Math.exp(-x)), 14);
      }),
      { numRuns: 200 },
    );
  });

  it('satisfy softplus(x) − softplus(−x) = x, sigmoid(x) + sigmoid(−x) = 1, stay finite and ordered', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e4, max: 1e4, noNaN: true }), (x) => {
        const sp = softplus(x);
        expect(Number.isFinite(sp)).toBe(true);
        expect(sp).toBeGreaterThanOrEqual(0);
        expect(sp).toBeGreaterThanOrEqual(x);
        expect(Math.abs(sp - softplus(-x) - x)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(x)));
        const s = sigmoid(x);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(Math.abs(s + sigmoid(-x) - 1)).toBeLessThan(1e-15);
      }),
      { numRuns: 300 },
    );
  });

  it('keep relative precision in the far tails', () => {
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-50) / Math.exp(-50)).toBeCloseTo(1, 12);
    expect(sigmoid(-700) / Math.exp(-700)).toBeCloseTo(1, 12);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(softplus(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(softplus(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(softplus(Number.NaN)).toBeNaN();
    expect(sigmoid(Number.NaN)).toBeNaN();
  });
});
