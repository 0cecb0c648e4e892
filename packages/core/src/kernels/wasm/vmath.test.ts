import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requireWasmRuntime } from './runtime.js';

/** Runs the module's vectorised Float32 exp (or tanh) over `xs`. */
function wasmExp(xs: readonly number[], fn: 'expF32Array' | 'tanhF32Array' = 'expF32Array'): Float32Array {
  const { heap, exports } = requireWasmRuntime();
  const p = heap.alloc(8 * xs.length + 16);
  const q = p + 4 * xs.length + 16 - ((4 * xs.length) % 16);
  heap.f32().set(xs, p >> 2);
  exports[fn](p, q, xs.length);
  const out = heap.f32().slice(q >> 2, (q >> 2) + xs.length);
  heap.free(p);
  return out;
}

describe('vectorised Float32 exp (vmath.ts, used by the RBM sigmoids)', () => {
  it('is within 4 Float32 ulps (relative 2.4e-7) of Math.exp on [−87, 88], vector lanes and tail alike', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -87, max: 88, noNaN: true }), { minLength: 1, maxLength: 11 }),
        (xs) => {
          const got = wasmExp(xs);
          xs.forEach((x, i) => {
            const want = Math.exp(x);
            expect(Math.abs((got[i] as number) - want)).toBeLessThanOrEqual(2.4e-7 * want);
          });
        },
      ),
      { numRuns: 300, seed: 61 },
    );
  });

  it('clamps: huge arguments saturate instead of overflowing to garbage', () => {
    const got = wasmExp([-1000, -87, 0, 1, 88, 1000]);
    expect(got[2]).toBe(1);
    expect(Math.abs((got[3] as number) - Math.E)).toBeLessThan(1e-6);
    expect(got[0]).toBe(got[1]);
    expect(got[5]).toBe(got[4]);
    expect(Number.isFinite(got[5] as number)).toBe(true);
  });
});

describe('vectorised Float32 tanh (vmath.ts, used by the autoencoder)', () => {
  it('is within 4 Float32 ulps of Math.tanh (relative 4.8e-7), vector lanes and tail alike', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.float({ min: -1, max: 1, noNaN: true }), fc.float({ min: -20, max: 20, noNaN: true })),
          {
            minLength: 1,
            maxLength: 11,
          },
        ),
        (xs) => {
          const got = wasmExp(xs, 'tanhF32Array');
          xs.forEach((x, i) => {
            const want = Math.tanh(Math.fround(x));
            expect(Math.abs((got[i] as number) - want)).toBeLessThanOrEqual(4.8e-7 * Math.abs(want) + 1e-45);
          });
        },
      ),
      { numRuns: 300, seed: 62 },
    );
  });

  it('is odd, saturates at ±1 and keeps NaN and ±0', () => {
    const got = wasmExp([0, -0, 1e-30, -3, 3, 50, -50, Number.POSITIVE_INFINITY, Number.NaN], 'tanhF32Array');
    expect(Object.is(got[0], 0)).toBe(true);
    expect(Object.is(got[1], -0)).toBe(true);
    expect(got[2]).toBe(Math.fround(1e-30));
    expect(got[3]).toBe(-(got[4] as number));
    expect([got[5], got[6], got[7]]).toEqual([1, -1, 1]);
    expect(got[8]).toBeNaN();
  });
});
