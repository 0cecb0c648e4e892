import type { WasmRuntime } from './runtime.js';

/**
 * The reference rows of the neighbour kernels, copied into WebAssembly memory once and reused while the
 * same arrays come back: a model scoring batch after batch against its training rows pays the copy once.
 * The cache is keyed on the identity of the `x` and `xn` arrays and on m and d, so **callers must not
 * change a reference array between calls** (the energies pass their private training rows, which never
 * change after fit). One reference is kept at a time; {@link releaseResidentReference} frees it.
 */
interface Cached {
  x: Float64Array;
  xn: Float64Array;
  m: number;
  d: number;
  ptr: number;
  rt: WasmRuntime;
}

let cached: Cached | undefined;

/**
 * Byte addresses of the reference rows and their squared norms inside WebAssembly memory (copied on the
 * first call with these arrays).
 *
 * @example
 * ```ts
 * const { px, pxn } = residentReference(rt, x, xn, m, d);
 * ```
 */
export function residentReference(
  rt: WasmRuntime,
  x: Float64Array,
  xn: Float64Array,
  m: number,
  d: number,
): { px: number; pxn: number } {
  const rows = 8 * m * d;
  if (
    cached === undefined ||
    cached.rt !== rt ||
    cached.x !== x ||
    cached.xn !== xn ||
    cached.m !== m ||
    cached.d !== d
  ) {
    releaseResidentReference();
    const bytes = Math.ceil(rows / 16) * 16 + 8 * m;
    const ptr = rt.heap.alloc(Math.max(16, bytes));
    const f64 = rt.heap.f64();
    f64.set(x.subarray(0, m * d), ptr >> 3);
    f64.set(xn.subarray(0, m), (ptr + Math.ceil(rows / 16) * 16) >> 3);
    cached = { x, xn, m, d, ptr, rt };
  }
  return { px: cached.ptr, pxn: cached.ptr + Math.ceil(rows / 16) * 16 };
}

/**
 * Frees the cached reference rows (the next neighbour kernel call copies its reference again).
 *
 * @example
 * ```ts
 * releaseResidentReference();
 * ```
 */
export function releaseResidentReference(): void {
  if (cached !== undefined) cached.rt.heap.free(cached.ptr);
  cached = undefined;
}
