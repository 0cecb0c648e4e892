import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/Rng.js';
import { comoment } from './comoment.js';
import { getWasmBackend } from './wasm/wasmBackend.js';

const wasm = getWasmBackend();

/** The definition in plain loops: Σ_r w_r (x_r − μ)_i (x_r − μ)_j. */
function reference(
  x: Float64Array,
  rows: number,
  d: number,
  mean: Float64Array,
  weight: Float64Array | null,
  wOff: number,
  wStride: number,
): Float64Array {
  const c = new Float64Array(d * d);
  for (let r = 0; r < rows; r++) {
    const w = weight === null ? 1 : (weight[wOff + r * wStride] as number);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        c[i * d + j] =
          (c[i * d + j] as number) +
          w *
            ((x[r * d + i] as number) - (mean[i] as number)) *
            ((x[r * d + j] as number) - (mean[j] as number));
      }
    }
  }
  return c;
}

// Widths up to 140 cross the 128-column GEMM blocks; up to 600 rows cross the 256-row blocks.
describe.each([
  ['comoment (TypeScript)', comoment],
  ['comoment (WebAssembly)', wasm?.comoment ?? comoment],
])('%s', (_name, kernel) => {
  it('matches the definition, weighted (with a stride) or not, exactly symmetric, cells outside untouched', () => {
    fc.assert(
      fc.property(
        fc.record({
          rows: fc.integer({ min: 0, max: 600 }),
          d: fc.integer({ min: 1, max: 140 }),
          weighted: fc.boolean(),
          stride: fc.integer({ min: 1, max: 3 }),
          seed: fc.nat(),
        }),
        ({ rows, d, weighted, stride, seed }) => {
          if (rows * d * d > 300_000) rows = Math.floor(300_000 / (d * d));
          const rng = new Rng(seed);
          const x = new Float64Array(rows * d).map(() => 3 + rng.normal());
          const mean = new Float64Array(d + 1).map(() => 3 + 0.1 * rng.normal());
          const weight = weighted ? new Float64Array(1 + rows * stride).map(() => rng.uniform()) : null;
          const c = new Float64Array(d * d + 2).fill(-1);
          kernel(x, rows, d, mean, 1, weight, 1, stride, c, 1);
          const want = reference(x, rows, d, mean.subarray(1), weight, 1, stride);
          expect(c[0]).toBe(-1);
          expect(c[d * d + 1]).toBe(-1);
          for (let i = 0; i < d; i++) {
            for (let j = 0; j < d; j++) {
              const got = c[1 + i * d + j] as number;
              expect(got).toBe(c[1 + j * d + i]);
              const scale = Math.sqrt((want[i * d + i] as number) * (want[j * d + j] as number)) + 1e-300;
              expect(Math.abs(got - (want[i * d + j] as number))).toBeLessThanOrEqual(
                1e-12 * scale * (1 + rows / 100),
              );
            }
          }
        },
      ),
      { numRuns: 20, seed: 5 },
    );
  });
});
