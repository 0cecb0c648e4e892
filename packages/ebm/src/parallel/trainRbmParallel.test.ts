import { AbortError, getBackend, Rng, setBackend, ValueError } from '@nexus/ebm-core';
import { RBM, type RBMOptions } from '@nexus/ebm-energies';
import { setRbmKernels } from '@nexus/ebm-energies/training';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trainRbmParallel } from './trainRbmParallel.js';

/** Rows that are noisy copies of 5 binary prototypes; row i has a fraction flipOf(i) of its bits flipped. */
function binary(n: number, d: number, seed: number, flipOf: (i: number) => number): number[][] {
  const r = new Rng(seed);
  const protos = Array.from({ length: 5 }, () =>
    Array.from({ length: d }, () => (r.uniform() < 0.5 ? 1 : 0)),
  );
  return Array.from({ length: n }, (_, i) => {
    const p = protos[r.int(5)] as number[];
    const f = flipOf(i);
    return p.map((b) => (r.uniform() < f ? 1 - b : b));
  });
}

/** Rank-3 rows in 10 dimensions; row i gets noise of standard deviation noiseOf(i). */
function lowRank(n: number, seed: number, noiseOf: (i: number) => number): number[][] {
  const r = new Rng(seed);
  const B = Array.from({ length: 3 }, () => Array.from({ length: 10 }, () => r.normal()));
  return Array.from({ length: n }, (_, i) => {
    const z = [r.normal(), r.normal(), r.normal()];
    return Array.from({ length: 10 }, (_, j) => {
      let s = noiseOf(i) * r.normal();
      for (let q = 0; q < 3; q++) s += (z[q] as number) * (B[q]?.[j] as number);
      return s;
    });
  });
}

