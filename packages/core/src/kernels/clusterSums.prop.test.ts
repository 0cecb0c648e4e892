import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/Rng.js';
import { clusterSums } from './clusterSums.js';
import { getWasmBackend } from './wasm/wasmBackend.js';

const wasm = getWasmBackend();

describe.each([
  ['clusterSums (TypeScript)', clusterSums],
  ['clusterSums (WebAssembly)', wasm?.clusterSums ?? clusterSums],
])('%s', (_name, kernel) => {
  it('adds the weighted rows to their clusters in row order, bit for bit; cells outside untouched', () => {
    fc.assert(
      fc.property(
        fc.record({
          rows: fc.integer({ min: 0, max: 60 }),
          r0: fc.integer({ min: 0, max: 3 }),
          d: fc.integer({ min: 1, max: 40 }),
          k: fc.integer({ min: 1, max: 6 }),
          seed: fc.nat(),
        }),
        ({ rows, r0, d, k, seed }) => {
          const rng = new Rng(seed);
          const x = new Float64Array((r0 + rows) * d).map(() => 5 + 3 * rng.normal());
          const labels = new Int32Array(rows + 2).map(() => rng.int(k + 2) - 1); // −1 and k are skipped
          const w = new Float64Array(rows + 1).map(() => rng.uniform());
          const start = new Float64Array(k * d + 2).map(() => rng.normal());
          const sums = start.slice();
          kernel(x, r0, rows, d, labels, 2, w, 1, sums, 1, k);
          const want = start.slice();
          for (let r = 0; r < rows; r++) {
            const j = labels[2 + r] as number;
            if (j < 0 || j >= k) continue;
            for (let t = 0; t < d; t++) {
              want[1 + j * d + t] =
                (want[1 + j * d + t] as number) + (w[1 + r] as number) * (x[(r0 + r) * d + t] as number);
            }
          }
          expect(sums).toEqual(want);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('clusterSums across backends', () => {
  it.runIf(wasm !== undefined)('agrees bit for bit over more rows than a staging chunk', () => {
    const rng = new Rng(5);
    const n = 9000;
    const d = 3;
    const x = new Float64Array(n * d).map(() => rng.normal());
    const labels = new Int32Array(n).map(() => rng.int(4));
    const w = new Float64Array(n).map(() => rng.uniform());
    const a = new Float64Array(4 * d);
    const b = new Float64Array(4 * d);
    clusterSums(x, 0, n, d, labels, 0, w, 0, a, 0, 4);
    wasm?.clusterSums(x, 0, n, d, labels, 0, w, 0, b, 0, 4);
    expect(b).toEqual(a);
  });
});
