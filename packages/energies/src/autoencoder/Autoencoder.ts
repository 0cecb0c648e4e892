import {
  BaseEnergyModel,
  type FitContext,
  Matrix,
  type ModelJSON,
  message,
  ValueError,
} from '@nexus/ebm-core';
import {
  checkOptionsObject,
  type ParamDeclaration,
  readFloat32Array,
  readFloat64Array,
  readIntArray,
  readObject,
  setBrand,
} from '@nexus/ebm-core/extend';
import { copyRows } from '@nexus/ebm-core/kernels';
import { WASM_RESIDENT_ROWS_MAX_FLOATS, WasmAeSession } from '@nexus/ebm-core/wasm';
import { columnStats, toFloat32 } from '../trainingRows/standardize.js';
import { AUTOENCODER_PARAMS, type AutoencoderOptions, type AutoencoderParams } from './autoencoderParams.js';
import { AeSchedule, divergedError, EarlyStopping, planAutoencoder, stepHyper } from './schedule.js';

export { defaultHiddenSizes } from './schedule.js';

import {
  type AeLayout,
  type AeStepHyper,
  type AeWorkspace,
  aeLayout,
  aeWorkspace,
  getAutoencoderKernels,
  wasmAutoencoderKernels,
} from './kernels.js';

interface AeState {
  readonly layout: AeLayout;
  readonly params: Float32Array;
  /** Column means and standard deviations (null when not standardising). */
  readonly mean: Float64Array | null;
  readonly std: Float64Array | null;
  /** Scoring scratch, allocated on first use. */
  scratch: { ws: AeWorkspace; x: Float32Array } | null;
  /**
   * With the WebAssembly kernels: a scoring-only session holding the parameters and standardisation in
   * WebAssembly memory, created on first use and released by {@link Autoencoder.dispose} (or by the
   * buffers' FinalizationRegistry when the model is collected).
   */
  wasmScorer?: WasmAeSession | null;
}

const SCORE_CHUNK = 256;
/** Rows per call of the resident WebAssembly scorer. */
const WASM_SCORE_CHUNK = 1024;

/** The hyperparameters, as checked by the constructor (see {@link AUTOENCODER_PARAMS}). */
export interface Autoencoder extends AutoencoderParams {}

