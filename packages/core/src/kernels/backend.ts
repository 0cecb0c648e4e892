import { describeValue, InputTypeError, message } from '../model/errors.js';
import { axpy } from './axpy.js';
import { cholesky } from './cholesky.js';
import { covariance } from './covariance.js';
import { dot } from './dot.js';
import { gemm } from './gemm.js';
import { gemmF32 } from './gemmF32.js';
import { gemv } from './gemv.js';
import { mahalanobisRows } from './mahalanobisRows.js';
import { solveLower } from './solveLower.js';
import { solveLowerTransposed } from './solveLowerTransposed.js';
import { getWasmBackend } from './wasm/wasmBackend.js';

/**
 * The set of kernels whose implementation can be swapped (pure TypeScript by default, later WebAssembly).
 * Every function has exactly the signature of the TypeScript kernel of the same name. A new backend that
 * accelerates only some kernels can spread {@link tsBackend} and override the rest:
 * `{ ...tsBackend, name: 'wasm', gemm: wasmGemm }`.
 *
 * @example
 * ```ts
 * const k: KernelBackend = getBackend();
 * k.gemm(false, false, m, n, kk, 1, a, 0, kk, b, 0, n, 0, c, 0, n);
 * ```
 */
export interface KernelBackend {
  /** Implementation name, reported by benchmarks (`backend` field). */
  readonly name: 'ts' | 'wasm';
  /** See {@link gemm}. */
  readonly gemm: typeof gemm;
  /** See {@link gemmF32}. */
  readonly gemmF32: typeof gemmF32;
  /** See {@link gemv}. */
  readonly gemv: typeof gemv;
  /** See {@link dot}. */
  readonly dot: typeof dot;
  /** See {@link axpy}. */
  readonly axpy: typeof axpy;
  /** See {@link covariance}. */
  readonly covariance: typeof covariance;
  /** See {@link cholesky}. */
  readonly cholesky: typeof cholesky;
  /** See {@link solveLower}. */
  readonly solveLower: typeof solveLower;
  /** See {@link solveLowerTransposed}. */
  readonly solveLowerTransposed: typeof solveLowerTransposed;
  /** See {@link mahalanobisRows}. */
  readonly mahalanobisRows: typeof mahalanobisRows;
}

/**
 * The pure TypeScript kernels: the reference in tests, and the default backend wherever WebAssembly SIMD
 * is unavailable or `EBM_BACKEND=ts` is set (see {@link getBackend}).
 *
 * @example
 * ```ts
 * setBackend(tsBackend);
 * ```
 */
export const tsBackend: KernelBackend = Object.freeze({
  name: 'ts',
  gemm,
  gemmF32,
  gemv,
  dot,
  axpy,
  covariance,
  cholesky,
  solveLower,
  solveLowerTransposed,
  mahalanobisRows,
});

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
