/**
 * Safe readers for loaders. Each reads one own field of an untrusted object and throws `ModelFormatError`
 * naming the API, the field, what was expected and what was found.
 *
 * @module
 */
import { describeValue, ModelFormatError, message } from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';
import { MAX_ARRAY_LENGTH } from './limits.js';

/**
 * Bounds for {@link readNumber} and {@link readInt}.
 */
export interface NumberBounds {
  /** Smallest allowed value (inclusive). */
  readonly min?: number;
  /** Largest allowed value (inclusive). */
  readonly max?: number;
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function bad(api: string, key: string, what: string, expected: string, got: unknown): ModelFormatError {
  return new ModelFormatError(
    message(
      api,
      `field ${JSON.stringify(key)} ${what}`,
      expected,
      typeof got === 'string' ? got : describeValue(got),
    ),
  );
}

function checkBounds(v: number, key: string, api: string, b: NumberBounds): void {
  if ((b.min !== undefined && v < b.min) || (b.max !== undefined && v > b.max)) {
    throw bad(api, key, 'is out of range', `a value in [${b.min ?? '-∞'}, ${b.max ?? '∞'}]`, v);
  }
}

/**
 * Reads a required finite number, optionally within `[min, max]`.
 *
 * @example
 * ```ts
 * const reg = readNumber(config, 'regularization', api, { min: 0 });
 * ```
 */
export function readNumber(
  obj: Record<string, unknown>,
  key: string,
  api: string,
  bounds: NumberBounds = {},
): number {
  const v = own(obj, key);
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw bad(api, key, 'must be a finite number', 'a finite number', v);
  checkBounds(v, key, api, bounds);
  return v;
}

/**
 * Reads a finite number if the field is present, else `undefined`.
 *
 * @example
 * ```ts
 * const seed = readOptionalNumber(config, 'seed', api);
 * ```
 */
export function readOptionalNumber(
  obj: Record<string, unknown>,
  key: string,
  api: string,
  bounds: NumberBounds = {},
): number | undefined {
  return own(obj, key) === undefined ? undefined : readNumber(obj, key, api, bounds);
}

/**
 * Reads a required integer, optionally within `[min, max]`.
 *
 * @example
 * ```ts
 * const k = readInt(config, 'nComponents', api, { min: 1, max: 1000 });
 * ```
 */
export function readInt(
  obj: Record<string, unknown>,
  key: string,
  api: string,
  bounds: NumberBounds = {},
): number {
  const v = own(obj, key);
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw bad(api, key, 'must be an integer', 'an integer', v);
  checkBounds(v, key, api, bounds);
  return v;
}

/**
 * Reads an array of at most `maxLength` integers, each within `bounds`; errors name the element
 * (`field "sizes[1]"`).
 *
 * @example
 * ```ts
 * const sizes = readIntArray(config, 'hiddenSizes', api, { min: 1 });
 * ```
 */
export function readIntArray(
  obj: Record<string, unknown>,
  key: string,
  api: string,
  bounds: NumberBounds = {},
  maxLength: number = MAX_ARRAY_LENGTH,
): number[] {
  const a = readArray(obj, key, api, maxLength);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    const name = `${key}[${i}]`;
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw bad(api, name, 'must be an integer', 'an integer', v);
    checkBounds(v, name, api, bounds);
    out.push(v);
  }
  return out;
}

/**
 * Reads an integer if the field is present, else `undefined`.
 *
 * @example
 * ```ts
 * const n = readOptionalInt(config, 'maxIter', api, { min: 1 });
 * ```
 */
export function readOptionalInt(
  obj: Record<string, unknown>,
  key: string,
  api: string,
  bounds: NumberBounds = {},
): number | undefined {
  return own(obj, key) === undefined ? undefined : readInt(obj, key, api, bounds);
}

/**
 * Reads a required string (at most `maxLength` characters, default 10 000).
 *
 * @example
 * ```ts
 * const kind = readString(json, 'kind', api);
 * ```
 */
