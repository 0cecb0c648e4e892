import { describeValue, InputTypeError, message, ShapeError, ValueError } from '../errors.js';
import { findNonFinite } from './findNonFinite.js';
import { Matrix } from './Matrix.js';

/** An ndarray-like value (scijs `ndarray`): flat data with shape, stride and offset. */
export interface NdArrayLike {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  readonly offset: number;
}

/** An ml-matrix-like value: `rows`, `columns` and `get(i, j)`. */
export interface MlMatrixLike {
  readonly rows: number;
  readonly columns: number;
  get(row: number, column: number): number;
}

/** A flat typed array (or number array) with an explicit `[rows, cols]` shape. */
export interface ShapedArray {
  readonly data: ArrayLike<number>;
  readonly shape: readonly [number, number];
}

/**
 * Every input the library accepts as a matrix: our {@link Matrix}, nested arrays (`number[][]` or any
 * array-like of array-likes, such as `Float64Array[]`), a flat array with a shape, a scijs ndarray, or an
 * ml-matrix `Matrix`.
 */
export type MatrixLike = Matrix | ArrayLike<ArrayLike<number>> | ShapedArray | NdArrayLike | MlMatrixLike;

/** Options of {@link toMatrix}. */
export interface ToMatrixOptions {
  /** Name of the public API for error messages, e.g. `'Autoencoder.fit'`. Default `'toMatrix'`. */
  readonly api?: string;
  /** Require exactly this many columns. */
  readonly cols?: number;
  /** Allow zero rows (default false: empty data is an error). */
  readonly allowEmpty?: boolean;
  /**
   * Check that every value is finite (default true). Only for callers that check the rows themselves
   * elsewhere, e.g. in parallel with {@link checkFiniteRows}; the value is still converted and shaped.
   */
  readonly checkFinite?: boolean;
}

function isNdArray(x: object): x is NdArrayLike {
  const o = x as Partial<NdArrayLike>;
  return (
    Array.isArray(o.shape) && Array.isArray(o.stride) && typeof o.offset === 'number' && o.data !== undefined
  );
}

function isMlMatrix(x: object): x is MlMatrixLike {
  const o = x as Partial<MlMatrixLike>;
  return typeof o.rows === 'number' && typeof o.columns === 'number' && typeof o.get === 'function';
}

function isShaped(x: object): x is ShapedArray {
  const o = x as Partial<ShapedArray>;
  return Array.isArray(o.shape) && o.data !== undefined && !('stride' in x);
}

/**
 * Throws the {@link ValueError} for the first non-finite value of rows `[fromRow, toRow)` of `m`, naming its
 * row (plus `rowOffset`, for a block of a larger matrix) and column; returns when every value is finite.
 *
 * Complexity: O((toRow − fromRow) × cols).
 *
 * @example
 * ```ts
 * checkFiniteRows(m, 'ScoringPool.energy', 0, m.rows);
 * ```
 */
export function checkFiniteRows(m: Matrix, api: string, fromRow: number, toRow: number, rowOffset = 0): void {
  const k = findNonFinite(m.data, fromRow * m.cols, toRow * m.cols);
  if (k < 0) return;
  const i = Math.floor(k / m.cols);
  const j = k - i * m.cols;
  throw new ValueError(
    message(
      api,
      `non-finite value at row ${i + rowOffset}, column ${j}`,
      'a finite number',
      String(m.data[k]),
    ),
  );
}

function checkShape(m: Matrix, api: string, opts: ToMatrixOptions): void {
  if (m.rows === 0 && opts.allowEmpty !== true) {
    throw new ShapeError(message(api, 'empty input', 'at least one row', '0 rows'));
  }
  if (opts.cols !== undefined && m.cols !== opts.cols) {
    throw new ShapeError(message(api, 'wrong number of features', `${opts.cols}`, `${m.cols}`));
  }
  if (m.cols === 0 && m.rows > 0) {
    throw new ShapeError(message(api, 'rows have no columns', 'at least one column', '0'));
  }
}

function fromNested(x: ArrayLike<ArrayLike<number>>, api: string): Matrix {
  const rows = x.length;
  if (rows === 0) return new Matrix(0, 0);
  const first = x[0];
  if (
    first === null ||
    typeof first !== 'object' ||
    typeof (first as ArrayLike<number>).length !== 'number'
  ) {
    throw new InputTypeError(
      message(api, 'row 0 is not an array', 'an array of numbers', describeValue(first)),
    );
  }
  const cols = first.length;
  const out = new Matrix(rows, cols);
  const d = out.data;
  for (let i = 0; i < rows; i++) {
    const r = x[i];
    if (r === null || typeof r !== 'object' || typeof (r as ArrayLike<number>).length !== 'number') {
      throw new InputTypeError(
        message(api, `row ${i} is not an array`, 'an array of numbers', describeValue(r)),
      );
    }
    if (r.length !== cols) {
      throw new ShapeError(
        message(api, `ragged rows: row ${i} has a different length`, `${cols} columns`, `${r.length}`),
      );
    }
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = r[j];
      if (typeof v !== 'number') {
        throw new InputTypeError(
          message(api, `value at row ${i}, column ${j} is not a number`, 'number', describeValue(v)),
        );
      }
      d[base + j] = v;
    }
  }
  return out;
}

