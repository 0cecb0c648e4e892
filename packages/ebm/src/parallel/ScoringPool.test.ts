import { fileURLToPath } from 'node:url';
import { Matrix, Rng } from '@nexus/ebm-core';
import { KnnDensity } from '@nexus/ebm-energies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { energyParallel, ScoringPool } from './ScoringPool.js';
import { WeightedDistance } from './testing/userEnergy.js';

const userModule = fileURLToPath(new URL('./testing/userEnergy.ts', import.meta.url));

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

describe('ScoringPool with the neighbour energies', () => {
  it('scores KnnDensity on worker threads, identical to one thread', async () => {
    const train = data(1500, 5, 11);
    const X = data(9001, 5, 12);
    const model = new KnnDensity().fit(train);
    const par = await energyParallel(model, X, { workers: 2 });
    expect(Array.from(par)).toEqual(Array.from(model.energy(X)));
  });
});
