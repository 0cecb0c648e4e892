// Training sets above WASM_RESIDENT_ROWS_MAX_FLOATS stay in JavaScript memory and every minibatch is
// copied into the WebAssembly session. The limit is mocked to 0 here so that small data take that path;
// the models must be exactly those of the resident path (and of the per-call WebAssembly kernels).
import { Matrix, Rng, setBackend } from '@nexus/ebm-core';
import { getWasmBackend } from '@nexus/ebm-core/kernels';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Autoencoder } from '../autoencoder/Autoencoder.js';
import { setAutoencoderKernels, wasmAutoencoderKernels } from '../autoencoder/kernels.js';
import { setRbmKernels, wasmRbmKernels } from '../rbm/kernels.js';
import { RBM } from '../rbm/RBM.js';

vi.mock('@nexus/ebm-core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@nexus/ebm-core')>()),
  WASM_RESIDENT_ROWS_MAX_FLOATS: 0,
}));

const wasm = getWasmBackend();
// EBM_BACKEND=ts pins the TypeScript kernels (setBackend(wasm) is then ignored), so the path is not reachable.
const unreachable = wasm === undefined || process.env.EBM_BACKEND === 'ts';

describe.skipIf(unreachable)('training sets too large to keep resident in WebAssembly memory', () => {
  afterEach(() => {
    setAutoencoderKernels('auto');
    setRbmKernels('auto');
  });

  it('the autoencoder copies each minibatch in and trains exactly as with the per-call kernels', () => {
    if (wasm !== undefined) setBackend(wasm);
    const rng = new Rng(2);
    const X = new Matrix(
      300,
      6,
      Float64Array.from({ length: 1800 }, () => rng.normal()),
    );
    const opts = { epochs: 3, batchSize: 32, seed: 4, inputNoise: 0.05, validationFraction: 0.2 };
    const copied = new Autoencoder(opts).fit(X);
    setAutoencoderKernels({ ...wasmAutoencoderKernels, name: 'wasm (per step)' });
    const perStep = new Autoencoder(opts).fit(X);
    expect(copied.toJSON().state).toEqual(perStep.toJSON().state);
  });

  it('the RBM copies each minibatch in and trains exactly as with the per-call kernels', () => {
    if (wasm !== undefined) setBackend(wasm);
    const rng = new Rng(3);
    const X = new Matrix(
      230,
      8,
      Float64Array.from({ length: 1840 }, () => (rng.uniform() < 0.4 ? 1 : 0)),
    );
    const opts = { nHidden: 5, epochs: 3, batchSize: 50, method: 'pcd' as const, seed: 2 };
    const copied = new RBM(opts).fit(X);
    setRbmKernels({ ...wasmRbmKernels, name: 'wasm (per call)' });
    const perCall = new RBM(opts).fit(X);
    expect(copied.toJSON().state).toEqual(perCall.toJSON().state);
  });
});
