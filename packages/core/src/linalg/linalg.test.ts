import { Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { InputTypeError, ParameterError, ShapeError, ValueError } from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';
import { choleskyFactor } from './choleskyFactor.js';
import { choleskySolve } from './choleskySolve.js';
import { covarianceMatrix } from './covarianceMatrix.js';
import { logDet } from './logDet.js';
import { matmul } from './matmul.js';

const m = (rows: number, cols: number, values: number[]): Matrix =>
  new Matrix(rows, cols, Float64Array.from(values));

describe('matmul', () => {
  const a = m(2, 3, [1, 2, 3, 4, 5, 6]);

  it('multiplies with and without transposes, agreeing with ml-matrix', () => {
    expect(matmul(a, a, { transB: true }).toArray()).toEqual([
      [14, 32],
      [32, 77],
    ]);
    expect(matmul(a, a, { transA: true }).toArray()).toEqual(
      new MlMatrix(a.toArray()).transpose().mmul(new MlMatrix(a.toArray())).to2DArray(),
    );
    const b = m(3, 1, [1, 0, -1]);
    expect(Array.from(matmul(a, b).data)).toEqual([-2, -2]);
    expect(Array.from(matmul(b, a, { transA: true, transB: true }).data)).toEqual([-2, -2]);
  });

  it('rejects inner-dimension mismatches, non-matrices and non-finite values', () => {
    expect(() => matmul(a, a)).toThrow(ShapeError);
    expect(() => matmul(a, a)).toThrow(/matmul: inner dimensions differ \(op\(A\) is 2×3, op\(B\) is 2×3\)/);
    expect(() => matmul([[1]] as unknown as Matrix, a)).toThrow(InputTypeError);
    expect(() => matmul(m(1, 1, [Number.NaN]), m(1, 1, [1]))).toThrow(/row 0, column 0/);
  });

  it('handles empty products (k = 0 gives zeros)', () => {
    const z = matmul(new Matrix(2, 0), new Matrix(0, 3));
    expect(z.rows).toBe(2);
    expect(Array.from(z.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('choleskyFactor, choleskySolve, logDet', () => {
  const spd = m(3, 3, [4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);

  it('factors, solves one and several right-hand sides, and gives the log-determinant', () => {
    const l = choleskyFactor(spd);
    expect(l.get(0, 0)).toBe(2);
    expect(l.get(0, 1)).toBe(0);
    const x = choleskySolve(l, new Float64Array([1, 2, 3]));
    const back = matmul(spd, new Matrix(3, 1, x));
    expect(Array.from(back.data).map((v) => Number(v.toFixed(12)))).toEqual([1, 2, 3]);
    const X = choleskySolve(l, Matrix.identity(3));
    const eye = matmul(spd, X);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) expect(eye.get(i, j)).toBeCloseTo(i === j ? 1 : 0, 12);
    const det = new MlMatrix(spd.toArray());
    expect(logDet(spd)).toBeCloseTo(
      Math.log(det.get(0, 0) * (5 * 3 - 1) - 2 * (2 * 3 - 0.4) + 0.4 * (2 - 2)),
      12,
    );
  });

  it('does not modify its inputs', () => {
    const before = spd.data.slice();
    const l = choleskyFactor(spd);
    const b = new Float64Array([1, 2, 3]);
    choleskySolve(l, b);
    expect(Array.from(b)).toEqual([1, 2, 3]);
    expect(spd.data).toEqual(before);
  });

  it('reports a matrix that is not positive definite with its pivot, and jitter rescues it', () => {
    const singular = m(2, 2, [1, 1, 1, 1]);
    expect(() => choleskyFactor(singular)).toThrow(ValueError);
    expect(() => choleskyFactor(singular)).toThrow(/not positive definite \(pivot 1 is not positive\)/);
    expect(() => logDet(m(2, 2, [-1, 0, 0, 1]))).toThrow(/pivot 0/);
    expect(choleskyFactor(singular, { jitter: 1e-8 }).get(1, 1)).toBeCloseTo(Math.sqrt(2e-8), 8);
  });

  it('rejects bad shapes, options and right-hand sides', () => {
    expect(() => choleskyFactor(new Matrix(2, 3))).toThrow(
      /choleskyFactor: a must be square \(expected n×n, got 2×3\)/,
    );
    expect(() => choleskyFactor(spd, { jitter: -1 })).toThrow(ParameterError);
    expect(() => choleskyFactor(spd, { jitter: Number.NaN })).toThrow(ParameterError);
    const l = choleskyFactor(spd);
    expect(() => choleskySolve(l, new Float64Array(2))).toThrow(ShapeError);
    expect(() => choleskySolve(l, new Matrix(2, 1))).toThrow(ShapeError);
    expect(() => choleskySolve(l, new Float64Array([1, Number.NaN, 1]))).toThrow(ValueError);
    expect(() => choleskySolve(l, [1, 2, 3] as unknown as Float64Array)).toThrow(InputTypeError);
    expect(() => choleskySolve(new Matrix(2, 2), new Float64Array(2))).toThrow(/diagonal 0 is not positive/);
  });
});

describe('covarianceMatrix', () => {
  it('gives the means and the unbiased covariance by default, population with ddof 0', () => {
    const x = m(3, 2, [1, 2, 2, 4, 3, 9]);
    const { mean, cov } = covarianceMatrix(x);
    expect(Array.from(mean)).toEqual([2, 5]);
    expect(cov.get(0, 0)).toBeCloseTo(1, 14);
    expect(cov.get(0, 1)).toBeCloseTo(3.5, 14);
    expect(cov.get(1, 0)).toBe(cov.get(0, 1));
    expect(cov.get(1, 1)).toBeCloseTo(13, 14);
    expect(covarianceMatrix(x, { ddof: 0 }).cov.get(1, 1)).toBeCloseTo(26 / 3, 14);
  });

  it('rejects too few rows and bad ddof', () => {
    expect(() => covarianceMatrix(m(1, 2, [1, 2]))).toThrow(/too few rows for ddof 1/);
    expect(() => covarianceMatrix(m(1, 2, [1, 2]), { ddof: 0.5 })).toThrow(ParameterError);
    expect(() => covarianceMatrix(m(1, 2, [1, 2]), { ddof: -1 })).toThrow(ParameterError);
  });
});