/**
 * A multilayer-perceptron autoencoder whose energy is the per-sample **mean** squared reconstruction error
 * `E(x) = (1/d) Σ_j (x_j − x̂_j)²` (in standard units when `standardize` is on, the default). Rows that the
 * network, trained on normal data, cannot reconstruct get high energies.
 *
 * Contributions are the per-feature terms `(x_j − x̂_j)² / d` — the squared errors divided by d — so a row of
 * contributions sums exactly (in column order, bit for bit) to the energy.
 *
 * Training runs in 32-bit floats on the kernels of {@link getAutoencoderKernels}: minibatches, Adam (default)
 * or SGD with momentum, L2 weight decay, optional input noise (denoising) and dropout, gradient-norm
 * clipping, and a validation split with early stopping that restores the best weights. Progress (loss,
 * validation loss, samples/s) is reported after every epoch. Every random choice (initialisation, split,
 * shuffling, noise, dropout) comes from the fit's seed, so the same seed and kernel backend give
 * bit-identical energies. With the WebAssembly kernels (the default where WebAssembly SIMD is available),
 * the parameters and optimiser state stay resident in WebAssembly memory for the whole fit.
 *
 * Persistence kind: `"autoencoder"`.
 *
 * @example
 * ```ts
 * const ae = new Autoencoder({ hiddenSizes: [16, 4], epochs: 30, seed: 7 });
 * ae.fit(train, { onProgress: (p) => console.log(p.epoch, p.loss, p.valLoss) });
 * const energies = ae.energy(test);
 * const why = ae.contributions(test); // rows sum to energies
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor assigns every parameter (Object.assign)
export class Autoencoder extends BaseEnergyModel<AeState> {
  static {
    setBrand(Autoencoder, 'Autoencoder');
  }

  /** The hyperparameters' declaration (constraints, defaults, docs). */
  static readonly params: ParamDeclaration<AutoencoderOptions, AutoencoderParams> = AUTOENCODER_PARAMS;
  /** Persistence tag. */
  readonly kind: string = 'autoencoder';
  /** Format version of `toJSON`. */
  readonly formatVersion: number = 1;

  /** @param options - hyperparameters, checked here (a `ParameterError` names the bad one). */
  constructor(options: AutoencoderOptions = {}) {
    super(checkOptionsObject('Autoencoder', options).seed);
    Object.assign(this, AUTOENCODER_PARAMS.resolve(options));
  }

  /**
   * Layer widths of the fitted network, input first and output last (e.g. `[64, 32, 8, 32, 64]`).
   *
   * @example
   * ```ts
   * new Autoencoder().fit(X).layerSizes; // [d, ⌈d/2⌉, ⌈d/8⌉, ⌈d/2⌉, d]
   * ```
   */
  get layerSizes(): number[] {
    return Array.from(this.stateFor('layerSizes').layout.sizes);
  }

  protected fitImpl(X: Matrix, ctx: FitContext): AeState {
    const trainer = new Trainer(this, X, ctx);
    while (!trainer.epoch()) {
      /* one epoch per iteration */
    }
    return trainer.finish();
  }

  protected override async fitImplAsync(X: Matrix, ctx: FitContext): Promise<AeState> {
    const trainer = new Trainer(this, X, ctx);
    while (!trainer.epoch()) await ctx.yieldToEventLoop();
    return trainer.finish();
  }

  /**
   * Scores X; with `unchecked`, X's values have not been checked and the WebAssembly path notices a
   * non-finite one while converting the rows (then `null`; the TypeScript path returns `undefined`, asking
   * for the usual scan first).
   */
  private score(
    X: Matrix,
    state: AeState,
    contrib: Float64Array | null,
    unchecked = false,
  ): Float64Array | null | undefined {
    const { layout, params, mean, std } = state;
    const d = X.cols;
    if (state.scratch === null) {
      state.scratch = { ws: aeWorkspace(layout, SCORE_CHUNK), x: new Float32Array(SCORE_CHUNK * d) };
    }
    const { ws, x } = state.scratch;
    const out = new Float64Array(X.rows);
    const src = X.data;
    const kernels = getAutoencoderKernels();
    if (kernels === wasmAutoencoderKernels && X.rows > 0) {
      // parameters stay resident; rows are standardised and rounded to Float32 inside WebAssembly
      let scorer = state.wasmScorer ?? null;
      if (scorer === null || scorer.disposed) {
        scorer = new WasmAeSession(layout, WASM_SCORE_CHUNK, undefined, { training: false });
        scorer.writeParams(params);
        scorer.setStandardization(mean, std);
        state.wasmScorer = scorer;
      }
      for (let r0 = 0; r0 < X.rows; r0 += WASM_SCORE_CHUNK) {
        const rows = Math.min(WASM_SCORE_CHUNK, X.rows - r0);
        if (!scorer.scoreF64(src, r0 * d, rows, out, r0, contrib, r0 * d)) {
          if (unchecked) return null;
          // checked rows are finite: converting them cannot fail
          throw new Error('Autoencoder: a checked row was not finite');
        }
      }
      return out;
    }
    if (unchecked) return undefined;
    for (let r0 = 0; r0 < X.rows; r0 += SCORE_CHUNK) {
      const rows = Math.min(SCORE_CHUNK, X.rows - r0);
      toFloat32(src, r0 * d, rows, d, mean, std, x);
      kernels.scoreBatch(layout, params, x, 0, rows, ws, out, r0, contrib, r0 * d);
    }
    return out;
  }

  protected override releaseState(state: AeState): void {
    state.wasmScorer?.dispose();
    state.wasmScorer = null;
  }

  protected energyImpl(X: Matrix, state: AeState): Float64Array {
    return this.score(X, state, null) as Float64Array;
  }

  /** On the WebAssembly kernels, the finiteness check happens while the rows are converted (one pass). */
  protected override energyImplUnchecked(X: Matrix, state: AeState): Float64Array | null | undefined {
    return this.score(X, state, null, true);
  }

  protected override contributionsImpl(X: Matrix, state: AeState): Matrix {
    const c = new Matrix(X.rows, X.cols);
    this.score(X, state, c.data);
    return c;
  }

  protected configToJSON(): Record<string, unknown> {
    return AUTOENCODER_PARAMS.toJSON(this);
  }

  protected stateToJSON(state: AeState): Record<string, unknown> {
    const s: Record<string, unknown> = {
      sizes: Array.from(state.layout.sizes),
      params: Array.from(state.params),
    };
    if (state.mean !== null && state.std !== null) {
      s.mean = Array.from(state.mean);
      s.std = Array.from(state.std);
    }
    return s;
  }

  /**
   * Rebuilds a saved autoencoder (what `loadModel` calls for kind `"autoencoder"`); energies of the loaded
   * model are bit-identical to the saved one's.
   *
   * @example
   * ```ts
   * const again = Autoencoder.fromJSON(ae.toJSON());
   * ```
   */
  static fromJSON(json: ModelJSON): Autoencoder {
    const api = 'Autoencoder.fromJSON';
    const c = readObject(json as unknown as Record<string, unknown>, 'config', api);
    const model = new Autoencoder(AUTOENCODER_PARAMS.fromJSON(c, api));
    return model.restore(json, api, (s, d) => {
      const sizes = readIntArray(s, 'sizes', api, { min: 1, max: 65_536 }, 34);
      if (sizes.length < 2 || sizes[0] !== d || sizes[sizes.length - 1] !== d) {
        throw new ValueError(
          message(api, 'field "sizes" does not match nFeatures', `[${d}, …, ${d}]`, `[${sizes.join(', ')}]`),
        );
      }
      const layout = aeLayout(sizes, model.activation, model.outputActivation, model.leakySlope);
      const params = readFloat32Array(s, 'params', layout.nParams, api);
      const standardized = model.standardize;
      if (Object.hasOwn(s, 'mean') !== standardized || Object.hasOwn(s, 'std') !== standardized) {
        throw new ValueError(
          message(
            api,
            'standardisation statistics do not match the config',
            standardized ? 'fields "mean" and "std"' : 'no "mean" or "std" field',
            standardized ? 'a field missing' : 'a "mean" or "std" field',
          ),
        );
      }
      const mean = standardized ? readFloat64Array(s, 'mean', d, api) : null;
      const std = standardized ? readFloat64Array(s, 'std', d, api) : null;
      if (std?.some((v) => !(v > 0))) {
        throw new ValueError(message(api, 'field "std" must be positive', 'values > 0', 'a value ≤ 0'));
      }
      return { layout, params, mean, std, scratch: null };
    });
  }
}

