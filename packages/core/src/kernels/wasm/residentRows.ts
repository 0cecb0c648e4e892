import { WasmF32Buffer } from './buffers.js';
import type { WasmRuntime } from './runtime.js';

/**
 * Training rows kept in WebAssembly memory for a whole fit, and the minibatch gather over them: the row
 * numbers of a shuffled order are written in, checked, and `gatherRowsF32` copies the rows into a
 * contiguous block without leaving WebAssembly. Shared by the resident autoencoder and RBM sessions.
 *
 * @example
 * ```ts
 * const rows = new ResidentRows(64, 256, requireWasmRuntime());
 * rows.set(data, n, 'MySession.setData');
 * rows.gather(order, b0, 256, inputPtr, 'MySession.gather');
 * rows.dispose();
 * ```
 */
export class ResidentRows {
  /** Values per row. */
  readonly d: number;
  /** Largest number of rows one gather may copy. */
  readonly capacity: number;
  private readonly rt: WasmRuntime;
  private readonly idx: WasmF32Buffer;
  private data: WasmF32Buffer | null = null;
  private count = 0;

  constructor(d: number, capacity: number, runtime: WasmRuntime) {
    this.d = d;
    this.capacity = capacity;
    this.rt = runtime;
    this.idx = new WasmF32Buffer(capacity, runtime); // i32 row numbers
  }

  /** Number of resident rows. */
  get rows(): number {
    return this.count;
  }

  /** Byte address of the resident rows; throws naming `api` when none were set. */
  ptr(api: string): number {
    if (this.data === null) throw new Error(`${api}: no resident data (call setData first)`);
    return this.data.ptr;
  }

  /** Copies `rows` rows of `data` in, replacing earlier ones (`rows × d × 4` bytes until dispose). */
  set(data: Float32Array, rows: number, api: string): void {
    if (!Number.isInteger(rows) || rows < 0 || rows * this.d > data.length) {
      throw new RangeError(
        `${api}: rows must be an integer in 0…${Math.floor(data.length / this.d)} (got ${rows})`,
      );
    }
    this.data?.dispose();
    this.data = null;
    const buf = new WasmF32Buffer(rows * this.d, this.rt);
    buf.view().set(data.subarray(0, rows * this.d));
    this.data = buf;
    this.count = rows;
  }

  /** Copies the resident rows `order[from … from + rows)` to the block at byte address `dst`. */
  gather(order: Int32Array, from: number, rows: number, dst: number, api: string): void {
    const src = this.ptr(api);
    if (rows < 1 || rows > this.capacity || from < 0 || from + rows > order.length) {
      throw new RangeError(
        `${api}: rows must be in 1…${this.capacity} within the order (got ${rows} at ${from})`,
      );
    }
    const ix = new Int32Array(this.rt.heap.memory.buffer, this.idx.ptr, rows);
    ix.set(order.subarray(from, from + rows));
    for (let r = 0; r < rows; r++) {
      const i = ix[r] as number;
      if (!(i >= 0 && i < this.count)) {
        throw new RangeError(`${api}: row ${i} is outside the resident data (0…${this.count - 1})`);
      }
    }
    this.rt.exports.gatherRowsF32(src, this.idx.ptr, rows, this.d, dst);
  }

  /** Releases the rows and the index buffer. Calling it twice is harmless. */
  dispose(): void {
    this.data?.dispose();
    this.data = null;
    this.count = 0;
    this.idx.dispose();
  }
}
