import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WasmF32Buffer } from './buffers.js';
import { ResidentScaler } from './residentScaler.js';
import { requireWasmRuntime } from './runtime.js';

const special = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

describe('ResidentScaler.toF32 (property)', () => {
  it('reports a non-finite value exactly when the rows hold one, and converts as before either way', () => {
    const rt = requireWasmRuntime();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }), // d: odd widths take the scalar tail
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), special), { maxLength: 3 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (d, rows, standardize, bad, seed) => {
          let s = seed;
          const next = (): number => {
            s = (Math.imul(s, 1103515245) + 12345) >>> 0;
            return (s / 2 ** 32) * 200 - 100;
          };
          const src = Float64Array.from({ length: rows * d }, next);
          for (const [at, v] of bad) src[at % src.length] = v;
          const scaler = new ResidentScaler(d, rows, rt);
          const mean = Float64Array.from({ length: d }, next);
          const std = Float64Array.from({ length: d }, () => 0.5 + Math.abs(next()));
          if (standardize) scaler.setStandardization(mean, std, 'test');
          const out = new WasmF32Buffer(rows * d, rt);
          try {
            const finite = scaler.toF32(src, 0, rows, out.ptr);
            expect(finite).toBe(src.every((v) => Number.isFinite(v)));
            const got = out.view();
            for (let k = 0; k < rows * d; k++) {
              const j = k % d;
              const want = Math.fround(
                standardize
                  ? ((src[k] as number) - (mean[j] as number)) / (std[j] as number)
                  : (src[k] as number),
              );
              expect(Object.is(got[k], want) || (Number.isNaN(got[k]) && Number.isNaN(want))).toBe(true);
            }
          } finally {
            out.dispose();
            scaler.dispose();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
