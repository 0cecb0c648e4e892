import {
  BaseEnergyModel,
  type FitContext,
  type Matrix,
  type ModelJSON,
  message,
  ParameterError,
  ValueError,
} from '@nexus/ebm-core';
import {
  checkOptionsObject,
  type ParamDeclaration,
  readFloat32Array,
  readFloat64Array,
  readInt,
  readObject,
} from '@nexus/ebm-core/extend';
import { copyRows } from '@nexus/ebm-core/kernels';
import { WASM_RESIDENT_ROWS_MAX_FLOATS, WasmRbmSession } from '@nexus/ebm-core/wasm';
import { toFloat32 } from '../trainingRows/standardize.js';
import { checkBernoulliRange } from './checkBernoulliRange.js';
import { getRbmKernels, type RbmWorkspace, rbmPackedSize, rbmWorkspace, wasmRbmKernels } from './kernels.js';
import { RBM_PARAMS, type RBMOptions, type RBMParams } from './rbmParams.js';
import {
  planRbm,
  type RbmPlan,
  type RbmRows,
  RbmSchedule,
  rbmRows,
  reconstructionDivergedError,
} from './schedule.js';

interface RbmState {
  readonly h: number;
  /** W (d×H), b (d), c (H) in one vector. */
  readonly params: Float32Array;
  readonly mean: Float64Array | null;
  readonly std: Float64Array | null;
  scratch: { x: Float32Array; packed: Float64Array } | null;
  /**
   * With the WebAssembly kernels: a scoring-only session holding the parameters and standardisation in
   * WebAssembly memory, created on first use and released by `dispose()` (or by the buffers'
   * FinalizationRegistry when the model is collected).
   */
  wasmScorer?: WasmRbmSession | null;
}

const SCORE_CHUNK = 256;
/** Rows per call of the resident WebAssembly scorer. */
const WASM_SCORE_CHUNK = 1024;

/** The hyperparameters, as checked by the constructor (see {@link RBM_PARAMS}). */
export interface RBM extends RBMParams {}

