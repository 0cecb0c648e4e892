import { describeValue, InputTypeError, message } from '../errors.js';
import { type KernelBackend, tsBackend } from './tsBackend.js';
import { getWasmBackend } from './wasm/wasmBackend.js';

/** `EBM_BACKEND=ts` in the environment pins the TypeScript kernels (e.g. to rule out a backend bug). */
function forcedTs(): boolean {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.EBM_BACKEND === 'ts';
}

let current: KernelBackend | undefined;

/**
 * The kernel backend in use. Unless one was installed with {@link setBackend}, the first call chooses it:
 * the WebAssembly SIMD backend when the runtime validates a SIMD module, else the TypeScript one (always
 * the TypeScript one under `EBM_BACKEND=ts`).
 *
 * @example
 * ```ts
 * getBackend().name; // 'wasm' in Node 20+, 'ts' under EBM_BACKEND=ts
 * ```
 */
export function getBackend(): KernelBackend {
  if (current === undefined) current = forcedTs() ? tsBackend : (getWasmBackend() ?? tsBackend);
  return current;
}

/**
 * Installs a kernel backend for the whole process; `'ts'` restores the TypeScript kernels. When the
 * environment variable `EBM_BACKEND` is `ts`, any other backend is ignored and the TypeScript kernels stay
 * in use.
 *
 * @example
 * ```ts
 * setBackend('ts');
 * ```
 */
export function setBackend(backend: KernelBackend | 'ts'): void {
  if (backend !== 'ts') checkBackend(backend);
  if (backend === 'ts' || forcedTs()) {
    current = tsBackend;
    return;
  }
  current = backend;
}

const KERNEL_NAMES = Object.keys(tsBackend).filter((key) => key !== 'name') as (keyof KernelBackend)[];

function checkBackend(backend: unknown): void {
  if (backend === null || typeof backend !== 'object') {
    throw new InputTypeError(
      message('setBackend', 'unsupported backend', "'ts' or a KernelBackend object", describeValue(backend)),
    );
  }
  const b = backend as Record<string, unknown>;
  if (b.name !== 'ts' && b.name !== 'wasm') {
    throw new InputTypeError(
      message('setBackend', 'backend has an unknown name', "'ts' or 'wasm'", describeValue(b.name)),
    );
  }
  for (const key of KERNEL_NAMES) {
    if (typeof b[key] !== 'function') {
      throw new InputTypeError(
        message('setBackend', `backend kernel ${key} is missing`, 'a function', describeValue(b[key])),
      );
    }
  }
}

/**
 * Selects the fastest available backend: the WebAssembly one when the runtime validates a SIMD module,
 * else the TypeScript one (and always the TypeScript one under `EBM_BACKEND=ts`). Returns the backend
 * now in use.
 *
 * @example
 * ```ts
 * useFastestBackend().name; // 'wasm' in Node 20+
 * ```
 */
export function useFastestBackend(): KernelBackend {
  const wasm = getWasmBackend();
  setBackend(wasm ?? 'ts');
  return getBackend();
}
