import {
  loadModel,
  Matrix,
  ModelFormatError,
  ParameterError,
  Rng,
  setBackend,
  useFastestBackend,
} from '@nexus/ebm-core';
import { describeEnergyModelContract } from '@nexus/ebm-core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { gaussianRows } from '../neighbours/gaussianRows.js';
import { registerBuiltinModels } from '../registration/registerBuiltinModels.js';
import { KernelDensity } from './KernelDensity.js';

// saved models below load through `loadModel`, which needs the built-in kinds registered
registerBuiltinModels();

describeEnergyModelContract('KernelDensity', () => new KernelDensity(), { describe, it });
describeEnergyModelContract('KernelDensity (loo)', () => new KernelDensity({ bandwidth: 'loo' }), {
  describe,
  it,
});
describeEnergyModelContract(
  'KernelDensity (fixed bandwidth, raw units, subsampled)',
  () => new KernelDensity({ bandwidth: 0.7, standardize: false, maxRows: 40 }),
  { describe, it },
);

describeEnergyModelContract('KernelDensity (trimmed)', () => new KernelDensity({ trim: 0.25 }), {
  describe,
  it,
});

/** n normal rows (standard normal, 2 columns) followed by `far` rows spread on a circle of radius 10. */
function withScatteredAnomalies(n: number, far: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const data: number[] = [];
  for (let i = 0; i < n; i++) data.push(rng.normal(), rng.normal());
  for (let i = 0; i < far; i++) {
    const a = (2 * Math.PI * i) / far;
    data.push(10 * Math.cos(a), 10 * Math.sin(a));
  }
  return new Matrix(n + far, 2, Float64Array.from(data));
}

describe('KernelDensity trim (concentration steps)', () => {
  it('drops isolated training anomalies: the rows beside them stop looking normal', () => {
    const X = withScatteredAnomalies(300, 30, 3); // 30 of 330 rows (9 %) far out, each alone
    const options = { bandwidth: 0.3, standardize: false } as const;
    const plain = new KernelDensity(options).fit(X, { seed: 1 });
    const trimmed = new KernelDensity({ ...options, trim: 0.25 }).fit(X, { seed: 1 });
    expect(trimmed.rowsKept).toBe(248); // ⌈0.75 · 330⌉
    // a probe beside the far training row at (10, 0), and one among the normal rows
    const probe = new Matrix(2, 2, Float64Array.from([10, 0.1, 0, 0]));
    const [farPlain, nearPlain] = plain.energy(probe);
    const [farTrim, nearTrim] = trimmed.energy(probe);
    // untrimmed, the kernel at (10, 0) makes the probe about as likely as one row's kernel allows; trimmed,
    // the nearest centre is a normal row ≈ 7 away: hundreds of nats more energy
    expect((farTrim as number) - (farPlain as number)).toBeGreaterThan(100);
    expect(Math.abs((nearTrim as number) - (nearPlain as number))).toBeLessThan(1);
  });

  it('is the plain fit with trim 0, deterministic for a seed, and saved and loaded exactly', () => {
    const X = withScatteredAnomalies(200, 20, 5);
    const plain = new KernelDensity().fit(X, { seed: 4 });
    expect(new KernelDensity({ trim: 0 }).fit(X, { seed: 4 }).energy(X)).toEqual(plain.energy(X));
    const a = new KernelDensity({ trim: 0.2, bandwidth: 'loo', maxRows: 150 }).fit(X, { seed: 4 });
    const b = new KernelDensity({ trim: 0.2, bandwidth: 'loo', maxRows: 150 }).fit(X, { seed: 4 });
    expect(a.energy(X)).toEqual(b.energy(X));
    expect(a.energy(X)).not.toEqual(
      new KernelDensity({ bandwidth: 'loo', maxRows: 150 }).fit(X, { seed: 4 }).energy(X),
    );
    const json = a.toJSON();
    expect(json.config).toMatchObject({ trim: 0.2, trimSteps: 10 });
    expect(plain.toJSON().config).not.toHaveProperty('trim'); // saved only when trimming
    const again = loadModel(JSON.parse(JSON.stringify(json)));
    expect(again.energy(X)).toEqual(a.energy(X));
  });

  it('stops when the kept rows repeat, after at most trimSteps refits', () => {
    const X = withScatteredAnomalies(200, 20, 6);
    const steps: number[] = [];
    new KernelDensity({ trim: 0.25 }).fit(X, { seed: 2, onProgress: (p) => steps.push(p.epoch) });
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.length).toBeLessThan(10); // a stable set well before the cap on this data
    const capped: number[] = [];
    new KernelDensity({ trim: 0.25, trimSteps: 1 }).fit(X, {
      seed: 2,
      onProgress: (p) => capped.push(p.epoch),
    });
    expect(capped).toEqual([1]);
  });

  it('refuses a trim outside [0, 0.5) and trimSteps below 1, naming the option', () => {
    expect(() => new KernelDensity({ trim: 0.5 })).toThrow(ParameterError);
    expect(() => new KernelDensity({ trim: -0.1 })).toThrow(/trim/);
    expect(() => new KernelDensity({ trim: Number.NaN })).toThrow(/trim/);
    expect(() => new KernelDensity({ trimSteps: 0 })).toThrow(/trimSteps/);
  });
});