export function readString(
  obj: Record<string, unknown>,
  key: string,
  api: string,
  maxLength = 10_000,
): string {
  const v = own(obj, key);
  if (typeof v !== 'string') throw bad(api, key, 'must be a string', 'a string', v);
  if (v.length > maxLength)
    throw bad(api, key, 'is too long', `at most ${maxLength} characters`, `${v.length}`);
  return v;
}

/**
 * Reads a required boolean.
 *
 * @example
 * ```ts
 * const centered = readBoolean(config, 'centered', api);
 * ```
 */
export function readBoolean(obj: Record<string, unknown>, key: string, api: string): boolean {
  const v = own(obj, key);
  if (typeof v !== 'boolean') throw bad(api, key, 'must be a boolean', 'true or false', v);
  return v;
}

/**
 * Reads a string that must be one of `values`.
 *
 * @example
 * ```ts
 * const cov = readEnum(config, 'covariance', ['full', 'diagonal'] as const, api);
 * ```
 */
export function readEnum<T extends string>(
  obj: Record<string, unknown>,
  key: string,
  values: readonly T[],
  api: string,
): T {
  const v = own(obj, key);
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw bad(api, key, 'has an unknown value', values.map((x) => JSON.stringify(x)).join(' | '), v);
  }
  return v as T;
}

/**
 * Reads a required nested plain object (not an array, not null).
 *
 * @example
 * ```ts
 * const state = readObject(json, 'state', api);
 * ```
 */
export function readObject(obj: Record<string, unknown>, key: string, api: string): Record<string, unknown> {
  const v = own(obj, key);
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) {
    throw bad(api, key, 'must be an object', 'an object', v);
  }
  return v as Record<string, unknown>;
}

/**
 * Reads a required array of any values, at most `maxLength` long.
 *
 * @example
 * ```ts
 * const components = readArray(state, 'components', api, 1000);
 * ```
 */
export function readArray(
  obj: Record<string, unknown>,
  key: string,
  api: string,
  maxLength: number = MAX_ARRAY_LENGTH,
): readonly unknown[] {
  const v = own(obj, key);
  if (!Array.isArray(v)) throw bad(api, key, 'must be an array', 'an array', v);
  if (v.length > maxLength)
    throw bad(api, key, 'is too long', `at most ${maxLength} elements`, `${v.length}`);
  return v;
}

/**
 * Checks that a declared element count (e.g. `d * d` for a covariance, `k * d` for means) is a sane size
 * before anything is allocated; throws `ModelFormatError` otherwise.
 *
 * @example
 * ```ts
 * checkDeclaredSize(d * d, 'covariance', api);
 * ```
 */
export function checkDeclaredSize(n: number, what: string, api: string): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_ARRAY_LENGTH) {
    throw new ModelFormatError(
      message(
        api,
        `declared size of ${what} is not sane`,
        `an integer in [0, ${MAX_ARRAY_LENGTH}]`,
        String(n),
      ),
    );
  }
}

function readNumbers(
  obj: Record<string, unknown>,
  key: string,
  expectedLength: number,
  api: string,
  out: Float64Array | Float32Array,
): void {
  const v = own(obj, key);
  if (!Array.isArray(v) && !(v instanceof Float64Array) && !(v instanceof Float32Array)) {
    throw bad(api, key, 'must be an array of numbers', `an array of ${expectedLength} numbers`, v);
  }
  const a = v as ArrayLike<unknown>;
  if (a.length !== expectedLength)
    throw bad(api, key, 'has the wrong length', `${expectedLength}`, `${a.length}`);
  for (let i = 0; i < expectedLength; i++) {
    const x = a[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw bad(api, `${key}[${i}]`, 'must be a finite number', 'a finite number', x);
    }
    out[i] = x;
    if (!Number.isFinite(out[i] as number)) {
      throw bad(api, `${key}[${i}]`, 'overflows 32-bit floats', 'a value within ±3.4e38', x);
    }
  }
}

