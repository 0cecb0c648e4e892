/**
 * Size limits for saved models and pipelines (untrusted input), shared by the JSON parser, the field
 * readers and the registry.
 *
 * @module
 */

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

/** Keys that never appear in saved JSON (prototype pollution). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
