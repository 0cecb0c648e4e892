import { WasmF32Buffer } from './buffers.js';
import type { WasmRuntime } from './runtime.js';

/**
 * Largest training set (in Float32 values: 256 MiB) that the resident sessions copy into WebAssembly
 * memory. Larger ones stay in JavaScript memory and each minibatch is copied in (WebAssembly memory is
 * limited to 4 GiB and never shrinks, and the copy would double the fit's footprint).
 *
 * @example
 * ```ts
 * if (n * d <= WASM_RESIDENT_ROWS_MAX_FLOATS) session.setData(rows, n);
 * ```
 */
export const WASM_RESIDENT_ROWS_MAX_FLOATS: number = 64 * 1024 * 1024;

/**
 * Training rows kept in WebAssembly memory for a whole fit, and the minibatch gather over them: an
 * epoch's shuffled order is written in once (and checked), then each step's `gatherRowsF32` copies its
 * rows into a contiguous block without leaving WebAssembly — no JavaScript work per row or per step.
 * Shared by the resident autoencoder and RBM sessions.
 *
 * @example
 * ```ts
 * const rows = new ResidentRows(64, requireWasmRuntime());
 * rows.set(data, n, 'MySession.setData');
 * rows.setOrder(order, 'MySession.setOrder'); // once per epoch
 * rows.gather(b0, 256, inputPtr, 'MySession.gather');
 * rows.dispose();
 * ```
 */
export class ResidentRows {
  /** Values per row. */
  readonly d: number;
  private readonly rt: WasmRuntime;
  /** The epoch's order (i32 row numbers), resident. */
  private order: WasmF32Buffer | null = null;
  private orderLength = 0;
  private data: WasmF32Buffer | null = null;
  private count = 0;

  constructor(d: number, runtime: WasmRuntime) {
    this.d = d;
    this.rt = runtime;
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

  /**
   * Copies `rows` rows of `data` in, replacing earlier ones (`rows × d × 4` bytes until dispose) and
   * forgetting the order.
   */
  set(data: Float32Array, rows: number, api: string): void {
    this.orderLength = 0;
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

  /**
   * Copies an order of row numbers in (each must name a resident row), replacing the earlier one; later
   * gathers read their rows from it.
   */
  setOrder(order: Int32Array, api: string): void {
    for (let r = 0; r < order.length; r++) {
      const i = order[r] as number;
      if (!(i >= 0 && i < this.count)) {
        throw new RangeError(`${api}: row ${i} is outside the resident data (0…${this.count - 1})`);
      }
    }
    if (this.order === null || this.order.length < order.length) {
      this.order?.dispose();
      this.order = null;
      this.order = new WasmF32Buffer(order.length, this.rt);
    }
    new Int32Array(this.rt.heap.memory.buffer, this.order.ptr, order.length).set(order);
    this.orderLength = order.length;
  }

  /** Copies the resident rows `order[from … from + rows)` (of {@link ResidentRows.setOrder}) to byte `dst`. */
  gather(from: number, rows: number, dst: number, api: string): void {
    const src = this.ptr(api);
    if (this.order === null) throw new Error(`${api}: no order (call setOrder first)`);
    if (!(rows >= 1 && from >= 0 && from + rows <= this.orderLength)) {
      throw new RangeError(
        `${api}: rows ${from}…${from + rows - 1} are outside the order (0…${this.orderLength - 1})`,
      );
    }
    this.rt.exports.gatherRowsF32(src, this.order.ptr + 4 * from, rows, this.d, dst);
  }

  /** Releases the rows and the order. Calling it twice is harmless. */
  dispose(): void {
    this.data?.dispose();
    this.data = null;
    this.count = 0;
    this.order?.dispose();
    this.order = null;
    this.orderLength = 0;
  }
}
