import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/Rng.js';
import { kernelLogSum } from './kernelLogSum.js';
import { knnSelect } from './knnSelect.js';
import { rowSquaredNorms } from './sqDistBlock.js';
import { wasmKernelLogSum } from './wasm/kernelLogSum.js';
import { wasmKnnSelect } from './wasm/knnSelect.js';

function sq(q: Float64Array, qo: number, x: Float64Array, xo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const e = (q[qo + j] as number) - (x[xo + j] as number);
    s += e * e;
  }
  return s;
}

function isCopy(q: Float64Array, qo: number, x: Float64Array, xo: number, d: number): boolean {
  for (let j = 0; j < d; j++) if (q[qo + j] !== x[xo + j]) return false;
  return true;
}

/** Brute force: every distance, the first exact copy dropped when asked, sorted by (distance, index). */
function bruteKnn(
  q: Float64Array,
  r: number,
  x: Float64Array,
  m: number,
  d: number,
  k: number,
  exclude: boolean,
): { dist: number[]; idx: number[] } {
  const all: [number, number][] = [];
  let skipped = false;
  for (let j = 0; j < m; j++) {
    if (exclude && !skipped && isCopy(q, r * d, x, j * d, d)) {
      skipped = true;
      continue;
    }
    all.push([sq(q, r * d, x, j * d, d), j]);
  }
  all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const dist: number[] = [];
  const idx: number[] = [];
  for (let t = 0; t < k; t++) {
    const e = all[t];
    dist.push(e === undefined ? Number.POSITIVE_INFINITY : e[0]);
    idx.push(e === undefined ? -1 : e[1]);
  }
  return { dist, idx };
}

function bruteLogSum(
  q: Float64Array,
  r: number,
  x: Float64Array,
  m: number,
  d: number,
  c: number,
  exclude: boolean,
): number {
  const terms: number[] = [];
  let skipped = false;
  for (let j = 0; j < m; j++) {
    if (exclude && !skipped && isCopy(q, r * d, x, j * d, d)) {
      skipped = true;
      continue;
    }
    terms.push(-c * sq(q, r * d, x, j * d, d));
  }
  if (terms.length === 0) return Number.NEGATIVE_INFINITY;
  const mx = Math.max(...terms);
  return mx + Math.log(terms.reduce((a, t) => a + Math.exp(t - mx), 0));
}

const shape = fc.record({
  d: fc.integer({ min: 1, max: 6 }),
  m: fc.integer({ min: 1, max: 40 }),
  rows: fc.integer({ min: 1, max: 9 }),
  k: fc.integer({ min: 1, max: 12 }),
  exclude: fc.boolean(),
  seed: fc.nat(),
});

/** Small integers (GEMM distances are then exact, so ties resolve by index exactly as brute force). */
function intData(rng: Rng, n: number): Float64Array {
  return new Float64Array(n).map(() => Math.floor(rng.uniform() * 7) - 3);
}

