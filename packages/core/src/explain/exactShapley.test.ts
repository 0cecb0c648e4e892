import { describe, expect, it } from 'vitest';
import { ParameterError, ShapeError } from '../errors.js';
import { exactShapley, MAX_EXACT_PLAYERS } from './exactShapley.js';
import { FunctionEnergy } from './testEnergies.js';

describe('exactShapley', () => {
  it('gives a_i·(x_i − weighted background mean) for a linear energy', () => {
    const a = [2, -1, 0.5];
    const model = new FunctionEnergy(3, (x) => 1 + a.reduce((s, v, i) => s + v * (x[i] as number), 0));
    const bg = [
      [0, 0, 0],
      [2, 4, 6],
    ];
    const r = exactShapley(model, [1, 1, 1], bg, { weights: [3, 1] });
    // Weighted means: [0.5, 1, 1.5].
    expect(Array.from(r.values)).toEqual([2 * 0.5, -1 * 0, 0.5 * -0.5].map((v) => expect.closeTo(v, 12)));
    expect(r.energy).toBeCloseTo(2.5, 12);
    expect(r.base).toBeCloseTo(0.75 * 1 + 0.25 * (1 + 4 - 4 + 3), 12);
  });

  it('splits a pure interaction equally: f = x0·x1 with a zero background', () => {
    const model = new FunctionEnergy(2, (x) => (x[0] as number) * (x[1] as number));
    const r = exactShapley(model, [3, 4], [[0, 0]]);
    expect(Array.from(r.values)).toEqual([6, 6]);
  });

  it('accepts a plain function and makes one energy call', () => {
    let calls = 0;
    const f = (X: { rows: number; data: Float64Array; cols: number }): Float64Array => {
      calls++;
      const e = new Float64Array(X.rows);
      for (let i = 0; i < X.rows; i++)
        e[i] = Math.max(X.data[i * X.cols] as number, X.data[i * X.cols + 1] as number);
      return e;
    };
    const r = exactShapley(
      f,
      [1, 5],
      [
        [0, 0],
        [2, 2],
      ],
    );
    expect(calls).toBe(1);
    expect(r.values[0]! + r.values[1]!).toBeCloseTo(5 - 2 / 2 - 0, 12);
  });

  it('refuses too many players and bad shapes', () => {
    const d = MAX_EXACT_PLAYERS + 1;
    const model = new FunctionEnergy(d, (x) => x[0] as number);
    expect(() => exactShapley(model, new Array(d).fill(0), [new Array(d).fill(0)])).toThrow(ParameterError);
    expect(() => exactShapley(model, [1, 2], [new Array(d).fill(0)])).toThrow(ShapeError);
    // Groups bring the players under the limit.
    const groups = [Array.from({ length: d - 1 }, (_, i) => i), [d - 1]];
    const r = exactShapley(model, new Array(d).fill(1), [new Array(d).fill(0)], { groups });
    expect(Array.from(r.values)).toEqual([1, 0]);
  });
});
