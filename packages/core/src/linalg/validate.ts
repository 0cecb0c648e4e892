import { describeValue, InputTypeError, message, ShapeError, ValueError } from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';

/**
 * Checks that `x` is a {@link Matrix} with only finite values (internal helper of the linalg wrappers).
 *
 * @example
 * ```ts
 * requireMatrix('matmul', 'a', a);
 * ```
 */
export function requireMatrix(api: string, name: string, x: unknown): Matrix {
  if (!Matrix.isMatrix(x)) {
    throw new InputTypeError(
      message(api, `${name} is not a Matrix`, 'a Matrix (use toMatrix for other inputs)', describeValue(x)),
    );
  }
  requireFiniteArray(api, name, x.data, x.cols);
  return x;
}

/**
 * Checks that every value of a row-major array is finite, naming the first bad row and column.
 *
 * @example
 * ```ts
 * requireFiniteArray('choleskySolve', 'b', b, 1);
 * ```
 */
export function requireFiniteArray(api: string, name: string, d: Float64Array, cols: number): void {
  for (let k = 0; k < d.length; k++) {
    const v = d[k] as number;
    if (v - v !== 0) {
      const i = Math.floor(k / cols);
      throw new ValueError(
        message(
          api,
          `${name} has a non-finite value at row ${i}, column ${k - i * cols}`,
          'a finite number',
          String(v),
        ),
      );
    }
  }
}

/**
 * Checks that a matrix is square.
 *
 * @example
 * ```ts
 * requireSquare('logDet', 'a', a);
 * ```
 */
export function requireSquare(api: string, name: string, a: Matrix): void {
  if (a.rows !== a.cols) {
    throw new ShapeError(message(api, `${name} must be square`, 'n×n', `${a.rows}×${a.cols}`));
  }
}
