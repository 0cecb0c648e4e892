import { describe, expect, it } from 'vitest';
import { Matrix } from '../matrix/Matrix.js';
import { BaseEnergyModel, type FitContext } from './BaseEnergyModel.js';
import { NotFittedError } from './errors.js';

/** Squared distance to the training mean; counts the states it was asked to release. */
class MeanDistance extends BaseEnergyModel<Float64Array> {
  readonly kind: string = 'test-mean-distance';
  readonly formatVersion: number = 1;
  released = 0;
  protected fitImpl(X: Matrix, _ctx: FitContext): Float64Array {
    const mean = new Float64Array(X.cols);
    for (let i = 0; i < X.rows; i++)
      for (let j = 0; j < X.cols; j++) mean[j] = (mean[j] as number) + X.get(i, j) / X.rows;
    return mean;
  }
  protected energyImpl(X: Matrix, mean: Float64Array): Float64Array {
    const e = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++)
      for (let j = 0; j < X.cols; j++) e[i] = (e[i] as number) + (X.get(i, j) - (mean[j] as number)) ** 2;
    return e;
  }
  protected override releaseState(_state: Float64Array): void {
    this.released++;
  }
  protected configToJSON(): Record<string, unknown> {
    return {};
  }
  protected stateToJSON(mean: Float64Array): Record<string, unknown> {
    return { mean: Array.from(mean) };
  }
}

describe('BaseEnergyModel', () => {
  const X = new Matrix(3, 2, Float64Array.of(0, 1, 2, 3, 4, 5));

  it('energyOfCheckedRows equals energy, and still requires a fit and the fitted width', () => {
    const m = new MeanDistance();
    expect(() => m.energyOfCheckedRows(X)).toThrow(NotFittedError);
    m.fit(X);
    expect(Array.from(m.energyOfCheckedRows(X))).toEqual(Array.from(m.energy(X)));
    expect(() => m.energyOfCheckedRows(new Matrix(1, 3))).toThrow(
      /wrong number of features \(expected 2, got 3\)/,
    );
    // the values are not scanned again: that is the caller's promise (energy itself rejects NaN)
    const bad = new Matrix(1, 2, Float64Array.of(Number.NaN, 0));
    expect(Number.isNaN(m.energyOfCheckedRows(bad)[0] as number)).toBe(true);
    expect(() => m.energy(bad)).toThrow(/non-finite value at row 0, column 0/);
  });

  it('releases a learned state when fitting replaces it and on dispose; the model stays fitted', () => {
    const m = new MeanDistance();
    m.dispose(); // unfitted: nothing to release
    expect(m.released).toBe(0);
    m.fit(X);
    m.fit(X);
    expect(m.released).toBe(1);
    m.dispose();
    expect(m.released).toBe(2);
    expect(m.fitted).toBe(true);
    expect(m.energy(X).length).toBe(3);
  });
});
