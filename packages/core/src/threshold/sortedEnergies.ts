import { describeValue, InputTypeError, message, ParameterError, ShapeError, ValueError } from '../errors.js';
import { sortFloat64 } from '../eval/sortFloat64.js';

/**
 * Validates a vector of energies at a threshold function's boundary and returns a sorted (ascending) copy.
 * Throws `InputTypeError` for a non-array or a non-number entry, `ShapeError` when empty, `ValueError` for
 * NaN or ±Infinity. O(n).
 *
 * @example
 * ```ts
 * sortedEnergies([3, 1, 2], 'thresholdFromContamination'); // Float64Array [1, 2, 3]
 * ```
 * @internal
 */
export function sortedEnergies(values: ArrayLike<number>, api: string): Float64Array {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new InputTypeError(
      message(api, 'energies must be an array', 'an array-like of numbers', describeValue(values)),
    );
  }
  const n = values.length;
  if (n === 0) throw new ShapeError(message(api, 'empty input', 'at least one energy', '0 energies'));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number') {
      throw new InputTypeError(
        message(api, `energy at index ${i} is not a number`, 'a finite number', describeValue(v)),
      );
    }
    if (v - v !== 0) {
      throw new ValueError(message(api, `non-finite energy at index ${i}`, 'a finite number', String(v)));
    }
    out[i] = v + 0;
  }
  sortFloat64(out);
  return out;
}

/**
 * Checks that a rate (contamination, false-positive rate, risk, quantile level) is a number strictly
 * between 0 and 1; throws `ParameterError` otherwise.
 *
 * @example
 * ```ts
 * checkOpenUnit(0.01, 'thresholdFromContamination', 'rate'); // fine
 * ```
 * @internal
 */
export function checkOpenUnit(value: unknown, api: string, name: string): asserts value is number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new ParameterError(
      message(api, `${name} must lie strictly between 0 and 1`, '0 < value < 1', describeValue(value)),
    );
  }
}

/**
 * The p-quantile of ascending-sorted values by linear interpolation between order statistics (numpy's
 * default `method="linear"`, R's type 7): h = (n − 1)·p, Q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * O(1). p must lie in [0, 1] (not checked).
 *
 * @example
 * ```ts
 * quantileSorted(Float64Array.of(1, 2, 3, 4), 0.5); // 2.5
 * ```
 * @internal
 */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  if (lo >= n - 1) return sorted[n - 1] as number;
  const b = sorted[lo + 1] as number;
  const f = h - lo;
  if (f === 0) return a;
  const q = a + f * (b - a);
  // Between order statistics a few ulps apart, a + f·(b − a) can round up onto b, and "energy > q" would
  // then drop b and flag one sample fewer than the interpolation means; stay below b.
  return q < b ? q : between(a, b);
}

/**
 * A number strictly between lo < hi when one exists (their midpoint), so that "score > m" and
 * "score ≥ m" select the same values; for adjacent doubles it returns lo (exact for "score > m"). O(1).
 *
 * @example
 * ```ts
 * between(1, 2); // 1.5
 * ```
 * @internal
 */
export function between(lo: number, hi: number): number {
  const m = lo / 2 + hi / 2;
  return m > lo && m < hi ? m : lo;
}
