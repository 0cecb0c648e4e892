import { WasmF64Buffer } from './buffers.js';
import type { WasmRuntime } from './runtime.js';

/**
 * Float64 rows turned into Float32 model inputs inside WebAssembly, with an optional column
 * standardisation `(x − mean_j) / std_j` kept resident (`toF32Standardized`: the arithmetic of `toFloat32`
 * in the energies package, so both backends feed their models identical inputs). Shared by the resident
 * autoencoder and RBM scorers.
 *
 * @example
 * ```ts
 * const scaler = new ResidentScaler(d, 1024, requireWasmRuntime());
 * scaler.setStandardization(mean, std, 'MyScorer.setStandardization');
 * scaler.toF32(rowsF64, 0, 1024, inputPtr);
 * scaler.dispose();
 * ```
 */
export class ResidentScaler {
  /** Values per row. */
  readonly d: number;
  /** Largest number of rows per conversion. */
  readonly capacity: number;
  private readonly rt: WasmRuntime;
  private mean: WasmF64Buffer | null = null;
  private std: WasmF64Buffer | null = null;
  private x64: WasmF64Buffer | null = null;

  constructor(d: number, capacity: number, runtime: WasmRuntime) {
    this.d = d;
    this.capacity = capacity;
    this.rt = runtime;
  }

  /** Sets (or, with nulls, clears) the column means and standard deviations. */
  setStandardization(mean: Float64Array | null, std: Float64Array | null, api: string): void {
    this.mean?.dispose();
    this.std?.dispose();
    this.mean = null;
    this.std = null;
    if (mean === null || std === null) return;
    if (mean.length !== this.d || std.length !== this.d) {
      throw new RangeError(
        `${api}: expected ${this.d} means and deviations (got ${mean.length} and ${std.length})`,
      );
    }
    this.mean = new WasmF64Buffer(this.d, this.rt);
    this.mean.view().set(mean);
    this.std = new WasmF64Buffer(this.d, this.rt);
    this.std.view().set(std);
  }

  /**
   * Copies `rows` (≤ capacity) Float64 rows `src[off …]` in and writes them as Float32 at byte `dst`.
   * Returns whether every value read was finite (checked in the same pass).
   */
  toF32(src: Float64Array, off: number, rows: number, dst: number): boolean {
    const d = this.d;
    this.x64 ??= new WasmF64Buffer(this.capacity * d, this.rt);
    this.x64.view().set(src.subarray(off, off + rows * d));
    const finite = this.rt.exports.toF32Standardized(
      this.x64.ptr,
      rows,
      d,
      this.mean === null ? 0 : this.mean.ptr,
      this.std === null ? 0 : this.std.ptr,
      dst,
    );
    return finite === 1;
  }

  /** Releases the resident buffers. Calling it twice is harmless. */
  dispose(): void {
    this.x64?.dispose();
    this.x64 = null;
    this.setStandardization(null, null, 'ResidentScaler.dispose');
  }
}
