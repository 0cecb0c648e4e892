import {
  BaseEnergyModel,
  type FitContext,
  type FitOptions,
  getBackend,
  kMeans,
  Matrix,
  type MatrixLike,
  type ModelJSON,
  message,
  ParameterError,
  toMatrix,
  ValueError,
} from '@nexus/ebm-core';
import {
  checkDeclaredSize,
  checkOptionsObject,
  describeValue,
  type ParamDeclaration,
  readBoolean,
  readFloat64Array,
  readInt,
  readNumber,
} from '@nexus/ebm-core/extend';
import { logSumExp } from '@nexus/ebm-core/kernels';
import {
  BLOCK,
  HALF_LOG_2PI,
  MahalanobisScratch,
  mahalanobisBlock,
  mahalanobisDiagonal,
  precisionFactor,
} from '../gaussian/gaussianMath.js';
import {
  type GaussianMixtureOptions,
  type GaussianMixtureParams,
  MIXTURE_PARAMS,
  type MixtureCovariance,
} from './mixtureParams.js';

/**
 * Information criterion for {@link GaussianMixture.selectK}.
 */
export type MixtureCriterion = 'bic' | 'aic';

/**
 * Options of {@link GaussianMixture.selectK}.
 */
export interface SelectKOptions extends Omit<GaussianMixtureOptions, 'nComponents'> {
  /** Smallest k tried (default 1). */
  readonly kMin?: number;
  /** Largest k tried (default 8, capped at the row count). */
  readonly kMax?: number;
  /** Criterion to minimise (default `'bic'`). */
  readonly criterion?: MixtureCriterion;
}

/**
 * What {@link GaussianMixture.selectK} returns.
 */
export interface SelectKResult {
  /** The chosen number of components. */
  readonly k: number;
  /** The model fitted with that k. */
  readonly model: GaussianMixture;
  /** The criterion value of every k tried (lower is better). */
  readonly scores: readonly { readonly k: number; readonly value: number }[];
}

interface MixtureState {
  readonly k: number;
  readonly weights: Float64Array;
  /** k×d row-major. */
  readonly means: Float64Array;
  /** k·d·d (full) or k·d (diagonal variances), regularised. */
  readonly cov: Float64Array;
  /** k·d·d inverse Cholesky factors (full) or k·d inverse variances (diagonal). */
  readonly precision: Float64Array;
  /** `log w_c − ½(d·log 2π + log|Σ_c|)` per component. */
  readonly logConst: Float64Array;
  readonly converged: boolean;
  readonly nIter: number;
  /** Mean log-likelihood of the training rows at the last E-step. */
  readonly logLikelihood: number;
}

/** Mixture parameters before the derived quantities are computed. */
interface Params {
  weights: Float64Array;
  means: Float64Array;
  cov: Float64Array;
}

/** Cap on the Lloyd iterations of each initialisation's k-means start. */
const KMEANS_MAX_ITER = 30;

/** Floor added to component masses (as scikit-learn: 10·machine epsilon) so that empty components stay finite. */
const MASS_EPS = 10 * Number.EPSILON;

function derive(
  p: Params,
  k: number,
  d: number,
  type: MixtureCovariance,
  api: string,
): { precision: Float64Array; logConst: Float64Array } {
  const logConst = new Float64Array(k);
  if (type === 'diagonal') {
    const precision = new Float64Array(k * d);
    for (let c = 0; c < k; c++) {
      let logDet = 0;
      for (let j = 0; j < d; j++) {
        const v = p.cov[c * d + j] as number;
        if (!(v > 0)) {
          throw new ValueError(
            message(
              api,
              `component ${c} has zero variance in feature ${j}`,
              'positive variances (increase `regularization`)',
              `${v}`,
            ),
          );
        }
        precision[c * d + j] = 1 / v;
        logDet += Math.log(v);
      }
      logConst[c] = Math.log(p.weights[c] as number) - d * HALF_LOG_2PI - 0.5 * logDet;
    }
    return { precision, logConst };
  }
  const precision = new Float64Array(k * d * d);
  for (let c = 0; c < k; c++) {
    const { w, logDet } = precisionFactor(
      p.cov.subarray(c * d * d, (c + 1) * d * d),
      d,
      `${api} (component ${c})`,
    );
    precision.set(w, c * d * d);
    logConst[c] = Math.log(p.weights[c] as number) - d * HALF_LOG_2PI - 0.5 * logDet;
  }
  return { precision, logConst };
}

