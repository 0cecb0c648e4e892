import { type WasmAeHyper, type WasmAeLayout, writeDesc } from './autoencoder.js';
import type { WasmF32Buffer } from './buffers.js';
import { ResidentSession } from './residentSession.js';
import { requireWasmRuntime, type WasmRuntime } from './runtime.js';

/**
 * An autoencoder whose parameters, optimiser moments, gradients and activations stay resident in
 * WebAssembly memory for a whole fit: nothing is copied per step except the minibatch, which the caller
 * writes straight into {@link WasmAeSession.inputView} (and, for denoising, the clean rows into
 * {@link WasmAeSession.targetView}). Copy the parameters out once with {@link WasmAeSession.readParams}
 * (e.g. for `toJSON`), and release the memory with {@link WasmAeSession.dispose} (a FinalizationRegistry
 * frees it if the session is collected first). Same arithmetic as {@link wasmAeTrainStep}.
 *
 * The dropout mask uses the layout of the energies package's `AeWorkspace`: layer l's `rows × sizes[l+1]`
 * values start at `capacity × (sizes[1] + … + sizes[l])`.
 *
 * @example
 * ```ts
 * const s = new WasmAeSession(layout, 256);
 * s.writeParams(initialParams);
 * s.inputView().set(batch);              // rows × d
 * const loss = s.step(hyper, 1, rows, false, false);
 * const params = s.readParams();
 * s.dispose();
 * ```
 */
export class WasmAeSession extends ResidentSession {
  /** The network description. */
  readonly layout: WasmAeLayout;
  private readonly desc: WasmF32Buffer;
  private readonly params: WasmF32Buffer;
  private readonly grads: WasmF32Buffer;
  private readonly m: WasmF32Buffer;
  private readonly v: WasmF32Buffer;
  private readonly x: WasmF32Buffer;
  private readonly target: WasmF32Buffer;
  private readonly act: WasmF32Buffer;
  private readonly mask: WasmF32Buffer;
  private readonly deltaA: WasmF32Buffer;
  private readonly deltaB: WasmF32Buffer;
  private readonly energies: WasmF32Buffer;
  private readonly contrib: WasmF32Buffer;
  /** Whether the session holds the training buffers (gradients, moments, masks, deltas). */
  readonly training: boolean;

  /**
   * @param layout - the network
   * @param capacity - largest number of rows per step or scoring call
   * @param runtime - the WebAssembly runtime (default: the shared one)
   * @param options - `residentRowsLimit`: the largest training set (values) {@link WasmAeSession.setData}
   *   copies into WebAssembly memory (default `WASM_RESIDENT_ROWS_MAX_FLOATS`; larger ones are gathered
   *   from JavaScript memory); `training: false` allocates only what scoring needs (no gradients, optimiser
   *   moments, dropout masks or deltas); {@link WasmAeSession.step} then throws
   */
  constructor(
    layout: WasmAeLayout,
    capacity: number,
    runtime: WasmRuntime = requireWasmRuntime(),
    options: { readonly training?: boolean; readonly residentRowsLimit?: number } = {},
  ) {
    super('WasmAeSession', layout.sizes[0] as number, capacity, runtime, options.residentRowsLimit);
    this.layout = layout;
    const L = layout.sizes.length - 1;
    const d0 = layout.sizes[0] as number;
    const dL = layout.sizes[L] as number;
    let nAct = 0;
    let widest = 0;
    for (let l = 0; l <= L; l++) widest = Math.max(widest, layout.sizes[l] as number);
    for (let l = 1; l <= L; l++) nAct += capacity * (layout.sizes[l] as number);
    const np = layout.nParams;
    const alloc = (n: number): WasmF32Buffer => this.f32(n);
    const training = options.training !== false;
    this.training = training;
    const t = (n: number): number => (training ? n : 0);
    this.desc = alloc(1 + (L + 1) + 4 * L);
    this.params = alloc(np);
    this.grads = alloc(t(np));
    this.m = alloc(t(np));
    this.v = alloc(t(np));
    this.x = alloc(capacity * d0);
    this.target = alloc(t(capacity * dL));
    this.act = alloc(nAct);
    this.mask = alloc(t(nAct));
    this.deltaA = alloc(t(capacity * widest));
    this.deltaB = alloc(t(capacity * widest));
    this.energies = alloc(2 * capacity); // Float64 values
    this.contrib = alloc(2 * capacity * dL); // Float64 values
    writeDesc(runtime, this.desc.ptr, layout, capacity);
    this.resetOptimizer();
  }

