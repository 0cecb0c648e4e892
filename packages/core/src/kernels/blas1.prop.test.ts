import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/Rng.js';
import { axpy } from './axpy.js';
import { covariance } from './covariance.js';
import { dot } from './dot.js';
import { gemv } from './gemv.js';

function randomArray(rng: Rng, len: number, scale = 3): Float64Array {
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) out[i] = rng.range(-scale, scale);
  return out;
}

function close(got: number, want: number, mag: number, eps = 1e-12): boolean {
  return Math.abs(got - want) <= eps * (1 + mag);
}

const dims = fc.record({
  m: fc.integer({ min: 0, max: 9 }),
  n: fc.integer({ min: 0, max: 9 }),
  off: fc.integer({ min: 0, max: 4 }),
  pad: fc.integer({ min: 0, max: 3 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

describe('gemv', () => {
  it('matches a plain loop for both orientations, with offsets, leading dimension, alpha and beta', () => {
    fc.assert(
      fc.property(
        dims,
        fc.boolean(),
        fc.constantFrom(1, -2, 0, 0.5),
        fc.constantFrom(0, 1, 0.5),
        ({ m, n, off, pad, seed }, trans, alpha, beta) => {
          const rng = new Rng(seed);
          const lda = n + pad;
          const a = randomArray(rng, off + m * lda);
          const nx = trans ? m : n;
          const ny = trans ? n : m;
          const x = randomArray(rng, off + nx);
          const y = randomArray(rng, off + ny + 2);
          if (beta === 0) y.fill(Number.NaN, off, off + ny);
          const want = Float64Array.from(y);
          for (let r = 0; r < ny; r++) {
            let s = 0;
            let _mag = 0;
            for (let q = 0; q < nx; q++) {
              const av = (trans ? a[off + q * lda + r] : a[off + r * lda + q]) as number;
              s += av * (x[off + q] as number);
              _mag += Math.abs(av * (x[off + q] as number));
            }
            const old = beta === 0 ? 0 : beta * (y[off + r] as number);
            want[off + r] = alpha * s + old;
            expect(Number.isFinite(want[off + r])).toBe(true);
          }
          const before = Float64Array.from(y);
          gemv(trans, m, n, alpha, a, off, lda, x, off, beta, y, off);
          for (let i = 0; i < y.length; i++) {
            if (i < off || i >= off + ny) expect(Object.is(y[i], before[i])).toBe(true);
            else expect(close(y[i] as number, want[i] as number, 100)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('level-1 kernels', () => {
  it('axpy and dot match plain loops and leave other cells alone', () => {
    fc.assert(
      fc.property(dims, fc.double({ min: -4, max: 4, noNaN: true }), ({ n, off, seed }, alpha) => {
        const rng = new Rng(seed);
        const x = randomArray(rng, off + n + 2);
        const y = randomArray(rng, off + n + 2);

        const y1 = Float64Array.from(y);
        axpy(n, alpha, x, off, y1, off);
        let d = 0;
        let mag = 0;
        for (let i = 0; i < y.length; i++) {
          const inside = i >= off && i < off + n;
          const xi = x[i] as number;
          const yi = y[i] as number;
          expect(y1[i]).toBe(inside ? yi + alpha * xi : yi);
          if (inside) {
            d += xi * yi;
            mag += Math.abs(xi * yi);
          }
        }
        expect(close(dot(n, x, off, y, off), d, mag)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('covariance', () => {
  it('matches the two-pass definition, is exactly symmetric and has a non-negative diagonal', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(0, 1),
        fc.integer({ min: 0, max: 1_000_000 }),
        (m, n, ddof, seed) => {
          const rng = new Rng(seed);
          const x = randomArray(rng, m * n);
          const mean = new Float64Array(n);
          const cov = new Float64Array(n * n);
          covariance(x, m, n, mean, cov, ddof);
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let i = 0; i < m; i++) s += x[i * n + j] as number;
            expect(close(mean[j] as number, s / m, 3)).toBe(true);
          }
          for (let j = 0; j < n; j++) {
            expect(cov[j * n + j]).toBeGreaterThanOrEqual(0);
            for (let l = 0; l < n; l++) {
              let s = 0;
              for (let i = 0; i < m; i++) {
                s +=
                  ((x[i * n + j] as number) - (mean[j] as number)) *
                  ((x[i * n + l] as number) - (mean[l] as number));
              }
              expect(close(cov[j * n + l] as number, s / (m - ddof), 10)).toBe(true);
              expect(cov[j * n + l]).toBe(cov[l * n + j]);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('does not cancel catastrophically for data with a huge offset', () => {
    // Values 1e9 + {0, 1, 2, 3}: E[x²] − E[x]² would lose every digit; the true variance is 1.25.
    const rng = new Rng(3);
    const m = 1000;
    const x = new Float64Array(m * 2);
    for (let i = 0; i < m; i++) {
      x[i * 2] = 1e9 + (i % 4);
      x[i * 2 + 1] = rng.normal();
    }
    const mean = new Float64Array(2);
    const cov = new Float64Array(4);
    covariance(x, m, 2, mean, cov, 0);
    expect(mean[0]).toBeCloseTo(1e9 + 1.5, 6);
    expect(cov[0]).toBeCloseTo(1.25, 9);
  });

  it('spans several row blocks (m > 256) correctly', () => {
    const rng = new Rng(5);
    const m = 600;
    const n = 3;
    const x = randomArray(rng, m * n);
    const mean = new Float64Array(n);
    const cov = new Float64Array(n * n);
    covariance(x, m, n, mean, cov, 1);
    let s = 0;
    for (let i = 0; i < m; i++)
      s += ((x[i * n] as number) - (mean[0] as number)) * ((x[i * n + 2] as number) - (mean[2] as number));
    expect(cov[2]).toBeCloseTo(s / (m - 1), 12);
  });
});
