/**
 * The persistence registry: every energy (ours and a user's) registers a loader for its `kind`, and
 * {@link loadModel} dispatches on the tag. Saved models are untrusted input: {@link parseModelJSON} and
 * {@link loadModel} reject prototype-pollution keys, non-finite numbers, wrong shapes, huge declared sizes
 * and oversized arrays with a `ModelFormatError`; the `read*` helpers give loaders the same guarantees
 * field by field.
 *
 * @example
 * ```ts
 * registerModel('mean-distance', (json) => MeanDistance.fromJSON(json));
 * const model = loadModel(text); // text from JSON.stringify(model.toJSON())
 * ```
 * @module
 */
import { Matrix } from '../matrix/Matrix.js';
import type { EnergyModel, ModelJSON } from './EnergyModel.js';
import {
  describeValue,
  EbmError,
  InputTypeError,
  ModelFormatError,
  message,
  ParameterError,
} from './errors.js';

/**
 * Largest JSON text {@link parseModelJSON} accepts by default, in characters (256 Mi).
 *
 * @example
 * ```ts
 * parseModelJSON(text, { maxChars: MAX_JSON_CHARS / 4 });
 * ```
 */
export const MAX_JSON_CHARS: number = 256 * 1024 * 1024;
/**
 * Largest array (or declared element count) a saved model may hold (2^26 ≈ 67 M numbers).
 *
 * @example
 * ```ts
 * checkDeclaredSize(d * d, 'covariance', api); // throws above MAX_ARRAY_LENGTH
 * ```
 */
export const MAX_ARRAY_LENGTH: number = 2 ** 26;
/**
 * Largest feature count a saved model may declare.
 *
 * @example
 * ```ts
 * readInt(state, 'nFeatures', api, { min: 1, max: MAX_FEATURES });
 * ```
 */
export const MAX_FEATURES: number = 1_000_000;
/**
 * Deepest nesting of objects and arrays a saved model may have.
 *
 * @example
 * ```ts
 * parseModelJSON('['.repeat(MAX_DEPTH + 1)); // throws ModelFormatError
 * ```
 */
export const MAX_DEPTH: number = 32;

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A loader: rebuilds a model from checked `{kind, version, config, state}` JSON.
 *
 * @example
 * ```ts
 * const load: ModelLoader = (json) => GaussianDensity.fromJSON(json);
 * ```
 */
export type ModelLoader = (json: ModelJSON) => EnergyModel;

/**
 * Options of {@link registerModel}.
 *
 * @example
 * ```ts
 * const opts: RegisterModelOptions = { versions: [1, 2] };
 * ```
 */
export interface RegisterModelOptions {
  /** Format versions the loader accepts (default `[1]`); others are rejected before the loader runs. */
  readonly versions?: readonly number[];
}

interface Entry {
  readonly load: ModelLoader;
  readonly versions: readonly number[];
}

const registry: Map<string, Entry> = new Map();

/**
 * Registers (or replaces) the loader for a model kind. Kinds are short identifiers
 * (`[A-Za-z0-9][A-Za-z0-9._-]*`, at most 64 characters).
 *
 * @example
 * ```ts
 * registerModel('gaussian', (json) => GaussianDensity.fromJSON(json));
 * registerModel('my-energy', (json) => MyEnergy.fromJSON(json), { versions: [1, 2] });
 * ```
 */
export function registerModel(kind: string, load: ModelLoader, options: RegisterModelOptions = {}): void {
  const api = 'registerModel';
  if (
    typeof kind !== 'string' ||
    !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(kind) ||
    FORBIDDEN_KEYS.has(kind)
  ) {
    throw new ParameterError(
      message(
        api,
        'invalid kind',
        'an identifier like "gaussian" ([A-Za-z0-9._-], ≤ 64 chars)',
        describeValue(kind),
      ),
    );
  }
  if (typeof load !== 'function') {
    throw new InputTypeError(message(api, 'load must be a function', 'a function', describeValue(load)));
  }
  const versions = options.versions ?? [1];
  if (
    !Array.isArray(versions) ||
    versions.length === 0 ||
    versions.some((v) => !Number.isInteger(v) || v < 1)
  ) {
    throw new ParameterError(
      message(
        api,
        'versions must be a non-empty array of positive integers',
        '[1, …]',
        describeValue(versions),
      ),
    );
  }
  registry.set(kind, { load, versions: versions.slice() });
}

