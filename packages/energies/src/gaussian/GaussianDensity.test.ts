import {
  Detector,
  getBackend,
  loadModel,
  Matrix,
  ModelFormatError,
  NotFittedError,
  ParameterError,
  Rng,
  StandardScaler,
  setBackend,
  ValueError,
} from '@nexus/ebm-core';
import { getWasmBackend } from '@nexus/ebm-core/kernels';
import { describeEnergyModelContract } from '@nexus/ebm-core/testing';
import { describe, expect, it } from 'vitest';
import { registerBuiltinModels } from '../registration/registerBuiltinModels.js';
import { GaussianDensity } from './GaussianDensity.js';

// saved models below load through `loadModel`, which needs the built-in kinds registered
registerBuiltinModels();

/** The fixture also computed with scikit-learn 1.2.1 (see the expected values below). */
function fixture(): Matrix {
  const n = 30;
  const d = 4;
  const m = new Matrix(n, d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++)
      m.set(i, j, Math.sin(i * (1.3 + 0.37 * j) + j) * (j + 1) + Math.cos(i * i * 0.1 * (j + 1)));
  }
  return m;
}
const T = [
  [0, 0, 0, 0],
  [1, -1, 2, 0.5],
  [3, 3, 3, 3],
];

describeEnergyModelContract('GaussianDensity (full)', () => new GaussianDensity(), { describe, it });
describeEnergyModelContract(
  'GaussianDensity (diagonal)',
  () => new GaussianDensity({ covariance: 'diagonal' }),
  {
    describe,
    it,
  },
);
describeEnergyModelContract(
  'GaussianDensity (ledoit-wolf)',
  () => new GaussianDensity({ covariance: 'ledoit-wolf', regularization: 0 }),
  { describe, it },
);

describeEnergyModelContract(
  'GaussianDensity (trimmed)',
  () => new GaussianDensity({ covariance: 'ledoit-wolf', trim: 0.25 }),
  { describe, it },
);