/**
 * A restricted Boltzmann machine whose energy is the exact free energy
 * `F(v) = −log Σ_h e^(−E(v, h))` (higher = less probable = more anomalous).
 *
 * - `visible: 'bernoulli'` (default): binary or [0, 1] inputs; `F(v) = −bᵀv − Σ_j softplus(c_j + (vᵀW)_j)`.
 *   A value outside [0, 1] in `fit` or `energy` is a `ValueError` naming the row and column.
 * - `visible: 'gaussian'`: unit-variance Gaussian visible units for real-valued inputs, standardised with the
 *   training mean and standard deviation (by default); `F(z) = ½‖z − b‖² − Σ_j softplus(c_j + (zᵀW)_j)` for
 *   the standardised row z.
 *
 * Trained in 32-bit floats by persistent contrastive divergence (default) or CD-k, with momentum, weight
 * decay and seeded sampling; the same seed gives bit-identical energies. Progress reports the mean squared
 * error of the mean-field reconstruction of (up to) the first 1024 rows after every epoch. There is no exact
 * per-feature split of F (`hasContributions` is false).
 *
 * Persistence kind: `"rbm"`.
 *
 * @example
 * ```ts
 * const rbm = new RBM({ nHidden: 32, epochs: 10, seed: 1 });
 * rbm.fit(binaryRows);
 * const energies = rbm.energy(binaryRows); // free energies
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor assigns every parameter (Object.assign)
export class RBM extends BaseEnergyModel<RbmState> {
  /** The hyperparameters' declaration (constraints, defaults, docs). */
  static readonly params: ParamDeclaration<RBMOptions, RBMParams> = RBM_PARAMS;
  /** Persistence tag. */
  readonly kind: string = 'rbm';
  /** Format version of `toJSON`. */
  readonly formatVersion: number = 1;

  /** @param options - hyperparameters, checked here (a `ParameterError` names the bad one). */
  constructor(options: RBMOptions = {}) {
    const api = 'RBM';
    super(checkOptionsObject(api, options).seed);
    const p = RBM_PARAMS.resolve(options);
    if (p.standardize && p.visible !== 'gaussian') {
      throw new ParameterError(
        message(
          api,
          'standardize is only available with Gaussian visible units',
          "visible: 'gaussian' or standardize: false",
          'standardize: true with Bernoulli units',
        ),
      );
    }
    Object.assign(this, p);
  }

  /**
   * Number of hidden units of the fitted model.
   *
   * @example
   * ```ts
   * new RBM().fit(X).hiddenUnits; // min(128, max(8, d))
   * ```
   */
  get hiddenUnits(): number {
    return this.stateFor('hiddenUnits').h;
  }

  protected fitImpl(X: Matrix, ctx: FitContext): RbmState {
    const trainer = new RbmTrainer(this, X, ctx);
    while (!trainer.epoch()) {
      /* one epoch per iteration */
    }
    return trainer.state();
  }

  protected override async fitImplAsync(X: Matrix, ctx: FitContext): Promise<RbmState> {
    const trainer = new RbmTrainer(this, X, ctx);
    while (!trainer.epoch()) await ctx.yieldToEventLoop();
    return trainer.state();
  }

  protected energyImpl(X: Matrix, state: RbmState): Float64Array {
    checkRange(X, this.visible, `${this.apiName}.energy`);
    const d = X.cols;
    const { h, params, mean, std } = state;
    if (state.scratch === null) {
      state.scratch = { x: new Float32Array(SCORE_CHUNK * d), packed: new Float64Array(rbmPackedSize(d, h)) };
    }
    const { x, packed } = state.scratch;
    const out = new Float64Array(X.rows);
    const kernels = getRbmKernels();
    const gaussian = this.visible === 'gaussian';
    if (kernels === wasmRbmKernels && X.rows > 0) {
      // parameters stay resident; rows are standardised and rounded to Float32 inside WebAssembly
      let scorer = state.wasmScorer ?? null;
      if (scorer === null || scorer.disposed) {
        scorer = new WasmRbmSession(d, h, WASM_SCORE_CHUNK);
        scorer.writeState(params);
        scorer.setStandardization(mean, std);
        state.wasmScorer = scorer;
      }
      for (let r0 = 0; r0 < X.rows; r0 += WASM_SCORE_CHUNK) {
        const rows = Math.min(WASM_SCORE_CHUNK, X.rows - r0);
        scorer.freeEnergyF64(gaussian, X.data, r0 * d, rows, out, r0);
      }
    } else {
      for (let r0 = 0; r0 < X.rows; r0 += SCORE_CHUNK) {
        const rows = Math.min(SCORE_CHUNK, X.rows - r0);
        toFloat32(X.data, r0 * d, rows, d, mean, std, x);
        kernels.freeEnergy(gaussian, d, h, params, x, 0, rows, packed, out, r0);
      }
    }
    return out;
  }

  protected override releaseState(state: RbmState): void {
    state.wasmScorer?.dispose();
    state.wasmScorer = null;
  }

  protected configToJSON(): Record<string, unknown> {
    return RBM_PARAMS.toJSON(this);
  }

  protected stateToJSON(state: RbmState): Record<string, unknown> {
    const s: Record<string, unknown> = { nHidden: state.h, params: Array.from(state.params) };
    if (state.mean !== null && state.std !== null) {
      s.mean = Array.from(state.mean);
      s.std = Array.from(state.std);
    }
    return s;
  }

  /**
   * Rebuilds a saved RBM (what `loadModel` calls for kind `"rbm"`); energies of the loaded model are
   * bit-identical to the saved one's.
   *
   * @example
   * ```ts
   * const again = RBM.fromJSON(rbm.toJSON());
   * ```
   */
  static fromJSON(json: ModelJSON): RBM {
    const api = 'RBM.fromJSON';
    const c = readObject(json as unknown as Record<string, unknown>, 'config', api);
    const model = new RBM(RBM_PARAMS.fromJSON(c, api));
    return model.restore(json, api, (s, d) => {
      const h = readInt(s, 'nHidden', api, { min: 1, max: 65_536 });
      const params = readFloat32Array(s, 'params', d * h + d + h, api);
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
      return { h, params, mean, std, scratch: null };
    });
  }
}

/** Throws a `ValueError` naming the first value outside [0, 1] when the visible units are Bernoulli. */
function checkRange(X: Matrix, visible: 'bernoulli' | 'gaussian', api: string): void {
  if (visible === 'bernoulli') checkBernoulliRange(X, api);
}

/** One fit of an {@link RBM}, epoch by epoch (shared by `fit` and `fitAsync`). */
class RbmTrainer {
  private readonly model: RBM;
  private readonly ctx: FitContext;
  private readonly d: number;
  private readonly n: number;
  private readonly plan: RbmPlan;
  private readonly rows: RbmRows;
  private readonly schedule: RbmSchedule;
  private readonly velocity: Float32Array;
  private readonly chain: Float32Array | null;
  private readonly rngState: Uint32Array;
  private readonly ws: RbmWorkspace;
  private readonly xb: Float32Array;
  private epochNo = 0;
  /** With the WebAssembly kernels: the resident training session (see `sessionEpoch`). */
  private session: WasmRbmSession | null = null;

