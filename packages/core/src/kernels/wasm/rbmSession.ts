import type { WasmF32Buffer, WasmF64Buffer } from './buffers.js';
import { ResidentSession } from './residentSession.js';
import { requireWasmRuntime, type WasmRuntime } from './runtime.js';

/**
 * A restricted Boltzmann machine whose parameters, velocities, persistent chain, generator state and
 * scratch stay resident in WebAssembly memory: for a whole fit (with the training rows resident too, so
 * that minibatches are gathered without leaving WebAssembly), or for repeated scoring. Same arithmetic
 * and the same random draws as {@link wasmRbmCdStep}, {@link wasmRbmFreeEnergy} and
 * {@link wasmRbmReconstructionError}, which copy everything in and out on every call.
 *
 * Parameter layout as in the energies package's RBM kernels: `W` (`d × h`), then `b` (`d`), then `c` (`h`).
 * Copy the state out with {@link WasmRbmSession.readState}, and release the memory with
 * {@link WasmRbmSession.dispose} (a FinalizationRegistry frees it if the session is collected first).
 *
 * @example
 * ```ts
 * const s = new WasmRbmSession(64, 32, 100, { training: true, persistent: true });
 * s.writeState(params, velocity, chain, rngState);
 * s.setData(rows, n);
 * s.setOrder(order); // once per epoch
 * s.step(false, 0, 100, 1, 0.1, 0, 0);
 * s.readState(params, velocity, chain, rngState);
 * s.dispose();
 * ```
 */
export class WasmRbmSession extends ResidentSession {
  /** Visible units. */
  readonly d: number;
  /** Hidden units. */
  readonly h: number;
  private readonly params: WasmF32Buffer;
  private readonly velocity: WasmF32Buffer;
  private readonly chain: WasmF32Buffer;
  private readonly rng: WasmF32Buffer;
  private readonly v: WasmF32Buffer;
  private readonly hPos: WasmF32Buffer;
  private readonly hNeg: WasmF32Buffer;
  private readonly hSample: WasmF32Buffer;
  private readonly vNeg: WasmF32Buffer;
  private readonly grad: WasmF32Buffer;
  private readonly out: WasmF64Buffer;
  private readonly persistent: boolean;

  /**
   * @param d - visible units
   * @param h - hidden units
   * @param capacity - largest number of rows per call
   * @param options - `training` allocates the training buffers (velocities, gradient, negative phase);
   *   `residentRowsLimit`: the largest training set (values) copied into WebAssembly memory (default
   *   `WASM_RESIDENT_ROWS_MAX_FLOATS`; larger ones are gathered from JavaScript memory);
   *   `persistent` keeps a persistent chain of `capacity × h` hidden states (persistent CD)
   * @param runtime - the WebAssembly runtime (default: the shared one)
   */
  constructor(
    d: number,
    h: number,
    capacity: number,
    options: {
      readonly training?: boolean;
      readonly persistent?: boolean;
      readonly residentRowsLimit?: number;
    } = {},
    runtime: WasmRuntime = requireWasmRuntime(),
  ) {
    for (const [name, v] of [
      ['d', d],
      ['h', h],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(`WasmRbmSession: ${name} must be a positive integer (got ${String(v)})`);
      }
    }
    super('WasmRbmSession', d, capacity, runtime, options.residentRowsLimit);
    this.d = d;
    this.h = h;
    const training = options.training === true;
    this.persistent = training && options.persistent === true;
    const t = (n: number): number => (training ? n : 0);
    const f32 = (n: number): WasmF32Buffer => this.f32(n);
    const np = d * h + d + h;
    this.params = f32(np);
    this.velocity = f32(t(np));
    this.chain = f32(this.persistent ? capacity * h : 0);
    this.rng = f32(16); // four xoshiro128** streams, 16 u32 words
    this.v = f32(capacity * d);
    this.hPos = f32(capacity * h); // also the pre-activations of scoring
    this.hNeg = f32(t(capacity * h));
    this.hSample = f32(t(capacity * h));
    this.vNeg = f32(capacity * d);
    this.grad = f32(t(np));
    this.out = this.f64(capacity);
  }

  private get np(): number {
    return this.d * this.h + this.d + this.h;
  }