describe('KernelDensity', () => {
  afterEach(() => {
    useFastestBackend();
  });

  it('is −log of the mean Gaussian kernel, exactly', () => {
    const kde = new KernelDensity({ bandwidth: 0.5, standardize: false }).fit([[0], [1], [3]]);
    const x = 0.8;
    const pdf = (c: number): number => Math.exp(-((x - c) ** 2) / (2 * 0.25)) / Math.sqrt(2 * Math.PI * 0.25);
    expect(kde.energyOne([x])).toBeCloseTo(-Math.log((pdf(0) + pdf(1) + pdf(3)) / 3), 12);
  });

  it('is a density of the input units when standardising (integrates to one in 1-d)', () => {
    const rng = new Rng(2);
    const X = Array.from({ length: 50 }, () => [3 + 4 * rng.normal()]);
    const kde = new KernelDensity().fit(X);
    let total = 0;
    const step = 0.05;
    for (let v = -40; v <= 46; v += step) total += Math.exp(-kde.energyOne([v])) * step;
    expect(total).toBeCloseTo(1, 4);
  });

  it("uses Scott's and Silverman's factors", () => {
    const X = gaussianRows(3, 300, 4);
    expect(new KernelDensity().fit(X).bandwidthUsed).toBeCloseTo(300 ** (-1 / 8), 14);
    expect(new KernelDensity({ bandwidth: 'silverman' }).fit(X).bandwidthUsed).toBeCloseTo(
      (4 / 6) ** (1 / 8) * 300 ** (-1 / 8),
      14,
    );
    const loo = new KernelDensity({ bandwidth: 'loo' }).fit(X).bandwidthUsed;
    const ratio = Math.log2(loo / 300 ** (-1 / 8)) * 4;
    expect(Math.abs(ratio - Math.round(ratio))).toBeLessThan(1e-9);
  });

  it('stays finite far from the data and rises with distance', () => {
    const kde = new KernelDensity().fit(gaussianRows(4, 200, 3));
    const e1 = kde.energyOne([10, 10, 10]);
    const e2 = kde.energyOne([100, 100, 100]);
    expect(Number.isFinite(e2)).toBe(true);
    expect(e2).toBeGreaterThan(e1);
  });

  it('leaves a training row’s own kernel out in trainingEnergy', () => {
    const X = gaussianRows(5, 40, 2);
    const kde = new KernelDensity({ bandwidth: 0.3, standardize: false }).fit(X);
    const others = new Matrix(39, 2);
    others.data.set(X.data.subarray(2));
    const without0 = new KernelDensity({ bandwidth: 0.3, standardize: false }).fit(others);
    const row0 = X.selectRows([0]);
    const diff = Math.log(40) - Math.log(39);
    expect(kde.trainingEnergy(row0)[0]).toBeCloseTo((without0.energy(row0)[0] as number) + diff, 10);
    expect(kde.trainingEnergy(row0)[0]).toBeGreaterThan(kde.energy(row0)[0] as number);
  });

  it('agrees across kernel backends to rounding', () => {
    const X = gaussianRows(6, 600, 7);
    const T = gaussianRows(7, 80, 7);
    setBackend('ts');
    const ts = new KernelDensity().fit(X).energy(T);
    useFastestBackend();
    const fast = new KernelDensity().fit(X).energy(T);
    for (let i = 0; i < T.rows; i++)
      expect(Math.abs((fast[i] as number) - (ts[i] as number))).toBeLessThan(1e-10);
  });

  it('rejects bad options and inconsistent saves', () => {
    expect(() => new KernelDensity({ bandwidth: 0 })).toThrow(ParameterError);
    expect(() => new KernelDensity({ bandwidth: 'wide' as never })).toThrow(/KernelDensity: /);
    expect(() => new KernelDensity({ standardize: 1 as never })).toThrow(ParameterError);
    const json = new KernelDensity().fit(gaussianRows(8, 20, 2)).toJSON();
    const j = JSON.parse(JSON.stringify(json)) as { state: Record<string, unknown> };
    j.state.bandwidthUsed = -1;
    expect(() => loadModel(j)).toThrow(ModelFormatError);
  });
});