/**
 * The kinds registered so far, sorted.
 *
 * @example
 * ```ts
 * registeredKinds(); // ['gaussian', 'mixture', …]
 * ```
 */
export function registeredKinds(): string[] {
  return [...registry.keys()].sort();
}

/**
 * Options of {@link parseModelJSON}.
 *
 * @example
 * ```ts
 * const opts: ParseModelJSONOptions = { maxChars: 1_000_000 };
 * ```
 */
export interface ParseModelJSONOptions {
  /** Largest accepted text, in characters (default {@link MAX_JSON_CHARS}). */
  readonly maxChars?: number;
}

/**
 * Parses untrusted JSON text safely: rejects text longer than `maxChars`, syntax errors, the keys
 * `__proto__`, `constructor` and `prototype` at any depth, nesting deeper than {@link MAX_DEPTH}, arrays
 * longer than {@link MAX_ARRAY_LENGTH} and numbers that overflow to ±Infinity — all as `ModelFormatError`.
 *
 * @example
 * ```ts
 * parseModelJSON('{"kind":"gaussian","version":1,"config":{},"state":{}}');
 * parseModelJSON('{"__proto__":{"polluted":true}}'); // throws ModelFormatError
 * ```
 */
export function parseModelJSON(text: string, options: ParseModelJSONOptions = {}): unknown {
  const api = 'parseModelJSON';
  if (typeof text !== 'string') {
    throw new ModelFormatError(message(api, 'input must be a string', 'JSON text', describeValue(text)));
  }
  const maxChars = options.maxChars ?? MAX_JSON_CHARS;
  if (text.length > maxChars) {
    throw new ModelFormatError(
      message(api, 'JSON text is too large', `at most ${maxChars} characters`, `${text.length}`),
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text, (key: string, v: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) {
        throw new ModelFormatError(
          message(api, `forbidden key ${JSON.stringify(key)}`, 'no __proto__, constructor or prototype keys'),
        );
      }
      return v;
    });
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new ModelFormatError(message(api, `invalid JSON: ${reason}`));
  }
  checkTree(value, api, '$', 0);
  return value;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Walks a parsed (or given) value: plain data only, no forbidden keys, finite numbers, bounded sizes. */
function checkTree(v: unknown, api: string, path: string, depth: number): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) {
      throw new ModelFormatError(message(api, `non-finite number at ${path}`, 'a finite number', String(v)));
    }
    return;
  }
  if (typeof v !== 'object') {
    throw new ModelFormatError(message(api, `unsupported value at ${path}`, 'plain JSON data', typeof v));
  }
  if (depth >= MAX_DEPTH) {
    throw new ModelFormatError(message(api, `nesting too deep at ${path}`, `at most ${MAX_DEPTH} levels`));
  }
  if (ArrayBuffer.isView(v)) {
    const a = v as unknown as ArrayLike<unknown>;
    if (typeof a.length !== 'number' || a.length > MAX_ARRAY_LENGTH) {
      throw new ModelFormatError(
        message(api, `array too long at ${path}`, `at most ${MAX_ARRAY_LENGTH}`, describeValue(v)),
      );
    }
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new ModelFormatError(
          message(api, `non-finite number at ${path}[${i}]`, 'a finite number', String(x)),
        );
      }
    }
    return;
  }
  if (Array.isArray(v)) {
    if (v.length > MAX_ARRAY_LENGTH) {
      throw new ModelFormatError(
        message(api, `array too long at ${path}`, `at most ${MAX_ARRAY_LENGTH}`, `${v.length}`),
      );
    }
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'number') {
        if (!Number.isFinite(x)) {
          throw new ModelFormatError(
            message(api, `non-finite number at ${path}[${i}]`, 'a finite number', String(x)),
          );
        }
      } else checkTree(x, api, `${path}[${i}]`, depth + 1);
    }
    return;
  }
  if (!isPlainObject(v)) {
    throw new ModelFormatError(
      message(api, `unsupported object at ${path}`, 'a plain object', describeValue(v)),
    );
  }
  for (const key of Object.keys(v)) {
    if (FORBIDDEN_KEYS.has(key)) {
      throw new ModelFormatError(
        message(
          api,
          `forbidden key ${JSON.stringify(key)} at ${path}`,
          'no __proto__, constructor or prototype keys',
        ),
      );
    }
    checkTree((v as Record<string, unknown>)[key], api, `${path}.${key}`, depth + 1);
  }
}

