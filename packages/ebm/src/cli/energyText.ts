/**
 * How the `ebm` command writes energies: JSON has no `Infinity` or `NaN`, so an energy beyond the double
 * range is written as the largest finite double with its sign (±1.7976931348623157e+308) and marked
 * `overflow`; such an event still ranks above (or below) every finite energy, its p-value and flag stand.
 * A NaN energy is never written: the command stops and names the line.
 *
 * @module
 */

/**
 * Whether an energy overflowed the double range (±Infinity).
 *
 * @example
 * ```ts
 * isOverflow(Number.POSITIVE_INFINITY); // true
 * ```
 */
export function isOverflow(x: number): boolean {
  return x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY;
}

/**
 * The value written for a number: ±Infinity becomes ±`Number.MAX_VALUE`; finite numbers are kept.
 *
 * @example
 * ```ts
 * finiteValue(Number.NEGATIVE_INFINITY); // -1.7976931348623157e+308
 * ```
 */
export function finiteValue(x: number): number {
  if (x === Number.POSITIVE_INFINITY) return Number.MAX_VALUE;
  if (x === Number.NEGATIVE_INFINITY) return -Number.MAX_VALUE;
  return x;
}

/**
 * A number as text for NDJSON and CSV: 8 significant digits; ±Infinity as ±1.7976931348623157e+308.
 *
 * @example
 * ```ts
 * numberText(Math.PI); // '3.1415927'
 * ```
 */
export function numberText(x: number): string {
  if (isOverflow(x)) return String(finiteValue(x));
  return String(Number(x.toPrecision(8)));
}
