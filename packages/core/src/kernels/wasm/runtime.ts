import { WasmHeap } from './heap.js';
import { instantiateWasmKernels, instantiateWasmKernelsAsync, type WasmKernelExports } from './module.js';

/**
 * The process-wide WebAssembly kernel instance and the allocator for its memory. Every resident buffer
 * and the generic backend share it.
 *
 * @example
 * ```ts
 * const rt = getWasmRuntime();
 * if (rt) console.log(rt.heap.bytesReserved);
 * ```
 */
export interface WasmRuntime {
  readonly exports: WasmKernelExports;
  readonly heap: WasmHeap;
}

let runtime: WasmRuntime | undefined;
let failed = false;

function wrap(exports: WasmKernelExports): WasmRuntime {
  return { exports, heap: new WasmHeap(exports.memory, exports.scratchEnd()) };
}

/**
 * The shared WebAssembly kernel runtime, instantiated synchronously on first use; `undefined` when this
 * runtime lacks WebAssembly SIMD or refuses synchronous compilation (then await
 * {@link initWasmRuntime} first).
 *
 * @example
 * ```ts
 * const rt = getWasmRuntime();
 * ```
 */
export function getWasmRuntime(): WasmRuntime | undefined {
  if (runtime !== undefined || failed) return runtime;
  const ex = instantiateWasmKernels();
  if (ex === undefined) failed = true;
  else runtime = wrap(ex);
  return runtime;
}

/**
 * Instantiates the shared runtime asynchronously (works on a browser's main thread, where synchronous
 * compilation of larger modules is refused). Resolves to `undefined` without WebAssembly SIMD.
 *
 * @example
 * ```ts
 * await initWasmRuntime();
 * ```
 */
export async function initWasmRuntime(): Promise<WasmRuntime | undefined> {
  if (runtime !== undefined) return runtime;
  const ex = await instantiateWasmKernelsAsync();
  if (ex !== undefined) {
    runtime ??= wrap(ex);
    failed = false;
  }
  return runtime;
}

/**
 * The shared runtime, or an Error explaining that WebAssembly SIMD is unavailable.
 *
 * @example
 * ```ts
 * const { heap } = requireWasmRuntime();
 * ```
 */
export function requireWasmRuntime(): WasmRuntime {
  const rt = getWasmRuntime();
  if (rt === undefined) {
    throw new Error('wasm kernels: WebAssembly SIMD is not available in this runtime (use the ts backend)');
  }
  return rt;
}
