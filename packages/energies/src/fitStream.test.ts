import { Matrix, matrixRows, Rng, UnsupportedError } from '@nexus/ebm-core';
import { describe, expect, it } from 'vitest';
import { GaussianDensity } from './gaussian/GaussianDensity.js';
import { HistogramDensity } from './histogram/HistogramDensity.js';

/** Correlated rows far from the origin (a large mean makes a careless streaming sum lose digits). */
function rows(n: number, d: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const m = new Matrix(n, d);
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    for (let j = 0; j < d; j++)
      m.set(i, j, 1e4 * (j + 1) + z * (j + 1) + rng.normal() + (j === 2 ? Math.round(z) : 0));
  }
  return m;
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(1, Math.abs(x)));
  }
  return worst;
}

describe('fitStream (rows read in passes)', () => {
  const X = rows(3000, 5, 1);
  const T = rows(200, 5, 2);

  for (const covariance of ['full', 'diagonal', 'ledoit-wolf'] as const) {
    it(`GaussianDensity (${covariance}) equals fit: bit for bit in one block, to rounding in many`, () => {
      const whole = new GaussianDensity({ covariance, regularization: 1e-3 }).fit(X);
      const one = new GaussianDensity({ covariance, regularization: 1e-3 }).fitStream(matrixRows(X));
      expect(one.toJSON()).toEqual(whole.toJSON());
      for (const block of [1, 7, 256, 2999]) {
        const g = new GaussianDensity({ covariance, regularization: 1e-3 }).fitStream(matrixRows(X, block));
        expect(g.count).toBe(3000);
        expect(maxRelDiff(g.energy(T), whole.energy(T))).toBeLessThan(1e-9);
        expect(maxRelDiff(g.mean, whole.mean)).toBeLessThan(1e-12);
      }
    });
  }

  it('GaussianDensity with trim is not streamable', () => {
    const g = new GaussianDensity({ trim: 0.1 });
    expect(g.streamable).toBe(false);
    expect(new GaussianDensity().streamable).toBe(true);
    expect(() => g.fitStream(matrixRows(X))).toThrow(UnsupportedError);
    expect(() => new GaussianDensity().fitStream(matrixRows(new Matrix(0, 3)))).toThrow(/no rows/);
  });

  it('HistogramDensity equals fit bit for bit, whatever the blocks', () => {
    for (const bins of ['auto', 7] as const) {
      const whole = new HistogramDensity({ bins }).fit(X);
      for (const block of [1, 13, 3000]) {
        const h = new HistogramDensity({ bins }).fitStream(matrixRows(X, block));
        expect(h.toJSON()).toEqual(whole.toJSON());
      }
    }
    const changing = {
      cols: 1,
      calls: 0,
      *blocks(): Iterable<Matrix> {
        this.calls++;
        yield new Matrix(this.calls, 1, new Float64Array(this.calls).fill(1));
      },
    };
    expect(() => new HistogramDensity().fitStream(changing)).toThrow(/changed between passes/);
  });
});
