import { Matrix as MlMatrix } from 'ml-matrix';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { InputTypeError, ShapeError, ValueError } from '../errors.js';
import { Matrix } from './Matrix.js';
import { type MatrixLike, toMatrix, toVector } from './toMatrix.js';

const nested = [
  [1, 2, 3],
  [4, 5, 6],
];

describe('toMatrix accepts every supported kind', () => {
  it('number[][] and arrays of typed arrays', () => {
    const m = toMatrix(nested);
    expect([m.rows, m.cols]).toEqual([2, 3]);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(toMatrix([Float32Array.from([1, 2]), Float64Array.from([3, 4])]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('a flat typed array or number array with a shape (copied, not aliased)', () => {
    const data = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const m = toMatrix({ data, shape: [3, 2] });
    expect(m.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    data[0] = 99;
    expect(m.get(0, 0)).toBe(1);
    expect(toMatrix({ data: Float32Array.from([0.5, 1.5]), shape: [1, 2] }).toArray()).toEqual([[0.5, 1.5]]);
    expect(toMatrix({ data: [1, 2], shape: [2, 1] }).toArray()).toEqual([[1], [2]]);
  });

  it('a Matrix, validated but not copied', () => {
    const m = new Matrix(1, 2, Float64Array.from([1, 2]));
    expect(toMatrix(m)).toBe(m);
  });

  it('a real scijs ndarray, including transposed, sliced and negatively strided views', () => {
    const base = ndarray(Float64Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(toMatrix(base).toArray()).toEqual(nested);
    expect(toMatrix(base.transpose(1, 0)).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(toMatrix(base.hi(2, 2).lo(0, 1)).toArray()).toEqual([[2], [5]]);
    expect(toMatrix(base.lo(0, 1)).toArray()).toEqual([
      [2, 3],
      [5, 6],
    ]);
    expect(toMatrix(base.step(-1, 1)).toArray()).toEqual([
      [4, 5, 6],
      [1, 2, 3],
    ]);
    expect(toMatrix(ndarray([7, 8, 9, 10], [2, 2])).toArray()).toEqual([
      [7, 8],
      [9, 10],
    ]);
  });

  it('a real ml-matrix Matrix, and its transpose', () => {
    const ml = new MlMatrix(nested);
    expect(toMatrix(ml).toArray()).toEqual(nested);
    expect(toMatrix(ml.transpose()).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });
});

describe('toMatrix rejects bad input with clear errors', () => {
  it('empty input is a ShapeError unless allowed', () => {
    expect(() => toMatrix([])).toThrow(ShapeError);
    expect(() => toMatrix([], { api: 'Model.fit' })).toThrow(
      /^Model.fit: empty input \(expected at least one row, got 0 rows\)$/,
    );
    expect(() => toMatrix(ndarray(new Float64Array(0), [0, 3]))).toThrow(/empty input/);
    expect(() => toMatrix(new MlMatrix(0, 0))).toThrow(ShapeError);
    expect(toMatrix([], { allowEmpty: true }).rows).toBe(0);
    const empty = toMatrix([], { allowEmpty: true, cols: 4 });
    expect([empty.rows, empty.cols]).toEqual([0, 4]);
    expect(() => toMatrix([[], []])).toThrow(/rows have no columns/);
  });

  it('ragged rows and wrong column counts are ShapeErrors naming the row', () => {
    expect(() => toMatrix([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => toMatrix([[1, 2], [3, 4], [5]])).toThrow(
      /ragged rows: row 2 has a different length \(expected 2 columns, got 1\)/,
    );
    expect(() => toMatrix(nested, { cols: 4 })).toThrow(/wrong number of features \(expected 4, got 3\)/);
  });

  it('shape problems of flat data and ndarrays are ShapeErrors', () => {
    expect(() => toMatrix({ data: new Float64Array(5), shape: [2, 3] })).toThrow(
      /data length does not match the shape \(expected 6, got 5\)/,
    );
    expect(() =>
      toMatrix({ data: new Float64Array(6), shape: [2, 3, 1] as unknown as [number, number] }),
    ).toThrow(/shape must have two entries/);
    expect(() => toMatrix({ data: new Float64Array(6), shape: [-2, -3] })).toThrow(ShapeError);
    expect(() => toMatrix(ndarray(new Float64Array(6), [6]))).toThrow(/ndarray must be 2-dimensional/);
    expect(() => toMatrix(ndarray(new Float64Array(8), [2, 2, 2]))).toThrow(ShapeError);
  });

  it('NaN and ±Infinity are ValueErrors naming row and column, for every kind', () => {
    expect(() =>
      toMatrix([
        [1, 2],
        [3, Number.NaN],
      ]),
    ).toThrow(ValueError);
    expect(() =>
      toMatrix([
        [1, 2],
        [3, Number.NaN],
      ]),
    ).toThrow(/non-finite value at row 1, column 1 \(expected a finite number, got NaN\)/);
    expect(() => toMatrix({ data: [0, 0, Number.POSITIVE_INFINITY], shape: [1, 3] })).toThrow(
      /row 0, column 2.*got Infinity/,
    );
    expect(() => toMatrix(ndarray([1, Number.NEGATIVE_INFINITY, 3, 4], [2, 2]).transpose(1, 0))).toThrow(
      /row 1, column 0.*got -Infinity/,
    );
    expect(() => toMatrix(new MlMatrix([[1], [Number.NaN]]))).toThrow(/row 1, column 0/);
    expect(() => toMatrix(new Matrix(1, 2, Float64Array.from([0, Number.NaN])))).toThrow(ValueError);
    expect(() => toMatrix({ data: Float32Array.from([Number.NaN]), shape: [1, 1] })).toThrow(ValueError);
  });

  it('wrong kinds are TypeErrors (InputTypeError)', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'abc',
      42,
      true,
      new Float64Array(4),
      { foo: 1 },
      ['ab', 'cd'],
      [null],
    ];
    for (const b of bad) {
      expect(() => toMatrix(b as MatrixLike)).toThrow(TypeError);
      expect(() => toMatrix(b as MatrixLike)).toThrow(InputTypeError);
    }
    expect(() => toMatrix(new Float64Array(4) as unknown as MatrixLike)).toThrow(
      /a flat typed array needs a shape/,
    );
    expect(() => toMatrix([[1, '2']] as unknown as MatrixLike)).toThrow(
      /value at row 0, column 1 is not a number/,
    );
    expect(() => toMatrix([[1], 2] as unknown as MatrixLike)).toThrow(/row 1 is not an array/);
    expect(() => toMatrix({ data: [1, 'x'], shape: [1, 2] } as unknown as MatrixLike)).toThrow(
      /element 1 is not a number/,
    );
    expect(() => toMatrix(ndarray(['a', 'b'] as unknown as number[], [1, 2]))).toThrow(InputTypeError);
    // A hole in a sparse array is not a number either.
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point of the test
    expect(() => toMatrix([[1, , 3]] as unknown as MatrixLike)).toThrow(/column 1 is not a number/);
  });
});

describe('toVector', () => {
  it('converts and checks one sample', () => {
    expect(Array.from(toVector([1, 2, 3], { cols: 3 }))).toEqual([1, 2, 3]);
    expect(toVector(Float32Array.from([1, 2]))).toBeInstanceOf(Float64Array);
    expect(() => toVector([1, 2], { cols: 3 })).toThrow(ShapeError);
    expect(() => toVector([1, Number.NaN], { api: 'score' })).toThrow(
      /^score: non-finite value at row 0, column 1/,
    );
    expect(() => toVector('abc' as unknown as number[])).toThrow(InputTypeError);
    expect(() => toVector([])).toThrow(ShapeError);
  });
});
