import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/Rng.js';
import { invertLower } from './invertLower.js';
import { getWasmBackend } from './wasm/wasmBackend.js';

/** A well-conditioned lower-triangular n×n matrix with NaN in its strict upper triangle (must be ignored). */
function randomLower(rng: Rng, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j > i) l[i * n + j] = Number.NaN;
      else if (j === i) l[i * n + j] = rng.range(1, 2);
      else l[i * n + j] = rng.range(-1, 1) / Math.sqrt(n);
    }
  }
  return l;
}

const wasm = getWasmBackend();

// Sizes up to 150 cross the 64-column blocks (one, two and three blocks, and ragged last blocks).
describe.each([
  ['invertLower (TypeScript)', invertLower],
  ['invertLower (WebAssembly)', wasm?.invertLower ?? invertLower],
])('%s', (_name, kernel) => {
  it('gives W with L·W = I, lower triangular, upper triangle zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 150 }), fc.nat(), (n, seed) => {
        const l = randomLower(new Rng(seed), n);
        const w = new Float64Array(n * n).fill(7);
        kernel(l, n, w);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            if (j > i) {
              expect(w[i * n + j]).toBe(0);
              continue;
            }
            let s = 0;
            for (let k = j; k <= i; k++) s += (l[i * n + k] as number) * (w[k * n + j] as number);
            expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-12);
          }
        }
      }),
      { numRuns: 25, seed: 11 },
    );
  });
});

describe('invertLower: backends agree', () => {
  it('WebAssembly and TypeScript agree to rounding', () => {
    if (wasm === undefined) return;
    for (const n of [1, 63, 64, 65, 129, 200]) {
      const l = randomLower(new Rng(n), n);
      const a = new Float64Array(n * n);
      const b = new Float64Array(n * n);
      invertLower(l, n, a);
      wasm.invertLower(l, n, b);
      for (let i = 0; i < n * n; i++)
        expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThan(1e-13);
    }
  });
});
