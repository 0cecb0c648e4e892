/**
 * Saved models are untrusted input: {@link parseModelJSON} and {@link checkModelJSON} reject
 * prototype-pollution keys, non-finite numbers, wrong shapes, deep nesting and oversized arrays with a
 * `ModelFormatError` before any loader runs.
 *
 * @module
 */
import { describeValue, ModelFormatError, message } from '../errors.js';
import type { ModelJSON } from './EnergyModel.js';
import { readInt, readObject, readString } from './jsonReaders.js';
import { FORBIDDEN_KEYS, MAX_ARRAY_LENGTH, MAX_DEPTH, MAX_JSON_CHARS } from './limits.js';

/**
 * Options of {@link parseModelJSON}.
 */
export interface ParseModelJSONOptions {
  /** Largest accepted text, in characters (default {@link MAX_JSON_CHARS}). */
  readonly maxChars?: number;
}

/**
 * Parses untrusted JSON text safely (a leading byte-order mark is dropped): rejects text longer than `maxChars`, syntax errors, the keys
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
  // A UTF-8 byte-order mark (an editor's) starts the file, not the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
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
