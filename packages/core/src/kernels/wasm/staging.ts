import type { WasmHeap } from './heap.js';

/**
 * A growable block of WebAssembly memory for kernels that copy their operands in and their results out
 * on every call. Lay the operands out with {@link StagingPlan}, then call `ensure(plan.bytes)`.
 *
 * @example
 * ```ts
 * const staging = new Staging(heap);
 * const base = staging.ensure(1024); // byte address of ≥ 1024 bytes
 * ```
 */
export class Staging {
  private ptr = -1;
  private bytes = 0;
  private readonly heap: WasmHeap;

  constructor(heap: WasmHeap) {
    this.heap = heap;
  }

  /** Byte address of a block of at least `bytes` bytes (contents unspecified); grows by doubling. */
  ensure(bytes: number): number {
    if (bytes <= this.bytes) return this.ptr;
    if (this.ptr >= 0) this.heap.free(this.ptr);
    this.bytes = Math.max(bytes, this.bytes * 2, 4096);
    this.ptr = this.heap.alloc(this.bytes);
    return this.ptr;
  }
}

/**
 * Lays out operands one after another, each starting 16-byte aligned, as byte offsets from a base.
 *
 * @example
 * ```ts
 * const plan = new StagingPlan();
 * const a = plan.take(100 * 4); // 0
 * const b = plan.take(8);       // 400
 * ```
 */
export class StagingPlan {
  /** Total bytes laid out so far. */
  bytes = 0;

  /** Reserves `n` bytes and returns their offset. */
  take(n: number): number {
    const at = this.bytes;
    this.bytes += Math.ceil(n / 16) * 16;
    return at;
  }
}

/**
 * A staging block owned by one kernel module, created on first use from the runtime's heap (each module
 * keeps its own, so two kernels never write into each other's block).
 */
export function stagingSlot(): (rt: { readonly heap: WasmHeap }) => Staging {
  let staging: Staging | undefined;
  return (rt) => {
    staging ??= new Staging(rt.heap);
    return staging;
  };
}

/**
 * Rows of width `d` to copy into WebAssembly memory per kernel call: about `values` values, a multiple of
 * `multiple` (a kernel's row block), between `min` and `max` rows.
 */
export function chunkRows(d: number, values: number, min: number, max: number, multiple = 1): number {
  return Math.max(min, Math.min(max, Math.floor(values / Math.max(d, 1) / multiple) * multiple));
}
