import { describe, expect, it } from 'vitest';
import { InputTypeError, ParameterError, ShapeError, ValueError } from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';
import { Rng } from '../random/Rng.js';
import { exactShapley } from './exactShapley.js';
import { DEFAULT_ROW_BUDGET, drawCoalitions, KernelExplainer, kernelShap } from './kernelShap.js';
import { FunctionEnergy, nonlinearEnergy } from './testEnergies.js';

function randomRows(rng: Rng, n: number, d: number, scale = 1): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => scale * rng.normal()));
}

const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0);

describe('KernelExplainer', () => {
  it('recovers a linear energy exactly, also with sampled coalitions and a k-means summary (d = 40, 60)', () => {
    for (const d of [40, 60]) {
      const rng = new Rng(d);
      const a = Array.from({ length: d }, () => rng.normal());
      const model = new FunctionEnergy(d, (x) => 3 + x.reduce((s, v, i) => s + (a[i] as number) * v, 0));
      const bg = randomRows(rng, 50, d);
      const x = randomRows(rng, 1, d, 3)[0] as number[];
      const r = kernelShap(model, x, bg, { nSamples: 300, backgroundSize: 5, seed: 3 });
      expect(r.enumerated).toBe(false);
      expect(r.nCoalitions).toBeLessThanOrEqual(301);
      for (let i = 0; i < d; i++) {
        const mean = bg.reduce((s, b) => s + (b[i] as number), 0) / bg.length;
        // k-means centres keep the background mean, so the linear attributions are exact.
        expect(r.values[i]).toBeCloseTo((a[i] as number) * ((x[i] as number) - mean), 8);
      }
    }
  });

  it('makes one energy call per event, over all coalitions × background rows (+ the event)', () => {
    const d = 6;
    const rng = new Rng(1);
    const model = new FunctionEnergy(d, nonlinearEnergy(d, [1, -0.5, 0.3, 2, -1, 0.7, 0.2]));
    const bg = randomRows(rng, 40, d);
    const ex = new KernelExplainer(model, bg, { backgroundSize: 8 });
    expect(model.calls).toBe(1); // the base value over the whole background
    expect(model.rows).toBe(40);
    expect(ex.background.rows).toBe(8);
    const r = ex.explain(randomRows(rng, 1, d)[0] as number[]);
    expect(model.calls).toBe(2);
    expect(r.nCoalitions).toBe(62);
    expect(model.rows).toBe(40 + 62 * 8 + 1);
    ex.explainBatch(randomRows(rng, 3, d));
    expect(model.calls).toBe(5);
  });

  it('explainBatch row i equals explain(row i); results depend only on the seed', () => {
    const d = 12;
    const rng = new Rng(2);
    const model = new FunctionEnergy(d, nonlinearEnergy(d, [0.4, 1, -0.3, 0.8, 0.5, -1.2, 0.6]));
    const bg = randomRows(rng, 30, d);
    const X = randomRows(rng, 3, d, 2);
    const ex = new KernelExplainer(model, bg, { nSamples: 200, seed: 9 });
    const batch = ex.explainBatch(X);
    expect(batch.values.rows).toBe(3);
    for (let i = 0; i < 3; i++) {
      const r = ex.explain(X[i] as number[]);
      expect(Array.from(batch.values.row(i))).toEqual(Array.from(r.values));
      expect(batch.energies[i]).toBe(r.energy);
      expect(Math.abs(sum(r.values) - (r.energy - batch.base))).toBeLessThan(1e-9);
    }
    const again = new KernelExplainer(model, bg, { nSamples: 200, seed: 9 }).explain(X[0] as number[]);
    expect(Array.from(again.values)).toEqual(Array.from(batch.values.row(0)));
    const other = new KernelExplainer(model, bg, { nSamples: 200, seed: 10 }).explain(X[0] as number[]);
    expect(Array.from(other.values)).not.toEqual(Array.from(batch.values.row(0)));
  });

  it('with the default budget stays close to full enumeration on a 14-feature nonlinear energy', () => {
    const d = 14;
    const rng = new Rng(5);
    const model = new FunctionEnergy(d, nonlinearEnergy(d, [0.7, -0.4, 1.1, 0.5, -0.9, 0.3, 1.4]));
    const bg = randomRows(rng, 3, d);
    const x = randomRows(rng, 1, d, 2.5)[0] as number[];
    const full = kernelShap(model, x, bg, { nSamples: 2 ** d, summarize: 'none' });
    expect(full.enumerated).toBe(true);
    const r = kernelShap(model, x, bg, { summarize: 'none', seed: 1 });
    expect(r.enumerated).toBe(false);
    expect(r.nCoalitions).toBe(2 * d + 2048);
    let err = 0;
    for (let i = 0; i < d; i++)
      err = Math.max(err, Math.abs((r.values[i] as number) - (full.values[i] as number)));
    expect(err / Math.abs(full.energy - full.base)).toBeLessThan(0.05);
  });

  it('explains groups of columns as single players, like exactShapley with the same groups', () => {
    const d = 7;
    const rng = new Rng(3);
    const model = new FunctionEnergy(d, nonlinearEnergy(d, [1, 0.5, -0.7, 0.2, 1.3, -0.1, 0.9]));
    const bg = randomRows(rng, 10, d);
    const x = randomRows(rng, 1, d, 2)[0] as number[];
    const groups = [[0, 3], [1], [2, 4, 6], [5]];
    const ex = exactShapley(model, x, bg, { groups });
    const ks = kernelShap(model, x, bg, { groups, summarize: 'none' });
    expect(ks.values.length).toBe(4);
    for (let g = 0; g < 4; g++) expect(ks.values[g]).toBeCloseTo(ex.values[g] as number, 8);
    expect(sum(ks.values)).toBeCloseTo(ks.energy - ks.base, 9);
  });

  it('an exact separable part gives the same Shapley values with less sampling error', () => {
    const d = 12;
    const rng = new Rng(4);
    const bias = Array.from({ length: d }, () => 3 * rng.normal());
    const inter = nonlinearEnergy(d, [0.1, 0.2, -0.1, 0.3, 0.05, -0.2, 0.1]);
    const model = new FunctionEnergy(
      d,
      (x) => inter(x) - x.reduce((s, v, j) => s + (bias[j] as number) * v, 0),
    );
    const exactPart = (X: Matrix): Matrix => {
      const out = new Matrix(X.rows, X.cols);
      for (let k = 0; k < X.data.length; k++)
        out.data[k] = -(bias[k % X.cols] as number) * (X.data[k] as number);
      return out;
    };
    const bg = randomRows(rng, 6, d);
    const x = randomRows(rng, 1, d, 2)[0] as number[];
    const full = kernelShap(model, x, bg, { nSamples: 2 ** d, summarize: 'none' });
    const fullSplit = kernelShap(model, x, bg, { nSamples: 2 ** d, summarize: 'none', exactPart });
    for (let j = 0; j < d; j++) expect(fullSplit.values[j]).toBeCloseTo(full.values[j] as number, 8);
    expect(fullSplit.base).toBeCloseTo(full.base, 9);
    expect(new KernelExplainer(model, bg, { exactPart }).base).toBeCloseTo(full.base, 9);
    expect(fullSplit.energy).toBeCloseTo(full.energy, 9);
    const err = (r: { values: Float64Array }): number =>
      Math.max(...Array.from(r.values, (v, j) => Math.abs(v - (full.values[j] as number))));
    const plain = kernelShap(model, x, bg, { nSamples: 60, summarize: 'none', seed: 2 });
    const split = kernelShap(model, x, bg, { nSamples: 60, summarize: 'none', seed: 2, exactPart });
    expect(sum(split.values)).toBeCloseTo(split.energy - split.base, 9);
    expect(err(split)).toBeLessThan(err(plain));
  });

  it('summarises the background by k-means (weighted) or by a seeded sample, keeping the full-background base', () => {
    const d = 5;
    const rng = new Rng(6);
    const f = nonlinearEnergy(d, [1, 0.3, -0.2, 0.6, 0.4, -0.8, 0.5]);
    const model = new FunctionEnergy(d, f);
    const bg = randomRows(rng, 200, d);
    const mean = bg.reduce((s, b) => s + f(Float64Array.from(b)), 0) / bg.length;
    const km = new KernelExplainer(model, bg);
    // Default size: the row budget over the 30 coalitions of d = 5, capped by the background.
    expect(km.background.rows).toBe(Math.min(200, Math.floor(DEFAULT_ROW_BUDGET / 30)));
    const small = new KernelExplainer(model, bg, { backgroundSize: 12 });
    expect(small.background.rows).toBeLessThanOrEqual(12);
    expect(sum(small.backgroundWeights)).toBeCloseTo(1, 12);
    expect(small.base).toBeCloseTo(mean, 9);
    const sampled = new KernelExplainer(model, bg, { backgroundSize: 12, summarize: 'sample', seed: 1 });
    expect(sampled.background.rows).toBe(12);
    const asText = new Set(bg.map((b) => b.join(',')));
    for (let i = 0; i < 12; i++)
      expect(asText.has(Array.from(sampled.background.row(i)).join(','))).toBe(true);
  });

  it('rejects bad input with clear errors', () => {
    const model = new FunctionEnergy(3, (x) => x[0] as number);
    const bg = [
      [0, 0, 0],
      [1, 1, 1],
    ];
    const ex = new KernelExplainer(model, bg);
    expect(() => ex.explain([1, 2])).toThrow(ShapeError);
    expect(() => ex.explain([1, 2])).toThrow(/KernelExplainer.explain.*expected 3, got 2/);
    expect(() => ex.explain([1, Number.NaN, 2])).toThrow(ValueError);
    expect(() => new KernelExplainer(model, [[1, 2]])).toThrow(ShapeError);
    expect(() => new KernelExplainer(model, bg, { nSamples: 2 })).toThrow(ParameterError);
    expect(() => new KernelExplainer(model, bg, { nSamples: 1.5 })).toThrow(ParameterError);
    expect(() => new KernelExplainer(model, bg, { groups: [[0, 1]] })).toThrow(/do not cover column 2/);
    expect(
      () =>
        new KernelExplainer(model, bg, {
          groups: [
            [0, 1],
            [1, 2],
          ],
        }),
    ).toThrow(ParameterError);
    expect(() => new KernelExplainer(model, bg, { weights: [1, -1] })).toThrow(ValueError);
    expect(() => new KernelExplainer(model, bg, { weights: [1] })).toThrow(ShapeError);
    expect(() => new KernelExplainer(model, bg, { summarize: 'median' as 'none' })).toThrow(ParameterError);
    expect(() => new KernelExplainer({} as FunctionEnergy, bg)).toThrow(InputTypeError);
    const nan = (X: Matrix): Float64Array => new Float64Array(X.rows).fill(Number.NaN);
    expect(() => new KernelExplainer(nan, bg)).toThrow(/non-finite energy/);
    const short = (X: Matrix): Float64Array => new Float64Array(Math.max(0, X.rows - 1));
    expect(() => new KernelExplainer(short, bg)).toThrow(ShapeError);
  });
});