/** One fit of an {@link Autoencoder}, epoch by epoch (shared by `fit` and `fitAsync`). */
class Trainer {
  private readonly model: Autoencoder;
  private readonly ctx: FitContext;
  private readonly d: number;
  private readonly data: Float32Array;
  private readonly schedule: AeSchedule;
  private readonly stopping: EarlyStopping;
  private readonly val: Float32Array | null;
  private readonly nVal: number;
  private readonly layout: AeLayout;
  /** The epoch limit (`epochs`, with `'auto'` resolved for the training rows). */
  private readonly epochs: number;
  private readonly params: Float32Array;
  private readonly grads: Float32Array;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private readonly hyper: AeStepHyper;
  private readonly ws: AeWorkspace;
  private readonly batch: number;
  private readonly xb: Float32Array;
  private readonly xn: Float32Array | null;
  private readonly valOut: Float64Array;
  private readonly mean: Float64Array | null;
  private readonly std: Float64Array | null;
  /**
   * With the WebAssembly kernels: parameters, moments and scratch resident in WebAssembly memory for the
   * whole fit (minibatches are gathered straight into its input view); `params` is refreshed from it
   * before validation and at the end, and it is disposed by `finish` or when training fails.
   */
  private session: WasmAeSession | null = null;
  private epochNo = 0;
  private step = 0;