/**
 * Reads an array of exactly `expectedLength` finite numbers (a JSON array or a `Float64Array`/`Float32Array`)
 * into a new `Float64Array`. The length is checked against {@link MAX_ARRAY_LENGTH} before allocating.
 *
 * @example
 * ```ts
 * const mean = readFloat64Array(state, 'mean', d, api);
 * ```
 */
export function readFloat64Array(
  obj: Record<string, unknown>,
  key: string,
  expectedLength: number,
  api: string,
): Float64Array {
  checkDeclaredSize(expectedLength, JSON.stringify(key), api);
  const out = new Float64Array(expectedLength);
  readNumbers(obj, key, expectedLength, api, out);
  return out;
}

/**
 * Reads an array of exactly `expectedLength` finite numbers into a new `Float32Array` (values beyond the
 * 32-bit range are rejected, not turned into Infinity).
 *
 * @example
 * ```ts
 * const weights = readFloat32Array(state, 'weights', nIn * nOut, api);
 * ```
 */
export function readFloat32Array(
  obj: Record<string, unknown>,
  key: string,
  expectedLength: number,
  api: string,
): Float32Array {
  checkDeclaredSize(expectedLength, JSON.stringify(key), api);
  const out = new Float32Array(expectedLength);
  readNumbers(obj, key, expectedLength, api, out);
  return out;
}

/**
 * Reads a `rows × cols` matrix stored either flat (row-major, `rows * cols` numbers) or nested (`rows`
 * arrays of `cols` numbers) into a {@link Matrix}.
 *
 * @example
 * ```ts
 * const cov = readNumberMatrix(state, 'covariance', d, d, api);
 * ```
 */
export function readNumberMatrix(
  obj: Record<string, unknown>,
  key: string,
  rows: number,
  cols: number,
  api: string,
): Matrix {
  checkDeclaredSize(rows, `rows of ${JSON.stringify(key)}`, api);
  checkDeclaredSize(cols, `columns of ${JSON.stringify(key)}`, api);
  checkDeclaredSize(rows * cols, JSON.stringify(key), api);
  const v = own(obj, key);
  if (Array.isArray(v) && v.length === rows && rows > 0 && Array.isArray(v[0])) {
    const m = new Matrix(rows, cols);
    const tmp: Record<string, unknown> = {};
    for (let i = 0; i < rows; i++) {
      tmp[`${key}[${i}]`] = v[i];
      m.data.set(readFloat64Array(tmp, `${key}[${i}]`, cols, api), i * cols);
    }
    return m;
  }
  return new Matrix(rows, cols, readFloat64Array(obj, key, rows * cols, api));
}

/**
 * Reads an array of exactly `expectedLength` strings (or any length when `expectedLength` is undefined,
 * up to {@link MAX_ARRAY_LENGTH}).
 *
 * @example
 * ```ts
 * const names = readStringArray(state, 'featureNames', d, api);
 * ```
 */
export function readStringArray(
  obj: Record<string, unknown>,
  key: string,
  expectedLength: number | undefined,
  api: string,
): string[] {
  const a = readArray(obj, key, api);
  if (expectedLength !== undefined && a.length !== expectedLength) {
    throw bad(api, key, 'has the wrong length', `${expectedLength}`, `${a.length}`);
  }
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    const s = a[i];
    if (typeof s !== 'string') throw bad(api, `${key}[${i}]`, 'must be a string', 'a string', s);
    out.push(s);
  }
  return out;
}

/**
 * Like {@link readStringArray}, but `undefined` when the field is absent.
 *
 * @example
 * ```ts
 * const names = readOptionalStringArray(state, 'featureNames', d, api);
 * ```
 */
export function readOptionalStringArray(
  obj: Record<string, unknown>,
  key: string,
  expectedLength: number | undefined,
  api: string,
): string[] | undefined {
  return own(obj, key) === undefined ? undefined : readStringArray(obj, key, expectedLength, api);
}