describe.each([
  ['knnSelect (TypeScript)', knnSelect],
  ['wasmKnnSelect', wasmKnnSelect],
])('%s', (_name, kernel) => {
  it('agrees exactly with brute force on tiny problems (ties, copies, k > m, leave-one-out)', () => {
    fc.assert(
      fc.property(shape, ({ d, m, rows, k, exclude, seed }) => {
        const rng = new Rng(seed);
        const x = intData(rng, m * d);
        // queries: some copies of reference rows, some fresh
        const q = intData(rng, rows * d);
        for (let r = 0; r < rows; r += 2) q.set(x.subarray(((r * 7) % m) * d, ((r * 7) % m) * d + d), r * d);
        const xn = new Float64Array(m);
        rowSquaredNorms(x, 0, m, d, xn, 0);
        const outD = new Float64Array(rows * k + 1).fill(-7);
        const outI = new Int32Array(rows * k + 1).fill(-7);
        kernel(q, 0, rows, x, xn, m, d, k, exclude, outD, outI, 1);
        expect(outD[0]).toBe(-7);
        for (let r = 0; r < rows; r++) {
          const want = bruteKnn(q, r, x, m, d, k, exclude);
          expect(Array.from(outD.subarray(1 + r * k, 1 + r * k + k))).toEqual(want.dist);
          expect(Array.from(outI.subarray(1 + r * k, 1 + r * k + k))).toEqual(want.idx);
        }
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('gives exact distances on continuous data, whatever batch a row is scored in', () => {
    const rng = new Rng(5);
    const d = 9;
    const m = 1100; // spans three reference blocks
    const rows = 70; // spans three query blocks
    const k = 7;
    const x = new Float64Array(m * d).map(() => rng.normal() * 2 + 5);
    const q = new Float64Array(rows * d).map(() => rng.normal() * 2 + 5);
    const xn = new Float64Array(m);
    rowSquaredNorms(x, 0, m, d, xn, 0);
    const allD = new Float64Array(rows * k);
    const allI = new Int32Array(rows * k);
    kernel(q, 0, rows, x, xn, m, d, k, false, allD, allI, 0);
    const oneD = new Float64Array(k);
    const oneI = new Int32Array(k);
    for (let r = 0; r < rows; r++) {
      kernel(q, r * d, 1, x, xn, m, d, k, false, oneD, oneI, 0);
      expect(Array.from(oneD)).toEqual(Array.from(allD.subarray(r * k, r * k + k)));
      expect(Array.from(oneI)).toEqual(Array.from(allI.subarray(r * k, r * k + k)));
      expect(Array.from(oneD)).toEqual(bruteKnn(q, r, x, m, d, k, false).dist);
    }
  });
});

/**
 * Data on which single-precision (and GEMM) distances cannot order the rows: a large common offset (the
 * f32 expansion cancels almost every digit), near-ties below f32 resolution, many exact duplicates (more
 * than a query's candidate buffer), norms too large for f32 (the brute-force path, mixed in a block with
 * ordinary rows), subnormal values, and mixed scales.
 */
const HARD_MODES = ['offset', 'nearTie', 'duplicates', 'huge', 'subnormal', 'scales'] as const;

function hardData(mode: (typeof HARD_MODES)[number], rng: Rng, m: number, rows: number, d: number) {
  const x = new Float64Array(m * d);
  const q = new Float64Array(rows * d);
  const base = new Float64Array(d).map(() => rng.normal());
  const fill = (a: Float64Array, n: number, f: (j: number) => number): void => {
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) a[i * d + j] = f(j);
  };
  switch (mode) {
    case 'offset':
      fill(x, m, () => 1e4 + rng.normal());
      fill(q, rows, () => 1e4 + rng.normal());
      break;
    case 'nearTie':
      // every row is the base point moved by ~1e-9 relative: f32 sees them all equal
      fill(
        x,
        m,
        (j) => (base[j] as number) * (1 + 1e-9 * Math.floor(rng.uniform() * 5)) + 1e-10 * rng.normal(),
      );
      fill(q, rows, (j) => (base[j] as number) * (1 + 1e-9 * rng.normal()));
      break;
    case 'duplicates':
      // three distinct rows repeated (a query's candidates overflow into exact ties)
      for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) x[i * d + j] = (i % 3) + (j === 0 ? 0.5 : 0);
      fill(q, rows, () => Math.floor(rng.uniform() * 3));
      break;
    case 'huge':
      fill(x, m, () => rng.normal());
      for (let i = 0; i < m; i += 5) x[i * d] = 3e15 * (rng.uniform() + 0.5);
      fill(q, rows, () => rng.normal());
      for (let r = 1; r < rows; r += 3) q[r * d] = 1e17;
      break;
    case 'subnormal':
      fill(
        x,
        m,
        () => Math.floor(rng.uniform() * 5) * 1e-310 + (rng.uniform() < 0.3 ? 1e-40 * rng.normal() : 0),
      );
      fill(q, rows, () => Math.floor(rng.uniform() * 5) * 1e-310);
      break;
    case 'scales':
      fill(x, m, (j) => rng.normal() * 10 ** (j % 7) - 3);
      fill(q, rows, (j) => rng.normal() * 10 ** (j % 7) - 3);
      break;
  }
  // some queries are copies of reference rows (leave-one-out)
  for (let r = 0; r < rows; r += 2) q.set(x.subarray(((r * 5) % m) * d, ((r * 5) % m) * d + d), r * d);
  return { x, q };
}

describe.each([
  ['knnSelect (TypeScript)', knnSelect],
  ['wasmKnnSelect', wasmKnnSelect],
])('%s on data that rounding cannot order', (_name, kernel) => {
  it('returns exactly brute force (distances, indices, ties by index, the first copy left out)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...HARD_MODES),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 14 }),
        fc.boolean(),
        fc.nat(),
        (mode, d, m, rows, k0, exclude, seed) => {
          const rng = new Rng(seed);
          const k = Math.min(k0, m + 1);
          const { x, q } = hardData(mode, rng, m, rows, d);
          const xn = new Float64Array(m);
          rowSquaredNorms(x, 0, m, d, xn, 0);
          const outD = new Float64Array(rows * k);
          const outI = new Int32Array(rows * k);
          kernel(q, 0, rows, x, xn, m, d, k, exclude, outD, outI, 0);
          for (let r = 0; r < rows; r++) {
            const want = bruteKnn(q, r, x, m, d, k, exclude);
            expect(Array.from(outD.subarray(r * k, r * k + k))).toEqual(want.dist);
            expect(Array.from(outI.subarray(r * k, r * k + k))).toEqual(want.idx);
          }
        },
      ),
      { numRuns: 200, seed: 17 },
    );
  });

  it('handles zero-width rows (every distance 0: the first k by index)', () => {
    const outD = new Float64Array(4);
    const outI = new Int32Array(4);
    kernel(
      new Float64Array(0),
      0,
      2,
      new Float64Array(0),
      new Float64Array(3),
      3,
      0,
      2,
      false,
      outD,
      outI,
      0,
    );
    expect(Array.from(outD)).toEqual([0, 0, 0, 0]);
    expect(Array.from(outI)).toEqual([0, 1, 0, 1]);
  });

  it('keeps k = m − 1 and k = m exact with a copy left out', () => {
    const rng = new Rng(3);
    const d = 4;
    const m = 60;
    const x = new Float64Array(m * d).map(() => Math.round(rng.normal() * 2));
    const xn = new Float64Array(m);
    rowSquaredNorms(x, 0, m, d, xn, 0);
    const q = x.slice(0, 6 * d);
    for (const k of [m - 1, m]) {
      const outD = new Float64Array(6 * k);
      const outI = new Int32Array(6 * k);
      kernel(q, 0, 6, x, xn, m, d, k, true, outD, outI, 0);
      for (let r = 0; r < 6; r++) {
        const want = bruteKnn(q, r, x, m, d, k, true);
        expect(Array.from(outD.subarray(r * k, r * k + k))).toEqual(want.dist);
        expect(Array.from(outI.subarray(r * k, r * k + k))).toEqual(want.idx);
      }
    }
  });
});

