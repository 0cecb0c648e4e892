import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../random/Rng.js';
import { mahalanobisRows } from '../mahalanobisRows.js';
import { wasmMahalanobisRows, wasmMahalanobisRowsChecked, wasmMahalanobisRowsMulti } from './mahalanobis.js';

/** The definition, in plain loops: Σ_i (Σ_{k ≤ i} W[i][k] (x_k − μ_k))². */
function reference(x: Float64Array, r: number, d: number, mean: Float64Array, w: Float64Array): number {
  let acc = 0;
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++)
      s += (w[i * d + k] as number) * ((x[r * d + k] as number) - (mean[k] as number));
    acc += s * s;
  }
  return acc;
}

// Tolerance: the WebAssembly kernel sums each inner product in two f64x2 lanes, so it differs from the
// sequential sum by rounding only: relative 1e-12 of the value (documented in wasmMahalanobisRows). The
// TypeScript kernel (the reference backend's) is held to the same bounds.
describe.each([
  ['wasmMahalanobisRows', wasmMahalanobisRows],
  ['mahalanobisRows (TypeScript)', mahalanobisRows],
])('%s', (_name, kernel) => {
  it('matches the definition on random shapes (odd widths, row counts not a multiple of 4, offsets)', () => {
    fc.assert(
      fc.property(
        fc.record({
          d: fc.integer({ min: 1, max: 19 }),
          rows: fc.integer({ min: 1, max: 41 }),
          seed: fc.nat(),
        }),
        ({ d, rows, seed }) => {
          const rng = new Rng(seed);
          const x = new Float64Array((rows + 2) * d).map(() => rng.normal() * 3);
          const mean = new Float64Array(d + 1).map(() => rng.normal());
          const w = new Float64Array(1 + d * d).map(() => rng.normal());
          const out = new Float64Array(rows + 3).fill(-1);
          kernel(x, 2, rows, d, mean, 1, w, 1, out, 3);
          for (let r = 0; r < rows; r++) {
            const want = reference(x.subarray(2 * d), r, d, mean.subarray(1), w.subarray(1));
            expect(Math.abs((out[3 + r] as number) - want)).toBeLessThanOrEqual(1e-12 * want + 1e-300);
          }
          expect(Array.from(out.subarray(0, 3))).toEqual([-1, -1, -1]);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('matches the definition at widths that span several 128-column blocks (upper triangle ignored)', () => {
    for (const d of [128, 129, 300]) {
      const rng = new Rng(d);
      const rows = 6;
      const x = new Float64Array(rows * d).map(() => rng.normal());
      const mean = new Float64Array(d).map(() => rng.normal());
      const w = new Float64Array(d * d).map((_, k) =>
        k % d > Math.floor(k / d) ? Number.NaN : rng.normal(),
      );
      const out = new Float64Array(rows);
      kernel(x, 0, rows, d, mean, 0, w, 0, out, 0);
      for (let r = 0; r < rows; r++) {
        const want = reference(x, r, d, mean, w);
        expect(Math.abs((out[r] as number) - want)).toBeLessThanOrEqual(1e-12 * want);
      }
    }
  });

  it('gives a row the same value whatever batch it is scored in (blocks of four, the tail, chunks)', () => {
    const rng = new Rng(3);
    const d = 7;
    const n = 4099; // spans two 4,096-row chunks
    const x = new Float64Array(n * d).map(() => rng.normal());
    const mean = new Float64Array(d).map(() => rng.normal());
    const w = new Float64Array(d * d).map(() => rng.normal());
    const all = new Float64Array(n);
    kernel(x, 0, n, d, mean, 0, w, 0, all, 0);
    for (const [from, rows] of [
      [4097, 1],
      [4094, 5],
      [1, 3],
      [13, 2],
    ] as const) {
      const part = new Float64Array(rows);
      kernel(x, from, rows, d, mean, 0, w, 0, part, 0);
      expect(Array.from(part)).toEqual(Array.from(all.subarray(from, from + rows)));
    }
  });
});

describe('wasmMahalanobisRowsChecked', () => {
  it('writes what wasmMahalanobisRows writes, bit for bit, and returns false exactly when a row of its range is not finite', () => {
    fc.assert(
      fc.property(
        fc.record({
          d: fc.integer({ min: 1, max: 19 }),
          rows: fc.integer({ min: 1, max: 41 }),
          seed: fc.nat(),
          bad: fc.option(
            fc.tuple(
              fc.nat(),
              fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
            ),
          ),
        }),
        ({ d, rows, seed, bad }) => {
          const rng = new Rng(seed);
          // rows 0–1 lie outside the scored range: a bad value there must not count
          const x = new Float64Array((rows + 2) * d).map(() => rng.normal() * 3);
          if (bad !== null) x[bad[0] % x.length] = bad[1];
          const mean = new Float64Array(d + 1).map(() => rng.normal());
          const w = new Float64Array(1 + d * d).map(() => rng.normal());
          const want = new Float64Array(rows + 3);
          wasmMahalanobisRows(x, 2, rows, d, mean, 1, w, 1, want, 3);
          const got = new Float64Array(rows + 3);
          const ok = wasmMahalanobisRowsChecked(x, 2, rows, d, mean, 1, w, 1, got, 3);
          expect(ok).toBe(x.subarray(2 * d).every((v) => Number.isFinite(v)));
          if (ok) expect(Array.from(got)).toEqual(Array.from(want));
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });

  it('checks every chunk of a long batch', () => {
    const d = 3;
    const rows = 9000; // more than one staging chunk
    const x = new Float64Array(rows * d).fill(0.5);
    const mean = new Float64Array(d);
    const w = new Float64Array(d * d).fill(1);
    const out = new Float64Array(rows);
    expect(wasmMahalanobisRowsChecked(x, 0, rows, d, mean, 0, w, 0, out, 0)).toBe(true);
    x[rows * d - 1] = Number.NaN;
    expect(wasmMahalanobisRowsChecked(x, 0, rows, d, mean, 0, w, 0, out, 0)).toBe(false);
  });
});

describe('wasmMahalanobisRowsMulti', () => {
  it('writes, for every component, what wasmMahalanobisRows writes for it, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.record({
          d: fc.integer({ min: 1, max: 19 }),
          k: fc.integer({ min: 1, max: 5 }),
          rows: fc.integer({ min: 1, max: 41 }),
          r0: fc.integer({ min: 0, max: 3 }),
          seed: fc.nat(),
        }),
        ({ d, k, rows, r0, seed }) => {
          const rng = new Rng(seed);
          const x = new Float64Array((rows + r0) * d).map(() => rng.normal() * 3);
          const means = new Float64Array(k * d).map(() => rng.normal());
          const precision = new Float64Array(k * d * d).map(() => rng.normal());
          const got = new Float64Array(k * rows);
          wasmMahalanobisRowsMulti(x, r0, rows, d, k, means, precision, got);
          const want = new Float64Array(k * rows);
          for (let c = 0; c < k; c++)
            wasmMahalanobisRows(x, r0, rows, d, means, c * d, precision, c * d * d, want, c * rows);
          expect(Array.from(got)).toEqual(Array.from(want));
        },
      ),
      { numRuns: 150, seed: 13 },
    );
  });

  it('copies each chunk once for all components across several chunks (9,000 rows)', () => {
    const d = 4;
    const k = 3;
    const rows = 9000;
    const rng = new Rng(2);
    const x = new Float64Array(rows * d).map(() => rng.normal());
    const means = new Float64Array(k * d).map(() => rng.normal());
    const precision = new Float64Array(k * d * d).map(() => rng.normal());
    const got = new Float64Array(k * rows);
    wasmMahalanobisRowsMulti(x, 0, rows, d, k, means, precision, got);
    const want = new Float64Array(k * rows);
    for (let c = 0; c < k; c++)
      wasmMahalanobisRows(x, 0, rows, d, means, c * d, precision, c * d * d, want, c * rows);
    expect(Array.from(got)).toEqual(Array.from(want));
  });
});
