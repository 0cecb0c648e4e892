import {
  BaseEnergyModel,
  type FitContext,
  type FitOptions,
  getBackend,
  InputTypeError,
  Matrix,
  type MatrixLike,
  type ModelJSON,
  message,
  ParameterError,
  type RowSource,
  ShapeError,
  toMatrix,
  ValueError,
} from '@nexus/ebm-core';
import {
  checkDeclaredSize,
  checkedBlocks,
  checkOptionsObject,
  describeValue,
  hasBrand,
  type ParamDeclaration,
  readFloat64Array,
  readInt,
  readNumber,
  setBrand,
} from '@nexus/ebm-core/extend';
import { columnMeans } from '@nexus/ebm-core/kernels';
import { concentrationSteps, trimmedRowCount } from '../trainingRows/concentrationSteps.js';
import {
  BLOCK,
  HALF_LOG_2PI,
  MahalanobisScratch,
  mahalanobisBlock,
  mahalanobisDiagonal,
  precisionFactor,
} from './gaussianMath.js';
import {
  type CovarianceType,
  GAUSSIAN_PARAMS,
  type GaussianDensityOptions,
  type GaussianDensityParams,
} from './gaussianParams.js';

export type { CovarianceType } from './gaussianParams.js';

/**
 * Mergeable sufficient statistics of a sample: count, mean, co-moment `M₂ = Σ (x − x̄)(x − x̄)ᵀ`
 * (diagonal only for `'diagonal'`) and, for Ledoit–Wolf, `T₃ = Σ ‖x − x̄‖²(x − x̄)` and `S₄ = Σ ‖x − x̄‖⁴`.
 */
interface Stats {
  n: number;
  mean: Float64Array;
  m2: Float64Array;
  t3: Float64Array | undefined;
  s4: number;
}

interface GaussianState {
  readonly stats: Stats;
  /** The covariance used for scoring (shrunk and regularised): d×d, or d variances for diagonal. */
  readonly cov: Float64Array;
  /** Ledoit–Wolf shrinkage intensity in [0, 1] (0 for the other estimates). */
  readonly shrinkage: number;
  /** Inverse Cholesky factor `W = L⁻¹` (full, ledoit-wolf) or inverse variances (diagonal). */
  readonly precision: Float64Array;
  /** `½(d·log 2π + log|Σ|)`. */
  readonly constant: number;
}

function computeStats(x: Matrix, type: CovarianceType): Stats {
  const { rows: n, cols: d, data } = x;
  const mean = new Float64Array(d);
  if (type === 'diagonal') {
    const m2 = new Float64Array(d);
    columnMeans(data, n, d, mean, null);
    const corr = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const r = i * d;
      for (let j = 0; j < d; j++) {
        const c = (data[r + j] as number) - (mean[j] as number);
        corr[j] = (corr[j] as number) + c;
        m2[j] = (m2[j] as number) + c * c;
      }
    }
    // Two-pass with correction: shift the mean by the residual sum and fix the co-moment accordingly.
    for (let j = 0; j < d; j++) {
      const c = (corr[j] as number) / n;
      mean[j] = (mean[j] as number) + c;
      m2[j] = Math.max(0, (m2[j] as number) - n * c * c);
    }
    return { n, mean, m2, t3: undefined, s4: 0 };
  }
  const m2 = new Float64Array(d * d);
  getBackend().covariance(data, n, d, mean, m2, 0);
  for (let k = 0; k < m2.length; k++) m2[k] = (m2[k] as number) * n;
  if (type !== 'ledoit-wolf') return { n, mean, m2, t3: undefined, s4: 0 };
  const t3 = new Float64Array(d);
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    const r = i * d;
    let q = 0;
    for (let j = 0; j < d; j++) {
      const c = (data[r + j] as number) - (mean[j] as number);
      q += c * c;
    }
    s4 += q * q;
    for (let j = 0; j < d; j++)
      t3[j] = (t3[j] as number) + q * ((data[r + j] as number) - (mean[j] as number));
  }
  return { n, mean, m2, t3, s4 };
}

/**
 * Shifts the higher moments of one part from its own mean to a new mean (`δ = new − own`):
 * `S₄' = S₄ + 4δᵀM₂δ + n‖δ‖⁴ − 4δᵀT₃ + 2‖δ‖²·tr M₂` and `T₃' = T₃ − tr(M₂)·δ − 2M₂δ − n‖δ‖²·δ`.
 */
