import { decodeBase64 } from './base64.js';
import { WASM_BASE64 } from './generated/kernelsWasm.js';
import { type WasmMemory, wasmApi } from './wasmApi.js';

/**
 * The functions the compiled AssemblyScript module exports (packages/core/assembly/index.ts). Pointers
 * are byte offsets into `memory`; booleans are passed as 0/1; leading dimensions count elements.
 *
 * @example
 * ```ts
 * const k = loadWasmKernels();
 * if (k) k.exports.gemvF64(0, m, n, 1, aPtr, n, xPtr, 0, yPtr);
 * ```
 */
export interface WasmKernelExports {
  readonly memory: WasmMemory;
  /** First byte above the kernels' fixed scratch area; allocations start here. */
  scratchEnd(): number;
  gemmF32(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
  ): void;
  gemmF64(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
  ): void;
  scaleMatrixF32(m: number, n: number, beta: number, c: number, ldc: number): void;
  scaleMatrixF64(m: number, n: number, beta: number, c: number, ldc: number): void;
  gemvF64(
    trans: number,
    m: number,
    n: number,
    alpha: number,
    a: number,
    lda: number,
    x: number,
    beta: number,
    y: number,
  ): void;
  cholesky(a: number, n: number, l: number, jitter: number): number;
  invertLower(l: number, n: number, w: number): void;
  solveLower(l: number, n: number, b: number, nrhs: number): void;
  solveLowerTransposed(l: number, n: number, b: number, nrhs: number): void;
  aeForward(
    desc: number,
    params: number,
    x: number,
    rows: number,
    act: number,
    mask: number,
    dropout: number,
    leak: number,
  ): void;
  aeGradients(
    desc: number,
    params: number,
    grads: number,
    x: number,
    target: number,
    rows: number,
    act: number,
    mask: number,
    deltaA: number,
    deltaB: number,
    dropout: number,
    leak: number,
    weightDecay: number,
  ): number;
  clipGradients(grads: number, n: number, maxNorm: number): number;
  adamUpdate(
    params: number,
    grads: number,
    m: number,
    v: number,
    n: number,
    step: number,
    beta1: number,
    beta2: number,
    epsHat: number,
  ): void;
  sgdUpdate(params: number, grads: number, vel: number, n: number, lr: number, momentum: number): void;
  aeScoreBatch(
    desc: number,
    params: number,
    x: number,
    rows: number,
    act: number,
    leak: number,
    out: number,
    contrib: number,
  ): void;
  rbmCdStep(
    gaussian: number,
    d: number,
    h: number,
    params: number,
    velocity: number,
    v: number,
    rows: number,
    chain: number,
    k: number,
    lr: number,
    momentum: number,
    weightDecay: number,
    rng: number,
    hPos: number,
    hNeg: number,
    hSample: number,
    vNeg: number,
    grad: number,
  ): void;
  rbmFreeEnergy(
    gaussian: number,
    d: number,
    h: number,
    params: number,
    v: number,
    rows: number,
    pre: number,
    out: number,
  ): void;
  expF32Array(x: number, out: number, n: number): void;
  tanhF32Array(x: number, out: number, n: number): void;
  gatherRowsF32(src: number, idx: number, rows: number, d: number, dst: number): void;
  /** Returns 1 when every source value is finite, else 0. */
  allFiniteF64(x: number, n: number): number;
  /** Returns 1 when every source value is finite, else 0. */
  toF32Standardized(src: number, rows: number, d: number, mean: number, std: number, dst: number): number;
  mahalanobisF64(
    x: number,
    rows: number,
    d: number,
    mean: number,
    w: number,
    scratch: number,
    out: number,
  ): void;
  mahalanobisScratchBytes(d: number): number;
  comomentF64(
    x: number,
    rows: number,
    d: number,
    mean: number,
    weight: number,
    wStride: number,
    y: number,
    c: number,
  ): void;
  knnPackF32(x: number, xn: number, m: number, d: number, out: number, outN: number): void;
  knnScratchBytes(d: number, k: number): number;
  knnSelectF32(
    q: number,
    rows: number,
    x: number,
    m: number,
    d: number,
    k: number,
    excludeCopy: number,
    px: number,
    pxn: number,
    r2: number,
    scratch: number,
    outD: number,
    outI: number,
  ): void;
  kernelLogSumF64(
    q: number,
    rows: number,
    x: number,
    xn: number,
    m: number,
    d: number,
    c: number,
    excludeCopy: number,
    qn: number,
    g: number,
    mn: number,
    sm: number,
    skip: number,
    out: number,
  ): void;
  centreDistancesF64(
    x: number,
    rows: number,
    d: number,
    ct: number,
    k: number,
    kp: number,
    out: number,
  ): void;
  clusterSumsF64(
    x: number,
    rows: number,
    d: number,
    labels: number,
    w: number,
    k: number,
    sums: number,
  ): void;
  rbmReconstructionError(
    gaussian: number,
    d: number,
    h: number,
    params: number,
    v: number,
    rows: number,
    hPos: number,
    vNeg: number,
  ): number;
}

/** `(module (func (result v128) (v128.const i32x4 0 0 0 0)))`: validates only where SIMD is supported. */
const SIMD_PROBE: Uint8Array = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

