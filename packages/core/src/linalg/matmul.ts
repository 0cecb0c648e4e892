import { describeValue, InputTypeError, message, ShapeError } from '../errors.js';
import { getBackend } from '../kernels/backend.js';
import { Matrix } from '../matrix/Matrix.js';
import { requireMatrix } from './validate.js';

/**
 * Options of {@link matmul}.
 */
export interface MatmulOptions {
  /** Use Aᵀ instead of A. Default false. */
  readonly transA?: boolean;
  /** Use Bᵀ instead of B. Default false. */
  readonly transB?: boolean;
}

/**
 * Matrix product `op(A)·op(B)` as a new {@link Matrix}, where op transposes when asked (without copying).
 * Runs the current backend's {@link gemm}. Both inputs must be finite; a mismatch of the inner dimensions is
 * a {@link ShapeError}.
 *
 * Cost: 2·m·n·k flops.
 *
 * @example
 * ```ts
 * const a = new Matrix(2, 3, new Float64Array([1, 2, 3, 4, 5, 6]));
 * matmul(a, a, { transB: true }).toArray(); // [[14, 32], [32, 77]]
 * ```
 */
export function matmul(a: Matrix, b: Matrix, options: MatmulOptions = {}): Matrix {
  requireMatrix('matmul', 'a', a);
  requireMatrix('matmul', 'b', b);
  if (options === null || typeof options !== 'object') {
    throw new InputTypeError(
      message('matmul', 'options must be an object', 'an object', describeValue(options)),
    );
  }
  const transA = options.transA === true;
  const transB = options.transB === true;
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (k !== kb) {
    throw new ShapeError(
      message(
        'matmul',
        `inner dimensions differ (op(A) is ${m}×${k}, op(B) is ${kb}×${n})`,
        `op(B) with ${k} rows`,
        `${kb}`,
      ),
    );
  }
  const out = new Matrix(m, n);
  getBackend().gemm(transA, transB, m, n, k, 1, a.data, 0, a.cols, b.data, 0, b.cols, 0, out.data, 0, n);
  return out;
}
