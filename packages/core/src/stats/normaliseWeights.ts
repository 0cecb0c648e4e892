import { describeValue, InputTypeError, message, ShapeError, ValueError } from '../errors.js';

/**
 * Checks and normalises optional row weights (of a background, of k-means rows) (non-negative, positive sum) to sum 1.
 *
 * @example
 * ```ts
 * normaliseWeights('kernelShap', 2, [1, 3]); // Float64Array [0.25, 0.75]
 * ```
 */
export function normaliseWeights(
  api: string,
  n: number,
  weights: ArrayLike<number> | undefined,
): Float64Array {
  const w = new Float64Array(n);
  if (weights === undefined) return w.fill(1 / n);
  if (weights === null || typeof weights !== 'object' || typeof weights.length !== 'number') {
    throw new InputTypeError(
      message(api, 'weights must be an array of numbers', 'ArrayLike<number>', describeValue(weights)),
    );
  }
  if (weights.length !== n) {
    throw new ShapeError(
      message(api, 'one weight per background row is needed', `${n}`, `${weights.length}`),
    );
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = weights[i];
    if (typeof v !== 'number' || !(v >= 0) || v === Number.POSITIVE_INFINITY) {
      throw new ValueError(message(api, `weight ${i} is invalid`, 'a finite number ≥ 0', describeValue(v)));
    }
    w[i] = v;
    s += v;
  }
  if (!(s > 0)) throw new ValueError(message(api, 'weights sum to zero', 'a positive sum', String(s)));
  for (let i = 0; i < n; i++) w[i] = (w[i] as number) / s;
  return w;
}