describe('GaussianDensity', () => {
  it('gives the exact 1-D negative log-likelihood', () => {
    const g = new GaussianDensity({ regularization: 0 }).fit([[1], [2], [3], [4], [5]]);
    expect(g.mean[0]).toBe(3);
    expect(g.covarianceMatrix.get(0, 0)).toBeCloseTo(2, 14);
    expect(g.energyOne([3])).toBeCloseTo(0.5 * Math.log(2 * Math.PI * 2), 13);
    expect(g.energyOne([5])).toBeCloseTo(1 + 0.5 * Math.log(4 * Math.PI), 13);
  });

  it('matches scikit-learn GaussianMixture(n_components=1) energies (full and diag)', () => {
    const full = new GaussianDensity().fit(fixture()).energy(T);
    const sk = [5.996990838085183, 7.110285967297275, 12.779385553613885];
    sk.forEach((v, i) => {
      expect(full[i]).toBeCloseTo(v, 9);
    });
    const diag = new GaussianDensity({ covariance: 'diagonal' }).fit(fixture()).energy(T);
    const skDiag = [6.017446297042483, 7.044188907982344, 12.988676679971833];
    skDiag.forEach((v, i) => {
      expect(diag[i]).toBeCloseTo(v, 9);
    });
  });

  it("matches scikit-learn's ledoit_wolf shrinkage and covariance", () => {
    const g = new GaussianDensity({ covariance: 'ledoit-wolf', regularization: 0 }).fit(fixture());
    expect(g.shrinkage).toBeCloseTo(0.2298777434564612, 12);
    expect(g.covarianceMatrix.get(0, 0)).toBeCloseTo(1.9022833197111617, 12);
    expect(g.covarianceMatrix.get(1, 2)).toBeCloseTo(-0.034919842060974864, 12);
  });

  it('Ledoit–Wolf shrinkage agrees with the definitional formula and is 0 for one feature', () => {
    const X = fixture();
    const { rows: n, cols: d } = X;
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + X.get(i, j) / n;
    const S = new Float64Array(d * d);
    for (let i = 0; i < n; i++)
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++)
          S[a * d + b] =
            (S[a * d + b] as number) +
            ((X.get(i, a) - (mean[a] as number)) * (X.get(i, b) - (mean[b] as number))) / n;
    let mu = 0;
    for (let a = 0; a < d; a++) mu += (S[a * d + a] as number) / d;
    let delta = 0;
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) delta += ((S[a * d + b] as number) - (a === b ? mu : 0)) ** 2 / d;
    let beta = 0; // (1 / (d n²)) Σ_k ‖y_k y_kᵀ − S‖²_F
    for (let i = 0; i < n; i++)
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++)
          beta +=
            ((X.get(i, a) - (mean[a] as number)) * (X.get(i, b) - (mean[b] as number)) -
              (S[a * d + b] as number)) **
            2;
    beta /= d * n * n;
    const g = new GaussianDensity({ covariance: 'ledoit-wolf' }).fit(X);
    expect(g.shrinkage).toBeCloseTo(Math.min(beta, delta) / delta, 12);
    expect(new GaussianDensity({ covariance: 'ledoit-wolf' }).fit([[1], [2], [4]]).shrinkage).toBe(0);
  });

  it('reports as loss the mean energy of the rows it was fitted on (full, Ledoit–Wolf, heavy shrinkage)', () => {
    for (const [n, d, covariance, correlated] of [
      [200, 6, 'full', true],
      [200, 6, 'ledoit-wolf', true],
      [4, 40, 'ledoit-wolf', true], // few rows per feature: shrinkage about ½
      [200, 6, 'ledoit-wolf', false], // independent features: shrinkage 1 (Σ = μI + regularization)
      [60, 3, 'diagonal', true],
    ] as const) {
      const X = new Matrix(n, d, new Rng(4).fillNormal(new Float64Array(n * d)));
      if (correlated) {
        for (let i = 0; i < n; i++)
          X.data[i * d] = (X.data[i * d] as number) + 2 * (X.data[i * d + 1] as number);
      }
      let loss = Number.NaN;
      const g = new GaussianDensity({ covariance, regularization: 1e-3 }).fit(X, {
        onProgress: (p) => {
          loss = p.loss ?? Number.NaN;
        },
      });
      if (!correlated) expect(g.shrinkage).toBe(1);
      const e = g.energy(X);
      const mean = e.reduce((a, b) => a + b, 0) / n;
      expect(Math.abs(loss - mean)).toBeLessThan(1e-9 * Math.abs(mean));
    }
  });

  it('contributions: ½(x−μ)_j[Σ⁻¹(x−μ)]_j plus an even share of the constant', () => {
    const g = new GaussianDensity().fit(fixture());
    const c = g.contributions(T);
    const e = g.energy(T);
    const base = g.energyOne(g.mean); // the constant ½(d log 2π + log|Σ|)
    for (let i = 0; i < T.length; i++) {
      let s = 0;
      for (let j = 0; j < 4; j++) s += c.get(i, j);
      expect(s).toBeCloseTo(e[i] as number, 10);
    }
    const atMean = g.contributions([Array.from(g.mean)]);
    for (let j = 0; j < 4; j++) expect(atMean.get(0, j)).toBeCloseTo(base / 4, 12);
  });

  it('partialFit on chunks and merge equal one fit', () => {
    for (const covariance of ['full', 'diagonal', 'ledoit-wolf'] as const) {
      const X = fixture();
      const all = new GaussianDensity({ covariance }).fit(X);
      const parts = new GaussianDensity({ covariance }).partialFit(X.selectRows([0, 1, 2, 3, 4, 5, 6]));
      parts.partialFit(X.selectRows(Array.from({ length: 13 }, (_, k) => 7 + k)));
      parts.partialFit(X.selectRows(Array.from({ length: 10 }, (_, k) => 20 + k)));
      const merged = GaussianDensity.merge(
        new GaussianDensity({ covariance }).fit(X.selectRows(Array.from({ length: 11 }, (_, k) => k))),
        new GaussianDensity({ covariance }).fit(X.selectRows(Array.from({ length: 19 }, (_, k) => 11 + k))),
      );
      expect(parts.count).toBe(30);
      expect(merged.count).toBe(30);
      const want = all.energy(T);
      for (const m of [parts, merged]) {
        const got = m.energy(T);
        for (let i = 0; i < T.length; i++) expect(got[i]).toBeCloseTo(want[i] as number, 9);
        expect(m.shrinkage).toBeCloseTo(all.shrinkage, 10);
      }
      // the merged model round-trips with its statistics
      const again = loadModel(JSON.stringify(merged.toJSON())) as GaussianDensity;
      again.partialFit(T);
      merged.partialFit(T);
      expect(Array.from(again.energy(T))).toEqual(Array.from(merged.energy(T)));
    }
  });

  it('drives a Detector with a StandardScaler: flags injected anomalies, keeps the false-alarm rate', () => {
    const rng = new Rng(8);
    const make = (n: number): number[][] =>
      Array.from({ length: n }, () => {
        const z = rng.normal();
        return [1000 + 50 * z, 3 + 0.1 * z + 0.05 * rng.normal(), rng.normal()];
      });
    const det = new Detector({
      model: new GaussianDensity(),
      scaler: new StandardScaler(),
      falseAlarmRate: 0.02,
    }).fit(make(2000), { seed: 1 });
    const normal = det.predict(make(1000)).reduce((a, b) => a + b, 0);
    expect(normal / 1000).toBeLessThan(0.045);
    // correlation-breaking anomalies: each coordinate is typical on its own
    const anomalies = Array.from({ length: 50 }, () => [1050, 2.9, rng.normal()]);
    expect(det.predict(anomalies).reduce((a, b) => a + b, 0)).toBe(50);
    const again = Detector.fromJSON(JSON.stringify(det.toJSON()));
    expect(Array.from(again.pValue(anomalies))).toEqual(Array.from(det.pValue(anomalies)));
  });

  it('trim: concentration steps ignore a contaminating cluster that the plain fit stretches to cover', () => {
    const rng = new Rng(21);
    const rows: number[][] = [];
    for (let i = 0; i < 400; i++) {
      const z = rng.normal();
      rows.push([z, 0.9 * z + 0.3 * rng.normal()]);
    }
    // 15 % contamination: a tight cluster far off the normal rows' correlation line
    for (let i = 0; i < 70; i++) rows.push([3 + 0.2 * rng.normal(), -3 + 0.2 * rng.normal()]);
    const plain = new GaussianDensity().fit(rows);
    const robust = new GaussianDensity({ trim: 0.25 }).fit(rows);
    expect(robust.trim).toBe(0.25);
    expect(robust.count).toBe(Math.ceil(0.75 * rows.length));
    // the robust fit keeps the normal rows' correlation (≈ 0.95) and centre; the plain fit loses both
    const corr = (g: GaussianDensity): number => {
      const c = g.covarianceMatrix;
      return c.get(0, 1) / Math.sqrt(c.get(0, 0) * c.get(1, 1));
    };
    expect(corr(robust)).toBeGreaterThan(0.9);
    expect(corr(plain)).toBeLessThan(0.5);
    expect(Math.abs(robust.mean[0] as number)).toBeLessThan(0.2);
    // so the contaminating cluster scores far above the normal rows
    const e = robust.energy([
      [3, -3],
      [1, 0.9],
    ]);
    expect((e[0] as number) - (e[1] as number)).toBeGreaterThan(20);
    // trim 0 is the plain fit, bit for bit
    expect(
      Array.from(new GaussianDensity({ trim: 0 }).fit(rows).energy(T.map((r) => r.slice(0, 2)))),
    ).toEqual(Array.from(plain.energy(T.map((r) => r.slice(0, 2)))));
  });

  it('trim: deterministic, persisted, and refuses streaming and merging', () => {
    const X = fixture();
    const a = new GaussianDensity({ covariance: 'ledoit-wolf', trim: 0.2, trimSteps: 5 }).fit(X);
    const b = new GaussianDensity({ covariance: 'ledoit-wolf', trim: 0.2, trimSteps: 5 }).fit(X);
    expect(Array.from(a.energy(T))).toEqual(Array.from(b.energy(T)));
    expect(a.count).toBe(24);
    const again = loadModel(JSON.stringify(a.toJSON())) as GaussianDensity;
    expect(again.trim).toBe(0.2);
    expect(again.trimSteps).toBe(5);
    expect(Array.from(again.energy(T))).toEqual(Array.from(a.energy(T)));
    expect(() => a.partialFit(T)).toThrow(/cannot be updated or merged \(expected trim 0, got trim 0.2\)/);
    expect(() => GaussianDensity.merge(new GaussianDensity().fit(X), a)).toThrow(ParameterError);
    expect(() => new GaussianDensity({ trim: 0.5 })).toThrow(/trim is out of range \(expected in \[0, 0.5\)/);
    expect(() => new GaussianDensity({ trim: -0.1 })).toThrow(ParameterError);
    expect(() => new GaussianDensity({ trim: 0.1, trimSteps: 0 })).toThrow(/trimSteps/);
  });

  it('rejects bad hyperparameters, bad merges and singular covariances clearly', () => {
    expect(() => new GaussianDensity({ regularization: -1 })).toThrow(ParameterError);
    expect(() => new GaussianDensity({ covariance: 'spherical' as 'full' })).toThrow(/unknown covariance/);
    const a = new GaussianDensity().fit(fixture());
    expect(() => a.merge(new GaussianDensity({ covariance: 'diagonal' }).fit(fixture()))).toThrow(
      ParameterError,
    );
    expect(() =>
      a.merge(
        new GaussianDensity().fit([
          [1, 2],
          [3, 5],
          [0, 1],
        ]),
      ),
    ).toThrow(/feature counts differ \(expected 4, got 2\)/);
    expect(() => a.merge(new GaussianDensity())).toThrow(NotFittedError);
    expect(() =>
      new GaussianDensity({ regularization: 0 }).fit([
        [1, 1],
        [2, 2],
        [3, 3],
      ]),
    ).toThrow(ValueError);
    expect(() =>
      new GaussianDensity({ regularization: 0 }).fit([
        [1, 1],
        [2, 2],
        [3, 3],
      ]),
    ).toThrow(/increase `regularization`/);
    expect(() =>
      new GaussianDensity({ covariance: 'diagonal', regularization: 0 }).fit([
        [1, 0],
        [2, 0],
      ]),
    ).toThrow(/feature 1 has zero variance/);
    const json = JSON.parse(JSON.stringify(a.toJSON())) as { state: { comoment: number[] } };
    json.state.comoment = json.state.comoment.map(() => -1);
    expect(() => loadModel(json)).toThrow(ModelFormatError);
  });
});

