import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/Rng.js';
import { cholesky } from './cholesky.js';
import { logDetCholesky } from './logDetCholesky.js';
import { solveLower } from './solveLower.js';
import { solveLowerTransposed } from './solveLowerTransposed.js';

/** A random symmetric positive-definite n×n matrix B·Bᵀ + shift·I. */
function randomSpd(rng: Rng, n: number, shift: number): Float64Array {
  const b = new Float64Array(n * n);
  for (let i = 0; i < b.length; i++) b[i] = rng.range(-1, 1);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (b[i * n + k] as number) * (b[j * n + k] as number);
      a[i * n + j] = s + (i === j ? shift : 0);
    }
  }
  return a;
}

const spdArb = fc.record({
  n: fc.integer({ min: 0, max: 10 }),
  nrhs: fc.integer({ min: 1, max: 4 }),
  off: fc.integer({ min: 0, max: 3 }),
  shift: fc.constantFrom(0.1, 1, 10),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

describe('cholesky', () => {
  it('reconstructs its input (L·Lᵀ = A), is lower triangular with a positive diagonal, also in place', () => {
    fc.assert(
      fc.property(spdArb, fc.boolean(), ({ n, shift, seed }, inPlace) => {
        const a = randomSpd(new Rng(seed), n, shift);
        const l = inPlace ? Float64Array.from(a) : new Float64Array(n * n).fill(Number.NaN);
        expect(cholesky(inPlace ? l : a, n, l, 0)).toBe(-1);
        for (let i = 0; i < n; i++) {
          expect(l[i * n + i]).toBeGreaterThan(0);
          for (let j = 0; j < n; j++) {
            if (j > i) expect(l[i * n + j]).toBe(0);
            let s = 0;
            for (let k = 0; k < n; k++) s += (l[i * n + k] as number) * (l[j * n + k] as number);
            expect(Math.abs(s - (a[i * n + j] as number))).toBeLessThan(1e-12 * (1 + n * 10));
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('reconstructs matrices that span several 64-column blocks', () => {
    for (const n of [63, 64, 65, 130, 150]) {
      const a = randomSpd(new Rng(n), n, 1);
      const l = new Float64Array(n * n).fill(Number.NaN);
      expect(cholesky(a, n, l, 0)).toBe(-1);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let k = 0; k <= j; k++) s += (l[i * n + k] as number) * (l[j * n + k] as number);
          expect(Math.abs(s - (a[i * n + j] as number))).toBeLessThan(1e-10 * n);
        }
        for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
      }
    }
    // A failing pivot inside a later block is still reported by its index.
    const a = randomSpd(new Rng(1), 130, 1);
    a[100 * 130 + 100] = -1e6;
    expect(cholesky(a, 130, new Float64Array(130 * 130), 0)).toBe(100);
  });

  it('reports the first non-positive pivot, and jitter rescues a singular matrix', () => {
    // Rank-1 matrix [[1, 1], [1, 1]]: pivot 1 is exactly 0.
    const a = new Float64Array([1, 1, 1, 1]);
    const l = new Float64Array(4);
    expect(cholesky(a, 2, l, 0)).toBe(1);
    expect(cholesky(a, 2, l, 1e-6)).toBe(-1);
    expect(cholesky(new Float64Array([-1, 0, 0, 1]), 2, l, 0)).toBe(0);
    expect(cholesky(new Float64Array([Number.NaN]), 1, l, 0)).toBe(0);
    // Indefinite at pivot 2.
    expect(cholesky(new Float64Array([4, 0, 0, 0, 9, 0, 0, 0, -1]), 3, new Float64Array(9), 0)).toBe(2);
  });
});

describe('triangular solves', () => {
  it('solveLower then solveLowerTransposed invert L·Lᵀ for several right-hand sides; logDet matches', () => {
    fc.assert(
      fc.property(spdArb, ({ n, nrhs, off, shift, seed }) => {
        const rng = new Rng(seed);
        const a = randomSpd(rng, n, shift);
        const l = new Float64Array(n * n);
        expect(cholesky(a, n, l, 0)).toBe(-1);
        const x = new Float64Array(n * nrhs);
        for (let i = 0; i < x.length; i++) x[i] = rng.range(-2, 2);
        // b = A·x, stored from an offset.
        const b = new Float64Array(off + n * nrhs + 1).fill(5);
        for (let i = 0; i < n; i++) {
          for (let r = 0; r < nrhs; r++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += (a[i * n + k] as number) * (x[k * nrhs + r] as number);
            b[off + i * nrhs + r] = s;
          }
        }
        solveLower(l, n, b, off, nrhs);
        solveLowerTransposed(l, n, b, off, nrhs);
        for (let i = 0; i < x.length; i++) {
          expect(Math.abs((b[off + i] as number) - (x[i] as number))).toBeLessThan(1e-8);
        }
        expect(b[b.length - 1]).toBe(5);
        // log det A = 2 Σ log L_ii; compare with the product of the pivots.
        let prod = 1;
        for (let i = 0; i < n; i++) prod *= (l[i * n + i] as number) ** 2;
        expect(logDetCholesky(l, n)).toBeCloseTo(Math.log(prod), 9);
      }),
      { numRuns: 150 },
    );
  });
});
