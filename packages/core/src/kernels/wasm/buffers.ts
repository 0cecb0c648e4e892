import type { WasmHeap } from './heap.js';
import { requireWasmRuntime, type WasmRuntime } from './runtime.js';

interface Held {
  heap: WasmHeap;
  ptr: number;
}

/** Safety net: a buffer that is garbage-collected without dispose() returns its memory. */
const registry: FinalizationRegistry<Held> = new FinalizationRegistry<Held>((h) => h.heap.free(h.ptr));

/**
 * Common part of the resident buffers: a block of the kernel runtime's WebAssembly memory that stays
 * there between kernel calls. Release it with `dispose()`; a FinalizationRegistry frees it if the
 * handle is collected first.
 *
 * @example
 * ```ts
 * const buf = new WasmF64Buffer(4);
 * buf.dispose();
 * ```
 */
export abstract class WasmBuffer {
  /** Number of elements. */
  readonly length: number;
  /** The runtime whose memory holds the buffer. */
  readonly runtime: WasmRuntime;
  private address: number;

  protected constructor(length: number, bytesPerElement: number, runtime: WasmRuntime) {
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(`WasmBuffer: length must be a non-negative integer (got ${String(length)})`);
    }
    this.length = length;
    this.runtime = runtime;
    this.address = runtime.heap.alloc(length * bytesPerElement);
    registry.register(this, { heap: runtime.heap, ptr: this.address }, this);
  }

  /** Byte address in the WebAssembly memory; throws after dispose(). */
  get ptr(): number {
    if (this.address < 0) throw new Error('WasmBuffer: used after dispose()');
    return this.address;
  }

  /** Whether dispose() has been called. */
  get disposed(): boolean {
    return this.address < 0;
  }

  /** Returns the memory to the heap; further use throws. Calling it twice is harmless. */
  dispose(): void {
    if (this.address < 0) return;
    registry.unregister(this);
    this.runtime.heap.free(this.address);
    this.address = -1;
  }
}

/**
 * A Float32 buffer resident in WebAssembly memory, for the fused kernels that keep model parameters
 * and activations inside the module between calls.
 *
 * @example
 * ```ts
 * const w = WasmF32Buffer.from(new Float32Array([1, 2, 3]));
 * w.view()[0]; // 1
 * w.dispose();
 * ```
 */
export class WasmF32Buffer extends WasmBuffer {
  /** Allocates `length` elements (contents unspecified until written). */
  constructor(length: number, runtime: WasmRuntime = requireWasmRuntime()) {
    super(length, 4, runtime);
  }

  /** A new buffer holding a copy of `src`. */
  static from(src: ArrayLike<number>, runtime: WasmRuntime = requireWasmRuntime()): WasmF32Buffer {
    const buf = new WasmF32Buffer(src.length, runtime);
    buf.view().set(src);
    return buf;
  }

  /** A live view of the buffer; re-fetch it after any allocation (memory growth detaches old views). */
  view(): Float32Array {
    const start = this.ptr >> 2;
    return this.runtime.heap.f32().subarray(start, start + this.length);
  }

  /** A copy of the contents in ordinary JavaScript memory. */
  toArray(): Float32Array {
    return this.view().slice();
  }
}

/**
 * A Float64 buffer resident in WebAssembly memory (covariance, Cholesky factors, solves).
 *
 * @example
 * ```ts
 * const x = WasmF64Buffer.from([1, 2]);
 * x.toArray(); // Float64Array [1, 2]
 * x.dispose();
 * ```
 */
export class WasmF64Buffer extends WasmBuffer {
  /** Allocates `length` elements (contents unspecified until written). */
  constructor(length: number, runtime: WasmRuntime = requireWasmRuntime()) {
    super(length, 8, runtime);
  }

  /** A new buffer holding a copy of `src`. */
  static from(src: ArrayLike<number>, runtime: WasmRuntime = requireWasmRuntime()): WasmF64Buffer {
    const buf = new WasmF64Buffer(src.length, runtime);
    buf.view().set(src);
    return buf;
  }

  /** A live view of the buffer; re-fetch it after any allocation (memory growth detaches old views). */
  view(): Float64Array {
    const start = this.ptr >> 3;
    return this.runtime.heap.f64().subarray(start, start + this.length);
  }

  /** A copy of the contents in ordinary JavaScript memory. */
  toArray(): Float64Array {
    return this.view().slice();
  }
}
