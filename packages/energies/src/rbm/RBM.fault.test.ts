/**
 * A finite input far outside the training data must never give a NaN energy (a NaN compares false with
 * every threshold, so the event would silently pass as normal). A Gaussian-visible RBM's free energy grows
 * without bound, so an overflow is reported as +Infinity — on both kernel backends.
 */
import { Rng, setBackend } from '@nexus/ebm-core';
import { getWasmBackend } from '@nexus/ebm-core/kernels';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { RBM } from './RBM.js';

function trained(): RBM {
  const rng = new Rng(3);
  const X: number[][] = [];
  for (let i = 0; i < 200; i++) X.push([rng.normal(), rng.normal(), rng.normal()]);
  return new RBM({ visible: 'gaussian', nHidden: 4, epochs: 2, seed: 1 }).fit(X);
}

const backends = [
  ['ts', 'ts'] as const,
  ...(getWasmBackend() === undefined ? [] : [['wasm', 'wasm'] as const]),
];

describe.each(backends)('RBM energies of far-out finite inputs (%s kernels)', (name) => {
  afterEach(() => setBackend('ts'));

  it('are +Infinity where single precision overflows, never NaN', () => {
    if (name === 'wasm') setBackend(getWasmBackend() ?? 'ts');
    const e = trained().energy([
      [1e39, 0, 0],
      [1e300, 1e300, 0],
      [-1e300, 5, 1],
      [0.1, -0.2, 0.3],
    ]);
    expect(e[0]).toBe(Number.POSITIVE_INFINITY);
    expect(e[1]).toBe(Number.POSITIVE_INFINITY);
    expect(e[2]).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isFinite(e[3])).toBe(true);
  });

  it('are never NaN for any finite input', () => {
    if (name === 'wasm') setBackend(getWasmBackend() ?? 'ts');
    const model = trained();
    const big = fc.double({
      min: -Number.MAX_VALUE,
      max: Number.MAX_VALUE,
      noNaN: true,
      noDefaultInfinity: true,
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(big, big, big), { minLength: 1, maxLength: 8 }), (rows) => {
        for (const v of model.energy(rows)) expect(Number.isNaN(v)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