  constructor(model: RBM, X: Matrix, ctx: FitContext) {
    checkRange(X, model.visible, ctx.api);
    this.model = model;
    this.ctx = ctx;
    const n = X.rows;
    const d = X.cols;
    this.n = n;
    this.d = d;
    const plan = planRbm(model, n, d);
    this.plan = plan;
    this.rows = rbmRows(X.data, n, d, model.standardize);
    this.schedule = new RbmSchedule(model, plan, this.rows, ctx.rng);
    this.rngState = this.schedule.samplers[0] as Uint32Array;
    this.velocity = new Float32Array(this.schedule.params.length);
    this.chain = model.method === 'pcd' ? new Float32Array(plan.batch * plan.h) : null;
    this.ws = rbmWorkspace(d, plan.h, plan.capacity);
    this.xb = new Float32Array(plan.batch * d);
  }

  /** Runs one epoch; returns true when training is over. */
  epoch(): boolean {
    if (getRbmKernels() === wasmRbmKernels) return this.sessionEpoch();
    const { model, d, n, schedule, velocity, chain, rngState, ws, xb } = this;
    const { h, batch, monitorRows } = this.plan;
    const { order, params } = schedule;
    const data = this.rows.data;
    const kernels = getRbmKernels();
    const gaussian = model.visible === 'gaussian';
    this.epochNo++;
    const t0 = performance.now();
    schedule.startEpoch();
    for (let b0 = 0; b0 < n; b0 += batch) {
      const rows = Math.min(batch, n - b0);
      copyRows(data, d, order, b0, rows, xb, 0);
      kernels.cdStep(
        gaussian,
        d,
        h,
        params,
        velocity,
        xb,
        0,
        rows,
        chain,
        model.k,
        model.learningRate,
        model.momentum,
        model.weightDecay,
        rngState,
        ws,
      );
    }
    const seconds = (performance.now() - t0) / 1000;
    const sse = kernels.reconstructionError(gaussian, d, h, params, data, 0, monitorRows, ws);
    return this.endEpoch(seconds, sse / (monitorRows * d));
  }

  /**
   * {@link RbmTrainer.epoch} on a {@link WasmRbmSession}: parameters, velocities, chain, generator state
   * and the training rows resident in WebAssembly memory for the whole fit (minibatches gathered there);
   * the same shuffles, draws and arithmetic as the per-call WebAssembly kernels. The state is copied out
   * at the end of every epoch; the session is released when training ends or fails.
   */
  private sessionEpoch(): boolean {
    const { model, d, n, plan, schedule, velocity, chain, rngState } = this;
    const { order, params } = schedule;
    const gaussian = model.visible === 'gaussian';
    let session = this.session;
    try {
      if (session === null) {
        session = new WasmRbmSession(d, plan.h, plan.capacity, {
          training: true,
          persistent: chain !== null,
          // the library's limit on rows kept in WebAssembly memory (larger sets are gathered from here)
          residentRowsLimit: WASM_RESIDENT_ROWS_MAX_FLOATS,
        });
        this.session = session;
        session.writeState(params, velocity, chain, rngState);
        session.setData(this.rows.data, n);
      }
      this.epochNo++;
      const t0 = performance.now();
      schedule.startEpoch();
      session.setOrder(order);
      for (let b0 = 0; b0 < n; b0 += plan.batch) {
        const rows = Math.min(plan.batch, n - b0);
        session.step(gaussian, b0, rows, model.k, model.learningRate, model.momentum, model.weightDecay);
      }
      const seconds = (performance.now() - t0) / 1000;
      session.readState(params, velocity, chain, rngState);
      const sse = session.reconstructionError(gaussian, plan.monitorRows);
      const done = this.endEpoch(seconds, sse / (plan.monitorRows * d));
      if (done) this.release();
      return done;
    } catch (e) {
      this.release();
      throw e;
    }
  }

  /** Releases the resident session, if any. */
  private release(): void {
    this.session?.dispose();
    this.session = null;
  }

  /** The divergence check and progress report that close an epoch; true when training is over. */
  private endEpoch(seconds: number, loss: number): boolean {
    const { model, ctx, n } = this;
    if (!Number.isFinite(loss)) throw reconstructionDivergedError(ctx.api, this.epochNo, loss);
    ctx.report({
      epoch: this.epochNo,
      epochs: model.epochs,
      loss,
      samplesPerSecond: seconds > 0 ? n / seconds : Number.POSITIVE_INFINITY,
    });
    return this.epochNo >= model.epochs;
  }

  state(): RbmState {
    const { mean, std } = this.rows;
    return { h: this.plan.h, params: this.schedule.params, mean, std, scratch: null };
  }
}
