import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Rng } from '../../random/Rng.js';
import { getBackend, setBackend, useFastestBackend } from '../backend.js';
import { type KernelBackend, tsBackend } from '../tsBackend.js';
import { getWasmBackend } from './wasmBackend.js';

// Documented tolerances against the TypeScript reference, per element, relative to the sum of the absolute
// values of the terms that make it up (`mag`): Float64 kernels within 4·(k + 2)·2⁻⁵³·mag; gemmF32, which
// accumulates in Float32 where the TypeScript kernel accumulates in Float64, within 2·(k + 2)·2⁻²⁴·mag
// plus (k + 2)·2⁻¹²⁶ (α is passed in single precision, so products in the subnormal range may flush).
const EPS64 = 2 ** -53;
const EPS32 = 2 ** -24;

const maybeWasm = getWasmBackend();
if (maybeWasm === undefined) throw new Error('these tests need WebAssembly SIMD (Node 20+ has it)');
const wasm: KernelBackend = maybeWasm;

function fill<T extends Float64Array | Float32Array>(out: T, rng: Rng): T {
  for (let i = 0; i < out.length; i++) out[i] = rng.range(-2, 2);
  return out;
}

const scalar = fc.oneof(
  fc.constantFrom(0, 1, -1, 0.5, 2.25),
  fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true }),
);

const gemmCase = fc.record({
  transA: fc.boolean(),
  transB: fc.boolean(),
  m: fc.integer({ min: 0, max: 37 }),
  n: fc.integer({ min: 0, max: 37 }),
  k: fc.integer({ min: 0, max: 37 }),
  alpha: scalar,
  beta: scalar,
  padA: fc.integer({ min: 0, max: 3 }),
  padB: fc.integer({ min: 0, max: 3 }),
  padC: fc.integer({ min: 0, max: 3 }),
  offA: fc.integer({ min: 0, max: 5 }),
  offB: fc.integer({ min: 0, max: 5 }),
  offC: fc.integer({ min: 0, max: 5 }),
  seed: fc.integer({ min: 1, max: 1 << 30 }),
});
type GemmCase = typeof gemmCase extends fc.Arbitrary<infer T> ? T : never;

/** Large shapes that cross the blocking boundaries (KC = 256, MC = 64/128, NC = 512) at small cost. */
const bigGemmCase = fc.oneof(
  gemmCase.chain((c) =>
    fc
      .record({ k: fc.integer({ min: 250, max: 600 }), m: fc.integer({ min: 1, max: 9 }) })
      .map((o) => ({ ...c, ...o })),
  ),
  gemmCase.chain((c) =>
    fc
      .record({ m: fc.integer({ min: 60, max: 140 }), k: fc.integer({ min: 1, max: 6 }) })
      .map((o) => ({ ...c, ...o })),
  ),
  gemmCase.chain((c) =>
    fc
      .record({
        n: fc.integer({ min: 500, max: 530 }),
        m: fc.integer({ min: 1, max: 6 }),
        k: fc.integer({ min: 1, max: 5 }),
      })
      .map((o) => ({ ...c, ...o })),
  ),
);

function checkGemm(t: GemmCase, f32: boolean): void {
  const rng = new Rng(t.seed);
  const Arr = f32 ? Float32Array : Float64Array;
  const [ra, ca] = t.transA ? [t.k, t.m] : [t.m, t.k];
  const [rb, cb] = t.transB ? [t.n, t.k] : [t.k, t.n];
  const lda = ca + t.padA;
  const ldb = cb + t.padB;
  const ldc = t.n + t.padC;
  const a = fill(new Arr(t.offA + ra * lda + 2), rng);
  const b = fill(new Arr(t.offB + rb * ldb + 2), rng);
  const c0 = fill(new Arr(t.offC + t.m * ldc + 2), rng);
  // β = 0 must overwrite C: NaN there must not survive.
  if (t.beta === 0) for (let i = 0; i < t.m; i++) c0[t.offC + i * ldc] = Number.NaN;
  const cw = c0.slice();
  const cr = c0.slice();
  if (f32) {
    wasm.gemmF32(
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
      cw as Float32Array,
      t.offC,
      ldc,
    );
    tsBackend.gemmF32(
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
      cr as Float32Array,
      t.offC,
      ldc,
    );
  } else {
    wasm.gemm(
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
      cw as Float64Array,
      t.offC,
      ldc,
    );
    tsBackend.gemm(
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
      cr as Float64Array,
      t.offC,
      ldc,
    );
  }
  const inC = new Uint8Array(c0.length);
  for (let i = 0; i < t.m; i++) {
    for (let j = 0; j < t.n; j++) {
      const ci = t.offC + i * ldc + j;
      inC[ci] = 1;
      let mag = t.beta === 0 ? 0 : Math.abs(t.beta * (c0[ci] as number));
      for (let p = 0; p < t.k; p++) {
        const av = t.transA ? a[t.offA + p * lda + i] : a[t.offA + i * lda + p];
        const bv = t.transB ? b[t.offB + j * ldb + p] : b[t.offB + p * ldb + j];
        mag += Math.abs(t.alpha * (av as number) * (bv as number));
      }
      const tol = f32 ? 2 * (t.k + 2) * EPS32 * mag + (t.k + 2) * 2 ** -126 : 4 * (t.k + 2) * EPS64 * mag;
      const w = cw[ci] as number;
      const r = cr[ci] as number;
      if (!(Math.abs(w - r) <= tol)) expect.fail(`C[${i}][${j}]: wasm ${w}, ts ${r}, tolerance ${tol}`);
    }
  }
  // Everything outside the m×n window (offset, row gaps, tail) is left exactly as it was.
  for (let i = 0; i < c0.length; i++) {
    if (inC[i] === 0 && !Object.is(cw[i], c0[i])) expect.fail(`C cell ${i} outside the result was changed`);
  }
}

