import { afterEach, describe, expect, it, vi } from 'vitest';
import { getBackend, setBackend } from './backend.js';
import { type KernelBackend, tsBackend } from './tsBackend.js';
import { wasmSimdSupported } from './wasm/module.js';
import { getWasmBackend } from './wasm/wasmBackend.js';

describe('kernel backend', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    setBackend('ts');
  });

  it('defaults to the WebAssembly backend where the runtime validates a SIMD module', () => {
    const forcedTs = process.env.EBM_BACKEND === 'ts';
    expect(getBackend()).toBe(forcedTs ? tsBackend : (getWasmBackend() ?? tsBackend));
    expect(getBackend().name).toBe(wasmSimdSupported() && !forcedTs ? 'wasm' : 'ts');
  });

  it('defaults to the TypeScript kernels under EBM_BACKEND=ts', async () => {
    vi.stubEnv('EBM_BACKEND', 'ts');
    vi.resetModules();
    const fresh = await import('./backend.js');
    const freshTs = await import('./tsBackend.js');
    expect(fresh.getBackend()).toBe(freshTs.tsBackend);
    expect(fresh.getBackend().name).toBe('ts');
  });

  it('installs another backend and restores the TypeScript one with "ts"', () => {
    vi.stubEnv('EBM_BACKEND', '');
    const other: KernelBackend = { ...tsBackend, name: 'wasm' };
    setBackend(other);
    expect(getBackend()).toBe(other);
    setBackend('ts');
    expect(getBackend()).toBe(tsBackend);
  });

  it('honours EBM_BACKEND=ts by ignoring other backends', () => {
    vi.stubEnv('EBM_BACKEND', 'ts');
    setBackend({ ...tsBackend, name: 'wasm' });
    expect(getBackend()).toBe(tsBackend);
  });

  it('rejects incomplete or wrong-kind backends with a TypeError naming the problem', () => {
    const { gemv: _dropped, ...partial } = tsBackend;
    expect(() => setBackend(partial as unknown as KernelBackend)).toThrow(
      /setBackend: backend kernel gemv is missing/,
    );
    expect(() => setBackend('wasm' as unknown as 'ts')).toThrow(TypeError);
    expect(() => setBackend({ ...tsBackend, name: 'gpu' } as unknown as KernelBackend)).toThrow(
      /unknown name/,
    );
    expect(getBackend()).toBe(tsBackend);
  });
});