function shiftHigher(s: Stats, delta: Float64Array, d: number, t3Out: Float64Array): number {
  const t3 = s.t3 as Float64Array;
  let dd = 0;
  let tr = 0;
  let dT3 = 0;
  let dM2d = 0;
  for (let i = 0; i < d; i++) {
    const di = delta[i] as number;
    dd += di * di;
    tr += s.m2[i * d + i] as number;
    dT3 += di * (t3[i] as number);
  }
  for (let i = 0; i < d; i++) {
    let m2d = 0;
    for (let j = 0; j < d; j++) m2d += (s.m2[i * d + j] as number) * (delta[j] as number);
    dM2d += (delta[i] as number) * m2d;
    const di = delta[i] as number;
    t3Out[i] = (t3Out[i] as number) + (t3[i] as number) - tr * di - 2 * m2d - s.n * dd * di;
  }
  return s.s4 + 4 * dM2d + s.n * dd * dd - 4 * dT3 + 2 * dd * tr;
}

/** Chan et al.'s parallel update of two samples' statistics (and the shift of the higher moments). */
function mergeStats(a: Stats, b: Stats, d: number, type: CovarianceType): Stats {
  const n = a.n + b.n;
  const mean = new Float64Array(d);
  const delta = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    delta[j] = (b.mean[j] as number) - (a.mean[j] as number);
    mean[j] = (a.mean[j] as number) + ((delta[j] as number) * b.n) / n;
  }
  const f = (a.n * b.n) / n;
  const m2 = new Float64Array(a.m2.length);
  if (type === 'diagonal') {
    for (let j = 0; j < d; j++) {
      const dj = delta[j] as number;
      m2[j] = (a.m2[j] as number) + (b.m2[j] as number) + dj * dj * f;
    }
    return { n, mean, m2, t3: undefined, s4: 0 };
  }
  for (let i = 0; i < d; i++) {
    const di = (delta[i] as number) * f;
    for (let j = 0; j < d; j++) {
      const k = i * d + j;
      m2[k] = (a.m2[k] as number) + (b.m2[k] as number) + di * (delta[j] as number);
    }
  }
  if (type !== 'ledoit-wolf') return { n, mean, m2, t3: undefined, s4: 0 };
  const t3 = new Float64Array(d);
  const da = new Float64Array(d);
  const db = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    da[j] = (mean[j] as number) - (a.mean[j] as number);
    db[j] = (mean[j] as number) - (b.mean[j] as number);
  }
  const s4 = shiftHigher(a, da, d, t3) + shiftHigher(b, db, d, t3);
  return { n, mean, m2, t3, s4 };
}

/**
 * The Ledoit–Wolf shrinkage intensity from the statistics (the estimator scikit-learn's `ledoit_wolf`
 * computes): with `S = M₂/n`, `μ = tr S / d`, `β = (S₄/n − ‖S‖²_F) / (d·n)`, `δ = ‖S − μI‖²_F / d`, the
 * intensity is `min(β, δ) / δ` (0 when δ = 0, e.g. one feature).
 */
function ledoitWolfShrinkage(s: Stats, d: number): number {
  const n = s.n;
  let tr = 0;
  let fro = 0;
  for (let i = 0; i < d; i++) {
    tr += (s.m2[i * d + i] as number) / n;
    for (let j = 0; j < d; j++) {
      const v = (s.m2[i * d + j] as number) / n;
      fro += v * v;
    }
  }
  const mu = tr / d;
  const delta = (fro - 2 * mu * tr + d * mu * mu) / d;
  if (!(delta > 0)) return 0;
  const beta = Math.max(0, (s.s4 / n - fro) / (d * n));
  return Math.min(beta, delta) / delta;
}

