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
  /** The f32 panels of the neighbour search (made on first use; see {@link residentPackedF32}). */
  packed?: { ptr: number; px: number; pxn: number; r2: number };
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
  if (cached !== undefined) {
    cached.rt.heap.free(cached.ptr);
    if (cached.packed !== undefined) cached.rt.heap.free(cached.packed.ptr);
  }
  cached = undefined;
}

/**
 * The resident reference rows (as {@link residentReference}) plus their single-precision copy packed for
 * the k-nearest-neighbour search — panels of 8 rows, depth-major, and the squared norms as f32 (made once
 * per reference, 4·m·d bytes) — and `r2`, the largest squared norm.
 *
 * @example
 * ```ts
 * const { px, pxn, ppx, ppxn, r2 } = residentPackedF32(rt, x, xn, m, d);
 * ```
 */
export function residentPackedF32(
  rt: WasmRuntime,
  x: Float64Array,
  xn: Float64Array,
  m: number,
  d: number,
): { px: number; pxn: number; ppx: number; ppxn: number; r2: number } {
  const { px, pxn } = residentReference(rt, x, xn, m, d);
  const c = cached as Cached;
  if (c.packed === undefined) {
    const panels = Math.ceil(m / 8);
    const bytes = panels * 32 * d;
    const ptr = rt.heap.alloc(Math.max(16, bytes + panels * 32));
    rt.exports.knnPackF32(px, pxn, m, d, ptr, ptr + bytes);
    let r2 = 0;
    for (let j = 0; j < m; j++) {
      const v = xn[j] as number;
      // NaN makes the whole reference take the exact f64 path
      r2 = v > r2 || Number.isNaN(v) ? v : r2;
      if (Number.isNaN(r2)) break;
    }
    c.packed = { ptr, px: ptr, pxn: ptr + bytes, r2 };
  }
  return { px, pxn, ppx: c.packed.px, ppxn: c.packed.pxn, r2: c.packed.r2 };
}
