import { getBackend, loadModel, Matrix, Rng, setBackend, useFastestBackend } from '@nexus/ebm-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KernelDensity } from '../kde/KernelDensity.js';
import { KnnDensity } from '../knn/KnnDensity.js';
import { registerBuiltinModels } from '../registration/registerBuiltinModels.js';

// saved models below load through `loadModel`, which needs the built-in kinds registered
registerBuiltinModels();

import { logUnitBallVolume } from './referenceRows.js';

/** Small integer rows (ties and copies happen) in raw units. */
function rows(seed: number, n: number, d: number): Matrix {
  const rng = new Rng(seed);
  const X = new Matrix(n, d);
  for (let k = 0; k < X.data.length; k++) X.data[k] = Math.floor(rng.uniform() * 5) - 2;
  return X;
}

function dists(X: Matrix, T: Matrix, i: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < X.rows; j++) {
    let s = 0;
    for (let c = 0; c < X.cols; c++) s += ((T.get(i, c) - X.get(j, c)) as number) ** 2;
    out.push(Math.sqrt(s));
  }
  return out.sort((a, b) => a - b);
}

const problem = fc.record({
  n: fc.integer({ min: 1, max: 30 }),
  t: fc.integer({ min: 1, max: 8 }),
  d: fc.integer({ min: 1, max: 4 }),
  k: fc.integer({ min: 1, max: 8 }),
  seed: fc.nat(),
});

describe('neighbour energies against brute force', () => {
  it('KnnDensity equals d·log r + log n + log V_d − log k from all distances (kth and mean)', () => {
    fc.assert(
      fc.property(
        problem,
        fc.constantFrom('kth' as const, 'mean' as const),
        ({ n, t, d, k, seed }, statistic) => {
          const X = rows(seed, n, d);
          const T = rows(seed + 1, t, d);
          const model = new KnnDensity({ k, statistic, standardize: false }).fit(X);
          const e = model.energy(T);
          const kk = Math.min(k, n);
          for (let i = 0; i < t; i++) {
            const ds = dists(X, T, i);
            const r =
              statistic === 'kth' ? (ds[kk - 1] as number) : ds.slice(0, kk).reduce((a, b) => a + b, 0) / kk;
            const want = d * Math.log(Math.max(r, 1e-8)) + Math.log(n) + logUnitBallVolume(d) - Math.log(kk);
            expect(Math.abs((e[i] as number) - want)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(want)));
          }
        },
      ),
      { numRuns: 80, seed: 31 },
    );
  });

  it('KnnDensity is exact: bit for bit the brute-force f64 energy on both backends, where f32 cannot order the rows', () => {
    // rows far from the origin (f32 keeps ~3 digits of their distances), near-ties and exact duplicates
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 60 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.nat(),
        (n, d, k0, seed) => {
          const rng = new Rng(seed);
          const X = new Matrix(n, d);
          for (let i = 0; i < n; i++)
            for (let c = 0; c < d; c++)
              X.data[i * d + c] =
                i % 4 === 3 ? (X.data[(i - 1) * d + c] as number) : 1000 + rng.normal() * 1e-3;
          const T = new Matrix(5, d);
          for (let c = 0; c < T.data.length; c++) T.data[c] = 1000 + rng.normal() * 1e-3;
          T.data.set(X.data.subarray(0, d), 0);
          const k = Math.min(k0, n - 1);
          const offset = Math.log(n) + logUnitBallVolume(d) - Math.log(k) + 0;
          const brute = (i: number, leaveOut: boolean): number => {
            const all: number[] = [];
            let skipped = false;
            for (let j = 0; j < n; j++) {
              let s = 0;
              let copy = true;
              for (let c = 0; c < d; c++) {
                const e = (T.get(i, c) as number) - (X.get(j, c) as number);
                s += e * e;
                if (e !== 0) copy = false;
              }
              if (leaveOut && copy && !skipped) skipped = true;
              else all.push(s);
            }
            all.sort((a, b) => a - b);
            return d * Math.log(Math.sqrt(Math.max(all[k - 1] as number, 1e-16))) + offset;
          };
          for (const backend of ['wasm', 'ts'] as const) {
            if (backend === 'ts') setBackend('ts');
            else useFastestBackend();
            expect(getBackend().name).toBe(backend);
            try {
              const model = new KnnDensity({ k, standardize: false }).fit(X);
              const e = model.energy(T);
              const loo = model.trainingEnergy(T);
              model.dispose();
              for (let i = 0; i < 5; i++) {
                expect(e[i]).toBe(brute(i, false));
                expect(loo[i]).toBe(brute(i, true));
              }
            } finally {
              useFastestBackend();
            }
          }
        },
      ),
      { numRuns: 60, seed: 37 },
    );
  });

  it('KernelDensity equals −log of the mean Gaussian kernel computed term by term', () => {
    fc.assert(
      fc.property(problem, fc.double({ min: 0.2, max: 3, noNaN: true }), ({ n, t, d, seed }, h) => {
        const X = rows(seed, n, d);
        const T = rows(seed + 1, t, d);
        const e = new KernelDensity({ bandwidth: h, standardize: false }).fit(X).energy(T);
        for (let i = 0; i < t; i++) {
          const ds = dists(X, T, i);
          const p =
            ds.reduce((a, r) => a + Math.exp(-(r * r) / (2 * h * h)), 0) /
            n /
            (2 * Math.PI * h * h) ** (d / 2);
          const want = -Math.log(p);
          expect(Math.abs((e[i] as number) - want)).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(want)));
        }
      }),
      { numRuns: 80, seed: 37 },
    );
  });

  it('score rows independently of their batch and identically after save → load (both energies)', () => {
    fc.assert(
      fc.property(problem, fc.boolean(), ({ n, t, d, seed }, useKde) => {
        const X = rows(seed, n + 1, d);
        const T = rows(seed + 1, t, d);
        const model = useKde ? new KernelDensity() : new KnnDensity();
        model.fit(X, { seed });
        const all = model.energy(T);
        const again = loadModel(JSON.stringify(model.toJSON()));
        expect(Array.from(again.energy(T))).toEqual(Array.from(all));
        for (let i = 0; i < t; i++) expect(model.energy(T.selectRows([i]))[0]).toBe(all[i]);
        const loo = model.trainingEnergy(X);
        for (let i = 0; i < X.rows; i++) expect(model.trainingEnergy(X.selectRows([i]))[0]).toBe(loo[i]);
      }),
      { numRuns: 40, seed: 41 },
    );
  });
});
