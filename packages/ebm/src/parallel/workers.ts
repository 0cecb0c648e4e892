import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EbmError, getBackend, setBackend } from '@nexus/ebm-core';
import { getWasmBackend } from '@nexus/ebm-core/kernels';
import { useWasmKernelModule, wasmKernelModule } from '@nexus/ebm-core/wasm';
import {
  getAutoencoderKernels,
  setAutoencoderKernels,
  wasmAutoencoderKernels,
} from '@nexus/ebm-energies/training';

const here = import.meta.url;
const fromSource = here.endsWith('.ts');

/**
 * Where a worker script of this folder lives: beside this file in source; in the bundles,
 * `dist/parallel/NAME.js` (reached from `dist/index.js` or `dist/cli/main.js`).
 */
function workerUrl(name: string, api: string): URL {
  if (fromSource) return new URL(`./${name}.ts`, here);
  for (const rel of [`./parallel/${name}.js`, `../parallel/${name}.js`, `./${name}.js`]) {
    const u = new URL(rel, here);
    if (existsSync(fileURLToPath(u))) return u;
  }
  throw new EbmError(`${api}: worker script not found next to ${here} (expected dist/parallel/${name}.js)`);
}

/**
 * Starts the worker script `NAME` of this folder. From source (tests, `tsx`), the worker registers tsx's
 * loader before importing the TypeScript file; from the bundles it runs `dist/parallel/NAME.js`.
 *
 * @example
 * ```ts
 * const w = startWorker('scoreWorker', { modules: [], kernels: currentKernels() }, 'ScoringPool.create');
 * ```
 */
export function startWorker(name: string, workerData: unknown, api: string): Worker {
  const url = workerUrl(name, api);
  return fromSource
    ? new Worker(
        `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })`,
        { eval: true, workerData, execArgv: ['--conditions=@nexus/source'] },
      )
    : new Worker(url, { workerData });
}

/** The calling thread's kernel choice, sent to workers so they compute with the same arithmetic. */
export interface KernelChoice {
  /** Kernel backend name (`'ts'` or `'wasm'`). */
  readonly backend: string;
  /** Autoencoder kernel set name (`'ts'` or `'wasm'`). */
  readonly autoencoder: string;
  /**
   * The calling thread's compiled WebAssembly kernel module, when it uses the WebAssembly kernels: a
   * worker instantiates it instead of compiling its own, and so starts with the engine's optimised code.
   */
  readonly wasmModule?: object;
}

/**
 * The kernel choice of this thread.
 *
 * @example
 * ```ts
 * const workerData = { ...rest, kernels: currentKernels() };
 * ```
 */
export function currentKernels(): KernelChoice {
  const backend = getBackend().name;
  const autoencoder = getAutoencoderKernels().name;
  const wasmModule = backend === 'wasm' || autoencoder === 'wasm' ? wasmKernelModule() : undefined;
  return wasmModule === undefined ? { backend, autoencoder } : { backend, autoencoder, wasmModule };
}

/**
 * Installs, in a worker thread, the kernel choice of the thread that started it, so that a worker never
 * computes with other kernels than its caller (the WebAssembly and TypeScript kernels agree only to
 * rounding). Throws when the caller used WebAssembly and this thread cannot.
 *
 * @example
 * ```ts
 * followKernels(workerData.kernels);
 * ```
 */
export function followKernels(choice: KernelChoice): void {
  if (choice.wasmModule !== undefined) useWasmKernelModule(choice.wasmModule);
  if (choice.backend === 'ts') setBackend('ts');
  else if (choice.backend === 'wasm') {
    const wasm = getWasmBackend();
    if (wasm === undefined)
      throw new EbmError('worker: the WebAssembly kernels are not available in this thread');
    setBackend(wasm);
  }
  if (choice.autoencoder === 'ts') setAutoencoderKernels('ts');
  else if (choice.autoencoder === 'wasm') {
    // the library's own kernel set (not a copy): the Autoencoder recognises it and keeps its parameters
    // resident in WebAssembly memory for training and scoring
    setAutoencoderKernels(wasmAutoencoderKernels);
  }
}