function finalize(stats: Stats, d: number, type: CovarianceType, reg: number, api: string): GaussianState {
  const n = stats.n;
  if (type === 'diagonal') {
    const cov = new Float64Array(d);
    const precision = new Float64Array(d);
    let logDet = 0;
    for (let j = 0; j < d; j++) {
      const v = (stats.m2[j] as number) / n + reg;
      if (!(v > 0)) {
        throw new ValueError(
          message(
            api,
            `feature ${j} has zero variance`,
            'a positive variance (increase `regularization`)',
            `${v}`,
          ),
        );
      }
      cov[j] = v;
      precision[j] = 1 / v;
      logDet += Math.log(v);
    }
    return { stats, cov, shrinkage: 0, precision, constant: d * HALF_LOG_2PI + 0.5 * logDet };
  }
  const cov = new Float64Array(d * d);
  for (let k = 0; k < cov.length; k++) cov[k] = (stats.m2[k] as number) / n;
  let shrinkage = 0;
  if (type === 'ledoit-wolf') {
    shrinkage = ledoitWolfShrinkage(stats, d);
    let mu = 0;
    for (let i = 0; i < d; i++) mu += cov[i * d + i] as number;
    mu /= d;
    for (let k = 0; k < cov.length; k++) cov[k] = (1 - shrinkage) * (cov[k] as number);
    for (let i = 0; i < d; i++) cov[i * d + i] = (cov[i * d + i] as number) + shrinkage * mu;
  }
  for (let i = 0; i < d; i++) cov[i * d + i] = (cov[i * d + i] as number) + reg;
  const { w, logDet } = precisionFactor(cov, d, api);
  return { stats, cov, shrinkage, precision: w, constant: d * HALF_LOG_2PI + 0.5 * logDet };
}

/** The hyperparameters, as checked by the constructor (see {@link GAUSSIAN_PARAMS}). */
export interface GaussianDensity extends GaussianDensityParams {}

