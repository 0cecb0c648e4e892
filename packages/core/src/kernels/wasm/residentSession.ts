import { WasmF32Buffer, WasmF64Buffer } from './buffers.js';
import { ResidentRows } from './residentRows.js';
import { ResidentScaler } from './residentScaler.js';
import type { WasmRuntime } from './runtime.js';

/**
 * What the resident sessions ({@link WasmAeSession}, {@link WasmRbmSession}) share: the buffers they
 * allocate in WebAssembly memory (released together by {@link ResidentSession.dispose}), the training rows
 * and their per-epoch order ({@link ResidentRows}), the Float64 → Float32 standardisation of scoring
 * ({@link ResidentScaler}), and the check of a call's row count against the session's capacity. Error
 * messages name the concrete session (`WasmAeSession.setData: …`).
 *
 * @example
 * ```ts
 * class MySession extends ResidentSession {
 *   private readonly x = this.f32(this.capacity * 8);
 *   constructor() { super('MySession', 8, 256, requireWasmRuntime()); }
 * }
 * ```
 */
export abstract class ResidentSession {
  /** Largest number of rows a step or a scoring call may use. */
  readonly capacity: number;
  protected readonly rt: WasmRuntime;
  /** The training rows and their gather. */
  protected readonly rows: ResidentRows;
  /** Float64 → Float32 conversion with standardisation, for scoring Float64 rows. */
  protected readonly scaler: ResidentScaler;
  private readonly buffers: (WasmF32Buffer | WasmF64Buffer)[] = [];

  /**
   * @param name - the concrete session's name, for error messages
   * @param d - values per input row
   * @param capacity - largest number of rows per call (a positive integer)
   * @param runtime - the WebAssembly runtime
   * @param residentRowsLimit - the largest training set (values) copied into WebAssembly memory
   */
  protected constructor(
    protected readonly name: string,
    d: number,
    capacity: number,
    runtime: WasmRuntime,
    residentRowsLimit?: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`${name}: capacity must be a positive integer (got ${String(capacity)})`);
    }
    this.capacity = capacity;
    this.rt = runtime;
    this.rows = new ResidentRows(d, runtime, residentRowsLimit);
    this.scaler = new ResidentScaler(d, capacity, runtime);
  }

  /** A Float32 buffer of `n` values, released with the session. */
  protected f32(n: number): WasmF32Buffer {
    const b = new WasmF32Buffer(n, this.rt);
    this.buffers.push(b);
    return b;
  }

  /** A Float64 buffer of `n` values, released with the session. */
  protected f64(n: number): WasmF64Buffer {
    const b = new WasmF64Buffer(n, this.rt);
    this.buffers.push(b);
    return b;
  }

  /** Throws a `RangeError` unless `1 ≤ rows ≤ max` (default: the capacity). */
  protected checkRows(method: string, rows: number, max: number = this.capacity): void {
    if (rows < 1 || rows > max) {
      throw new RangeError(`${this.name}.${method}: rows must be in 1…${max} (got ${rows})`);
    }
  }

  /**
   * Takes `rows` training rows (Float32, row-major), replacing any earlier ones: copied into resident
   * memory until {@link ResidentSession.dispose}, or, above the session's `residentRowsLimit`, kept in
   * JavaScript memory (do not change them during the fit) and copied in minibatch by minibatch.
   */
  setData(data: Float32Array, rows: number): void {
    this.rows.set(data, rows, `${this.name}.setData`);
  }

  /** Sets the order (resident row numbers) that minibatches are gathered in, e.g. once per epoch. */
  setOrder(order: Int32Array): void {
    this.rows.setOrder(order, `${this.name}.setOrder`);
  }

  /**
   * Sets (or, with nulls, clears) the column standardisation applied to Float64 rows before scoring:
   * `(x − mean_j) / std_j`, computed as `toFloat32` of the energies package does.
   */
  setStandardization(mean: Float64Array | null, std: Float64Array | null): void {
    this.scaler.setStandardization(mean, std, `${this.name}.setStandardization`);
  }

  /** Whether {@link ResidentSession.dispose} has been called. */
  get disposed(): boolean {
    return this.buffers[0]?.disposed ?? false;
  }

  /** Releases all resident memory; later calls throw. Calling it twice is harmless. */
  dispose(): void {
    for (const b of this.buffers) b.dispose();
    this.rows.dispose();
    this.scaler.dispose();
  }
}
