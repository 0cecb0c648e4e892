import { hasBrand, setBrand } from '../brand.js';
import { message, ShapeError } from '../errors.js';

/**
 * A dense row-major matrix of 64-bit floats: element (i, j) is `data[i * cols + j]`.
 *
 * The constructor checks only that `data` has `rows * cols` elements; finiteness is checked once at the
 * public boundary by {@link toMatrix}, never inside kernels.
 *
 * @example
 * ```ts
 * const m = new Matrix(2, 3, new Float64Array([1, 2, 3, 4, 5, 6]));
 * m.get(1, 2); // 6
 * ```
 */
export class Matrix {
  static {
    setBrand(Matrix, 'Matrix');
  }

  /**
   * Whether `value` is a `Matrix` — made by this copy of the library or another one (the CJS build next to
   * the ESM build, a second bundle): a brand check, where `instanceof` would answer false.
   *
   * @example
   * ```ts
   * Matrix.isMatrix(toMatrix([[1, 2]])); // true
   * Matrix.isMatrix({ rows: 1, cols: 2, data: new Float64Array(2) }); // false
   * ```
   */
  static isMatrix(value: unknown): value is Matrix {
    return hasBrand(value, 'Matrix');
  }

  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Row-major storage, length `rows * cols`. */
  readonly data: Float64Array;

  /**
   * @param rows - number of rows (a non-negative integer).
   * @param cols - number of columns (a non-negative integer).
   * @param data - row-major values; a zero-filled array is allocated when omitted.
   */
  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new ShapeError(message('Matrix', 'invalid shape', 'non-negative integers', `${rows}×${cols}`));
    }
    const n = rows * cols;
    if (data !== undefined && data.length !== n) {
      throw new ShapeError(
        message('Matrix', 'data length does not match the shape', `${n} (${rows}×${cols})`, `${data.length}`),
      );
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(n);
  }

  /**
   * A zero matrix.
   *
   * @example
   * ```ts
   * Matrix.zeros(2, 2).data; // Float64Array [0, 0, 0, 0]
   * ```
   */
  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  /**
   * The n×n identity matrix.
   *
   * @example
   * ```ts
   * Matrix.identity(2).get(1, 1); // 1
   * ```
   */
  static identity(n: number): Matrix {
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /**
   * Element (i, j). No bounds check (hot paths use `data` directly).
   *
   * @example
   * ```ts
   * new Matrix(1, 2, new Float64Array([3, 4])).get(0, 1); // 4
   * ```
   */
  get(i: number, j: number): number {
    return this.data[i * this.cols + j] as number;
  }

  /**
   * Sets element (i, j).
   *
   * @example
   * ```ts
   * const m = Matrix.zeros(1, 1); m.set(0, 0, 5);
   * ```
   */
  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }

  /**
   * Row i as a view (no copy) into `data`.
   *
   * @example
   * ```ts
   * new Matrix(2, 2, new Float64Array([1, 2, 3, 4])).row(1); // Float64Array [3, 4]
   * ```
   */
  row(i: number): Float64Array {
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  /**
   * A deep copy.
   *
   * @example
   * ```ts
   * const b = a.clone();
   * ```
   */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /**
   * The rows with the given indices, copied into a new matrix.
   *
   * @example
   * ```ts
   * m.selectRows([2, 0]);
   * ```
   */
  selectRows(indices: ArrayLike<number>): Matrix {
    const c = this.cols;
    const out = new Matrix(indices.length, c);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k] as number;
      out.data.set(this.data.subarray(i * c, i * c + c), k * c);
    }
    return out;
  }

  /**
   * The transpose, as a new matrix.
   *
   * @example
   * ```ts
   * new Matrix(1, 2, new Float64Array([1, 2])).transpose().rows; // 2
   * ```
   */
  transpose(): Matrix {
    const { rows, cols, data } = this;
    const out = new Matrix(cols, rows);
    const o = out.data;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) o[j * rows + i] = data[i * cols + j] as number;
    }
    return out;
  }

  /**
   * Nested arrays, one per row.
   *
   * @example
   * ```ts
   * Matrix.identity(2).toArray(); // [[1, 0], [0, 1]]
   * ```
   */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }
}
