/**
 * Small helpers for the JSON-lines parsers: safe parsing and typed field reads that never throw.
 *
 * @module
 */

import { BAD, SKIP } from './common.js';

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/**
 * The JSON object on a line, or a string saying why there is none.
 *
 * @example
 * ```ts
 * const o = parseJsonLine('{"a":1}'); // { a: 1 }
 * parseJsonLine('[1]'); // 'expected a JSON object, got array'
 * ```
 */
export function parseJsonLine(line: string): JsonObject | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return `invalid JSON (${(e as Error).message.slice(0, 80)})`;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    return `expected a JSON object, got ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}`;
  return v as JsonObject;
}

/**
 * The value as an object, or undefined.
 *
 * @example
 * ```ts
 * asObject({ a: 1 }); // { a: 1 }
 * ```
 */
export function asObject(v: unknown): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

/**
 * The value as a trimmed string: strings as they are, finite numbers and booleans printed, else ''.
 *
 * @example
 * ```ts
 * asString(4624); // '4624'
 * ```
 */
export function asString(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

/**
 * The first non-empty string among the values.
 *
 * @example
 * ```ts
 * firstString(undefined, '', 'x'); // 'x'
 * ```
 */
export function firstString(...values: unknown[]): string {
  for (const v of values) {
    const s = asString(v);
    if (s !== '') return s;
  }
  return '';
}

/**
 * The value at a dotted path (`winlog.event_data`), also accepting a literal dotted key at each level.
 *
 * @example
 * ```ts
 * getPath({ a: { b: 2 } }, 'a.b'); // 2
 * ```
 */
export function getPath(o: JsonObject, path: string): unknown {
  if (Object.hasOwn(o, path)) return o[path];
  let cur: unknown = o;
  for (const k of path.split('.')) {
    const obj = asObject(cur);
    if (obj === undefined || !Object.hasOwn(obj, k)) return undefined;
    cur = obj[k];
  }
  return cur;
}

/**
 * The first step every JSON-lines parser shares: a blank line is skipped, a line that is not a JSON object
 * is malformed (the reason goes to `parser.reason` either way); otherwise the object.
 *
 * @example
 * ```ts
 * const o = jsonObjectOfLine(line, this);
 * if (typeof o === 'number') return o; // SKIP or BAD
 * ```
 */
export function jsonObjectOfLine(
  line: string,
  parser: { reason: string },
): JsonObject | typeof SKIP | typeof BAD {
  if (line.trim() === '') {
    parser.reason = 'blank line';
    return SKIP;
  }
  const o = parseJsonLine(line);
  if (typeof o === 'string') {
    parser.reason = o;
    return BAD;
  }
  return o;
}
