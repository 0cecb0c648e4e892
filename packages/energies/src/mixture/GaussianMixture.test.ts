import { loadModel, Matrix, ModelFormatError, ParameterError, Rng, ValueError } from '@nexus/ebm-core';
import { describeEnergyModelContract } from '@nexus/ebm-core/testing';
import { describe, expect, it } from 'vitest';
import { GaussianDensity } from '../gaussian/GaussianDensity.js';
import { registerBuiltinModels } from '../registration/registerBuiltinModels.js';
import { GaussianMixture } from './GaussianMixture.js';

// saved models below load through `loadModel`, which needs the built-in kinds registered
registerBuiltinModels();

/** Same fixture as the GaussianDensity tests (values cross-checked with scikit-learn 1.2.1). */
function fixture(): Matrix {
  const m = new Matrix(30, 4);
  for (let i = 0; i < 30; i++) {
    for (let j = 0; j < 4; j++)
      m.set(i, j, Math.sin(i * (1.3 + 0.37 * j) + j) * (j + 1) + Math.cos(i * i * 0.1 * (j + 1)));
  }
  return m;
}

/** Three well-separated 2-D blobs of 60, 90 and 150 rows. */
function blobs(seed: number): Matrix {
  const rng = new Rng(seed);
  const centers = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];
  const sizes = [60, 90, 150];
  const rows: number[][] = [];
  sizes.forEach((size, c) => {
    const [cx, cy] = centers[c] as [number, number];
    for (let i = 0; i < size; i++) rows.push([cx + rng.normal(), cy + 0.5 * rng.normal()]);
  });
  return new Matrix(rows.length, 2, Float64Array.from(rows.flat()));
}

describeEnergyModelContract('GaussianMixture (full, k=2)', () => new GaussianMixture({ nComponents: 2 }), {
  describe,
  it,
});
describeEnergyModelContract(
  'GaussianMixture (diagonal, k=3, nInit=2)',
  () => new GaussianMixture({ nComponents: 3, covariance: 'diagonal', nInit: 2 }),
  { describe, it },
);