/**
 * Rows scored against every component per kernel call in the E-step and `energy` (each call copies a
 * component's d×d factor into the kernel backend's memory once, so calls cover many rows).
 */
const ROWS = 8192;

/** Scratch for scoring up to `rows` rows against all components. */
class Scratch {
  /** One component's distances, or all k components' (k × rows) when the backend scores them at once. */
  readonly m: Float64Array;
  readonly lp: Float64Array;
  constructor(k: number, rows: number) {
    this.m = new Float64Array(rows * k);
    this.lp = new Float64Array(rows * k);
  }
}

/** Per-component log densities (plus log weights) of rows r0 … r0+rows−1 into `s.lp` (rows×k): one kernel call for all components where the backend has one, else one per component. */
function logProbBlock(
  x: Float64Array,
  r0: number,
  rows: number,
  d: number,
  k: number,
  type: MixtureCovariance,
  means: Float64Array,
  precision: Float64Array,
  logConst: Float64Array,
  s: Scratch,
): void {
  const multi = type === 'diagonal' ? undefined : getBackend().mahalanobisRowsMulti;
  // the rows copied into the backend's memory once for every component, where it can
  if (multi !== undefined) multi(x, r0, rows, d, k, means, precision, s.m);
  for (let c = 0; c < k; c++) {
    if (type === 'diagonal') mahalanobisDiagonal(x, r0, rows, d, means, c * d, precision, c * d, s.m, 0);
    else if (multi === undefined)
      getBackend().mahalanobisRows(x, r0, rows, d, means, c * d, precision, c * d * d, s.m, 0);
    const lc = logConst[c] as number;
    const o = multi === undefined ? 0 : c * rows;
    for (let i = 0; i < rows; i++) s.lp[i * k + c] = lc - 0.5 * (s.m[o + i] as number);
  }
}

/** The M-step: weights, means and (regularised) covariances from responsibilities `resp` (n×k). */
function mStep(x: Matrix, resp: Float64Array, k: number, type: MixtureCovariance, reg: number): Params {
  const { rows: n, cols: d, data } = x;
  const nk = new Float64Array(k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) nk[c] = (nk[c] as number) + (resp[i * k + c] as number);
  for (let c = 0; c < k; c++) nk[c] = (nk[c] as number) + MASS_EPS;
  const weights = new Float64Array(k);
  for (let c = 0; c < k; c++) weights[c] = (nk[c] as number) / n;
  // means = respᵀ·X / nk
  const means = new Float64Array(k * d);
  getBackend().gemm(true, false, k, d, n, 1, resp, 0, k, data, 0, d, 0, means, 0, d);
  for (let c = 0; c < k; c++) {
    const inv = 1 / (nk[c] as number);
    for (let j = 0; j < d; j++) means[c * d + j] = (means[c * d + j] as number) * inv;
  }
  if (type === 'diagonal') {
    const cov = new Float64Array(k * d);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        const r = resp[i * k + c] as number;
        if (r === 0) continue;
        for (let j = 0; j < d; j++) {
          const v = (data[i * d + j] as number) - (means[c * d + j] as number);
          cov[c * d + j] = (cov[c * d + j] as number) + r * v * v;
        }
      }
    }
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) cov[c * d + j] = (cov[c * d + j] as number) / (nk[c] as number) + reg;
    }
    return { weights, means, cov };
  }
  const cov = new Float64Array(k * d * d);
  const comoment = getBackend().comoment;
  for (let c = 0; c < k; c++) {
    const off = c * d * d;
    // Σ_i r_ic (x_i − μ_c)(x_i − μ_c)ᵀ: the responsibilities of component c are column c of resp.
    comoment(data, n, d, means, c * d, resp, c, k, cov, off);
    const inv = 1 / (nk[c] as number);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) cov[off + i * d + j] = (cov[off + i * d + j] as number) * inv;
      cov[off + i * d + i] = (cov[off + i * d + i] as number) + reg;
    }
  }
  return { weights, means, cov };
}

