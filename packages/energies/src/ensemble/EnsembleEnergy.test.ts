import {
  BaseEnergyModel,
  loadModel,
  Matrix,
  ModelFormatError,
  type ModelJSON,
  NotFittedError,
  ParameterError,
  Rng,
  registerModel,
} from '@nexus/ebm-core';
import { readFloat64Array, readNumber } from '@nexus/ebm-core/extend';
import { describeEnergyModelContract } from '@nexus/ebm-core/testing';
import { describe, expect, it } from 'vitest';
import { GaussianDensity } from '../gaussian/GaussianDensity.js';
import { KnnDensity } from '../knn/KnnDensity.js';
import { GaussianMixture } from '../mixture/GaussianMixture.js';
import { registerBuiltinModels } from '../registration/registerBuiltinModels.js';
import { EnsembleEnergy } from './EnsembleEnergy.js';
import { fitNormalizer, normalizeEnergy, normalQuantile } from './normalize.js';

// saved models below load through `loadModel`, which needs the built-in kinds registered
registerBuiltinModels();

/** Squared distance to the training mean, times a scale (to give members different units). */
class MeanDistance extends BaseEnergyModel<Float64Array> {
  readonly kind: string = 'test-mean-distance';
  readonly formatVersion: number = 1;
  constructor(readonly unit = 1) {
    super();
  }
  protected fitImpl(X: Matrix): Float64Array {
    const mean = new Float64Array(X.cols);
    for (let i = 0; i < X.rows; i++)
      for (let j = 0; j < X.cols; j++) mean[j] = (mean[j] as number) + X.get(i, j) / X.rows;
    return mean;
  }
  protected energyImpl(X: Matrix, mean: Float64Array): Float64Array {
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let j = 0; j < X.cols; j++) s += (X.get(i, j) - (mean[j] as number)) ** 2;
      out[i] = this.unit * s;
    }
    return out;
  }
  protected configToJSON(): Record<string, unknown> {
    return { unit: this.unit };
  }
  protected stateToJSON(mean: Float64Array): Record<string, unknown> {
    return { mean: Array.from(mean) };
  }
  static fromJSON(json: ModelJSON): MeanDistance {
    return new MeanDistance(readNumber(json.config, 'unit', 'x')).restore(json, 'MeanDistance', (s, d) =>
      readFloat64Array(s, 'mean', d, 'x'),
    );
  }
}
registerModel('test-mean-distance', (json) => MeanDistance.fromJSON(json));

function data(n: number, d: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const m = new Matrix(n, d);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal();
  return m;
}