/**
 * Checks that an untrusted value (a parsed object or an object in memory) is well-formed model JSON:
 * plain data only, no forbidden keys, finite numbers, bounded sizes, and `kind` (string), `version`
 * (positive integer), `config` and `state` (objects). Returns it typed as {@link ModelJSON}.
 *
 * @example
 * ```ts
 * const json = checkModelJSON(JSON.parse(text), 'myLoader');
 * ```
 */
export function checkModelJSON(value: unknown, api = 'loadModel'): ModelJSON {
  checkTree(value, api, '$', 0);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ModelFormatError(
      message(api, 'model JSON must be an object', '{kind, version, config, state}', describeValue(value)),
    );
  }
  const o = value as Record<string, unknown>;
  readString(o, 'kind', api);
  readInt(o, 'version', api, { min: 1 });
  readObject(o, 'config', api);
  readObject(o, 'state', api);
  return o as unknown as ModelJSON;
}

/**
 * Loads a saved model of any registered kind: from JSON text (parsed with {@link parseModelJSON}) or from an
 * object such as `model.toJSON()`. Unknown kinds and versions, wrong shapes, non-finite numbers and hostile
 * input throw `ModelFormatError`.
 *
 * @example
 * ```ts
 * const model = loadModel(JSON.stringify(new GaussianDensity().fit(X).toJSON()));
 * model.energy(X);
 * ```
 */
export function loadModel(json: unknown): EnergyModel {
  const api = 'loadModel';
  const value = typeof json === 'string' ? parseModelJSON(json) : json;
  const mj = checkModelJSON(value, api);
  const entry = registry.get(mj.kind);
  if (entry === undefined) {
    const known = registeredKinds();
    throw new ModelFormatError(
      message(
        api,
        'unknown model kind',
        known.length > 0 ? `one of ${known.map((k) => JSON.stringify(k)).join(', ')}` : 'a registered kind',
        JSON.stringify(mj.kind),
      ),
    );
  }
  if (!entry.versions.includes(mj.version)) {
    throw new ModelFormatError(
      message(
        api,
        `unsupported version of kind ${JSON.stringify(mj.kind)}`,
        entry.versions.join(' or '),
        `${mj.version}`,
      ),
    );
  }
  try {
    return entry.load(mj);
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    // A constructor rejecting the saved config (ParameterError, ShapeError, …) means the file is bad.
    if (e instanceof RangeError || e instanceof TypeError || e instanceof EbmError) {
      throw new ModelFormatError(`${api}: invalid saved ${JSON.stringify(mj.kind)} model: ${e.message}`);
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Safe readers for loaders. Each reads one own field of an untrusted object and throws ModelFormatError
// naming the API, the field, what was expected and what was found.
// ---------------------------------------------------------------------------------------------------------

/**
 * Bounds for {@link readNumber} and {@link readInt}.
 *
 * @example
 * ```ts
 * const b: NumberBounds = { min: 0, max: 1 };
 * ```
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
