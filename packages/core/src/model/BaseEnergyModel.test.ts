import { describe, expect, it } from 'vitest';
import { NotFittedError } from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';
import { NormModel } from './testModels.js';

/** Squared distance to the training mean; counts the states it was asked to release. */
class MeanDistance extends NormModel {
  released = 0;
  protected override releaseState(_state: Float64Array): void {
    this.released++;
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
    // the values are not scanned again: that is the caller's promise (energy itself rejects NaN); a NaN
    // that gets through is never returned as NaN, it is the +Infinity of an overflow (flagged)
    const bad = new Matrix(1, 2, Float64Array.of(Number.NaN, 0));
    expect(m.energyOfCheckedRows(bad)[0]).toBe(Number.POSITIVE_INFINITY);
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
