import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findNonFinite } from './findNonFinite.js';

/** The definition: the first index in [from, to) whose value is NaN or ±Infinity. */
function bruteForce(a: Float64Array, from: number, to: number): number {
  for (let k = from; k < to; k++) if (!Number.isFinite(a[k] as number)) return k;
  return -1;
}

describe('findNonFinite', () => {
  it('agrees with a test per element on arrays spanning several blocks', () => {
    const special = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.tuple(fc.nat(), special), { maxLength: 3 }),
        fc.nat(),
        fc.nat(),
        (n, bad, f, t) => {
          const a = new Float64Array(n);
          for (let k = 0; k < n; k++) a[k] = Math.sin(k) * 1e300;
          for (const [i, v] of bad) if (n > 0) a[i % n] = v;
          const from = n === 0 ? 0 : f % (n + 1);
          const to = from + (n === 0 ? 0 : t % (n - from + 1));
          expect(findNonFinite(a, from, to)).toBe(bruteForce(a, from, to));
        },
      ),
    );
  });

  it('treats huge finite values (whose sum overflows) as finite', () => {
    const a = new Float64Array(9000).fill(Number.MAX_VALUE);
    expect(findNonFinite(a, 0, a.length)).toBe(-1);
    a[8999] = Number.NEGATIVE_INFINITY;
    expect(findNonFinite(a, 0, a.length)).toBe(8999);
    expect(findNonFinite(a, 0, 8999)).toBe(-1);
  });
});