describe('GaussianMixture', () => {
  it('with k = 1 agrees with GaussianDensity', () => {
    for (const covariance of ['full', 'diagonal'] as const) {
      const X = fixture();
      const gm = new GaussianMixture({ nComponents: 1, covariance }).fit(X);
      const g = new GaussianDensity({ covariance }).fit(X);
      const T = [
        [0, 0, 0, 0],
        [1, -1, 2, 0.5],
        [3, 3, 3, 3],
      ];
      const a = gm.energy(T);
      const b = g.energy(T);
      for (let i = 0; i < 3; i++) expect(a[i]).toBeCloseTo(b[i] as number, 9);
      expect(gm.converged).toBe(true);
    }
  });

  it('contributions: with k = 1 they equal GaussianDensity contributions; for k = 3 rows sum to the energy', () => {
    const X = fixture();
    const a = new GaussianMixture({ nComponents: 1 }).fit(X).contributions(X);
    const b = new GaussianDensity().fit(X).contributions(X);
    for (let t = 0; t < a.data.length; t++) expect(a.data[t]).toBeCloseTo(b.data[t] as number, 9);
    const B = blobs(2);
    const gm = new GaussianMixture({ nComponents: 3 }).fit(B, { seed: 1 });
    const probe = [
      [5, 5],
      [0.5, 0.2],
      [20, -3],
    ];
    const c = gm.contributions(probe);
    const e = gm.energy(probe);
    for (let i = 0; i < 3; i++) expect(c.get(i, 0) + c.get(i, 1)).toBeCloseTo(e[i] as number, 9);
    // the far point's energy is driven by feature 0 (x = 20 is far from every blob; y = −3 is not)
    expect(c.get(2, 0)).toBeGreaterThan(c.get(2, 1));
  });

  it('matches scikit-learn BIC and AIC for k = 1', () => {
    const X = fixture();
    const full = new GaussianMixture({ nComponents: 1 }).fit(X);
    expect(full.bic(X)).toBeCloseTo(527.1697345031856, 7);
    expect(full.aic(X)).toBeCloseTo(507.55297115991544, 7);
    const diag = new GaussianMixture({ nComponents: 1, covariance: 'diagonal' }).fit(X);
    expect(diag.bic(X)).toBeCloseTo(507.98081624533586, 7);
    expect(diag.aic(X)).toBeCloseTo(496.7712371920386, 7);
  });

  it('recovers three separated blobs and scores between-blob points as anomalous', () => {
    const X = blobs(1);
    const gm = new GaussianMixture({ nComponents: 3, nInit: 3 }).fit(X, { seed: 2 });
    const w = Array.from(gm.weights).sort((a, b) => a - b);
    expect(w[0]).toBeCloseTo(0.2, 2);
    expect(w[1]).toBeCloseTo(0.3, 2);
    expect(w[2]).toBeCloseTo(0.5, 2);
    const [inside, between] = gm.energy([
      [10, 0],
      [5, 5],
    ]);
    expect(between as number).toBeGreaterThan((inside as number) + 10);
    // the mixture fits far better than one Gaussian
    expect(gm.logLikelihood).toBeGreaterThan(
      new GaussianMixture({ nComponents: 1 }).fit(X).logLikelihood + 1,
    );
  });

  it('selectK chooses k = 3 for three blobs by BIC and AIC', () => {
    const X = blobs(3);
    const res = GaussianMixture.selectK(X, { kMin: 1, kMax: 5, nInit: 2 }, { seed: 4 });
    expect(res.k).toBe(3);
    expect(res.model.nComponents).toBe(3);
    expect(res.scores.map((s) => s.k)).toEqual([1, 2, 3, 4, 5]);
    expect(GaussianMixture.selectK(X, { kMax: 4, criterion: 'aic' }, { seed: 4 }).k).toBeGreaterThanOrEqual(
      3,
    );
  });

  it('nInit keeps the best likelihood; reports progress; same seed, same model', () => {
    const X = blobs(5);
    const one = new GaussianMixture({ nComponents: 4, nInit: 1 }).fit(X, { seed: 9 });
    const many = new GaussianMixture({ nComponents: 4, nInit: 4 }).fit(X, { seed: 9 });
    expect(many.logLikelihood).toBeGreaterThanOrEqual(one.logLikelihood - 1e-9);
    let calls = 0;
    new GaussianMixture({ nComponents: 2, maxIter: 5, tolerance: 0 }).fit(X, { onProgress: () => calls++ });
    expect(calls).toBe(5);
    const again = new GaussianMixture({ nComponents: 4, nInit: 1 }).fit(X, { seed: 9 });
    expect(Array.from(again.energy(X))).toEqual(Array.from(one.energy(X)));
  });

  it('fitAsync yields between EM iterations, equals fit, and can be aborted from a timer', async () => {
    const X = blobs(6);
    const opts = { nComponents: 3, tolerance: 0, maxIter: 40 };
    const sync = new GaussianMixture(opts).fit(X, { seed: 1 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const asyncModel = await new GaussianMixture(opts).fitAsync(X, { seed: 1 });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(Array.from(asyncModel.energy(X))).toEqual(Array.from(sync.energy(X)));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 0);
    const m = new GaussianMixture({ ...opts, maxIter: 100_000 });
    await expect(m.fitAsync(X, { signal: ac.signal })).rejects.toThrow(/aborted/);
    expect(m.fitted).toBe(false);
  });

  it('rejects bad hyperparameters and data clearly', () => {
    expect(() => new GaussianMixture({ nComponents: 0 })).toThrow(ParameterError);
    expect(() => new GaussianMixture({ nComponents: 2.5 })).toThrow(/nComponents must be an integer/);
    expect(() => new GaussianMixture({ tolerance: -1 })).toThrow(ParameterError);
    expect(() => new GaussianMixture({ covariance: 'tied' as 'full' })).toThrow(/unknown covariance/);
    expect(() => new GaussianMixture({ nComponents: 5 }).fit([[1], [2]])).toThrow(ValueError);
    expect(() => new GaussianMixture({ nComponents: 5 }).fit([[1], [2]])).toThrow(
      /expected at least 5 rows, got 2/,
    );
    expect(() => GaussianMixture.selectK(blobs(1), { kMin: 3, kMax: 2 })).toThrow(ParameterError);
    const json = JSON.parse(JSON.stringify(new GaussianMixture().fit(blobs(1)).toJSON())) as {
      state: { weights: number[] };
    };
    json.state.weights = [0.9, 0.9];
    expect(() => loadModel(json)).toThrow(ModelFormatError);
  });
});