describe('normalQuantile', () => {
  it('matches known quantiles', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('normalizeEnergy', () => {
  it('is monotone, inside and beyond the training range', () => {
    const rng = new Rng(3);
    const train = Float64Array.from({ length: 500 }, () => Math.exp(rng.normal()));
    for (const kind of ['quantile', 'rank', 'robust-z'] as const) {
      const norm = fitNormalizer(train, kind, 65);
      let prev = Number.NEGATIVE_INFINITY;
      for (let e = -5; e < 60; e += 0.05) {
        const z = normalizeEnergy(norm, e);
        expect(z).toBeGreaterThanOrEqual(prev);
        prev = z;
      }
    }
  });
  it("'rank' maps to the empirical level and stays strictly inside (0, 1), far out too", () => {
    const norm = fitNormalizer(
      Float64Array.from({ length: 100 }, (_, i) => i),
      'rank',
    );
    expect(normalizeEnergy(norm, 49.5)).toBeCloseTo(0.5, 9);
    expect(normalizeEnergy(norm, 1e9)).toBeLessThanOrEqual(1);
    expect(normalizeEnergy(norm, 200)).toBeGreaterThan(normalizeEnergy(norm, 99));
    expect(normalizeEnergy(norm, -1e9)).toBeGreaterThanOrEqual(0);
    expect(normalizeEnergy(norm, -5)).toBeLessThan(normalizeEnergy(norm, 0));
  });

  it('maps the training median near 0 and handles constant energies', () => {
    const norm = fitNormalizer(
      Float64Array.from({ length: 101 }, (_, i) => i),
      'quantile',
    );
    expect(Math.abs(normalizeEnergy(norm, 50))).toBeLessThan(0.02);
    const flat = fitNormalizer(new Float64Array(10).fill(2), 'quantile');
    expect(normalizeEnergy(flat, 2)).toBeCloseTo(0, 9);
    expect(normalizeEnergy(flat, 3)).toBeGreaterThan(normalizeEnergy(flat, 2));
  });
});

describe('EnsembleEnergy', () => {
  it('checks its options', () => {
    expect(() => new EnsembleEnergy({ members: [] })).toThrow(ParameterError);
    const m = new MeanDistance();
    expect(() => new EnsembleEnergy({ members: [m, m] })).toThrow(ParameterError);
    expect(() => new EnsembleEnergy({ members: [m], knots: 1 })).toThrow(ParameterError);
    expect(() => new EnsembleEnergy({ members: [m] }).energy([[1]])).toThrow(NotFittedError);
  });

  it('is invariant to a member’s units and ranks far points higher', () => {
    const X = data(300, 3, 1);
    const a = new EnsembleEnergy({ members: [new MeanDistance(1), new MeanDistance(1)] }).fit(X);
    const b = new EnsembleEnergy({ members: [new MeanDistance(1), new MeanDistance(1000)] }).fit(X);
    const T = new Matrix(3, 3, Float64Array.from([0, 0, 0, 2, 2, 2, 9, 9, 9]));
    const ea = a.energy(T);
    const eb = b.energy(T);
    for (let i = 0; i < 3; i++) expect(ea[i]).toBeCloseTo(eb[i] as number, 9);
    expect(ea[0]).toBeLessThan(ea[1] as number);
    expect(ea[1]).toBeLessThan(ea[2] as number);
    expect(a.memberEnergies(T)).toHaveLength(2);
  });

  it('learns a neighbour member’s normaliser from its leave-one-out training energies', () => {
    const X = data(200, 3, 6);
    const ens = new EnsembleEnergy({ members: [new KnnDensity({ k: 1 })] }).fit(X);
    const knn = ens.members[0] as KnnDensity;
    const want = fitNormalizer(knn.trainingEnergy(X), 'quantile', 257);
    const got = (ens.toJSON().state.normalizers as { values: number[] }[])[0]?.values;
    expect(got).toEqual(Array.from(want.values));
    // with the rows themselves, every training energy would sit at the 1e-8 distance floor
    expect(new Set(got).size).toBeGreaterThan(100);
  });

  it('round-trips through loadModel with members inside (rank normalisers too)', () => {
    const X = data(120, 2, 2);
    const ranked = new EnsembleEnergy({
      members: [new MeanDistance(1), new MeanDistance(3)],
      normalization: 'rank',
    }).fit(X);
    const T0 = data(10, 2, 9);
    expect(Array.from(loadModel(JSON.stringify(ranked.toJSON())).energy(T0))).toEqual(
      Array.from(ranked.energy(T0)),
    );
    const model = new EnsembleEnergy({
      members: [new MeanDistance(1), new MeanDistance(3)],
      combine: 'max',
    }).fit(X, {
      seed: 4,
    });
    const json = model.toJSON();
    expect(json.kind).toBe('ensemble');
    expect((json.state.members as unknown[]).length).toBe(2);
    const again = loadModel(JSON.stringify(json));
    const T = data(10, 2, 5);
    expect(Array.from(again.energy(T))).toEqual(Array.from(model.energy(T)));
  });
});

describe('EnsembleEnergy member weighting (label-free, from the training rows)', () => {
  const X = data(300, 3, 11);
  const T = data(40, 3, 12);
  // three members that order rows alike (different units) and one that orders them the other way round
  const members = (): MeanDistance[] => [
    new MeanDistance(1),
    new MeanDistance(5),
    new MeanDistance(0.2),
    new MeanDistance(-1),
  ];

  it("'consensus' gives a member that runs against the others no weight; weights sum to 1", () => {
    const ens = new EnsembleEnergy({ members: members(), weighting: 'consensus', combine: 'mean' }).fit(X);
    const a = ens.agreement;
    for (let i = 0; i < 3; i++) expect(a[i]).toBeGreaterThan(0.9);
    expect(a[3]).toBeLessThan(-0.9);
    const w = ens.weights;
    expect(w[3]).toBe(0);
    expect(w.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    // the energy is Σ weights[i] · memberEnergies[i]
    const z = ens.memberEnergies(T);
    const e = ens.energy(T);
    for (let r = 0; r < T.rows; r++) {
      let s = 0;
      for (let i = 0; i < 4; i++) s += (w[i] as number) * ((z[i] as Float64Array)[r] as number);
      expect(e[r]).toBeCloseTo(s, 12);
    }
    // equal weights keep the dissenting member, which flattens the ranking of far points
    const eq = new EnsembleEnergy({ members: members(), combine: 'mean' }).fit(X);
    expect(Array.from(eq.weights)).toEqual([0.25, 0.25, 0.25, 0.25]);
    const select = new EnsembleEnergy({ members: members(), weighting: 'select', combine: 'mean' }).fit(X);
    expect(Array.from(select.weights)).toEqual([1 / 3, 1 / 3, 1 / 3, 0]);
  });

  it('permuting the members leaves the energies unchanged', () => {
    for (const weighting of ['consensus', 'select', 'equal'] as const) {
      const m = members();
      const a = new EnsembleEnergy({ members: m, weighting, combine: 'mean' }).fit(X).energy(T);
      const p = members();
      const b = new EnsembleEnergy({
        members: [p[3], p[1], p[0], p[2]] as MeanDistance[],
        weighting,
        combine: 'mean',
      })
        .fit(X)
        .energy(T);
      for (let r = 0; r < T.rows; r++) expect(b[r]).toBeCloseTo(a[r] as number, 12);
    }
    const t1 = new EnsembleEnergy({ members: members(), combine: 'trimmed' }).fit(X).energy(T);
    const p = members();
    const t2 = new EnsembleEnergy({ members: [p[2], p[3], p[0], p[1]] as MeanDistance[], combine: 'trimmed' })
      .fit(X)
      .energy(T);
    for (let r = 0; r < T.rows; r++) expect(t2[r]).toBeCloseTo(t1[r] as number, 12);
  });

  it('saves and loads the weights (identical energies and JSON); refuses tampered weights', () => {
    const ens = new EnsembleEnergy({ members: members(), weighting: 'consensus', combine: 'mean' }).fit(X);
    const text = JSON.stringify(ens.toJSON());
    const again = loadModel(text) as EnsembleEnergy;
    expect(Array.from(again.energy(T))).toEqual(Array.from(ens.energy(T)));
    expect(Array.from(again.weights)).toEqual(Array.from(ens.weights));
    expect(JSON.stringify(again.toJSON())).toBe(text);
    const bad = JSON.parse(text) as { state: { weights: number[] } };
    bad.state.weights = bad.state.weights.map((w) => w * 2);
    expect(() => loadModel(bad)).toThrow(ModelFormatError);
    bad.state.weights = [1.5, -0.5, 0, 0];
    expect(() => loadModel(bad)).toThrow(ModelFormatError);
  });

  it('loads a format-1 save (before weights) as equal weights with the same energies', () => {
    const ens = new EnsembleEnergy({ members: members(), combine: 'mean' }).fit(X);
    const v2 = JSON.parse(JSON.stringify(ens.toJSON())) as {
      version: number;
      config: Record<string, unknown>;
      state: Record<string, unknown>;
    };
    const { weighting: _w, ...config1 } = v2.config;
    const { weights: _ws, agreement: _a, ...state1 } = v2.state;
    const v1 = { ...v2, version: 1, config: config1, state: state1 };
    const old = loadModel(v1) as EnsembleEnergy;
    expect(old.weighting).toBe('equal');
    expect(Array.from(old.energy(T))).toEqual(Array.from(ens.energy(T)));
    expect(() => loadModel({ ...v2, version: 3 })).toThrow(ModelFormatError);
  });

  it("combines by the trimmed mean by default: each row's largest and smallest member left out", () => {
    const ens = new EnsembleEnergy({ members: members() }).fit(X);
    expect(ens.combine).toBe('trimmed');
    const z = ens.memberEnergies(T);
    const e = ens.energy(T);
    for (let r = 0; r < T.rows; r++) {
      const row = z.map((m) => m[r] as number).sort((a, b) => a - b);
      expect(e[r]).toBeCloseTo(((row[1] as number) + (row[2] as number)) / 2, 12);
    }
    const again = loadModel(JSON.stringify(ens.toJSON()));
    expect(Array.from(again.energy(T))).toEqual(Array.from(e));
  });

  it("refuses weights with a combine other than 'mean'", () => {
    expect(() => new EnsembleEnergy({ members: members(), weighting: 'select' })).toThrow(
      /needs combine 'mean'/,
    );
    expect(() => new EnsembleEnergy({ members: members(), weighting: 'consensus', combine: 'max' })).toThrow(
      ParameterError,
    );
    expect(() => new EnsembleEnergy({ members: members() }).weights).toThrow(NotFittedError);
  });
});

describeEnergyModelContract(
  'EnsembleEnergy (gaussian + mixture + knn, consensus weights)',
  () =>
    new EnsembleEnergy({
      members: [new GaussianDensity(), new GaussianMixture({ nComponents: 2 }), new KnnDensity({ k: 3 })],
      weighting: 'consensus',
      combine: 'mean',
    }),
  { describe, it },
);

describeEnergyModelContract(
  'EnsembleEnergy (gaussian + mixture)',
  () => new EnsembleEnergy({ members: [new GaussianDensity(), new GaussianMixture({ nComponents: 2 })] }),
  { describe, it },
);
