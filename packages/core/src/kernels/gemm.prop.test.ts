import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/Rng.js';
import { gemm } from './gemm.js';
import { gemmF32 } from './gemmF32.js';

type Arr = Float64Array | Float32Array;

interface Case {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  padA: number;
  padB: number;
  padC: number;
  offA: number;
  offB: number;
  offC: number;
  seed: number;
}

/**
 * Plain triple loop: C = α·op(A)·op(B) + β·C, with BLAS semantics for β = 0 (C not read). Also returns,
 * per element, the sum of the absolute values of the terms: the scale of the rounding error allowed.
 */
function refGemm(
  t: Case,
  a: Arr,
  lda: number,
  b: Arr,
  ldb: number,
  c: Float64Array,
  ldc: number,
): Float64Array {
  const mag = new Float64Array(c.length);
  for (let i = 0; i < t.m; i++) {
    for (let j = 0; j < t.n; j++) {
      let s = 0;
      let abs = 0;
      for (let p = 0; p < t.k; p++) {
        const av = t.transA ? a[t.offA + p * lda + i] : a[t.offA + i * lda + p];
        const bv = t.transB ? b[t.offB + j * ldb + p] : b[t.offB + p * ldb + j];
        const prod = (av as number) * (bv as number);
        s += prod;
        abs += Math.abs(prod);
      }
      const ci = t.offC + i * ldc + j;
      const old = t.beta === 0 ? 0 : t.beta * (c[ci] as number);
      c[ci] = t.alpha * s + old;
      mag[ci] = Math.abs(t.alpha) * abs + Math.abs(old);
    }
  }
  return mag;
}

function runCase(t: Case, f32: boolean): void {
  const rng = new Rng(t.seed);
  const aRows = t.transA ? t.k : t.m;
  const aCols = t.transA ? t.m : t.k;
  const bRows = t.transB ? t.n : t.k;
  const bCols = t.transB ? t.k : t.n;
  const lda = aCols + t.padA;
  const ldb = bCols + t.padB;
  const ldc = t.n + t.padC;
  const make = (len: number): Arr => (f32 ? new Float32Array(len) : new Float64Array(len));
  const a = make(t.offA + aRows * lda);
  const b = make(t.offB + bRows * ldb);
  const c = make(t.offC + t.m * ldc + 3);
  for (let i = 0; i < a.length; i++) a[i] = rng.range(-2, 2);
  for (let i = 0; i < b.length; i++) b[i] = rng.range(-2, 2);
  // With beta = 0, C starts as NaN: it must be overwritten, never read.
  for (let i = 0; i < c.length; i++) c[i] = t.beta === 0 ? Number.NaN : rng.range(-2, 2);
  const before = Float64Array.from(c);
  const expected = Float64Array.from(c);
  const mag = refGemm(t, a, lda, b, ldb, expected, ldc);
  if (f32) {
    gemmF32(
      t.transA,
      t.transB,
      t.m,
      t.n,
      t.k,
      t.alpha,
      a as Float32Array,
      t.offA,
      lda,
      b as Float32Array,
      t.offB,
      ldb,
      t.beta,
      c as Float32Array,
      t.offC,
      ldc,
    );
  } else {
    gemm(
      t.transA,
      t.transB,
      t.m,
      t.n,
      t.k,
      t.alpha,
      a as Float64Array,
      t.offA,
      lda,
      b as Float64Array,
      t.offB,
      ldb,
      t.beta,
      c as Float64Array,
      t.offC,
      ldc,
    );
  }
  const eps = f32 ? 1e-6 : 1e-13;
  const bad: string[] = [];
  for (let idx = 0; idx < c.length && bad.length < 3; idx++) {
    const r = Math.floor((idx - t.offC) / ldc);
    const col = idx - t.offC - r * ldc;
    const inside = idx >= t.offC && r < t.m && col < t.n;
    const got = c[idx] as number;
    if (!inside) {
      // Cells outside the m×n window of C are untouched.
      if (!Object.is(got, before[idx])) bad.push(`outside cell ${idx} changed to ${got}`);
      continue;
    }
    const want = expected[idx] as number;
    if (!(Math.abs(got - want) <= eps * (1 + (mag[idx] as number)))) {
      bad.push(`C[${r}][${col}] = ${got}, expected ${want}`);
    }
  }
  expect(bad).toEqual([]);
}

