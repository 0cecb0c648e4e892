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
