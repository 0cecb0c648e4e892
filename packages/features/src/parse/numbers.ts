/**
 * Numbers read from log text and JSON fields, in one notation. JavaScript's `Number(text)` reads more than a
 * log means: `''` and `' '` as 0, `0x10` as 16, `0b11` and `0o7` as 3 and 7, `true` as 1, `[5]` as 5. A
 * parser that used it would turn an empty or garbled field into a plausible value — a silent wrong answer —
 * so every parser reads numbers through these two functions instead.
 *
 * @module
 */

/** Decimal notation: optional sign, digits with an optional fraction (or a bare fraction), optional exponent. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** An integer in decimal digits, optionally signed. */
const INTEGER = /^[+-]?\d+$/;

/**
 * The value of a number written in decimal notation (`12`, `-0.5`, `.5`, `5.`, `1e-3`; spaces and tabs
 * around it are ignored), or `NaN` for anything else: empty text, hexadecimal, binary or octal literals,
 * digit separators, `Infinity`, `NaN`. A decimal number too large for a double gives ±Infinity, which
 * callers that need finite values reject as they reject `NaN`.
 *
 * @example
 * ```ts
 * decimalNumber(' 1.5e3 '); // 1500
 * decimalNumber('0x10'); // NaN
 * ```
 */
export function decimalNumber(text: string): number {
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : Number.NaN;
}

/**
 * A JSON field that holds an integer code (an OCSF `class_uid`, a status id): a JSON number that is an
 * integer, or a string of decimal digits (shippers write both); `NaN` for anything else — booleans,
 * arrays, `null`, empty or non-integer text.
 *
 * @example
 * ```ts
 * integerCode('3002'); // 3002
 * integerCode(true); // NaN
 * ```
 */
export function integerCode(value: unknown): number {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number.NaN;
  if (typeof value !== 'string') return Number.NaN;
  const t = value.trim();
  return INTEGER.test(t) ? Number(t) : Number.NaN;
}