  /**
   * Copies the parameters in (and, for training, the velocities, the persistent chain and the
   * generator state: 16 words, four xoshiro128** streams as `seedXoshiro` of the energies package makes).
   */
  writeState(
    params: Float32Array,
    velocity: Float32Array | null = null,
    chain: Float32Array | null = null,
    rng: Uint32Array | null = null,
  ): void {
    const np = this.np;
    this.params.view().set(params.subarray(0, np));
    if (velocity !== null) this.velocity.view().set(velocity.subarray(0, np));
    if (chain !== null && this.persistent) {
      this.chain.view().set(chain.subarray(0, Math.min(chain.length, this.capacity * this.h)));
    }
    if (rng !== null) {
      if (rng.length < 16) {
        throw new RangeError(
          `WasmRbmSession.writeState: the generator state must have 16 words (got ${rng.length})`,
        );
      }
      new Uint32Array(this.rt.heap.memory.buffer, this.rng.ptr, 16).set(rng.subarray(0, 16));
    }
  }

  /**
   * Copies the resident state out into the arrays given (those that are not null; a chain shorter than
   * the session's receives its first rows).
   */
  readState(
    params: Float32Array,
    velocity: Float32Array | null = null,
    chain: Float32Array | null = null,
    rng: Uint32Array | null = null,
  ): void {
    params.set(this.params.view());
    if (velocity !== null) velocity.set(this.velocity.view());
    if (chain !== null && this.persistent) {
      chain.set(this.chain.view().subarray(0, Math.min(chain.length, this.capacity * this.h)));
    }
    if (rng !== null) rng.set(new Uint32Array(this.rt.heap.memory.buffer, this.rng.ptr, 16));
  }

  /**
   * One contrastive-divergence update (CD-k, or persistent CD when the session was created
   * `persistent`) on the resident data rows `order[from … from + rows)` of {@link WasmRbmSession.setOrder},
   * with momentum and weight decay: the arithmetic and the draws of `rbmCdStep`.
   */
  step(
    gaussian: boolean,
    from: number,
    rows: number,
    k: number,
    lr: number,
    momentum: number,
    weightDecay: number,
  ): void {
    if (this.grad.length === 0)
      throw new Error('WasmRbmSession.step: this session was created for scoring only');
    if (rows > this.capacity) {
      throw new RangeError(`WasmRbmSession.step: rows must be at most ${this.capacity} (got ${rows})`);
    }
    this.rows.gather(from, rows, this.v.ptr, 'WasmRbmSession.step');
    const ex = this.rt.exports;
    ex.rbmCdStep(
      gaussian ? 1 : 0,
      this.d,
      this.h,
      this.params.ptr,
      this.velocity.ptr,
      this.v.ptr,
      rows,
      this.persistent ? this.chain.ptr : 0,
      k,
      lr,
      momentum,
      weightDecay,
      this.rng.ptr,
      this.hPos.ptr,
      this.hNeg.ptr,
      this.hSample.ptr,
      this.vNeg.ptr,
      this.grad.ptr,
    );
  }

  /**
   * Σ (v − E[v | E[h | v]])² over the first `rows` resident data rows (at most `capacity`), as
   * `rbmReconstructionError` computes it.
   */
  reconstructionError(gaussian: boolean, rows: number): number {
    this.checkRows('reconstructionError', rows, Math.min(this.capacity, this.rows.rows));
    // the resident rows, or (rows kept in JavaScript) a copy of the first ones in the minibatch buffer
    const data = this.rows.firstRows(rows, this.v.ptr, 'WasmRbmSession.reconstructionError');
    return this.rt.exports.rbmReconstructionError(
      gaussian ? 1 : 0,
      this.d,
      this.h,
      this.params.ptr,
      data,
      rows,
      this.hPos.ptr,
      this.vNeg.ptr,
    );
  }

  /**
   * Free energies of `rows` Float64 rows `src[off …]` (at most `capacity`) into `out[outOff …]`: the rows
   * are copied in, standardised and rounded to Float32 inside WebAssembly (as `toFloat32` of the energies
   * package does), then scored as `rbmFreeEnergy` does.
   */
  freeEnergyF64(
    gaussian: boolean,
    src: Float64Array,
    off: number,
    rows: number,
    out: Float64Array,
    outOff: number,
  ): void {
    this.checkRows('freeEnergyF64', rows);
    this.scaler.toF32(src, off, rows, this.v.ptr);
    const ex = this.rt.exports;
    ex.rbmFreeEnergy(
      gaussian ? 1 : 0,
      this.d,
      this.h,
      this.params.ptr,
      this.v.ptr,
      rows,
      this.hPos.ptr,
      this.out.ptr,
    );
    out.set(this.out.view().subarray(0, rows), outOff);
  }
}
