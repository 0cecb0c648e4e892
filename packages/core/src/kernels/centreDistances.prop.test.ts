import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/Rng.js';
import { centreDistances } from './centreDistances.js';
import { getWasmBackend } from './wasm/wasmBackend.js';

const wasm = getWasmBackend();

describe.each([
  ['centreDistances (TypeScript)', centreDistances],
  ['centreDistances (WebAssembly)', wasm?.centreDistances ?? centreDistances],
])('%s', (_name, kernel) => {
  it('equals the column-order sum of squared differences bit for bit, cells outside untouched', () => {
    fc.assert(
      fc.property(
        fc.record({
          rows: fc.integer({ min: 0, max: 40 }),
          r0: fc.integer({ min: 0, max: 3 }),
          d: fc.integer({ min: 0, max: 70 }),
          k: fc.integer({ min: 1, max: 9 }),
          seed: fc.nat(),
        }),
        ({ rows, r0, d, k, seed }) => {
          const rng = new Rng(seed);
          const x = new Float64Array((r0 + rows) * d).map(() => 5 + 3 * rng.normal());
          const c = new Float64Array(1 + k * d).map(() => 5 + 3 * rng.normal());
          const out = new Float64Array(rows * k + 2).fill(-1);
          kernel(x, r0, rows, d, c, 1, k, out, 1);
          expect(out[0]).toBe(-1);
          expect(out[rows * k + 1]).toBe(-1);
          for (let r = 0; r < rows; r++) {
            for (let j = 0; j < k; j++) {
              let s = 0;
              for (let t = 0; t < d; t++) {
                const v = (x[(r0 + r) * d + t] as number) - (c[1 + j * d + t] as number);
                s += v * v;
              }
              expect(Object.is(out[1 + r * k + j], s)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps NaN and Infinity where the definition has them', () => {
    const x = new Float64Array([Number.NaN, 0, Number.POSITIVE_INFINITY, 0, 1, 2]);
    const c = new Float64Array([0, 0, 1, 2]);
    const out = new Float64Array(6);
    kernel(x, 0, 3, 2, c, 0, 2, out, 0);
    expect(Array.from(out)).toEqual([Number.NaN, Number.NaN, Infinity, Infinity, 5, 0]);
  });
});

describe('centreDistances across backends', () => {
  it.runIf(wasm !== undefined)('agrees bit for bit on a block larger than a staging chunk', () => {
    const rng = new Rng(3);
    const n = 9000;
    const d = 3;
    const k = 5;
    const x = new Float64Array(n * d).map(() => rng.normal());
    const c = new Float64Array(k * d).map(() => rng.normal());
    const a = new Float64Array(n * k);
    const b = new Float64Array(n * k);
    centreDistances(x, 0, n, d, c, 0, k, a, 0);
    wasm?.centreDistances(x, 0, n, d, c, 0, k, b, 0);
    expect(b).toEqual(a);
  });
});
