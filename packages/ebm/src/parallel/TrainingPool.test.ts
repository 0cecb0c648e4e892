import { AbortError, Rng, ValueError } from '@nexus/ebm-core';
import type { Autoencoder, AutoencoderOptions, RBM, RBMOptions } from '@nexus/ebm-energies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingPool } from './TrainingPool.js';
import { fitGaussianParallel, trainAutoencoderParallel } from './trainParallel.js';
import { trainRbmParallel } from './trainRbmParallel.js';

function rows(n: number, d: number, seed: number, binary: boolean): number[][] {
  const r = new Rng(seed);
  return Array.from({ length: n }, () =>
    Array.from({ length: d }, () => (binary ? (r.uniform() < 0.3 ? 1 : 0) : r.normal())),
  );
}

function params(m: Autoencoder | RBM): number[] {
  return (m.toJSON().state as { params: number[] }).params;
}

describe('TrainingPool', () => {
  const X = rows(1200, 10, 1, false);
  const B = rows(1200, 12, 2, true);
  const ae: AutoencoderOptions = { hiddenSizes: [6, 3], epochs: 2, batchSize: 64, patience: 0 };
  const rbm: RBMOptions = { nHidden: 6, epochs: 2, batchSize: 50 };
  let pool: TrainingPool;

  beforeAll(async () => {
    pool = await TrainingPool.create({ workers: 2 });
  }, 30_000);
  afterAll(async () => {
    await pool.close();
  });

  it('gives the models of freshly started workers, fit after fit', async () => {
    expect(pool.size).toBe(2);
    const fresh = await trainAutoencoderParallel(X, ae, { workers: 2, seed: 3 });
    const a = await trainAutoencoderParallel(X, ae, { pool, seed: 3 });
    const b = await trainAutoencoderParallel(X, ae, { pool, seed: 3, workers: 2 });
    expect(params(a)).toEqual(params(fresh));
    expect(params(b)).toEqual(params(fresh));
    const freshRbm = await trainRbmParallel(B, rbm, { workers: 2, seed: 4 });
    // two fits queued at once run one after the other
    const [r1, r2] = await Promise.all([
      trainRbmParallel(B, rbm, { pool, seed: 4 }),
      trainRbmParallel(B, { ...rbm, method: 'cd' }, { pool, seed: 4 }),
    ]);
    expect(params(r1)).toEqual(params(freshRbm));
    expect(params(r2)).not.toEqual(params(freshRbm));
  }, 60_000);

  it('survives an aborted fit, a failing fit and a throwing onProgress', async () => {
    const ac = new AbortController();
    await expect(
      trainAutoencoderParallel(
        X,
        { ...ae, epochs: 1000 },
        { pool, signal: ac.signal, onProgress: () => ac.abort() },
      ),
    ).rejects.toThrow(AbortError);
    const wild = rows(300, 4, 5, false).map((r) => r.map((v) => v * 1e6));
    await expect(
      trainRbmParallel(
        wild,
        { visible: 'gaussian', standardize: false, learningRate: 10, epochs: 3 },
        { pool },
      ),
    ).rejects.toThrow(ValueError);
    await expect(
      trainRbmParallel(B, rbm, {
        pool,
        onProgress: () => {
          throw new Error('stop here');
        },
      }),
    ).rejects.toThrow('stop here');
    // aborted while waiting behind another fit
    const ac2 = new AbortController();
    const first = trainAutoencoderParallel(X, ae, { pool, seed: 3 });
    const queued = trainAutoencoderParallel(X, { ...ae, epochs: 1000 }, { pool, signal: ac2.signal });
    ac2.abort();
    await first;
    await expect(queued).rejects.toThrow(AbortError);
    const after = await trainAutoencoderParallel(X, ae, { pool, seed: 3 });
    const fresh = await trainAutoencoderParallel(X, ae, { workers: 2, seed: 3 });
    expect(params(after)).toEqual(params(fresh));
  }, 60_000);

  it('rejects a worker count other than its size, the Gaussian fit, and fits after close', async () => {
    await expect(trainAutoencoderParallel(X, ae, { pool, workers: 3 })).rejects.toThrow(
      /trainAutoencoderParallel: workers does not match the pool \(expected 2 \(the pool's size\) or no workers option, got 3\)/,
    );
    await expect(fitGaussianParallel(X, {}, { pool })).rejects.toThrow(/a training pool is not supported/);
    const small = await TrainingPool.create({ workers: 1 });
    await small.close();
    await expect(trainRbmParallel(B, rbm, { pool: small })).rejects.toThrow(/the training pool is closed/);
    await expect(TrainingPool.create({ workers: 0 })).rejects.toThrow(RangeError);
  }, 60_000);
});
