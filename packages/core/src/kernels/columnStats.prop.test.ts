import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnMeans, columnStd } from './columnStats.js';

const rows = fc
  .record({ m: fc.integer({ min: 1, max: 12 }), n: fc.integer({ min: 1, max: 6 }) })
  .chain(({ m, n }) =>
    fc.record({
      m: fc.constant(m),
      n: fc.constant(n),
      x: fc.float64Array({
        minLength: m * n,
        maxLength: m * n,
        noNaN: true,
        noDefaultInfinity: true,
        min: -1e6,
        max: 1e6,
      }),
      offset: fc.constantFrom(0, 1e9),
    }),
  );

describe('columnMeans / columnStd', () => {
  it('a range of columns gets the bits of the whole call (plain and corrected, plain and scaled)', () => {
    fc.assert(
      fc.property(rows, fc.boolean(), ({ m, n, x }, corrected) => {
        const scratch = corrected ? new Float64Array(n) : null;
        const mean = new Float64Array(n);
        const std = new Float64Array(n);
        columnMeans(x, m, n, mean, scratch);
        columnStd(x, m, n, mean, std, scratch);
        const cut = Math.floor(n / 2);
        const mean2 = new Float64Array(n);
        const std2 = new Float64Array(n);
        for (const [c0, c1] of [
          [0, cut],
          [cut, n],
        ] as const) {
          columnMeans(x, m, n, mean2, scratch, c0, c1);
          columnStd(x, m, n, mean2, std2, scratch, c0, c1);
        }
        expect(Array.from(mean2)).toEqual(Array.from(mean));
        expect(Array.from(std2)).toEqual(Array.from(std));
      }),
      { numRuns: 60 },
    );
  });

  it('match the definition; the scaled deviation agrees with the plain one and the corrected mean drifts no more', () => {
    fc.assert(
      fc.property(rows, ({ m, n, x, offset }) => {
        const y = x.map((v) => v + offset);
        const plain = new Float64Array(n);
        const fixed = new Float64Array(n);
        columnMeans(y, m, n, plain, null);
        columnMeans(y, m, n, fixed, new Float64Array(n));
        const sdPlain = new Float64Array(n);
        const sdScaled = new Float64Array(n);
        columnStd(y, m, n, fixed, sdPlain, null);
        columnStd(y, m, n, fixed, sdScaled, new Float64Array(n));
        for (let j = 0; j < n; j++) {
          // exact mean of column j of x (small integers of doubles summed in order are exact enough here)
          let s = 0;
          for (let i = 0; i < m; i++) s += x[i * n + j] as number;
          const exact = s / m + offset;
          const tol = 1e-9 * (1 + Math.abs(exact));
          expect(Math.abs((fixed[j] as number) - exact)).toBeLessThanOrEqual(tol);
          expect(Math.abs((fixed[j] as number) - exact)).toBeLessThanOrEqual(
            Math.abs((plain[j] as number) - exact) + tol,
          );
          expect(sdScaled[j]).toBeCloseTo(sdPlain[j] as number, 6);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the scaled deviation neither overflows nor divides by zero', () => {
    const x = new Float64Array([1e200, 3, -1e200, 3]); // 2×2: a huge column and a constant one
    const mean = new Float64Array(2);
    const std = new Float64Array(2);
    columnMeans(x, 2, 2, mean, new Float64Array(2));
    columnStd(x, 2, 2, mean, std, new Float64Array(2));
    expect(Array.from(mean)).toEqual([0, 3]);
    expect(Array.from(std)).toEqual([1e200, 0]);
    columnStd(x, 2, 2, mean, std, null);
    expect(std[0]).toBe(Number.POSITIVE_INFINITY); // why the scaler uses the scaled form
  });
});