  /** Copies `src` (nParams values) into the resident parameters. */
  writeParams(src: Float32Array): void {
    this.params.view().set(src.subarray(0, this.layout.nParams));
  }

  /** Copies the resident parameters out (into `out` when given). */
  readParams(out: Float32Array = new Float32Array(this.layout.nParams)): Float32Array {
    out.set(this.params.view());
    return out;
  }

  /**
   * Gathers the resident data rows `order[from … from + rows)` of {@link WasmAeSession.setOrder} into the
   * input rows (or, when `toTarget`, into the target rows, for denoising: the caller then writes the noisy
   * copy into the input).
   */
  gather(from: number, rows: number, toTarget: boolean): void {
    if (rows > this.capacity) {
      throw new RangeError(`WasmAeSession.gather: rows must be at most ${this.capacity} (got ${rows})`);
    }
    this.rows.gather(from, rows, toTarget ? this.target.ptr : this.x.ptr, 'WasmAeSession.gather');
  }

  /**
   * Gathers the rows `order[from … from + rows)` of a caller's order (e.g. a parallel trainer's shared one,
   * reshuffled under the session) into the input rows, or into the target rows when `toTarget`.
   */
  gatherFrom(order: Int32Array, from: number, rows: number, toTarget: boolean): void {
    if (rows > this.capacity) {
      throw new RangeError(`WasmAeSession.gatherFrom: rows must be at most ${this.capacity} (got ${rows})`);
    }
    this.rows.gatherFrom(
      order,
      from,
      rows,
      toTarget ? this.target.ptr : this.x.ptr,
      'WasmAeSession.gatherFrom',
    );
  }

  /** Zeroes the optimiser moments (Adam m and v, or the SGD velocity). */
  resetOptimizer(): void {
    this.m.view().fill(0);
    this.v.view().fill(0);
  }

  /** Live view of the resident input rows (capacity × sizes[0]); re-fetch after other allocations. */
  inputView(): Float32Array {
    return this.x.view();
  }

  /** Live view of the resident reconstruction targets (capacity × output width), used when `denoise`. */
  targetView(): Float32Array {
    return this.target.view();
  }

  /** Live view of the resident dropout masks (0 or 1/keep), in the `AeWorkspace` layout. */
  maskView(): Float32Array {
    return this.mask.view();
  }

  /**
   * One training step on the first `rows` resident input rows (reconstructing the target rows when
   * `denoise`, else the input itself): gradients, optional clipping, Adam or SGD at step `t`. Returns
   * the minibatch loss before the update.
   */
  step(hyper: WasmAeHyper, t: number, rows: number, dropout: boolean, denoise: boolean): number {
    const loss = this.computeGradients('step', rows, dropout, denoise, hyper.weightDecay);
    const ex = this.rt.exports;
    const P = this.params.ptr;
    const G = this.grads.ptr;
    const np = this.layout.nParams;
    if (hyper.clipNorm > 0) ex.clipGradients(G, np, hyper.clipNorm);
    if (hyper.optimizer === 'adam') {
      const bc1 = 1 - hyper.beta1 ** t;
      const bc2 = 1 - hyper.beta2 ** t;
      const stepSize = (hyper.learningRate * Math.sqrt(bc2)) / bc1;
      ex.adamUpdate(
        P,
        G,
        this.m.ptr,
        this.v.ptr,
        np,
        stepSize,
        hyper.beta1,
        hyper.beta2,
        hyper.epsilon * Math.sqrt(bc2),
      );
    } else {
      ex.sgdUpdate(P, G, this.m.ptr, np, hyper.learningRate, hyper.momentum);
    }
    return loss;
  }

