import { describe, expect, it } from 'vitest';
import { ParameterError, ShapeError } from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';
import { explain } from './contributions.js';
import { exactShapley } from './exactShapley.js';
import { KernelExplainer } from './kernelShap.js';
import { FunctionEnergy } from './testEnergies.js';

/** A diagonal-Gaussian-like energy with an exact split: ½·Σ (x_j − μ_j)²/σ_j² + const. */
const mu = [1, -1, 0, 2];
const s2 = [1, 4, 0.25, 2];
const gaussian = (): FunctionEnergy =>
  new FunctionEnergy(
    4,
    (x) => 7 + x.reduce((s, v, j) => s + (0.5 * (v - (mu[j] as number)) ** 2) / (s2[j] as number), 0),
    (x, out) => {
      for (let j = 0; j < 4; j++)
        out[j] = (0.5 * ((x[j] as number) - (mu[j] as number)) ** 2) / (s2[j] as number);
    },
  );
const X = [
  [1, 1, 1, 1],
  [0, -1, 3, 2],
];

describe('explain', () => {
  it('uses the exact split when the model has one: rows sum to energy − base (the model constant)', () => {
    const e = explain(gaussian(), X);
    expect(e.method).toBe('exact');
    expect(e.attributions.rows).toBe(2);
    expect(e.attributions.get(0, 1)).toBeCloseTo(0.5, 12);
    for (let i = 0; i < 2; i++) {
      expect(e.base[i]).toBeCloseTo(7, 10);
      const s = Array.from(e.attributions.row(i)).reduce((a, b) => a + b, 0);
      expect(s).toBeCloseTo((e.energies[i] as number) - (e.base[i] as number), 10);
    }
  });

  it('sums the exact split within groups', () => {
    const e = explain(gaussian(), X, {
      groups: [
        [0, 2],
        [1, 3],
      ],
    });
    const full = explain(gaussian(), X);
    expect(e.attributions.cols).toBe(2);
    expect(e.attributions.get(1, 0)).toBeCloseTo(
      full.attributions.get(1, 0) + full.attributions.get(1, 2),
      12,
    );
  });

  it('falls back to KernelSHAP without an exact split (or when asked), with the mean background energy as base', () => {
    const plain = new FunctionEnergy(
      4,
      (x) => (x[0] as number) * (x[1] as number) + Math.exp(0.3 * (x[2] as number)) * (x[3] as number),
    );
    const background = [
      [0, 0, 0, 0],
      [1, 2, -1, 1],
      [-1, 0.5, 0.5, 2],
    ];
    const e = explain(plain, X, { background, summarize: 'none' });
    expect(e.method).toBe('kernelshap');
    for (let i = 0; i < 2; i++) {
      const ex = exactShapley(plain, X[i] as number[], background);
      for (let j = 0; j < 4; j++) expect(e.attributions.get(i, j)).toBeCloseTo(ex.values[j] as number, 9);
      expect(e.base[i]).toBeCloseTo(ex.base, 12);
    }
    const forced = explain(gaussian(), X, { method: 'kernelshap', background });
    expect(forced.method).toBe('kernelshap');
    const reused = explain(plain, X, {
      explainer: new KernelExplainer(plain, background, { summarize: 'none' }),
    });
    expect(Array.from(reused.attributions.data)).toEqual(Array.from(e.attributions.data));
  });

  it("picks up a model's separable terms (HasSeparableTerms) as the exact part", () => {
    const bias = [1.5, -2, 0.5, 3];
    const f = (x: Float64Array): number =>
      Math.tanh((x[0] as number) * (x[1] as number) * (x[2] as number)) -
      x.reduce((s, v, j) => s + (bias[j] as number) * v, 0);
    const withTerms = Object.assign(new FunctionEnergy(4, f), {
      calledWith: 0,
      separableTerms(M: Matrix): Matrix {
        this.calledWith++;
        const out = new Matrix(M.rows, M.cols);
        for (let k = 0; k < M.data.length; k++)
          out.data[k] = -(bias[k % 4] as number) * (M.data[k] as number);
        return out;
      },
    });
    const background = [
      [0, 0, 0, 0],
      [1, 2, -1, 1],
    ];
    const e = explain(withTerms, X, { background, summarize: 'none' });
    expect(withTerms.calledWith).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++) {
      const ex = exactShapley(withTerms, X[i] as number[], background);
      for (let j = 0; j < 4; j++) expect(e.attributions.get(i, j)).toBeCloseTo(ex.values[j] as number, 9);
    }
  });

  it('explains clearly what is missing or wrong', () => {
    const plain = new FunctionEnergy(4, (x) => x[0] as number);
    expect(() => explain(plain, X)).toThrow(/KernelSHAP needs a background/);
    expect(() => explain(plain, X, { method: 'exact' })).toThrow(ParameterError);
    expect(() => explain(gaussian(), [[1, 2]])).toThrow(ShapeError);
    const broken = gaussian();
    broken.contributions = (): Matrix => new Matrix(1, 1);
    expect(() => explain(broken, X)).toThrow(/contributions returned the wrong shape/);
  });
});