  constructor(model: Autoencoder, X: Matrix, ctx: FitContext) {
    this.model = model;
    this.ctx = ctx;
    const n = X.rows;
    const d = X.cols;
    this.d = d;
    if (model.standardize) {
      const { mean, std } = columnStats(X.data, n, d);
      this.mean = mean;
      this.std = std;
    } else {
      this.mean = null;
      this.std = null;
    }
    this.data = new Float32Array(n * d);
    toFloat32(X.data, 0, n, d, this.mean, this.std, this.data);

    const plan = planAutoencoder(model, n, d);
    this.layout = aeLayout(plan.sizes, model.activation, model.outputActivation, model.leakySlope);
    this.epochs = plan.epochs;
    this.schedule = new AeSchedule(model, plan, this.layout, ctx.rng);
    this.stopping = new EarlyStopping(model);
    this.params = this.schedule.params;
    this.nVal = plan.nVal;
    this.val = plan.nVal > 0 ? new Float32Array(plan.nVal * d) : null;
    if (this.val !== null) copyRows(this.data, d, this.schedule.valIdx, 0, plan.nVal, this.val, 0);
    this.hyper = stepHyper(model);
    const np = this.layout.nParams;
    this.grads = new Float32Array(np);
    this.m = new Float32Array(np);
    this.v = new Float32Array(np);
    this.batch = plan.batch;
    this.ws = aeWorkspace(this.layout, Math.max(this.batch, Math.min(SCORE_CHUNK, this.nVal)));
    this.xb = new Float32Array(this.batch * d);
    this.xn = model.inputNoise > 0 ? new Float32Array(this.batch * d) : null;
    this.valOut = new Float64Array(this.nVal);
  }

  /** Runs one epoch; returns true when training is over. */
  epoch(): boolean {
    const { model, d, data, schedule, layout, params, grads, m, v, hyper, ws, xb, xn } = this;
    const kernels = getAutoencoderKernels();
    if (kernels === wasmAutoencoderKernels) return this.sessionEpoch();
    const trainIdx = schedule.trainIdx;
    const nTrain = trainIdx.length;
    this.epochNo++;
    const t0 = performance.now();
    schedule.startEpoch();
    const dropout = model.dropout > 0;
    const maskOffsets = Array.from(ws.actOff);
    let lossSum = 0;
    for (let b0 = 0; b0 < nTrain; b0 += this.batch) {
      const rows = Math.min(this.batch, nTrain - b0);
      copyRows(data, d, trainIdx, b0, rows, xb, 0);
      schedule.drawBatch(data, d, b0, rows, xn, dropout ? ws.mask : null, maskOffsets);
      this.step++;
      const loss = kernels.trainStep(
        layout,
        params,
        grads,
        m,
        v,
        hyper,
        this.step,
        xn ?? xb,
        0,
        xb,
        0,
        rows,
        ws,
        dropout,
      );
      if (!Number.isFinite(loss)) throw divergedError(this.ctx.api, this.epochNo, loss);
      lossSum += loss * rows;
    }
    return this.endEpoch(t0, lossSum);
  }