  /**
   * The gradient of the minibatch loss on the first `rows` input rows (reconstructing the target rows when
   * `denoise`), left in the resident gradient buffer ({@link WasmAeSession.readGradients}); the parameters
   * are not changed. Returns the loss. What {@link WasmAeSession.step} does before its optimiser update;
   * data-parallel trainers call it alone and reduce the gradients across threads.
   */
  gradients(rows: number, dropout: boolean, denoise: boolean, weightDecay: number): number {
    return this.computeGradients('gradients', rows, dropout, denoise, weightDecay);
  }

  private computeGradients(
    method: string,
    rows: number,
    dropout: boolean,
    denoise: boolean,
    weightDecay: number,
  ): number {
    if (!this.training) throw new Error(`${this.name}.${method}: this session was created for scoring only`);
    this.checkRows(method, rows);
    const X = this.x.ptr;
    return this.rt.exports.aeGradients(
      this.desc.ptr,
      this.params.ptr,
      this.grads.ptr,
      X,
      denoise ? this.target.ptr : X,
      rows,
      this.act.ptr,
      dropout ? this.mask.ptr : 0,
      this.deltaA.ptr,
      this.deltaB.ptr,
      dropout ? 1 : 0,
      this.layout.leak,
      weightDecay,
    );
  }

  /** Copies the resident gradient (nParams values) out into `out`. */
  readGradients(out: Float32Array): void {
    out.set(this.grads.view().subarray(0, this.layout.nParams));
  }

  /**
   * Scores the first `rows` resident input rows: per-row mean squared reconstruction error into
   * `out[outOff …]`, and the per-feature terms into `contrib[cOff …]` when given.
   */
  score(
    rows: number,
    out: Float64Array,
    outOff: number,
    contrib: Float64Array | null = null,
    cOff = 0,
  ): void {
    this.checkRows('score', rows);
    this.scoreInput(rows, out, outOff, contrib, cOff);
  }

  /** {@link WasmAeSession.score} after its row check. */
  private scoreInput(
    rows: number,
    out: Float64Array,
    outOff: number,
    contrib: Float64Array | null,
    cOff: number,
  ): void {
    const e = this.energies.ptr;
    const c = this.contrib.ptr;
    this.rt.exports.aeScoreBatch(
      this.desc.ptr,
      this.params.ptr,
      this.x.ptr,
      rows,
      this.act.ptr,
      this.layout.leak,
      e,
      contrib === null ? 0 : c,
    );
    const f64 = this.rt.heap.f64();
    out.set(f64.subarray(e >> 3, (e >> 3) + rows), outOff);
    const d = this.layout.sizes[this.layout.sizes.length - 1] as number;
    if (contrib !== null) contrib.set(f64.subarray(c >> 3, (c >> 3) + rows * d), cOff);
  }

  /**
   * Scores `rows` Float64 rows `src[off …]` (row-major, at most `capacity`): they are copied in,
   * standardised and rounded to Float32 inside WebAssembly (see
   * {@link WasmAeSession.setStandardization}), then scored as {@link WasmAeSession.score} does. Returns
   * false, without scoring, when a value of these rows is not finite (noticed while converting them: the
   * caller need not scan the rows first, only look for the offending value when this returns false).
   */
  scoreF64(
    src: Float64Array,
    off: number,
    rows: number,
    out: Float64Array,
    outOff: number,
    contrib: Float64Array | null = null,
    cOff = 0,
  ): boolean {
    this.checkRows('scoreF64', rows);
    if (!this.scaler.toF32(src, off, rows, this.x.ptr)) return false;
    this.scoreInput(rows, out, outOff, contrib, cOff);
    return true;
  }
}