describe('drawCoalitions', () => {
  it('enumerates everything when 2^d − 2 fits, with Shapley kernel weights', () => {
    const c = drawCoalitions(4, 100, true, new Rng(0));
    expect(c.enumerated).toBe(true);
    expect(c.count).toBe(14);
    // Kernel weight of a subset of size s: (d − 1) / (C(d, s)·s·(d − s)).
    for (let k = 0; k < c.count; k++) {
      const s = sum(c.masks.subarray(k * 4, k * 4 + 4));
      const binom = [1, 4, 6, 4, 1][s] as number;
      expect(c.weights[k]).toBeCloseTo(3 / (binom * s * (4 - s)), 12);
    }
  });

  it('fills small and large sizes completely, samples the middle in complementary pairs, within budget', () => {
    const P = 20;
    const c = drawCoalitions(P, 500, true, new Rng(1));
    expect(c.enumerated).toBe(false);
    expect(c.count).toBeGreaterThanOrEqual(499);
    expect(c.count).toBeLessThanOrEqual(501);
    const keys = new Set<string>();
    let size1 = 0;
    let size19 = 0;
    for (let k = 0; k < c.count; k++) {
      const m = Array.from(c.masks.subarray(k * P, k * P + P));
      const s = sum(m);
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(P);
      expect(c.weights[k]).toBeGreaterThan(0);
      if (s === 1) size1++;
      if (s === P - 1) size19++;
      keys.add(m.join(''));
    }
    expect(keys.size).toBe(c.count); // distinct
    expect(size1).toBe(P);
    expect(size19).toBe(P);
    for (const key of keys) {
      const comp = Array.from(key, (ch) => (ch === '1' ? '0' : '1')).join('');
      expect(keys.has(comp)).toBe(true);
    }
  });
});