const caseArb = (maxDim: number): fc.Arbitrary<Case> =>
  fc.record({
    transA: fc.boolean(),
    transB: fc.boolean(),
    m: fc.integer({ min: 0, max: maxDim }),
    n: fc.integer({ min: 0, max: maxDim }),
    k: fc.integer({ min: 0, max: maxDim }),
    alpha: fc.constantFrom(1, -1, 0, 0.5, 2.5),
    beta: fc.constantFrom(0, 1, -0.5, 2),
    padA: fc.integer({ min: 0, max: 3 }),
    padB: fc.integer({ min: 0, max: 3 }),
    padC: fc.integer({ min: 0, max: 3 }),
    offA: fc.integer({ min: 0, max: 5 }),
    offB: fc.integer({ min: 0, max: 5 }),
    offC: fc.integer({ min: 0, max: 5 }),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
  });

describe('gemm (Float64)', () => {
  it('matches the triple loop on random shapes, transposes, offsets and leading dimensions', () => {
    fc.assert(
      fc.property(caseArb(11), (t) => {
        runCase(t, false);
      }),
      { numRuns: 300 },
    );
  });

  it('matches the triple loop across every cache block boundary (m > MC, n > NC, k > KC)', () => {
    const combos = [
      [false, false],
      [true, true],
      [true, false],
      [false, true],
    ] as const;
    for (const [transA, transB] of combos) {
      const base = {
        transA,
        transB,
        alpha: 1.5,
        beta: 0.5,
        padA: 1,
        padB: 2,
        padC: 3,
        offA: 2,
        offB: 1,
        offC: 4,
      };
      runCase({ ...base, m: 67, n: 9, k: 261, seed: 9 }, false); // crosses MC and KC
      runCase({ ...base, m: 5, n: 517, k: 3, seed: 10 }, false); // crosses NC
    }
  });

  it('handles 1×1 and overwrites NaN in C when beta is 0', () => {
    const c = new Float64Array([Number.NaN]);
    gemm(false, false, 1, 1, 1, 2, new Float64Array([3]), 0, 1, new Float64Array([4]), 0, 1, 0, c, 0, 1);
    expect(c[0]).toBe(24);
  });

  it('scales C by beta when k is 0 and does not read A or B when alpha is 0', () => {
    const c = new Float64Array([1, 2]);
    gemm(false, false, 1, 2, 0, 1, new Float64Array(0), 0, 0, new Float64Array(0), 0, 2, 3, c, 0, 2);
    expect(Array.from(c)).toEqual([3, 6]);
    const nan = new Float64Array([Number.NaN, Number.NaN]);
    gemm(false, false, 1, 2, 1, 0, nan, 0, 1, nan, 0, 2, 1, c, 0, 2);
    expect(Array.from(c)).toEqual([3, 6]);
  });
});

describe('gemmF32', () => {
  it('matches the triple loop (to single precision) on random shapes', () => {
    fc.assert(
      fc.property(caseArb(11), (t) => {
        runCase(t, true);
      }),
      { numRuns: 200 },
    );
  });

  it('matches the triple loop across block boundaries', () => {
    const base = { padA: 0, padB: 1, padC: 0, offA: 0, offB: 3, offC: 1, alpha: 1, beta: 0 };
    runCase({ ...base, transA: true, transB: false, m: 70, n: 6, k: 300, seed: 4 }, true);
    runCase({ ...base, transA: false, transB: true, m: 3, n: 520, k: 5, seed: 5 }, true);
  });
});