function fromFlat(data: ArrayLike<number>, rows: number, cols: number, api: string): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new ShapeError(message(api, 'invalid shape', 'two non-negative integers', `[${rows}, ${cols}]`));
  }
  if (data.length !== rows * cols) {
    throw new ShapeError(
      message(api, 'data length does not match the shape', `${rows * cols}`, `${data.length}`),
    );
  }
  const out = new Matrix(rows, cols);
  if (data instanceof Float64Array) out.data.set(data);
  else {
    const d = out.data;
    for (let k = 0; k < d.length; k++) {
      const v = data[k];
      if (typeof v !== 'number') {
        throw new InputTypeError(message(api, `element ${k} is not a number`, 'number', describeValue(v)));
      }
      d[k] = v;
    }
  }
  return out;
}

/**
 * Converts any accepted matrix input into a {@link Matrix} and validates it, once, at the public boundary:
 * ragged rows and wrong column counts are `RangeError`s ({@link ShapeError}), NaN or ±Infinity is a
 * {@link ValueError} naming the row and column, and inputs of the wrong kind are a `TypeError`.
 * A `Matrix` input is checked but not copied.
 *
 * Complexity: O(rows × cols).
 *
 * @example
 * ```ts
 * const m = toMatrix([[1, 2], [3, 4]]);
 * const n = toMatrix({ data: new Float32Array(6), shape: [2, 3] });
 * ```
 */
export function toMatrix(input: MatrixLike, options: ToMatrixOptions = {}): Matrix {
  const api = options.api ?? 'toMatrix';
  let m: Matrix;
  if (Matrix.isMatrix(input)) {
    m = input;
  } else if (input === null || typeof input !== 'object') {
    throw new InputTypeError(
      message(
        api,
        'unsupported input',
        'number[][], Matrix, {data, shape}, ndarray or ml-matrix',
        describeValue(input),
      ),
    );
  } else if (isNdArray(input)) {
    if (input.shape.length !== 2) {
      throw new ShapeError(
        message(api, 'ndarray must be 2-dimensional', '2 dimensions', `${input.shape.length}`),
      );
    }
    const [rows, cols] = input.shape as [number, number];
    const [s0, s1] = input.stride as [number, number];
    m = new Matrix(rows, cols);
    const src = input.data;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const v = src[input.offset + i * s0 + j * s1];
        if (typeof v !== 'number') {
          throw new InputTypeError(
            message(api, `value at row ${i}, column ${j} is not a number`, 'number', describeValue(v)),
          );
        }
        m.data[i * cols + j] = v;
      }
    }
  } else if (isShaped(input)) {
    if (input.shape.length !== 2) {
      throw new ShapeError(
        message(api, 'shape must have two entries', '[rows, cols]', `[${input.shape.join(', ')}]`),
      );
    }
    m = fromFlat(input.data, input.shape[0], input.shape[1], api);
  } else if (isMlMatrix(input)) {
    const { rows, columns } = input;
    m = new Matrix(rows, columns);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < columns; j++) m.data[i * columns + j] = input.get(i, j);
    }
  } else if (typeof (input as ArrayLike<unknown>).length === 'number' && !ArrayBuffer.isView(input)) {
    m = fromNested(input as ArrayLike<ArrayLike<number>>, api);
  } else {
    throw new InputTypeError(
      message(
        api,
        'unsupported input',
        'number[][], Matrix, {data, shape}, ndarray or ml-matrix (a flat typed array needs a shape)',
        describeValue(input),
      ),
    );
  }
  if (m.rows === 0 && m.cols === 0 && options.allowEmpty === true && options.cols !== undefined) {
    // An empty nested array has no row to tell its width: it is an empty batch of the expected width.
    m = new Matrix(0, options.cols);
  }
  checkShape(m, api, options);
  if (options.checkFinite !== false) checkFiniteRows(m, api, 0, m.rows);
  return m;
}

/**
 * Converts one sample (a flat array of numbers) to a `Float64Array`, checking its length and finiteness.
 *
 * @example
 * ```ts
 * toVector([1, 2, 3], { cols: 3 });
 * ```
 */
export function toVector(input: ArrayLike<number>, options: ToMatrixOptions = {}): Float64Array {
  const api = options.api ?? 'toVector';
  if (input === null || typeof input !== 'object' || typeof input.length !== 'number') {
    throw new InputTypeError(message(api, 'unsupported input', 'an array of numbers', describeValue(input)));
  }
  const m = fromFlat(input, 1, input.length, api);
  checkShape(m, api, options);
  checkFiniteRows(m, api, 0, m.rows);
  return m.data;
}
