import type { WasmMemory } from './wasmApi.js';

const PAGE = 65536;
const ALIGN = 16;

/** One free block of the heap: `[ptr, ptr + size)`. */
interface Block {
  ptr: number;
  size: number;
}

/**
 * An explicit allocator for one WebAssembly memory: first-fit over an address-ordered free list with
 * coalescing, 16-byte alignment (so `v128` loads are aligned), and `memory.grow` when no free block
 * fits. Freed space is reused, so repeated allocate/release cycles of the same sizes do not grow the
 * memory. Views of the memory are refreshed automatically after it grows.
 *
 * @example
 * ```ts
 * const heap = new WasmHeap(new (wasmApi()!.Memory)({ initial: 1 }), 0);
 * const p = heap.alloc(64);
 * heap.f32().fill(1, p >> 2, (p >> 2) + 16);
 * heap.free(p);
 * ```
 */
export class WasmHeap {
  /** The memory this heap manages. */
  readonly memory: WasmMemory;
  /** First byte the heap may hand out. */
  readonly base: number;
  private top: number;
  private readonly freeList: Block[] = [];
  private readonly sizes: Map<number, number> = new Map();
  private inUse = 0;
  private viewF32: Float32Array;
  private viewF64: Float64Array;

  /**
   * @param memory the memory to manage (grown on demand).
   * @param base first byte to hand out (rounded up to 16); everything below belongs to someone else.
   */
  constructor(memory: WasmMemory, base: number) {
    this.memory = memory;
    this.base = Math.ceil(base / ALIGN) * ALIGN;
    this.top = this.base;
    this.viewF32 = new Float32Array(memory.buffer);
    this.viewF64 = new Float64Array(memory.buffer);
  }

  /** Bytes currently allocated (rounded up to the alignment). */
  get bytesInUse(): number {
    return this.inUse;
  }

  /** Current size of the underlying memory in bytes. */
  get bytesReserved(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Allocates `bytes` (at least 1; rounded up to 16) and returns the byte address. Contents are not
   * cleared. Throws a RangeError when the memory cannot grow any more.
   */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const list = this.freeList;
    for (let i = 0; i < list.length; i++) {
      const blk = list[i] as Block;
      if (blk.size < size) continue;
      const ptr = blk.ptr;
      if (blk.size === size) list.splice(i, 1);
      else {
        blk.ptr += size;
        blk.size -= size;
      }
      return this.track(ptr, size);
    }
    const ptr = this.top;
    const end = ptr + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      try {
        this.memory.grow(pages);
      } catch (e) {
        throw new RangeError(`wasm heap: cannot grow memory by ${pages} pages (${String(e)})`);
      }
    }
    this.top = end;
    return this.track(ptr, size);
  }

  /** Releases a block returned by {@link WasmHeap.alloc}; releasing an unknown address throws. */
  free(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) throw new RangeError(`wasm heap: ${ptr} is not an allocated block`);
    this.sizes.delete(ptr);
    this.inUse -= size;
    const list = this.freeList;
    // Insert in address order, then merge with the neighbours.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] as Block).ptr < ptr) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, { ptr, size });
    const next = list[lo + 1];
    const cur = list[lo] as Block;
    if (next !== undefined && cur.ptr + cur.size === next.ptr) {
      cur.size += next.size;
      list.splice(lo + 1, 1);
    }
    const prev = lo > 0 ? list[lo - 1] : undefined;
    if (prev !== undefined && prev.ptr + prev.size === cur.ptr) {
      prev.size += cur.size;
      list.splice(lo, 1);
    }
    // A free block that ends at the top is given back to the bump region.
    const last = list[list.length - 1];
    if (last !== undefined && last.ptr + last.size === this.top) {
      this.top = last.ptr;
      list.pop();
    }
  }

  /** A Float32Array over the whole memory (re-created after the memory grows). */
  f32(): Float32Array {
    if (this.viewF32.buffer !== this.memory.buffer) this.viewF32 = new Float32Array(this.memory.buffer);
    return this.viewF32;
  }

  /** A Float64Array over the whole memory (re-created after the memory grows). */
  f64(): Float64Array {
    if (this.viewF64.buffer !== this.memory.buffer) this.viewF64 = new Float64Array(this.memory.buffer);
    return this.viewF64;
  }

  private track(ptr: number, size: number): number {
    this.sizes.set(ptr, size);
    this.inUse += size;
    return ptr;
  }
}