/** Spearman rank correlation (continuous values, no ties). */
function spearman(a: Float64Array, b: Float64Array): number {
  const rank = (x: Float64Array): Float64Array => {
    const idx = Array.from(x, (_, i) => i).sort((p, q) => (x[p] as number) - (x[q] as number));
    const r = new Float64Array(x.length);
    idx.forEach((i, k) => {
      r[i] = k;
    });
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const n = a.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += ((ra[i] as number) - (rb[i] as number)) ** 2;
  return 1 - (6 * s) / (n * (n * n - 1));
}

function params(m: RBM): number[] {
  return (m.toJSON().state as { params: number[] }).params;
}

/** Runs `fn` with the TypeScript kernels, restoring the previous backend afterwards. */
async function withTsKernels<T>(fn: () => Promise<T>): Promise<T> {
  const prev = getBackend();
  setBackend('ts');
  setRbmKernels('ts');
  try {
    return await fn();
  } finally {
    setBackend(prev);
    setRbmKernels('auto');
  }
}

describe('trainRbmParallel', () => {
  const X = binary(6000, 24, 1, () => 0.05);
  // held-out rows with 0 %, 5 %, …, 45 % of their bits flipped: free energies rank them by anomaly
  const held = binary(400, 24, 2, (i) => (i % 10) * 0.05);
  const opts: RBMOptions = { nHidden: 16, epochs: 30, batchSize: 100, learningRate: 0.05, seed: 3 };

  it('with one worker gives exactly the model of RBM.fit, with the TypeScript kernels and with the default ones (PCD and CD-k, Bernoulli and Gaussian)', async () => {
    const small = X.slice(0, 1003); // a partial last minibatch
    const G = lowRank(1003, 4, () => 0.3);
    const cases: [number[][], RBMOptions][] = [
      [small, { nHidden: 8, epochs: 3, batchSize: 64 }],
      [G, { visible: 'gaussian', method: 'cd', k: 2, nHidden: 6, epochs: 3, batchSize: 50 }],
    ];
    const kernelSets = [withTsKernels, <T>(fn: () => Promise<T>): Promise<T> => fn()];
    for (const [[data, o], run] of cases.flatMap((c) => kernelSets.map((r) => [c, r] as const))) {
      const progress: number[] = [];
      const fitProgress: number[] = [];
      const [par, one] = await run(async () => [
        await trainRbmParallel(data, o, {
          workers: 1,
          seed: 7,
          onProgress: (p) => {
            progress.push(p.loss ?? Number.NaN);
          },
        }),
        new RBM(o).fit(data, {
          seed: 7,
          onProgress: (p) => {
            fitProgress.push(p.loss ?? Number.NaN);
          },
        }),
      ]);
      expect(params(par)).toEqual(params(one));
      expect(par.toJSON()).toEqual(one.toJSON());
      expect(progress).toEqual(fitProgress); // the same reconstruction monitor, epoch by epoch
      expect(Array.from(par.energy(data.slice(0, 20)))).toEqual(Array.from(one.energy(data.slice(0, 20))));
    }
  }, 60_000);

  it('property: the same seed and worker count give a bit-identical model, for any worker count and batch size', async () => {
    const data = X.slice(0, 301);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 70 }),
        fc.constantFrom<'pcd' | 'cd'>('pcd', 'cd'),
        async (workers, batchSize, method) => {
          const o: RBMOptions = { nHidden: 5, epochs: 2, batchSize, method };
          const a = await trainRbmParallel(data, o, { workers, seed: 11 });
          const b = await trainRbmParallel(data, o, { workers, seed: 11 });
          expect(params(a)).toEqual(params(b));
          expect(params(a).every(Number.isFinite)).toBe(true);
        },
      ),
      { numRuns: 4, seed: 20261206 },
    );
  }, 120_000);

  it('Bernoulli units, two workers: free energies of held-out rows rank like the one-thread model', async () => {
    const par = await trainRbmParallel(X, opts, { workers: 2, seed: 3 });
    const one = new RBM(opts).fit(X, { seed: 3 });
    const rho = spearman(par.energy(held), one.energy(held));
    // two one-thread fits with different seeds agree to about 0.9 here: the chains are stochastic
    expect(rho).toBeGreaterThan(0.85);
    expect(params(par)).not.toEqual(params(one)); // two sampling streams really differ from one
  }, 60_000);

  it('Gaussian units, two workers: free energies of held-out rows rank like the one-thread model', async () => {
    const G = lowRank(3000, 5, () => 0.2);
    const Gh = lowRank(400, 5, (i) => 0.2 + (i % 10) * 0.2);
    const o: RBMOptions = { visible: 'gaussian', nHidden: 16, epochs: 8, batchSize: 50, seed: 3 };
    const names = Array.from({ length: 10 }, (_, j) => `f${j}`);
    const par = await trainRbmParallel(G, o, {
      workers: 2,
      seed: 3,
      featureNames: names,
    });
    const one = new RBM(o).fit(G, { seed: 3 });
    expect(spearman(par.energy(Gh), one.energy(Gh))).toBeGreaterThan(0.97);
    expect(par.featureNames).toEqual(names);
  }, 60_000);

  it('rejects bad input like RBM.fit and honours an aborted signal', async () => {
    await expect(trainRbmParallel(X, opts, { workers: 0 })).rejects.toThrow(RangeError);
    await expect(trainRbmParallel(X, { nHidden: 0 })).rejects.toThrow(/nHidden/);
    await expect(
      trainRbmParallel(
        [
          [0, 1],
          [0.5, 2],
        ],
        {},
        { workers: 1 },
      ),
    ).rejects.toThrow(ValueError);
    await expect(
      trainRbmParallel(
        [
          [0, 1],
          [0.5, 2],
        ],
        {},
        { workers: 1 },
      ),
    ).rejects.toThrow(
      /trainRbmParallel: value at row 1, column 1 is outside the range of Bernoulli visible units/,
    );
    await expect(trainRbmParallel([], opts, { workers: 1 })).rejects.toThrow(
      /trainRbmParallel: empty input \(expected at least one row, got 0 rows\)/,
    );
    await expect(trainRbmParallel(X, opts, { workers: 1, featureNames: ['a'] })).rejects.toThrow(
      /featureNames has the wrong length/,
    );
    await expect(trainRbmParallel(X, opts, { workers: 1, signal: AbortSignal.abort() })).rejects.toThrow(
      AbortError,
    );
  });

  it('stops mid-training when the signal fires, and reports a diverging fit as a ValueError', async () => {
    const ac = new AbortController();
    const epochs: number[] = [];
    await expect(
      trainRbmParallel(
        X,
        { ...opts, epochs: 1000 },
        {
          workers: 2,
          onProgress: (p) => {
            epochs.push(p.epoch);
            ac.abort();
          },
          signal: ac.signal,
        },
      ),
    ).rejects.toThrow(AbortError);
    expect(epochs.length).toBeLessThan(5);
    const wild = lowRank(500, 6, () => 0.1).map((r) => r.map((v) => v * 1e6));
    await expect(
      trainRbmParallel(
        wild,
        { visible: 'gaussian', standardize: false, learningRate: 10, epochs: 5 },
        { workers: 2 },
      ),
    ).rejects.toThrow(ValueError);
  }, 60_000);
});