describe("GaussianDensity energy: the finiteness check in the kernel's own pass (WebAssembly)", () => {
  it('gives the energies and the error of a separate scan, on every backend, in every staging chunk', () => {
    const before = getBackend();
    try {
      for (const backend of ['ts', getWasmBackend()] as const) {
        if (backend === undefined) continue;
        setBackend(backend);
        const rng = new Rng(5);
        const d = 5;
        const model = new GaussianDensity().fit(
          new Matrix(400, d, rng.fillNormal(new Float64Array(400 * d), 0, 1)),
        );
        const X = new Matrix(9000, d, rng.fillNormal(new Float64Array(9000 * d), 0, 1)); // > 1 chunk
        expect(Array.from(model.energy(X))).toEqual(Array.from(model.energyOfCheckedRows(X)));
        for (const [row, col, v] of [
          [0, 0, Number.NaN],
          [8999, 4, Number.NEGATIVE_INFINITY],
          [5000, 2, Number.POSITIVE_INFINITY],
        ] as const) {
          const Y = new Matrix(9000, d, X.data.slice());
          Y.data[8999 * d + 4] = Number.NaN; // a later bad value is not the one named
          Y.data[row * d + col] = v;
          expect(() => model.energy(Y)).toThrow(
            `GaussianDensity.energy: non-finite value at row ${row}, column ${col} (expected a finite number, got ${v})`,
          );
        }
      }
    } finally {
      setBackend(before);
    }
  });
});