const EXPORT_NAMES: readonly (keyof WasmKernelExports)[] = [
  'memory',
  'scratchEnd',
  'gemmF32',
  'gemmF64',
  'scaleMatrixF32',
  'scaleMatrixF64',
  'gemvF64',
  'cholesky',
  'invertLower',
  'solveLower',
  'solveLowerTransposed',
  'aeForward',
  'aeGradients',
  'clipGradients',
  'adamUpdate',
  'sgdUpdate',
  'aeScoreBatch',
  'rbmCdStep',
  'rbmFreeEnergy',
  'rbmReconstructionError',
  'expF32Array',
  'tanhF32Array',
  'gatherRowsF32',
  'toF32Standardized',
  'allFiniteF64',
  'mahalanobisF64',
  'mahalanobisScratchBytes',
  'comomentF64',
  'knnPackF32',
  'knnScratchBytes',
  'knnSelectF32',
  'kernelLogSumF64',
  'centreDistancesF64',
  'clusterSumsF64',
];

/**
 * Whether this runtime has WebAssembly with the fixed-width SIMD proposal, decided by validating a
 * 43-byte module that returns a `v128` constant.
 *
 * @example
 * ```ts
 * if (wasmSimdSupported()) console.log('WebAssembly SIMD kernels available');
 * ```
 */
export function wasmSimdSupported(): boolean {
  try {
    return wasmApi()?.validate(SIMD_PROBE) === true;
  } catch {
    return false;
  }
}

let bytesCache: Uint8Array | undefined;

/**
 * The compiled kernel module's bytes, decoded once from the embedded base64 text.
 *
 * @example
 * ```ts
 * wasmKernelBytes().length; // a few kilobytes
 * ```
 */
export function wasmKernelBytes(): Uint8Array {
  bytesCache ??= decodeBase64(WASM_BASE64);
  return bytesCache;
}

function checkExports(ex: Record<string, unknown>): WasmKernelExports {
  for (const name of EXPORT_NAMES) {
    if (ex[name] === undefined) throw new Error(`wasm kernels: export ${name} is missing`);
  }
  return ex as unknown as WasmKernelExports;
}

/**
 * Compiles and instantiates the embedded kernel module synchronously and returns a fresh instance's
 * exports (each call makes a new instance with its own memory), or `undefined` when WebAssembly SIMD is
 * unavailable or synchronous compilation is refused (browsers limit it on the main thread; use
 * {@link instantiateWasmKernelsAsync} there).
 *
 * @example
 * ```ts
 * const ex = instantiateWasmKernels();
 * ex?.scratchEnd();
 * ```
 */
export function instantiateWasmKernels(): WasmKernelExports | undefined {
  const api = wasmApi();
  if (api === undefined || !wasmSimdSupported()) return undefined;
  try {
    const module = wasmKernelModule();
    if (module === undefined) return undefined;
    return checkExports(new api.Instance(module, {}).exports);
  } catch {
    return undefined;
  }
}

/** The compiled kernel module, compiled once per thread or received from another thread. */
let compiledModule: object | undefined;

/**
 * The compiled kernel module (a `WebAssembly.Module`), compiling it on first use; `undefined` where
 * WebAssembly SIMD is unavailable or synchronous compilation is refused. A module can be posted to worker
 * threads, which then skip compiling it and share the engine's optimised code for it (see
 * {@link useWasmKernelModule}).
 *
 * @example
 * ```ts
 * new Worker(url, { workerData: { wasmModule: wasmKernelModule() } });
 * ```
 */
export function wasmKernelModule(): object | undefined {
  if (compiledModule !== undefined) return compiledModule;
  const api = wasmApi();
  if (api === undefined || !wasmSimdSupported()) return undefined;
  try {
    compiledModule = new api.Module(wasmKernelBytes());
  } catch {
    return undefined;
  }
  return compiledModule;
}

/**
 * Installs a kernel module compiled by another thread (what {@link wasmKernelModule} returned there and
 * was posted here), so that this thread's runtime instantiates it instead of compiling the embedded bytes
 * again; the engine shares the module's optimised code between threads, so a new worker starts with the
 * code the calling thread has already optimised. Only takes effect before this thread's runtime exists;
 * returns whether it did.
 *
 * @example
 * ```ts
 * useWasmKernelModule(workerData.wasmModule);
 * ```
 */
export function useWasmKernelModule(module: unknown): boolean {
  const api = wasmApi();
  if (compiledModule !== undefined || api === undefined || module === null || typeof module !== 'object') {
    return false;
  }
  if (!(module instanceof (api.Module as unknown as new (...args: never[]) => object))) return false;
  compiledModule = module;
  return true;
}

/**
 * Asynchronous version of {@link instantiateWasmKernels}, usable on a browser's main thread.
 *
 * @example
 * ```ts
 * const ex = await instantiateWasmKernelsAsync();
 * ```
 */
export async function instantiateWasmKernelsAsync(): Promise<WasmKernelExports | undefined> {
  const api = wasmApi();
  if (api === undefined || !wasmSimdSupported()) return undefined;
  try {
    const module = await api.compile(wasmKernelBytes());
    return checkExports((await api.instantiate(module, {})).exports);
  } catch {
    return undefined;
  }
}