/**
 * A multivariate Gaussian density; the energy of x is its negative log-likelihood
 * `E(x) = ½·(x − μ)ᵀ Σ⁻¹ (x − μ) + ½·(d·log 2π + log|Σ|)`, fitted by maximum likelihood (Σ = M₂/n, optionally
 * diagonal or Ledoit–Wolf shrunk, plus `regularization` on the diagonal) and scored through the Cholesky
 * factor `Σ = LLᵀ` (batched as `Z = (X − μ)·L⁻ᵀ` with one gemm per block of rows).
 *
 * **Contributions** (`hasContributions` is true) split the energy exactly per feature:
 * `c_j = ½·(x − μ)_j·[Σ⁻¹(x − μ)]_j + ½(d·log 2π + log|Σ|)/d`. The first terms sum to half the squared
 * Mahalanobis distance (Σ_j (x−μ)_j[Σ⁻¹(x−μ)]_j = (x−μ)ᵀΣ⁻¹(x−μ)); the constant is spread evenly, so every
 * row sums to its energy. A single term can be negative when features are correlated.
 *
 * **Robust fit** (`trim > 0`): FAST-MCD concentration steps refit on the ⌈(1 − trim)·n⌉ training rows of
 * lowest energy until that set is stable, so anomalies in the training data stop inflating the covariance
 * (see {@link GaussianDensityOptions.trim}); such a model cannot be updated or merged.
 *
 * **Streams**: the model keeps mergeable sufficient statistics (count, mean, co-moment, and for Ledoit–Wolf
 * the third and fourth norm moments), so {@link GaussianDensity.partialFit} on chunks and
 * {@link GaussianDensity.merge} of models fitted on parts equal one fit on all the data (Chan et al.'s
 * parallel update), up to rounding; `fitStream` reads rows that do not fit in memory in one pass of blocks.
 *
 * @example
 * ```ts
 * const g = new GaussianDensity({ covariance: 'ledoit-wolf' }).fit(train);
 * g.energy(test);             // higher = less likely = more anomalous
 * g.contributions(test);      // rows sum to the energies
 * g.partialFit(moreRows);     // same as refitting on train ∪ moreRows
 * // training rows that may hold anomalies: a robust fit that leaves out the 25 % least likely rows
 * const robust = new GaussianDensity({ covariance: 'ledoit-wolf', trim: 0.25 }).fit(contaminated);
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor assigns every parameter (Object.assign)
export class GaussianDensity extends BaseEnergyModel<GaussianState> {
  static {
    setBrand(GaussianDensity, 'GaussianDensity');
  }

  /** The hyperparameters' declaration (constraints, defaults, docs). */
  static readonly params: ParamDeclaration<GaussianDensityOptions, GaussianDensityParams> = GAUSSIAN_PARAMS;
  /** Persistence tag. */
  readonly kind: string = 'gaussian';
  /** Format version. */
  readonly formatVersion: number = 1;

  /** @param options - covariance estimate, regularisation and robust fitting; see {@link GaussianDensityOptions}. */
  constructor(options: GaussianDensityOptions = {}) {
    super(checkOptionsObject('GaussianDensity', options).seed);
    Object.assign(this, GAUSSIAN_PARAMS.resolve(options));
  }

  protected fitImpl(X: Matrix, ctx: FitContext): GaussianState {
    const d = X.cols;
    const fitRows = (m: Matrix): GaussianState =>
      finalize(computeStats(m, this.covariance), d, this.covariance, this.regularization, ctx.api);
    const state = fitRows(X);
    const h = trimmedRowCount(X.rows, this.trim);
    if (h !== null)
      return concentrationSteps(
        state,
        h,
        this.trimSteps,
        (s) => this.energyImpl(X, s),
        (kept) => fitRows(X.selectRows(kept)),
        (step, s) => ctx.report({ epoch: step, epochs: this.trimSteps, loss: this.meanEnergyOf(s, d) }),
      );
    ctx.report({ epoch: 1, epochs: 1, loss: this.meanEnergyOf(state, d) });
    return state;
  }

  /** A plain (untrimmed) fit can be read in passes: its statistics merge block by block. */
  override get streamable(): boolean {
    return this.trim === 0;
  }

  /**
   * One pass: the statistics of each block (as `fit` computes them) merged in order with Chan et al.'s
   * update, then one factorisation. Equals `fit` on the same rows up to rounding (bit for bit when the
   * source gives one block).
   */
  protected override fitStreamImpl(rows: RowSource, ctx: FitContext): GaussianState {
    const d = rows.cols;
    const type = this.covariance;
    let stats: Stats | undefined;
    for (const { block } of checkedBlocks(rows, ctx.api)) {
      if (block.rows === 0) continue;
      const s = computeStats(block, type);
      stats = stats === undefined ? s : mergeStats(stats, s, d, type);
    }
    if (stats === undefined) throw new ShapeError(message(ctx.api, 'no rows', 'at least one row', '0'));
    const state = finalize(stats, d, type, this.regularization, ctx.api);
    ctx.report({ epoch: 1, epochs: 1, loss: this.meanEnergyOf(state, d) });
    return state;
  }

  private checkStreamable(api: string): void {
    if (this.trim > 0) {
      throw new ParameterError(
        message(
          api,
          'a trimmed (robust) fit summarises only its kept rows and cannot be updated or merged',
          'trim 0',
          `trim ${this.trim}`,
        ),
      );
    }
  }

  private meanEnergyOf(state: GaussianState, d: number): number {
    // Mean NLL of the training data without another pass: E[½ m] = ½ tr(Σ⁻¹ S) for the fitted Σ.
    const { n, m2 } = state.stats;
    let tr = 0;
    if (this.covariance === 'diagonal') {
      for (let j = 0; j < d; j++) tr += ((m2[j] as number) / n) * (state.precision[j] as number);
    } else {
      // Σ = a·S + b·I (a = 1 − shrinkage; b = shrinkage·μ + regularization), so Σ⁻¹S = (I − b·Σ⁻¹)/a and
      // tr(Σ⁻¹S) = (d − b·‖W‖²_F)/a with Σ⁻¹ = WᵀW: O(d²) instead of forming Σ⁻¹. When a is tiny the
      // difference would lose its digits; then tr(Σ⁻¹S) = Σ_ij (W S Wᵀ)_ii is summed from W·S.
      let mu = 0;
      for (let i = 0; i < d; i++) mu += (m2[i * d + i] as number) / n;
      mu /= d;
      const a = 1 - state.shrinkage;
      const b = state.shrinkage * mu + this.regularization;
      const w = state.precision;
      if (a >= 1e-3) {
        let fro = 0;
        for (let k = 0; k < w.length; k++) fro += (w[k] as number) * (w[k] as number);
        tr = (d - b * fro) / a;
      } else {
        const ws = new Float64Array(d * d);
        getBackend().gemm(false, false, d, d, d, 1 / n, w, 0, d, m2, 0, d, 0, ws, 0, d);
        for (let k = 0; k < w.length; k++) tr += (ws[k] as number) * (w[k] as number);
      }
    }
    return state.constant + 0.5 * tr;
  }

  protected energyImpl(X: Matrix, state: GaussianState): Float64Array {
    const { rows: n, cols: d, data } = X;
    const out = new Float64Array(n);
    const mean = state.stats.mean;
    if (this.covariance === 'diagonal') {
      mahalanobisDiagonal(data, 0, n, d, mean, 0, state.precision, 0, out, 0);
    } else {
      getBackend().mahalanobisRows(data, 0, n, d, mean, 0, state.precision, 0, out, 0);
    }
    return energiesFromDistances(out, state.constant);
  }

  /**
   * On a backend that copies the rows into its own memory (WebAssembly), their finiteness is checked
   * there, chunk by chunk, instead of by a separate scan first.
   */
  protected override energyImplUnchecked(X: Matrix, state: GaussianState): Float64Array | null | undefined {
    const checked = getBackend().mahalanobisRowsChecked;
    if (this.covariance === 'diagonal' || checked === undefined) return undefined;
    const { rows: n, cols: d, data } = X;
    const out = new Float64Array(n);
    if (!checked(data, 0, n, d, state.stats.mean, 0, state.precision, 0, out, 0)) return null;
    return energiesFromDistances(out, state.constant);
  }

  protected override contributionsImpl(X: Matrix, state: GaussianState): Matrix {
    const { rows: n, cols: d, data } = X;
    const out = new Matrix(n, d);
    const o = out.data;
    const share = state.constant / d;
    const mean = state.stats.mean;
    const p = state.precision;
    if (this.covariance === 'diagonal') {
      for (let i = 0; i < n; i++) {
        const r = i * d;
        for (let j = 0; j < d; j++) {
          const c = (data[r + j] as number) - (mean[j] as number);
          o[r + j] = 0.5 * c * c * (p[j] as number) + share;
        }
      }
      return out;
    }
    const s = new MahalanobisScratch(d);
    const q = new Float64Array(BLOCK * d);
    const tmp = new Float64Array(BLOCK);
    for (let r0 = 0; r0 < n; r0 += BLOCK) {
      const rows = Math.min(BLOCK, n - r0);
      mahalanobisBlock(data, r0, rows, d, mean, 0, p, s, tmp, 0);
      // Q = Z·W: row i is (Wᵀ z_i)ᵀ = (Σ⁻¹ y_i)ᵀ.
      getBackend().gemm(false, false, rows, d, d, 1, s.z, 0, d, p, 0, d, 0, q, 0, d);
      for (let k = 0; k < rows * d; k++) o[r0 * d + k] = 0.5 * (s.y[k] as number) * (q[k] as number) + share;
    }
    return out;
  }

  /**
   * Adds rows to the fitted statistics (or fits, when unfitted, with `options.featureNames`): the result
   * equals a fit on all rows seen.
   *
   * @example
   * ```ts
   * const g = new GaussianDensity();
   * for (const chunk of chunks) g.partialFit(chunk);
   * ```
   */
  partialFit(X: MatrixLike, options: Pick<FitOptions, 'featureNames'> = {}): this {
    if (!this.fitted) return this.fit(X, options);
    const api = 'GaussianDensity.partialFit';
    this.checkStreamable(api);
    const state = this.stateFor('partialFit');
    const d = this.nFeatures;
    const m = toMatrix(X, { api, cols: d });
    const stats = mergeStats(state.stats, computeStats(m, this.covariance), d, this.covariance);
    this.adoptState(finalize(stats, d, this.covariance, this.regularization, api), d, this.featureNames);
    return this;
  }

  /**
   * Merges another fitted model's statistics into this one (same covariance estimate and feature count):
   * afterwards this model equals one fitted on both models' data. Returns this model.
   *
   * @example
   * ```ts
   * const a = new GaussianDensity().fit(part1);
   * a.merge(new GaussianDensity().fit(part2)); // as if fitted on part1 ∪ part2
   * ```
   */
  merge(other: GaussianDensity): this {
    const api = 'GaussianDensity.merge';
    const a = this.stateFor('merge');
    const b = GaussianDensity.checkMergeable(this, other, api);
    const d = this.nFeatures;
    const stats = mergeStats(a.stats, b.stats, d, this.covariance);
    this.adoptState(finalize(stats, d, this.covariance, this.regularization, api), d, this.featureNames);
    return this;
  }

  /**
   * A new model equal to one fitted on the data of both `a` and `b` (which are left unchanged); it takes
   * `a`'s hyperparameters and feature names.
   *
   * @example
   * ```ts
   * const all = GaussianDensity.merge(modelOfMonday, modelOfTuesday);
   * ```
   */
  static merge(a: GaussianDensity, b: GaussianDensity): GaussianDensity {
    const api = 'GaussianDensity.merge';
    if (!hasBrand(a, 'GaussianDensity')) {
      throw new InputTypeError(
        message(api, 'a must be a GaussianDensity', 'a GaussianDensity', describeValue(a)),
      );
    }
    const sa = a.stateFor('merge');
    const sb = GaussianDensity.checkMergeable(a, b, api);
    const out = new GaussianDensity({
      covariance: a.covariance,
      regularization: a.regularization,
      ...(a.seed === undefined ? {} : { seed: a.seed }),
    });
    const d = a.nFeatures;
    const stats = mergeStats(sa.stats, sb.stats, d, a.covariance);
    out.adoptState(finalize(stats, d, a.covariance, a.regularization, api), d, a.featureNames);
    return out;
  }

  private static checkMergeable(a: GaussianDensity, b: GaussianDensity, api: string): GaussianState {
    if (!hasBrand(b, 'GaussianDensity')) {
      throw new InputTypeError(
        message(api, 'can only merge a GaussianDensity', 'a GaussianDensity', describeValue(b)),
      );
    }
    a.checkStreamable(api);
    b.checkStreamable(api);
    const sb = b.stateFor('merge');
    if (b.covariance !== a.covariance) {
      throw new ParameterError(
        message(api, 'covariance estimates differ', `'${a.covariance}'`, `'${b.covariance}'`),
      );
    }
    if (b.nFeatures !== a.nFeatures) {
      throw new ShapeError(message(api, 'feature counts differ', `${a.nFeatures}`, `${b.nFeatures}`));
    }
    return sb;
  }

  /** Number of rows the statistics summarise. Throws `NotFittedError` before fit. */
  get count(): number {
    return this.stateFor('count').stats.n;
  }

  /** The fitted mean (a copy). */
  get mean(): Float64Array {
    return this.stateFor('mean').stats.mean.slice();
  }

  /** The covariance used for scoring (shrunk and regularised), as a d×d matrix (diagonal for `'diagonal'`). */
  get covarianceMatrix(): Matrix {
    const s = this.stateFor('covarianceMatrix');
    const d = this.nFeatures;
    if (this.covariance !== 'diagonal') return new Matrix(d, d, s.cov.slice());
    const m = new Matrix(d, d);
    for (let j = 0; j < d; j++) m.data[j * d + j] = s.cov[j] as number;
    return m;
  }

  /** The Ledoit–Wolf shrinkage intensity in [0, 1] (0 for `'full'` and `'diagonal'`). */
  get shrinkage(): number {
    return this.stateFor('shrinkage').shrinkage;
  }

  protected configToJSON(): Record<string, unknown> {
    return GAUSSIAN_PARAMS.toJSON(this);
  }

  protected stateToJSON(state: GaussianState): Record<string, unknown> {
    const s = state.stats;
    const out: Record<string, unknown> = { count: s.n, mean: Array.from(s.mean), comoment: Array.from(s.m2) };
    if (s.t3 !== undefined) {
      out.thirdMoment = Array.from(s.t3);
      out.fourthMoment = s.s4;
    }
    return out;
  }

  /**
   * Rebuilds a model from `toJSON()` output (normally called through `loadModel`).
   *
   * @example
   * ```ts
   * const g = GaussianDensity.fromJSON(JSON.parse(text));
   * ```
   */
  static fromJSON(json: ModelJSON): GaussianDensity {
    const api = 'GaussianDensity.fromJSON';
    const model = new GaussianDensity(GAUSSIAN_PARAMS.fromJSON(json.config, api));
    const type = model.covariance;
    return model.restore(json, api, (s, d) => {
      const size = type === 'diagonal' ? d : d * d;
      checkDeclaredSize(size, 'comoment', api);
      const stats: Stats = {
        n: readInt(s, 'count', api, { min: 1, max: Number.MAX_SAFE_INTEGER }),
        mean: readFloat64Array(s, 'mean', d, api),
        m2: readFloat64Array(s, 'comoment', size, api),
        t3: type === 'ledoit-wolf' ? readFloat64Array(s, 'thirdMoment', d, api) : undefined,
        s4: type === 'ledoit-wolf' ? readNumber(s, 'fourthMoment', api, { min: 0 }) : 0,
      };
      return finalize(stats, d, type, model.regularization, api);
    });
  }
}

/** Energies from squared Mahalanobis distances, in place: c + ½·m. */
function energiesFromDistances(m: Float64Array, c: number): Float64Array {
  for (let i = 0; i < m.length; i++) m[i] = c + 0.5 * (m[i] as number);
  return m;
}
