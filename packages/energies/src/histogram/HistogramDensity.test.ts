import { loadModel, Matrix, ModelFormatError, NotFittedError, ParameterError, Rng } from '@nexus/ebm-core';
import { describeEnergyModelContract } from '@nexus/ebm-core/testing';
import { describe, expect, it } from 'vitest';
import { registerBuiltinModels } from '../registration/registerBuiltinModels.js';
import { HistogramDensity } from './HistogramDensity.js';

// saved models below load through `loadModel`, which needs the built-in kinds registered
registerBuiltinModels();

describeEnergyModelContract('HistogramDensity', () => new HistogramDensity(), { describe, it });
describeEnergyModelContract('HistogramDensity (auto bins)', () => new HistogramDensity({ bins: 'auto' }), {
  describe,
  it,
});

describe('HistogramDensity', () => {
  it('gives −log of the smoothed bin density, exactly', () => {
    // Values 0..9 once each and 10 twice: range [0, 10], 5 bins of width 2 → counts 2,2,2,2,4.
    const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10].map((v) => [v]);
    const h = new HistogramDensity({ bins: 5, smoothing: 1 }).fit(x);
    const total = 12 + 5;
    expect(h.energyOne([0.5])).toBeCloseTo(-Math.log(3 / (total * 2)), 12);
    expect(h.energyOne([9.5])).toBeCloseTo(-Math.log(5 / (total * 2)), 12);
    // The right edge belongs to the last bin.
    expect(h.energyOne([10])).toBeCloseTo(-Math.log(5 / (total * 2)), 12);
    expect(h.binsUsed).toBe(5);
    expect(h.count).toBe(12);
  });

  it('sums independent per-feature terms, and contributions are those terms', () => {
    const rng = new Rng(3);
    const X = new Matrix(200, 3);
    for (let k = 0; k < X.data.length; k++) X.data[k] = rng.normal() * (1 + (k % 3));
    const h = new HistogramDensity({ bins: 8 }).fit(X);
    const probe = [
      [0, 0, 0],
      [5, -1, 2],
    ];
    const c = h.contributions(probe);
    const e = h.energy(probe);
    for (let i = 0; i < 2; i++) {
      let s = 0;
      for (let j = 0; j < 3; j++) s += c.get(i, j);
      expect(s).toBeCloseTo(e[i] as number, 10);
    }
    // Changing one feature changes only its own term.
    const c2 = h.contributions([[0, 0, 7]]);
    expect(c2.get(0, 0)).toBe(c.get(0, 0));
    expect(c2.get(0, 1)).toBe(c.get(0, 1));
    expect(c2.get(0, 2)).not.toBe(c.get(0, 2));
  });

  it('rises by one per bin width beyond the training range, continuously at the edges', () => {
    const h = new HistogramDensity({ bins: 4 }).fit([[0], [1], [2], [3], [4]]);
    const w = 1; // (4 − 0) / 4
    const edgeHi = h.energyOne([4]);
    const edgeLo = h.energyOne([0]);
    expect(h.energyOne([4 + 1e-12])).toBeCloseTo(edgeHi, 9);
    expect(h.energyOne([4 + 3 * w])).toBeCloseTo(edgeHi + 3, 12);
    expect(h.energyOne([-2.5 * w])).toBeCloseTo(edgeLo + 2.5, 12);
    expect(Number.isFinite(h.energyOne([1e300]))).toBe(true);
    expect(h.energyOne([1e300])).toBeGreaterThan(h.energyOne([1e10]));
  });

  it('treats a feature constant in training as a unit range around the value', () => {
    const h = new HistogramDensity({ bins: 4 }).fit([
      [7, 1],
      [7, 2],
      [7, 3],
    ]);
    expect(Number.isFinite(h.energyOne([7, 2]))).toBe(true);
    expect(h.energyOne([9, 2])).toBeGreaterThan(h.energyOne([7, 2]));
    expect(h.energyOne([7, 2])).toBe(h.energyOne([7.1, 2]));
  });

  it('ranks a rare value of one field above common values', () => {
    const rng = new Rng(9);
    const rows: number[][] = [];
    // Hour of day: mostly office hours; a second field is noise.
    for (let i = 0; i < 2000; i++) rows.push([9 + Math.floor(rng.uniform() * 9), rng.normal()]);
    const h = new HistogramDensity({ bins: 24 }).fit(rows);
    expect(h.energyOne([3, 0])).toBeGreaterThan(h.energyOne([12, 0]) + 3);
  });

  it('resolves auto bins from the training rows', () => {
    const rows = Array.from({ length: 400 }, (_, i) => [i % 37]);
    expect(new HistogramDensity({ bins: 'auto' }).fit(rows).binsUsed).toBe(20);
    expect(new HistogramDensity({ bins: 'auto' }).fit(rows.slice(0, 4)).binsUsed).toBe(5);
    expect(
      new HistogramDensity({ bins: 'auto' }).fit(Array.from({ length: 2800 }, (_, i) => [i % 37])).binsUsed,
    ).toBe(50);
  });

  it('rejects bad hyperparameters and unfitted use', () => {
    expect(() => new HistogramDensity({ bins: 1 })).toThrow(ParameterError);
    expect(() => new HistogramDensity({ bins: 2.5 })).toThrow(/bins is out of range/);
    expect(() => new HistogramDensity({ smoothing: 0 })).toThrow(
      /smoothing is out of range \(expected > 0, got 0\)/,
    );
    expect(() => new HistogramDensity().energy([[1]])).toThrow(NotFittedError);
  });

  it('round-trips through JSON with identical energies and rejects inconsistent files', () => {
    const rng = new Rng(4);
    const rows = Array.from({ length: 50 }, () => [rng.normal(), rng.uniform() * 10]);
    const h = new HistogramDensity({ bins: 'auto' }).fit(rows);
    const text = JSON.stringify(h.toJSON());
    const back = loadModel(text);
    expect(Array.from(back.energy(rows))).toEqual(Array.from(h.energy(rows)));
    expect(Array.from(back.energy([[100, -100]]))).toEqual(Array.from(h.energy([[100, -100]])));
    const edit = (f: (s: Record<string, unknown>) => void): string => {
      const j = JSON.parse(text) as { state: Record<string, unknown> };
      f(j.state);
      return JSON.stringify(j);
    };
    expect(() =>
      loadModel(edit((s) => ((s.counts as number[])[0] = ((s.counts as number[])[0] as number) + 1))),
    ).toThrow(/do not sum to count/);
    expect(() => loadModel(edit((s) => ((s.counts as number[])[1] = -1)))).toThrow(ModelFormatError);
    expect(() => loadModel(edit((s) => ((s.counts as number[])[1] = 0.5)))).toThrow(/not a count/);
    expect(() => loadModel(edit((s) => ((s.width as number[])[0] = 0)))).toThrow(/not a usable bin width/);
    expect(() => loadModel(edit((s) => (s.binsUsed = 1e9)))).toThrow(ModelFormatError);
  });
});