describe.each([
  ['kernelLogSum (TypeScript)', kernelLogSum],
  ['wasmKernelLogSum', wasmKernelLogSum],
])('%s', (_name, kernel) => {
  it('matches log Σ exp(−c·distance) on tiny problems (copies left out when asked)', () => {
    fc.assert(
      fc.property(shape, fc.double({ min: 0.01, max: 30, noNaN: true }), (s, c) => {
        const { d, m, rows, exclude, seed } = s;
        const rng = new Rng(seed);
        const x = new Float64Array(m * d).map(() => rng.normal() * 2);
        const q = new Float64Array(rows * d).map(() => rng.normal() * 2);
        for (let r = 0; r < rows; r += 2) q.set(x.subarray((r % m) * d, (r % m) * d + d), r * d);
        const xn = new Float64Array(m);
        rowSquaredNorms(x, 0, m, d, xn, 0);
        const out = new Float64Array(rows + 2).fill(-7);
        kernel(q, 0, rows, x, xn, m, d, c, exclude, out, 2);
        expect(out[1]).toBe(-7);
        for (let r = 0; r < rows; r++) {
          const want = bruteLogSum(q, r, x, m, d, c, exclude);
          const got = out[2 + r] as number;
          if (want === Number.NEGATIVE_INFINITY) expect(got).toBe(want);
          // GEMM distances carry rounding of ‖q‖² + ‖x‖² magnitude, times c in the exponent
          else expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(want)) * (1 + c * 40));
        }
      }),
      { numRuns: 150, seed: 13 },
    );
  });

  it('stays finite for far queries and gives a row the same value in any batch', () => {
    const rng = new Rng(8);
    const d = 5;
    const m = 1030;
    const rows = 40;
    const x = new Float64Array(m * d).map(() => rng.normal());
    const q = new Float64Array(rows * d).map(() => rng.normal() * 30);
    const xn = new Float64Array(m);
    rowSquaredNorms(x, 0, m, d, xn, 0);
    const all = new Float64Array(rows);
    kernel(q, 0, rows, x, xn, m, d, 0.5, false, all, 0);
    const one = new Float64Array(1);
    for (let r = 0; r < rows; r++) {
      expect(Number.isFinite(all[r])).toBe(true);
      kernel(q, r * d, 1, x, xn, m, d, 0.5, false, one, 0);
      expect(one[0]).toBe(all[r]);
    }
  });
});

describe('the two backends', () => {
  it('agree bit for bit on k-nearest distances and indices for continuous data (both exact)', () => {
    const rng = new Rng(21);
    const d = 33;
    const m = 700;
    const rows = 50;
    const k = 5;
    const x = new Float64Array(m * d).map(() => rng.normal());
    const q = new Float64Array(rows * d).map(() => rng.normal());
    const xn = new Float64Array(m);
    rowSquaredNorms(x, 0, m, d, xn, 0);
    const a = { d: new Float64Array(rows * k), i: new Int32Array(rows * k) };
    const b = { d: new Float64Array(rows * k), i: new Int32Array(rows * k) };
    knnSelect(q, 0, rows, x, xn, m, d, k, false, a.d, a.i, 0);
    wasmKnnSelect(q, 0, rows, x, xn, m, d, k, false, b.d, b.i, 0);
    expect(Array.from(b.d)).toEqual(Array.from(a.d));
    expect(Array.from(b.i)).toEqual(Array.from(a.i));
  });
});
