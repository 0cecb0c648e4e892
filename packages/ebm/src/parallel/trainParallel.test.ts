import { AbortError, getBackend, Rng, setBackend } from '@nexus/ebm-core';
import { Autoencoder, type AutoencoderOptions, GaussianDensity } from '@nexus/ebm-energies';
import { setAutoencoderKernels } from '@nexus/ebm-energies/training';
import { describe, expect, it } from 'vitest';
import { fitGaussianParallel, trainAutoencoderParallel } from './trainParallel.js';

/** Low-rank data plus noise: rows = z·B + ε with z of dimension `rank`. */
function lowRank(rows: number, cols: number, rank: number, seed: number): number[][] {
  const r = new Rng(seed);
  const B = Array.from({ length: rank }, () => Array.from({ length: cols }, () => r.normal()));
  return Array.from({ length: rows }, () => {
    const z = Array.from({ length: rank }, () => r.normal());
    return Array.from({ length: cols }, (_, j) => {
      let s = 0.1 * r.normal();
      for (let q = 0; q < rank; q++) s += (z[q] as number) * (B[q]?.[j] as number);
      return s;
    });
  });
}

function params(m: Autoencoder): number[] {
  return (m.toJSON().state as { params: number[] }).params;
}

const opts: AutoencoderOptions = {
  hiddenSizes: [8, 3],
  activation: 'relu',
  epochs: 3,
  batchSize: 64,
  patience: 0,
};

/** Held-out rows for comparing a parallel model with one trained on one thread. */
const heldOut = lowRank(300, 12, 3, 9);

/** Mean over rows of |a − b| / b. */
function meanRelativeDiff(a: Float64Array, b: Float64Array): number {
  let rel = 0;
  for (let i = 0; i < a.length; i++) rel += Math.abs((a[i] as number) - (b[i] as number)) / (b[i] as number);
  return rel / a.length;
}

/**
 * The same autoencoder trained by `trainAutoencoderParallel` with one worker and by `Autoencoder.fit`, both
 * on the TypeScript kernels (so the two can be compared bit for bit).
 */
async function oneWorkerAndFit(
  rows: number[][],
  o: AutoencoderOptions,
  seed: number,
  onProgress: (p: { epoch: number; epochs: number }) => void,
): Promise<{ par: Autoencoder; one: Autoencoder }> {
  const prev = getBackend();
  setBackend('ts');
  setAutoencoderKernels('ts');
  try {
    const par = await trainAutoencoderParallel(rows, o, { workers: 1, seed, onProgress });
    return { par, one: new Autoencoder(o).fit(rows, { seed }) };
  } finally {
    setBackend(prev);
    setAutoencoderKernels('auto');
  }
}

describe('trainAutoencoderParallel', () => {
  const X = lowRank(1500, 12, 3, 1);

  it('with one worker and the TypeScript kernels gives exactly the model of Autoencoder.fit, including noise and dropout draws', async () => {
    const o: AutoencoderOptions = { ...opts, inputNoise: 0.05, dropout: 0.1, clipNorm: 5 };
    const progress: number[] = [];
    const { par, one } = await oneWorkerAndFit(X, o, 4, (p) => progress.push(p.epoch));
    expect(params(par)).toEqual(params(one));
    expect(progress).toEqual([1, 2, 3]);
    expect(Array.from(par.energy(X.slice(0, 50)))).toEqual(Array.from(one.energy(X.slice(0, 50))));
  }, 30_000);

  it("resolves epochs 'auto' from the rows as Autoencoder.fit does (one worker: the same model)", async () => {
    const rows = lowRank(2500, 12, 3, 3); // 'auto' = round(50,000 / 2,500) = 20 epochs
    const o: AutoencoderOptions = { hiddenSizes: [8, 3], patience: 0 }; // default dropout 0.2 and epochs 'auto'
    const progress: number[] = [];
    const { par, one } = await oneWorkerAndFit(rows, o, 5, (p) => progress.push(p.epochs));
    expect(progress).toHaveLength(20);
    expect(new Set(progress)).toEqual(new Set([20]));
    expect(par.toJSON()).toEqual(one.toJSON());
  }, 30_000);

  it('with two workers: deterministic, and within rounding drift of one thread', async () => {
    const a = await trainAutoencoderParallel(X, opts, { workers: 2, seed: 2 });
    const b = await trainAutoencoderParallel(X, opts, { workers: 2, seed: 2 });
    expect(params(a)).toEqual(params(b)); // same seed, same worker count → bit-identical
    const one = new Autoencoder(opts).fit(X, { seed: 2 });
    expect(meanRelativeDiff(a.energy(heldOut), one.energy(heldOut))).toBeLessThan(0.02);
    expect(params(a)).not.toEqual(params(one)); // the summation order really differs
  }, 30_000);

  it('with one worker and the kernels of the calling thread (WebAssembly by default) gives exactly the model of Autoencoder.fit', async () => {
    const o: AutoencoderOptions = { ...opts, inputNoise: 0.05, dropout: 0.1 };
    const par = await trainAutoencoderParallel(X, o, { workers: 1, seed: 5 });
    const one = new Autoencoder(o).fit(X, { seed: 5 });
    expect(params(par)).toEqual(params(one));
  }, 30_000);

  it('three workers with SGD, clipping, noise and dropout: deterministic, and close to one thread', async () => {
    const o: AutoencoderOptions = {
      ...opts,
      optimizer: 'sgd',
      learningRate: 0.01,
      momentum: 0.9,
      clipNorm: 0.5,
      inputNoise: 0.05,
      dropout: 0.1,
      batchSize: 50, // slices of 16 and 17 rows, and a partial last batch
    };
    const a = await trainAutoencoderParallel(X, o, { workers: 3, seed: 6 });
    const b = await trainAutoencoderParallel(X, o, { workers: 3, seed: 6 });
    expect(params(a)).toEqual(params(b));
    const one = new Autoencoder(o).fit(X, { seed: 6 });
    expect(meanRelativeDiff(a.energy(heldOut), one.energy(heldOut))).toBeLessThan(0.02);
  }, 30_000);

  it('rejects bad worker counts and honours an aborted signal', async () => {
    await expect(trainAutoencoderParallel(X, opts, { workers: 0 })).rejects.toThrow(RangeError);
    await expect(
      trainAutoencoderParallel(X, opts, { workers: 1, signal: AbortSignal.abort() }),
    ).rejects.toThrow(AbortError);
  });

  it('stops mid-training when the signal fires', async () => {
    const ac = new AbortController();
    const big = { ...opts, epochs: 1000 };
    await expect(
      trainAutoencoderParallel(X, big, { workers: 1, onProgress: () => ac.abort(), signal: ac.signal }),
    ).rejects.toThrow(AbortError);
  }, 30_000);
});

describe('fitGaussianParallel', () => {
  it('merges per-worker statistics into the one-thread model (to rounding)', async () => {
    const X = lowRank(4001, 6, 6, 3);
    for (const covariance of ['ledoit-wolf'] as const) {
      const par = await fitGaussianParallel(X, { covariance }, { workers: 2 });
      const one = new GaussianDensity({ covariance }).fit(X);
      const test = lowRank(100, 6, 6, 5);
      const ep = par.energy(test);
      const e1 = one.energy(test);
      for (let i = 0; i < ep.length; i++) {
        expect(Math.abs((ep[i] as number) - (e1[i] as number))).toBeLessThan(
          1e-9 * (1 + Math.abs(e1[i] as number)),
        );
      }
    }
  }, 30_000);
});