describe('wasm backend vs TypeScript reference', () => {
  afterEach(() => setBackend('ts'));

  it('gemmF32 agrees on random shapes, offsets, strides, transposes, α and β', () => {
    fc.assert(
      fc.property(gemmCase, (t) => checkGemm(t, true)),
      { numRuns: 150, seed: 91 },
    );
  });

  it('gemm (Float64) agrees on random shapes, offsets, strides, transposes, α and β', () => {
    fc.assert(
      fc.property(gemmCase, (t) => checkGemm(t, false)),
      { numRuns: 150, seed: 92 },
    );
  });

  it('gemmF32 and gemm agree across the blocking boundaries', () => {
    fc.assert(
      fc.property(bigGemmCase, fc.boolean(), (t, f32) => checkGemm(t, f32)),
      { numRuns: 40, seed: 93 },
    );
  });

  it('gemv agrees (both orientations, offsets, strides, α, β)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 0, max: 41 }),
        fc.integer({ min: 0, max: 41 }),
        scalar,
        scalar,
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 1 << 30 }),
        (trans, m, n, alpha, beta, pad, off, seed) => {
          const rng = new Rng(seed);
          const lda = n + pad;
          const a = fill(new Float64Array(off + m * lda + 1), rng);
          const x = fill(new Float64Array(off + Math.max(m, n) + 1), rng);
          const y0 = fill(new Float64Array(off + Math.max(m, n) + 3), rng);
          const yw = y0.slice();
          const yr = y0.slice();
          wasm.gemv(trans, m, n, alpha, a, off, lda, x, off, beta, yw, off + 1);
          tsBackend.gemv(trans, m, n, alpha, a, off, lda, x, off, beta, yr, off + 1);
          const len = trans ? m : n;
          for (let i = 0; i < y0.length; i++) {
            const tol = 4 * (len + 2) * EPS64 * (2 * 2 * len * Math.abs(alpha) + Math.abs(beta) * 2);
            if (!(Math.abs((yw[i] as number) - (yr[i] as number)) <= tol)) {
              expect.fail(`y[${i}]: wasm ${yw[i]}, ts ${yr[i]}`);
            }
          }
        },
      ),
      { numRuns: 250, seed: 94 },
    );
  });

  /** A random symmetric positive-definite n×n matrix XᵀX/(2n) + I, with a tiny condition number. */
  function spd(n: number, rng: Rng): Float64Array {
    const x = fill(new Float64Array(2 * n * n), rng);
    const a = new Float64Array(n * n);
    tsBackend.gemm(true, false, n, n, 2 * n, 1 / (2 * n), x, 0, n, x, 0, n, 0, a, 0, n);
    for (let i = 0; i < n; i++) a[i * n + i] = (a[i * n + i] as number) + 1;
    return a;
  }

  it('cholesky agrees (separate output and in place) and reports the same failing pivot', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.integer({ min: 1, max: 1 << 30 }),
        (n, jitter, breakAt, seed) => {
          const a = spd(n, new Rng(seed));
          const bad = breakAt === undefined ? -1 : breakAt % n;
          if (bad >= 0) a[bad * n + bad] = -50; // a non-positive pivot at `bad`
          const lw = new Float64Array(n * n).fill(7);
          const lr = new Float64Array(n * n).fill(7);
          const infoW = wasm.cholesky(a, n, lw, jitter);
          const infoR = tsBackend.cholesky(a, n, lr, jitter);
          expect(infoW).toBe(infoR);
          if (bad < 0) expect(infoW).toBe(-1);
          else expect(infoW).toBeLessThanOrEqual(bad);
          for (let i = 0; i < n * n; i++) {
            const d = Math.abs((lw[i] as number) - (lr[i] as number));
            if (!(d <= 1e-12 * (1 + n))) expect.fail(`L cell ${i}: wasm ${lw[i]}, ts ${lr[i]}`);
          }
          if (infoR === -1) {
            const inPlace = a.slice();
            expect(wasm.cholesky(inPlace, n, inPlace, jitter)).toBe(-1);
            for (let i = 0; i < n * n; i++)
              expect(Math.abs((inPlace[i] as number) - (lr[i] as number))).toBeLessThan(1e-12 * (1 + n));
          }
        },
      ),
      { numRuns: 150, seed: 95 },
    );
  });

  it('solveLower and solveLowerTransposed agree and ignore the strict upper triangle', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 33 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 1 << 30 }),
        (n, nrhs, off, seed) => {
          const rng = new Rng(seed);
          // Well-conditioned lower triangle (diagonal 1..2, small off-diagonal), garbage above it.
          const l = fill(new Float64Array(n * n), rng);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < i; j++) l[i * n + j] = (l[i * n + j] as number) / (2 * n);
            l[i * n + i] = 1 + rng.uniform();
            for (let j = i + 1; j < n; j++) l[i * n + j] = 1e6 * rng.normal();
          }
          const b0 = fill(new Float64Array(off + n * nrhs + 2), rng);
          for (const name of ['solveLower', 'solveLowerTransposed'] as const) {
            const bw = b0.slice();
            const br = b0.slice();
            wasm[name](l, n, bw, off, nrhs);
            tsBackend[name](l, n, br, off, nrhs);
            for (let i = 0; i < b0.length; i++) {
              const d = Math.abs((bw[i] as number) - (br[i] as number));
              if (!(d <= 1e-12 * (1 + Math.abs(br[i] as number))))
                expect.fail(`${name} b[${i}]: wasm ${bw[i]}, ts ${br[i]}`);
            }
          }
        },
      ),
      { numRuns: 150, seed: 96 },
    );
  });

  it('covariance agrees (mean exactly, covariance to rounding) and is exactly symmetric', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 600 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(0, 1),
        fc.integer({ min: 1, max: 1 << 30 }),
        (m, n, ddof, seed) => {
          const rng = new Rng(seed);
          const x = new Float64Array(m * n);
          for (let i = 0; i < x.length; i++) x[i] = 5 + rng.normal() * (1 + (i % n));
          const mw = new Float64Array(n);
          const cw = new Float64Array(n * n);
          const mr = new Float64Array(n);
          const cr = new Float64Array(n * n);
          wasm.covariance(x, m, n, mw, cw, ddof);
          tsBackend.covariance(x, m, n, mr, cr, ddof);
          expect(mw).toEqual(mr);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              const w = cw[i * n + j] as number;
              expect(w).toBe(cw[j * n + i]);
              const scale = Math.sqrt((cr[i * n + i] as number) * (cr[j * n + j] as number));
              expect(Math.abs(w - (cr[i * n + j] as number))).toBeLessThanOrEqual(
                4 * (m + 2) * EPS64 * scale,
              );
            }
          }
        },
      ),
      { numRuns: 60, seed: 97 },
    );
  });

  it('is selected by useFastestBackend, except under EBM_BACKEND=ts', () => {
    const saved = process.env.EBM_BACKEND;
    try {
      delete process.env.EBM_BACKEND;
      expect(useFastestBackend()).toBe(wasm);
      expect(getBackend().name).toBe('wasm');
      process.env.EBM_BACKEND = 'ts';
      expect(useFastestBackend().name).toBe('ts');
      expect(getBackend()).toBe(tsBackend);
    } finally {
      if (saved === undefined) delete process.env.EBM_BACKEND;
      else process.env.EBM_BACKEND = saved;
    }
  });

  it('is deterministic: the same inputs give bit-identical outputs', () => {
    const rng = new Rng(3);
    const a = fill(new Float32Array(61 * 45), rng);
    const b = fill(new Float32Array(45 * 29), rng);
    const c1 = new Float32Array(61 * 29);
    const c2 = new Float32Array(61 * 29);
    wasm.gemmF32(false, false, 61, 29, 45, 1, a, 0, 45, b, 0, 29, 0, c1, 0, 29);
    wasm.gemmF32(false, false, 61, 29, 45, 1, a, 0, 45, b, 0, 29, 0, c2, 0, 29);
    expect(c2).toEqual(c1);
  });
});