/** The hyperparameters, as checked by the constructor (see {@link MIXTURE_PARAMS}). */
export interface GaussianMixture extends GaussianMixtureParams {}

/**
 * A mixture of k Gaussians fitted by expectation–maximisation; the energy of x is `−log p(x)` with
 * `p(x) = Σ_c w_c·N(x; μ_c, Σ_c)`, computed stably with log-sum-exp. Each initialisation seeds k-means++
 * from the fit's `Rng` (then Lloyd iterations give hard responsibilities for a first M-step); `nInit`
 * initialisations run and the one with the best final log-likelihood is kept. Covariances are full or
 * diagonal, with `regularization` added to every variance (as scikit-learn's `reg_covar`). With k = 1 the
 * model equals {@link GaussianDensity} with the same regularisation.
 *
 * **Contributions** (`hasContributions`): with responsibilities `r_c(x)` and `y_c = x − μ_c`, the energy is
 * exactly `Σ_c r_c·½·y_cᵀΣ_c⁻¹y_c − Σ_c r_c·(log w_c − ½(d·log 2π + log|Σ_c|)) + Σ_c r_c log r_c`. The first
 * (weighted quadratic) part is split per feature as `Σ_c r_c·½·y_cj·[Σ_c⁻¹y_c]_j`; the remaining scalar is
 * spread evenly over the features, so each row sums to its energy.
 *
 * @example
 * ```ts
 * const gm = new GaussianMixture({ nComponents: 3, nInit: 2 }).fit(train, { seed: 1 });
 * gm.energy(test);
 * gm.bic(train);
 * const { k, model } = GaussianMixture.selectK(train, { kMax: 6 });
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor assigns every parameter (Object.assign)
export class GaussianMixture extends BaseEnergyModel<MixtureState> {
  /** The hyperparameters' declaration (constraints, defaults, docs). */
  static readonly params: ParamDeclaration<GaussianMixtureOptions, GaussianMixtureParams> = MIXTURE_PARAMS;
  /** Persistence tag. */
  readonly kind: string = 'mixture';
  /** Format version. */
  readonly formatVersion: number = 1;

  /** @param options - components, covariance form, regularisation, EM controls and seed. */
  constructor(options: GaussianMixtureOptions = {}) {
    super(checkOptionsObject('GaussianMixture', options).seed);
    Object.assign(this, MIXTURE_PARAMS.resolve(options));
  }

  protected fitImpl(X: Matrix, ctx: FitContext): MixtureState {
    const steps = this.em(X, ctx);
    let r = steps.next();
    while (r.done !== true) r = steps.next();
    return r.value;
  }

  /** Like `fitImpl`, but yields to the event loop after every EM iteration (so an abort from a timer is seen). */
  protected override async fitImplAsync(X: Matrix, ctx: FitContext): Promise<MixtureState> {
    const steps = this.em(X, ctx);
    let r = steps.next();
    while (r.done !== true) {
      await ctx.yieldToEventLoop();
      ctx.checkAborted();
      r = steps.next();
    }
    return r.value;
  }

  /** EM over all initialisations as a generator that pauses after every iteration. */
  private *em(X: Matrix, ctx: FitContext): Generator<void, MixtureState, void> {
    const { rows: n, cols: d } = X;
    const k = this.nComponents;
    if (n < k) {
      throw new ValueError(message(ctx.api, 'fewer rows than components', `at least ${k} rows`, `${n}`));
    }
    const type = this.covariance;
    const resp = new Float64Array(n * k);
    const s = new Scratch(k, Math.min(n, ROWS));
    let best: MixtureState | undefined;
    const totalIter = this.maxIter * this.nInit;
    for (let init = 0; init < this.nInit; init++) {
      // k-means++ and up to KMEANS_MAX_ITER Lloyd iterations from the fit's generator: hard
      // responsibilities to start EM
      const start = kMeans(X, k, { rng: ctx.rng, maxIter: KMEANS_MAX_ITER });
      const assign = start.labels;
      resp.fill(0);
      for (let i = 0; i < n; i++) resp[i * k + (assign[i] as number)] = 1;
      let params = mStep(X, resp, k, type, this.regularization);
      let derived = derive(params, k, d, type, ctx.api);
      let prev = Number.NEGATIVE_INFINITY;
      let ll = Number.NEGATIVE_INFINITY;
      let converged = false;
      let iter = 0;
      while (iter < this.maxIter) {
        iter++;
        // E-step: responsibilities and the mean log-likelihood under the current parameters.
        let total = 0;
        for (let r0 = 0; r0 < n; r0 += ROWS) {
          const rows = Math.min(ROWS, n - r0);
          logProbBlock(X.data, r0, rows, d, k, type, params.means, derived.precision, derived.logConst, s);
          for (let i = 0; i < rows; i++) {
            const lse = logSumExp(s.lp, i * k, k);
            total += lse;
            const base = (r0 + i) * k;
            for (let c = 0; c < k; c++) resp[base + c] = Math.exp((s.lp[i * k + c] as number) - lse);
          }
        }
        ll = total / n;
        // M-step.
        params = mStep(X, resp, k, type, this.regularization);
        derived = derive(params, k, d, type, ctx.api);
        ctx.report({
          epoch: init * this.maxIter + iter,
          epochs: totalIter,
          loss: -ll,
          message: `init ${init + 1} (k-means: ${start.iterations} Lloyd iterations)`,
        });
        yield;
        if (Math.abs(ll - prev) < this.tolerance) {
          converged = true;
          break;
        }
        prev = ll;
      }
      if (best === undefined || ll > best.logLikelihood) {
        best = { k, ...params, ...derived, converged, nIter: iter, logLikelihood: ll };
      }
    }
    return best as MixtureState;
  }

  protected energyImpl(X: Matrix, st: MixtureState): Float64Array {
    const { rows: n, cols: d, data } = X;
    const k = st.k;
    const out = new Float64Array(n);
    const s = new Scratch(k, Math.min(n, ROWS));
    for (let r0 = 0; r0 < n; r0 += ROWS) {
      const rows = Math.min(ROWS, n - r0);
      logProbBlock(data, r0, rows, d, k, this.covariance, st.means, st.precision, st.logConst, s);
      for (let i = 0; i < rows; i++) out[r0 + i] = -logSumExp(s.lp, i * k, k);
    }
    return out;
  }

  protected override contributionsImpl(X: Matrix, st: MixtureState): Matrix {
    const { rows: n, cols: d, data } = X;
    const k = st.k;
    const out = new Matrix(n, d);
    const o = out.data;
    const s = new Scratch(k, BLOCK);
    // The centred and whitened rows of a block, which only contributions need (energy and EM do not).
    const maha = new MahalanobisScratch(d);
    const q = new Float64Array(BLOCK * d);
    const r = new Float64Array(BLOCK * k);
    const gemm = getBackend().gemm;
    for (let r0 = 0; r0 < n; r0 += BLOCK) {
      const rows = Math.min(BLOCK, n - r0);
      logProbBlock(data, r0, rows, d, k, this.covariance, st.means, st.precision, st.logConst, s);
      // Responsibilities and the scalar remainder −Σ r_c·a_c + Σ r_c log r_c per row.
      for (let i = 0; i < rows; i++) {
        const lse = logSumExp(s.lp, i * k, k);
        let rest = 0;
        for (let c = 0; c < k; c++) {
          const logr = (s.lp[i * k + c] as number) - lse;
          const rc = Math.exp(logr);
          r[i * k + c] = rc;
          if (rc > 0) rest += rc * (logr - (st.logConst[c] as number));
        }
        const share = rest / d;
        for (let j = 0; j < d; j++) o[(r0 + i) * d + j] = share;
      }
      for (let c = 0; c < k; c++) {
        if (this.covariance === 'diagonal') {
          for (let i = 0; i < rows; i++) {
            const rc = 0.5 * (r[i * k + c] as number);
            for (let j = 0; j < d; j++) {
              const v = (data[(r0 + i) * d + j] as number) - (st.means[c * d + j] as number);
              o[(r0 + i) * d + j] =
                (o[(r0 + i) * d + j] as number) + rc * v * v * (st.precision[c * d + j] as number);
            }
          }
          continue;
        }
        const w = st.precision.subarray(c * d * d, (c + 1) * d * d);
        mahalanobisBlock(data, r0, rows, d, st.means, c * d, w, maha, s.m, 0);
        gemm(false, false, rows, d, d, 1, maha.z, 0, d, w, 0, d, 0, q, 0, d);
        for (let i = 0; i < rows; i++) {
          const rc = 0.5 * (r[i * k + c] as number);
          for (let j = 0; j < d; j++) {
            const t = i * d + j;
            o[(r0 + i) * d + j] =
              (o[(r0 + i) * d + j] as number) + rc * (maha.y[t] as number) * (q[t] as number);
          }
        }
      }
    }
    return out;
  }

  /** Number of free parameters: (k − 1) weights, k·d means and k·d(d+1)/2 (full) or k·d (diagonal) covariances. */
  get nParameters(): number {
    const d = this.nFeatures;
    const k = this.nComponents;
    const covParams = this.covariance === 'full' ? (k * d * (d + 1)) / 2 : k * d;
    return k - 1 + k * d + covParams;
  }

  /**
   * Mean log-likelihood of the rows (−mean energy).
   *
   * @example
   * ```ts
   * gm.score(test);
   * ```
   */
  score(X: MatrixLike): number {
    const e = this.energy(X);
    let s = 0;
    for (let i = 0; i < e.length; i++) s += e[i] as number;
    return -s / e.length;
  }

  /**
   * Bayesian information criterion on X: `−2·log L + p·log n` (lower is better).
   *
   * @example
   * ```ts
   * gm.bic(train);
   * ```
   */
  bic(X: MatrixLike): number {
    const m = toMatrix(X, { api: 'GaussianMixture.bic' });
    return -2 * this.score(m) * m.rows + this.nParameters * Math.log(m.rows);
  }

  /**
   * Akaike information criterion on X: `−2·log L + 2p` (lower is better).
   *
   * @example
   * ```ts
   * gm.aic(train);
   * ```
   */
  aic(X: MatrixLike): number {
    const m = toMatrix(X, { api: 'GaussianMixture.aic' });
    return -2 * this.score(m) * m.rows + 2 * this.nParameters;
  }

  /** Whether the chosen initialisation's EM converged within `maxIter`. */
  get converged(): boolean {
    return this.stateFor('converged').converged;
  }

  /** EM iterations run by the chosen initialisation. */
  get nIter(): number {
    return this.stateFor('nIter').nIter;
  }

  /** Mean training log-likelihood at the chosen initialisation's last E-step. */
  get logLikelihood(): number {
    return this.stateFor('logLikelihood').logLikelihood;
  }

  /** Component weights (a copy). */
  get weights(): Float64Array {
    return this.stateFor('weights').weights.slice();
  }

  /** Component means as a k×d matrix (a copy). */
  get means(): Matrix {
    const s = this.stateFor('means');
    return new Matrix(s.k, this.nFeatures, s.means.slice());
  }

  /**
   * Component c's covariance as a d×d matrix (diagonal for `'diagonal'`).
   *
   * @example
   * ```ts
   * gm.componentCovariance(0);
   * ```
   */
  componentCovariance(c: number): Matrix {
    const s = this.stateFor('componentCovariance');
    const d = this.nFeatures;
    if (!Number.isInteger(c) || c < 0 || c >= s.k) {
      throw new ParameterError(
        message('GaussianMixture.componentCovariance', 'no such component', `0…${s.k - 1}`, describeValue(c)),
      );
    }
    if (this.covariance === 'full') return new Matrix(d, d, s.cov.slice(c * d * d, (c + 1) * d * d));
    const m = new Matrix(d, d);
    for (let j = 0; j < d; j++) m.data[j * d + j] = s.cov[c * d + j] as number;
    return m;
  }

  /**
   * Chooses the number of components without labels: fits k = kMin … kMax (each with the same options and
   * seed) and keeps the k with the lowest BIC (or AIC) on X.
   *
   * @example
   * ```ts
   * const { k, model, scores } = GaussianMixture.selectK(train, { kMin: 1, kMax: 6, criterion: 'bic' });
   * ```
   */
  static selectK(X: MatrixLike, options: SelectKOptions = {}, fitOptions: FitOptions = {}): SelectKResult {
    const api = 'GaussianMixture.selectK';
    const m = toMatrix(X, { api });
    const kMin = options.kMin ?? 1;
    const kMax = Math.min(options.kMax ?? 8, m.rows);
    const criterion = options.criterion ?? 'bic';
    if (!Number.isInteger(kMin) || kMin < 1 || !Number.isInteger(kMax) || kMax < kMin) {
      throw new ParameterError(
        message(
          api,
          'need integers 1 ≤ kMin ≤ kMax ≤ rows',
          `1 ≤ kMin ≤ kMax ≤ ${m.rows}`,
          `kMin ${kMin}, kMax ${kMax}`,
        ),
      );
    }
    if (criterion !== 'bic' && criterion !== 'aic') {
      throw new ParameterError(message(api, 'unknown criterion', "'bic' | 'aic'", describeValue(criterion)));
    }
    const { kMin: _a, kMax: _b, criterion: _c, ...base } = options;
    const scores: { k: number; value: number }[] = [];
    let best: { k: number; model: GaussianMixture; value: number } | undefined;
    for (let k = kMin; k <= kMax; k++) {
      const model = new GaussianMixture({ ...base, nComponents: k }).fit(m, fitOptions);
      const value = criterion === 'bic' ? model.bic(m) : model.aic(m);
      scores.push({ k, value });
      if (best === undefined || value < best.value) best = { k, model, value };
    }
    const b = best as { k: number; model: GaussianMixture };
    return { k: b.k, model: b.model, scores };
  }

  protected configToJSON(): Record<string, unknown> {
    return MIXTURE_PARAMS.toJSON(this);
  }

  protected stateToJSON(st: MixtureState): Record<string, unknown> {
    return {
      weights: Array.from(st.weights),
      means: Array.from(st.means),
      covariances: Array.from(st.cov),
      converged: st.converged,
      nIter: st.nIter,
      logLikelihood: st.logLikelihood,
    };
  }

  /**
   * Rebuilds a model from `toJSON()` output (normally called through `loadModel`).
   *
   * @example
   * ```ts
   * const gm = GaussianMixture.fromJSON(JSON.parse(text));
   * ```
   */
  static fromJSON(json: ModelJSON): GaussianMixture {
    const api = 'GaussianMixture.fromJSON';
    const model = new GaussianMixture(MIXTURE_PARAMS.fromJSON(json.config, api));
    const type = model.covariance;
    return model.restore(json, api, (s, d) => {
      const k = model.nComponents;
      const covSize = type === 'full' ? k * d * d : k * d;
      checkDeclaredSize(covSize, 'covariances', api);
      checkDeclaredSize(k * d, 'means', api);
      const weights = readFloat64Array(s, 'weights', k, api);
      let total = 0;
      for (let i = 0; i < k; i++) {
        const w = weights[i] as number;
        if (!(w > 0)) throw new ValueError(message(api, `weight ${i} is not positive`, '> 0', `${w}`));
        total += w;
      }
      if (Math.abs(total - 1) > 1e-6)
        throw new ValueError(message(api, 'weights do not sum to 1', '1', `${total}`));
      const params: Params = {
        weights,
        means: readFloat64Array(s, 'means', k * d, api),
        cov: readFloat64Array(s, 'covariances', covSize, api),
      };
      return {
        k,
        ...params,
        ...derive(params, k, d, type, api),
        converged: readBoolean(s, 'converged', api),
        nIter: readInt(s, 'nIter', api, { min: 0 }),
        logLikelihood: readNumber(s, 'logLikelihood', api),
      };
    });
  }
}
