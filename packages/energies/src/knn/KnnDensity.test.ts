import {
  loadModel,
  Matrix,
  ModelFormatError,
  ParameterError,
  setBackend,
  useFastestBackend,
} from '@nexus/ebm-core';
import { describeEnergyModelContract } from '@nexus/ebm-core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { gaussianRows } from '../neighbours/gaussianRows.js';
import { registerBuiltinModels } from '../registration/registerBuiltinModels.js';
import { KnnDensity } from './KnnDensity.js';

// saved models below load through `loadModel`, which needs the built-in kinds registered
registerBuiltinModels();

describeEnergyModelContract('KnnDensity', () => new KnnDensity(), { describe, it });
describeEnergyModelContract(
  'KnnDensity (mean, k = 3, raw units)',
  () => new KnnDensity({ k: 3, statistic: 'mean', standardize: false }),
  {
    describe,
    it,
  },
);
describeEnergyModelContract('KnnDensity (subsampled)', () => new KnnDensity({ maxRows: 30 }), {
  describe,
  it,
});

describe('KnnDensity', () => {
  afterEach(() => {
    useFastestBackend();
  });

  it('is −log of the k-NN density estimate: d·log r_k + log n + log V_d − log k', () => {
    // 1-d rows 0, 1, 3 (raw units): from 0.5 the 2nd nearest is 1 at 0.5 and 0 at 0.5 → r_2 = 0.5
    const knn = new KnnDensity({ k: 2, standardize: false }).fit([[0], [1], [3]]);
    const want = Math.log(0.5) + Math.log(3) + Math.log(2) - Math.log(2);
    expect(knn.energyOne([0.5])).toBeCloseTo(want, 12);
    // 2-d: V_2 = π
    const k2 = new KnnDensity({ k: 1, standardize: false }).fit([
      [0, 0],
      [3, 4],
    ]);
    expect(k2.energyOne([0, 0.5])).toBeCloseTo(2 * Math.log(0.5) + Math.log(2) + Math.log(Math.PI), 12);
    expect(k2.kUsed).toBe(1);
  });

  it("'mean' averages the k distances", () => {
    const knn = new KnnDensity({ k: 2, statistic: 'mean', standardize: false }).fit([[0], [1], [3]]);
    // from 2.5: distances 0.5 (to 3) and 1.5 (to 1) → mean 1
    expect(knn.energyOne([2.5])).toBeCloseTo(Math.log(1) + Math.log(3), 12);
  });

  it('chooses k = round(√n) within [5, 50] and caps k at the rows kept', () => {
    expect(new KnnDensity().fit(gaussianRows(1, 400, 2)).kUsed).toBe(20);
    expect(new KnnDensity().fit(gaussianRows(1, 10, 2)).kUsed).toBe(5);
    expect(new KnnDensity().fit(gaussianRows(1, 4000, 1)).kUsed).toBe(50);
    expect(new KnnDensity({ k: 9 }).fit(gaussianRows(1, 4, 2)).kUsed).toBe(4);
  });

  it('scores a training row without itself in trainingEnergy (leave-one-out), and as a new row in energy', () => {
    const X = gaussianRows(2, 60, 3);
    const knn = new KnnDensity({ k: 1 }).fit(X);
    const plain = knn.energy(X);
    const loo = knn.trainingEnergy(X);
    // with itself, a training row's nearest neighbour is at distance 0 (floored at 1e-8)
    for (let i = 0; i < 60; i++) expect(loo[i]).toBeGreaterThan(plain[i] as number);
    // leave-one-out equals scoring against a model fitted on the other rows (same standardisation)
    const ref = new KnnDensity({ k: 1, standardize: false }).fit(X);
    const others = new Matrix(59, 3);
    others.data.set(X.data.subarray(3));
    const without0 = new KnnDensity({ k: 1, standardize: false }).fit(others);
    const diff = Math.log(60) - Math.log(59);
    expect(ref.trainingEnergy(X.selectRows([0]))[0]).toBeCloseTo(
      (without0.energy(X.selectRows([0]))[0] as number) + diff,
      10,
    );
  });

  it('keeps a seeded subsample above maxRows and saves exactly the rows kept', () => {
    const X = gaussianRows(3, 500, 4);
    const a = new KnnDensity({ maxRows: 100 }).fit(X, { seed: 4 });
    const b = new KnnDensity({ maxRows: 100 }).fit(X, { seed: 4 });
    const c = new KnnDensity({ maxRows: 100 }).fit(X, { seed: 5 });
    expect(a.rowsKept).toBe(100);
    expect(Array.from(a.energy(X))).toEqual(Array.from(b.energy(X)));
    expect(Array.from(a.energy(X))).not.toEqual(Array.from(c.energy(X)));
    const json = a.toJSON();
    expect((json.state.rows as number[]).length).toBe(400);
    expect(json.state.seen).toBe(500);
  });

  it('gives the same energies on both kernel backends', () => {
    const X = gaussianRows(4, 700, 6);
    const T = gaussianRows(5, 90, 6);
    setBackend('ts');
    const ts = new KnnDensity().fit(X).energy(T);
    useFastestBackend();
    const fast = new KnnDensity().fit(X).energy(T);
    expect(Array.from(fast)).toEqual(Array.from(ts));
  });

  it('rejects bad options and inconsistent saves', () => {
    expect(() => new KnnDensity({ k: 0 })).toThrow(ParameterError);
    expect(() => new KnnDensity({ k: 2.5 })).toThrow(/KnnDensity: /);
    expect(() => new KnnDensity({ statistic: 'median' as never })).toThrow(ParameterError);
    expect(() => new KnnDensity({ maxRows: 0 })).toThrow(ParameterError);
    const json = new KnnDensity().fit(gaussianRows(6, 20, 2)).toJSON();
    const tamper = (f: (s: Record<string, unknown>) => void): unknown => {
      const j = JSON.parse(JSON.stringify(json)) as { state: Record<string, unknown> };
      f(j.state);
      return j;
    };
    expect(() => loadModel(tamper((s) => (s.kept = 21)))).toThrow(ModelFormatError);
    expect(() => loadModel(tamper((s) => (s.rows = (s.rows as number[]).slice(1))))).toThrow(
      ModelFormatError,
    );
    expect(() => loadModel(tamper((s) => delete s.std))).toThrow(ModelFormatError);
    expect(() => loadModel(tamper((s) => ((s.rows as number[])[0] = 1e200)))).toThrow(ModelFormatError);
  });
});
