import { describeValue, InputTypeError, message, ShapeError, ValueError } from '../errors.js';
import { getBackend } from '../kernels/backend.js';
import { Matrix } from '../matrix/Matrix.js';
import { requireFiniteArray, requireMatrix, requireSquare } from './validate.js';

function checkFactor(l: Matrix): number {
  requireMatrix('choleskySolve', 'l', l);
  requireSquare('choleskySolve', 'l', l);
  const n = l.rows;
  for (let i = 0; i < n; i++) {
    const d = l.data[i * n + i] as number;
    if (!(d > 0)) {
      throw new ValueError(
        message(
          'choleskySolve',
          `l is not a Cholesky factor: diagonal ${i} is not positive`,
          '> 0',
          String(d),
        ),
      );
    }
  }
  return n;
}

/**
 * Solves `(L·Lᵀ)·x = b` given the Cholesky factor L from {@link choleskyFactor} (its upper triangle is
 * ignored): forward then back substitution. `b` is either one right-hand side (a `Float64Array` of length
 * n, giving a `Float64Array`) or several as the columns of an n×r {@link Matrix} (giving a Matrix). The
 * input `b` is not modified.
 *
 * Cost: 2·n²·r flops.
 *
 * @example
 * ```ts
 * const l = choleskyFactor(new Matrix(2, 2, new Float64Array([4, 2, 2, 5])));
 * choleskySolve(l, new Float64Array([6, 7])); // Float64Array [1, 1]
 * ```
 */
export function choleskySolve(l: Matrix, b: Float64Array): Float64Array;
export function choleskySolve(l: Matrix, b: Matrix): Matrix;
export function choleskySolve(l: Matrix, b: Float64Array | Matrix): Float64Array | Matrix;
export function choleskySolve(l: Matrix, b: Float64Array | Matrix): Float64Array | Matrix {
  const n = checkFactor(l);
  const k = getBackend();
  if (b instanceof Float64Array) {
    if (b.length !== n) {
      throw new ShapeError(
        message('choleskySolve', 'right-hand side has the wrong length', `${n}`, `${b.length}`),
      );
    }
    requireFiniteArray('choleskySolve', 'b', b, 1);
    const x = b.slice();
    k.solveLower(l.data, n, x, 0, 1);
    k.solveLowerTransposed(l.data, n, x, 0, 1);
    return x;
  }
  if (!Matrix.isMatrix(b)) {
    throw new InputTypeError(
      message('choleskySolve', 'unsupported right-hand side', 'a Float64Array or a Matrix', describeValue(b)),
    );
  }
  requireMatrix('choleskySolve', 'b', b);
  if (b.rows !== n) {
    throw new ShapeError(
      message('choleskySolve', 'right-hand side has the wrong number of rows', `${n}`, `${b.rows}`),
    );
  }
  const x = b.clone();
  k.solveLower(l.data, n, x.data, 0, b.cols);
  k.solveLowerTransposed(l.data, n, x.data, 0, b.cols);
  return x;
}
