import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import { Matrix } from './Matrix.js';

describe('Matrix', () => {
  const m = new Matrix(2, 3, Float64Array.from([1, 2, 3, 4, 5, 6]));

  it('stores row-major data and reads, writes and views rows', () => {
    expect(m.get(1, 2)).toBe(6);
    expect(Array.from(m.row(1))).toEqual([4, 5, 6]);
    const c = m.clone();
    c.set(0, 0, 9);
    c.row(1)[0] = 7; // a view writes through
    expect(c.get(1, 0)).toBe(7);
    expect(m.get(0, 0)).toBe(1); // the clone is deep
    expect(m.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('transposes, selects rows and builds zeros and identities', () => {
    expect(m.transpose().toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(m.selectRows([1, 1, 0]).toArray()).toEqual([
      [4, 5, 6],
      [4, 5, 6],
      [1, 2, 3],
    ]);
    expect(Array.from(Matrix.zeros(2, 2).data)).toEqual([0, 0, 0, 0]);
    expect(Matrix.identity(3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(new Matrix(0, 4).toArray()).toEqual([]);
  });

  it('rejects invalid shapes and a data length that does not match', () => {
    expect(() => new Matrix(-1, 2)).toThrow(ShapeError);
    expect(() => new Matrix(1.5, 2)).toThrow(/Matrix: invalid shape/);
    expect(() => new Matrix(2, 2, new Float64Array(3))).toThrow(
      /Matrix: data length does not match the shape \(expected 4 \(2×2\), got 3\)/,
    );
  });
});