  /** {@link Trainer.epoch} on the resident {@link WasmAeSession} (same draws, same arithmetic). */
  private sessionEpoch(): boolean {
    const { model, d, data, schedule, layout, params, hyper } = this;
    let session = this.session;
    if (session === null) {
      // the library's limit on training rows kept in WebAssembly memory (larger sets are gathered from here)
      session = new WasmAeSession(layout, this.batch, undefined, {
        residentRowsLimit: WASM_RESIDENT_ROWS_MAX_FLOATS,
      });
      this.session = session; // from here on released by dispose(), also if what follows fails
      try {
        session.writeParams(params);
        session.setData(data, data.length / d);
      } catch (e) {
        this.dispose();
        throw e;
      }
    }
    const trainIdx = schedule.trainIdx;
    const nTrain = trainIdx.length;
    this.epochNo++;
    const t0 = performance.now();
    schedule.startEpoch();
    session.setOrder(trainIdx);
    const dropout = model.dropout > 0;
    const noise = model.inputNoise > 0;
    // the session's masks: hidden layer l's rows start at capacity × (sizes[1] + … + sizes[l])
    const maskOffsets: number[] = [];
    for (let l = 1, o = 0; l < layout.sizes.length - 1; l++) {
      maskOffsets.push(o);
      o += session.capacity * (layout.sizes[l] as number);
    }
    let lossSum = 0;
    try {
      for (let b0 = 0; b0 < nTrain; b0 += this.batch) {
        const rows = Math.min(this.batch, nTrain - b0);
        session.gather(b0, rows, noise);
        // views fetched per step: they follow WebAssembly memory if it grows
        const noisy = noise ? session.inputView() : null;
        schedule.drawBatch(data, d, b0, rows, noisy, dropout ? session.maskView() : null, maskOffsets);
        this.step++;
        const loss = session.step(hyper, this.step, rows, dropout, noise);
        if (!Number.isFinite(loss)) throw divergedError(this.ctx.api, this.epochNo, loss);
        lossSum += loss * rows;
      }
      session.readParams(params);
    } catch (e) {
      this.dispose();
      throw e;
    }
    return this.endEpoch(t0, lossSum);
  }

  /** Releases the resident session, if any. */
  private dispose(): void {
    this.session?.dispose();
    this.session = null;
  }

  /** Validation, early stopping and the progress report that close an epoch; true when training is over. */
  private endEpoch(t0: number, lossSum: number): boolean {
    const { ctx, params } = this;
    const nTrain = this.schedule.trainIdx.length;
    const seconds = (performance.now() - t0) / 1000;
    const loss = lossSum / nTrain;
    let done = this.epochNo >= this.epochs;
    let valLoss: number | undefined;
    if (this.val !== null) {
      valLoss = this.validationLoss();
      if (this.stopping.update(valLoss, params)) done = true;
    }
    const progress: {
      epoch: number;
      epochs: number;
      loss: number;
      samplesPerSecond: number;
      valLoss?: number;
    } = {
      epoch: this.epochNo,
      epochs: this.epochs,
      loss,
      samplesPerSecond: seconds > 0 ? nTrain / seconds : Number.POSITIVE_INFINITY,
    };
    if (valLoss !== undefined) progress.valLoss = valLoss;
    ctx.report(progress);
    return done;
  }

  private validationLoss(): number {
    const { val, nVal, d, layout, params, ws, valOut } = this;
    if (val === null) return 0;
    const kernels = getAutoencoderKernels();
    const chunk = ws.capacity;
    for (let r0 = 0; r0 < nVal; r0 += chunk) {
      const rows = Math.min(chunk, nVal - r0);
      kernels.scoreBatch(layout, params, val, r0 * d, rows, ws, valOut, r0, null, 0);
    }
    let s = 0;
    for (let i = 0; i < nVal; i++) s += valOut[i] as number;
    return s / nVal;
  }

  finish(): AeState {
    this.dispose();
    this.stopping.restore(this.params);
    return { layout: this.layout, params: this.params, mean: this.mean, std: this.std, scratch: null };
  }
}
