import { copyRows } from '../copyRows.js';
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
 * The training rows of a fit, and the minibatch gather over them. Up to `limit` values (default
 * {@link WASM_RESIDENT_ROWS_MAX_FLOATS}) the rows are copied into WebAssembly memory once, an epoch's
 * shuffled order is written in once (and checked), and each step's `gatherRowsF32` copies its rows into a
 * contiguous block without leaving WebAssembly — no JavaScript work per row or per step. Larger training
 * sets stay in JavaScript memory (the caller must not change them during the fit) and each gather copies
 * its rows in with {@link copyRows}. Shared by the autoencoder and RBM sessions, so that both take either
 * path with the same calls.
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
  /** Largest training set (values) copied into WebAssembly memory. */
  readonly limit: number;
  private readonly rt: WasmRuntime;
  /** The epoch's order (i32 row numbers): resident, or (rows kept in JavaScript) a JavaScript copy. */
  private order: WasmF32Buffer | null = null;
  private jsOrder: Int32Array | null = null;
  private orderLength = 0;
  /** The rows: resident, or kept in JavaScript when there are more than `limit` values. */
  private data: WasmF32Buffer | null = null;
  private jsData: Float32Array | null = null;
  private count = 0;

  constructor(d: number, runtime: WasmRuntime, limit: number = WASM_RESIDENT_ROWS_MAX_FLOATS) {
    this.d = d;
    this.rt = runtime;
    this.limit = limit;
  }

  /** Number of rows set. */
  get rows(): number {
    return this.count;
  }

  /** Whether the rows were copied into WebAssembly memory (false: kept in JavaScript). */
  get resident(): boolean {
    return this.data !== null;
  }

  /**
   * Takes `rows` rows of `data`, replacing earlier ones and forgetting the order: copied into WebAssembly
   * memory (`rows × d × 4` bytes until dispose) up to `limit` values, else referenced where they are.
   */
  set(data: Float32Array, rows: number, api: string): void {
    if (!Number.isInteger(rows) || rows < 0 || rows * this.d > data.length) {
      throw new RangeError(
        `${api}: rows must be an integer in 0…${Math.floor(data.length / this.d)} (got ${rows})`,
      );
    }
    this.release();
    const n = rows * this.d;
    if (n <= this.limit) {
      const buf = new WasmF32Buffer(n, this.rt);
      buf.view().set(data.subarray(0, n));
      this.data = buf;
    } else {
      this.jsData = data.subarray(0, n);
    }
    this.count = rows;
  }

  /**
   * Copies an order of row numbers in (each must name a row that was set), replacing the earlier one;
   * later gathers read their rows from it.
   */
  setOrder(order: Int32Array, api: string): void {
    for (let r = 0; r < order.length; r++) {
      const i = order[r] as number;
      if (!(i >= 0 && i < this.count)) {
        throw new RangeError(`${api}: row ${i} is outside the resident data (0…${this.count - 1})`);
      }
    }
    if (this.data === null) {
      this.jsOrder = Int32Array.from(order);
    } else {
      if (this.order === null || this.order.length < order.length) {
        this.order?.dispose();
        this.order = null;
        this.order = new WasmF32Buffer(order.length, this.rt);
      }
      new Int32Array(this.rt.heap.memory.buffer, this.order.ptr, order.length).set(order);
    }
    this.orderLength = order.length;
  }

  /** Copies the rows `order[from … from + rows)` (of {@link ResidentRows.setOrder}) to byte address `dst`. */
  gather(from: number, rows: number, dst: number, api: string): void {
    this.requireData(api);
    if (this.order === null && this.jsOrder === null)
      throw new Error(`${api}: no order (call setOrder first)`);
    if (!(rows >= 1 && from >= 0 && from + rows <= this.orderLength)) {
      throw new RangeError(
        `${api}: rows ${from}…${from + rows - 1} are outside the order (0…${this.orderLength - 1})`,
      );
    }
    if (this.data !== null && this.order !== null) {
      this.rt.exports.gatherRowsF32(this.data.ptr, this.order.ptr + 4 * from, rows, this.d, dst);
    } else {
      copyRows(
        this.jsData as Float32Array,
        this.d,
        this.jsOrder as Int32Array,
        from,
        rows,
        this.rt.heap.f32(),
        dst >> 2,
      );
    }
  }

  /**
   * Copies the rows `order[from … from + rows)` of a caller's order to byte address `dst`, for callers
   * whose order lives elsewhere and changes under them (a parallel trainer's shared, reshuffled order): the
   * row numbers are written in (and checked) per call rather than once per epoch.
   */
  gatherFrom(order: Int32Array, from: number, rows: number, dst: number, api: string): void {
    this.requireData(api);
    for (let r = from; r < from + rows; r++) {
      const i = order[r] as number;
      if (!(i >= 0 && i < this.count)) {
        throw new RangeError(`${api}: row ${i} is outside the resident data (0…${this.count - 1})`);
      }
    }
    if (this.data === null) {
      copyRows(this.jsData as Float32Array, this.d, order, from, rows, this.rt.heap.f32(), dst >> 2);
      return;
    }
    if (this.order === null || this.order.length < rows) {
      this.order?.dispose();
      this.order = null;
      this.order = new WasmF32Buffer(rows, this.rt);
    }
    new Int32Array(this.rt.heap.memory.buffer, this.order.ptr, rows).set(order.subarray(from, from + rows));
    this.orderLength = 0; // the buffer now holds this call's row numbers, not an epoch's order
    this.rt.exports.gatherRowsF32(this.data.ptr, this.order.ptr, rows, this.d, dst);
  }

  /**
   * Byte address of the first `rows` rows: the resident copy, or (rows kept in JavaScript) `scratch`, a
   * block of at least `rows × d` Float32 values they are copied into.
   */
  firstRows(rows: number, scratch: number, api: string): number {
    this.requireData(api);
    if (this.data !== null) return this.data.ptr;
    this.rt.heap.f32().set((this.jsData as Float32Array).subarray(0, rows * this.d), scratch >> 2);
    return scratch;
  }

  private requireData(api: string): void {
    if (this.data === null && this.jsData === null)
      throw new Error(`${api}: no resident data (call setData first)`);
  }

  private release(): void {
    this.data?.dispose();
    this.data = null;
    this.jsData = null;
    this.jsOrder = null;
    this.count = 0;
    this.orderLength = 0;
  }

  /** Releases the rows and the order. Calling it twice is harmless. */
  dispose(): void {
    this.release();
    this.order?.dispose();
    this.order = null;
  }
}
