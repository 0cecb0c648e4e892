import { fileURLToPath } from 'node:url';
import { type EnergyModel, Matrix, ModelFormatError, Rng } from '@nexus/ebm-core';
import { MAX_JSON_CHARS } from '@nexus/ebm-core/extend';
import {
  Autoencoder,
  EnsembleEnergy,
  GaussianDensity,
  GaussianMixture,
  HistogramDensity,
  KernelDensity,
  KnnDensity,
  RBM,
} from '@nexus/ebm-energies';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { energyParallel, ScoringPool } from './ScoringPool.js';
import { BallastEnergy } from './testing/ballastEnergy.js';
import { WeightedDistance } from './testing/userEnergy.js';

const userModule = fileURLToPath(new URL('./testing/userEnergy.ts', import.meta.url));
const ballastModule = fileURLToPath(new URL('./testing/ballastEnergy.ts', import.meta.url));

function data(rows: number, cols: number, seed: number): number[][] {
  const r = new Rng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => r.normal()));
}

describe('ScoringPool', () => {
  const model = new WeightedDistance().fit(data(500, 7, 1));
  let pool: ScoringPool;
  beforeAll(async () => {
    pool = await ScoringPool.create(model, { workers: 2, modules: [userModule], minParallelRows: 0 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it("scores a user's energy on worker threads, identical to one thread", async () => {
    const X = data(5003, 7, 2);
    const par = await pool.energy(X);
    expect(Array.from(par)).toEqual(Array.from(model.energy(X)));
  });

  it('scores rows that already lie in shared memory without copying them (at an offset)', async () => {
    const rows = data(801, 7, 7);
    const sab = new SharedArrayBuffer((2 + 801 * 7) * 8);
    const x = new Float64Array(sab, 16, 801 * 7);
    rows.forEach((r, i) => {
      x.set(r, i * 7);
    });
    const par = await pool.energy(new Matrix(801, 7, x));
    expect(Array.from(par)).toEqual(Array.from(model.energy(rows)));
  });

  it('handles fewer rows than workers and repeated calls', async () => {
    const X = data(1, 7, 3);
    expect(Array.from(await pool.energy(X))).toEqual(Array.from(model.energy(X)));
    const Y = data(10, 7, 4);
    expect(Array.from(await pool.energy(Y))).toEqual(Array.from(model.energy(Y)));
  });

  it('validates input at the boundary', async () => {
    await expect(pool.energy(data(3, 6, 5))).rejects.toThrow(
      /wrong number of features \(expected 7, got 6\)/,
    );
  });

  it('names the first non-finite value of the whole batch, whichever block the workers check first', async () => {
    const X = data(9000, 7, 8); // eight blocks of 1,125 rows, shared out between the two workers
    (X[8500] as number[])[2] = Number.POSITIVE_INFINITY; // last block
    (X[5000] as number[])[6] = Number.NaN; // fifth block
    await expect(pool.energy(X)).rejects.toThrow(
      /^ScoringPool\.energy: non-finite value at row 5000, column 6 \(expected a finite number, got NaN\)/,
    );
    (X[4100] as number[])[1] = Number.NaN; // fourth block, earlier
    await expect(pool.energy(X)).rejects.toThrow(/row 4100, column 1/);
    (X[10] as number[])[0] = Number.NEGATIVE_INFINITY; // first block: reported before the others
    const err = await pool.energy(X).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RangeError);
    expect(String(err)).toMatch(/row 10, column 0 \(expected a finite number, got -Infinity\)/);
    // the pool still works after a rejected batch
    const Y = data(9000, 7, 9);
    expect(Array.from(await pool.energy(Y))).toEqual(Array.from(model.energy(Y)));
  });

  it('fails clearly when a worker cannot load the kind', async () => {
    await expect(energyParallel(model, data(10, 7, 6), { workers: 1 })).rejects.toThrow(
      /test-weighted-distance/,
    );
  });

  it('rejects a bad worker count', async () => {
    await expect(ScoringPool.create(model, { workers: 0 })).rejects.toThrow(RangeError);
  });
});

describe('ScoringPool with every built-in energy', () => {
  // d = 70: every parameter array is long enough to travel in the shared buffer (≥ 64 numbers)
  const train = data(400, 70, 11);
  const X = data(3001, 70, 12);
  const fitted: [string, () => EnergyModel][] = [
    ['gaussian', () => new GaussianDensity().fit(train)],
    ['mixture', () => new GaussianMixture({ nComponents: 2, seed: 1 }).fit(train)],
    ['histogram', () => new HistogramDensity().fit(train)],
    ['autoencoder', () => new Autoencoder({ hiddenSizes: [8], epochs: 2, seed: 1 }).fit(train)],
    ['rbm', () => new RBM({ visible: 'gaussian', epochs: 2, seed: 1 }).fit(train)],
    ['kde', () => new KernelDensity().fit(train)],
    ['knn', () => new KnnDensity().fit(train)],
    [
      'ensemble',
      () =>
        new EnsembleEnergy({
          members: [new GaussianDensity(), new HistogramDensity(), new KnnDensity()],
        }).fit(train),
    ],
  ];
  it.each(fitted)(
    'scores %s on worker threads, bit for bit as on one thread; names the first bad value of the batch',
    async (_kind, fit) => {
      const model = fit();
      const pool = await ScoringPool.create(model, { workers: 2, minParallelRows: 0 });
      try {
        expect(Array.from(await pool.energy(X))).toEqual(Array.from(model.energy(X)));
        // whether the energy checks its rows in its own pass or a scan does, the error names batch rows
        const Y = new Matrix(X.length, 70, Float64Array.from(X.flat()));
        Y.data[2000 * 70 + 69] = Number.NaN;
        Y.data[2900 * 70 + 1] = Number.POSITIVE_INFINITY;
        await expect(pool.energy(Y)).rejects.toThrow(
          /^ScoringPool\.energy: non-finite value at row 2000, column 69 \(expected a finite number, got NaN\)/,
        );
      } finally {
        await pool.close();
      }
    },
  );
});

describe('ScoringPool model transfer', () => {
  it('pools a model whose JSON text is longer than a worker could parse before', async () => {
    // 2^24 numbers (as many as a 4-component mixture at d = 2,048's covariances)
    const L = 2 ** 24;
    const r = new Rng(3);
    const base = Array.from({ length: 1024 }, () => r.normal());
    const perCycle = base.reduce((t, v) => t + String(v).length + 1, 0); // "value," in JSON text
    const ballast = new Float64Array(L);
    for (let i = 0; i < L; i++) ballast[i] = base[i % 1024] as number;
    ballast[L - 1] = 12345.678;
    const model = new BallastEnergy(ballast).fit(data(50, 3, 13));
    expect((L / 1024) * perCycle).toBeGreaterThan(MAX_JSON_CHARS); // the ballast alone
    const X = data(2500, 3, 14);
    const par = await energyParallel(model, X, { workers: 2, modules: [ballastModule] });
    expect(Array.from(par)).toEqual(Array.from(model.energy(X)));
  });

  it("rejects a corrupted model in the worker with the loader's clear error", async () => {
    const model = new GaussianDensity().fit(data(300, 70, 15));
    const good = model.toJSON();
    const state = good.state as Record<string, unknown>;
    const mean = (state.mean as number[]).slice();
    mean[5] = Number.NaN;
    const spy = vi.spyOn(model, 'toJSON').mockReturnValue({ ...good, state: { ...state, mean } });
    const nan = await ScoringPool.create(model, { workers: 1 }).catch((e: unknown) => e);
    expect(nan).toBeInstanceOf(ModelFormatError);
    expect(String(nan)).toMatch(
      /loadModel: non-finite number at \$\.state\.mean\[5\] \(expected a finite number, got NaN\)/,
    );
    spy.mockReturnValue({ ...good, state: { ...state, mean: (state.mean as number[]).slice(0, 69) } });
    await expect(ScoringPool.create(model, { workers: 1 })).rejects.toThrow(
      /GaussianDensity\.fromJSON: field "mean" has the wrong length \(expected 70, got 69\)/,
    );
    spy.mockRestore();
  });
});
