import {
  BaseEnergyModel,
  type FitContext,
  getBackend,
  type Matrix,
  type MatrixLike,
  type ModelJSON,
  Rng,
} from '@nexus/ebm-core';
import { checkOptionsObject, type ParamDeclaration, readNumber } from '@nexus/ebm-core/extend';
import { releaseResidentReference } from '@nexus/ebm-core/wasm';
import {
  fitReference,
  logScale,
  queryRows,
  type ReferenceRows,
  readReference,
  referenceToJSON,
} from '../neighbours/referenceRows.js';
import { concentrationSteps, trimmedRowCount } from '../trainingRows/concentrationSteps.js';
import {
  KDE_PARAMS,
  type KernelDensityOptions,
  type KernelDensityParams,
  MAX_BANDWIDTH,
  MIN_BANDWIDTH,
} from './kdeParams.js';

/** Training rows the `'loo'` rule evaluates its likelihood on (a seeded sample above that). */
const LOO_ROWS = 2000;

interface KdeState {
  readonly ref: ReferenceRows;
  /** Bandwidth used, in the units the kernels see. */
  readonly h: number;
  /** Constant of the energy: log m + (d/2)·log(2πh²) + Σ log σ_j. */
  readonly offset: number;
}

/** √(mean column variance) of X, or 1 when X has no spread. */
function meanSpread(X: Matrix): number {
  const { rows: n, cols: d, data } = X;
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mu = 0;
    for (let i = 0; i < n; i++) mu += data[i * d + j] as number;
    mu /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const e = (data[i * d + j] as number) - mu;
      v += e * e;
    }
    total += v / n;
  }
  const s = Math.sqrt(total / d);
  return s > 0 && Number.isFinite(s) ? s : 1;
}

/** The hyperparameters, as checked by the constructor (see {@link KDE_PARAMS}). */
export interface KernelDensity extends KernelDensityParams {}

/**
 * Gaussian kernel density energy (Parzen windows): the negative log of the average of Gaussian kernels of
 * bandwidth h centred on the training rows,
 *
 * `E(x) = −log( (1/n) Σ_i N(x; x_i, h²·I) ) = −log Σ_i exp(−‖x − x_i‖² / 2h²) + log n + (d/2)·log(2πh²)`,
 *
 * on z-scored features by default (E is then a density of the input units: Σ log σ_j added). The sum is a
 * streaming log-sum-exp over GEMM distance blocks (`kernelLogSum`), so a far row gets a finite, growing
 * energy instead of −log 0. The bandwidth is a number or a label-free rule — Scott's (the default),
 * Silverman's, or leave-one-out likelihood on the training rows (see {@link KdeBandwidth}).
 *
 * Training rows are kept as centres: at most `maxRows` (default 20,000), a seeded uniform sample above
 * that; scoring costs O(n·d) per row. **Robust fit** (`trim > 0`): concentration steps refit on the
 * ⌈(1 − trim)·n⌉ training rows of lowest energy until they stop changing (see
 * {@link KernelDensityOptions.trim}), so training data that holds isolated anomalies does not make the
 * rows around them look normal; each refit costs one leave-one-out pass over the training rows. `energy` scores new rows; {@link KernelDensity.trainingEnergy}
 * scores training rows without their own kernel (leave-one-out). No exact per-feature split
 * (`hasContributions` is false): explain it with KernelSHAP.
 *
 * Persistence kind: `"kde"`; the saved model holds the kept rows (m·d numbers: 20,000 × 32 ≈ 13 MB of JSON).
 *
 * @example
 * ```ts
 * const kde = new KernelDensity({ bandwidth: 'scott' }).fit(train);
 * kde.bandwidthUsed; // h in standard units
 * const e = kde.energy(test);
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor assigns every parameter (Object.assign)
export class KernelDensity extends BaseEnergyModel<KdeState> {
  /** The hyperparameters' declaration (constraints, defaults, docs). */
  static readonly params: ParamDeclaration<KernelDensityOptions, KernelDensityParams> = KDE_PARAMS;
  readonly kind: string = 'kde';
  readonly formatVersion: number = 1;

  /** @param options - bandwidth, standardisation and the row cap (see {@link KDE_PARAMS}). */
  constructor(options: KernelDensityOptions = {}) {
    super(checkOptionsObject('KernelDensity', options).seed);
    Object.assign(this, KDE_PARAMS.resolve(options));
  }

  /**
   * Bandwidth of the fitted model, in standard units when standardising (the rule resolved).
   *
   * @example
   * ```ts
   * new KernelDensity().fit(X).bandwidthUsed; // n^(−1/(d+4)) for Scott's rule on z-scored rows
   * ```
   */
  get bandwidthUsed(): number {
    return this.stateFor('bandwidthUsed').h;
  }

  /**
   * Training rows kept as kernel centres (≤ `maxRows`).
   *
   * @example
   * ```ts
   * new KernelDensity({ maxRows: 100 }).fit(rows400).rowsKept; // 100
   * ```
   */
  get rowsKept(): number {
    return this.stateFor('rowsKept').ref.m;
  }

  protected fitImpl(X: Matrix, ctx: FitContext): KdeState {
    const state = this.fitRows(X, ctx.rng, ctx);
    const h = trimmedRowCount(X.rows, this.trim);
    if (h !== null)
      return concentrationSteps(
        state,
        h,
        this.trimSteps,
        (s, inFit) => this.energiesOfTrainingRows(X, s, inFit),
        (kept) => this.fitRows(X.selectRows(kept), new Rng(ctx.seed), ctx),
        (step) => ctx.report({ epoch: step, epochs: this.trimSteps }),
      );
    ctx.report({ epoch: 1, epochs: 1 });
    return state;
  }

  /** One plain fit: the kept rows (a sample drawn from `rng` above `maxRows`) and the bandwidth. */
  private fitRows(X: Matrix, rng: Rng, ctx: FitContext): KdeState {
    const ref = fitReference(X, this.maxRows, this.standardize, rng);
    const d = X.cols;
    const spread = this.standardize ? 1 : meanSpread(X);
    const scott = spread * ref.m ** (-1 / (d + 4));
    let h: number;
    if (typeof this.bandwidth === 'number') h = this.bandwidth;
    else if (this.bandwidth === 'scott') h = scott;
    else if (this.bandwidth === 'silverman') h = scott * (4 / (d + 2)) ** (1 / (d + 4));
    else h = this.looBandwidth(ref, d, scott, rng, ctx);
    return stateOf(ref, d, h);
  }

  /**
   * Energies of every row of X under `state`: leave-one-out for the rows `state` was fitted on (`inFit`;
   * null = every row), plain for the others.
   */
  private energiesOfTrainingRows(X: Matrix, state: KdeState, inFit: Int32Array | null): Float64Array {
    if (inFit === null) return this.score(X, state, true);
    const e = new Float64Array(X.rows);
    const inside = this.score(X.selectRows(inFit), state, true);
    inFit.forEach((i, t) => {
      e[i] = inside[t] as number;
    });
    const outside: number[] = []; // the complement of the ascending inFit
    for (let i = 0, t = 0; i < X.rows; i++) {
      if (inFit[t] === i) t++;
      else outside.push(i);
    }
    if (outside.length > 0) {
      const eOut = this.score(X.selectRows(outside), state, false);
      outside.forEach((i, t) => {
        e[i] = eOut[t] as number;
      });
    }
    return e;
  }

  /** The grid factor of Scott's bandwidth with the highest mean leave-one-out log-likelihood. */
  private looBandwidth(ref: ReferenceRows, d: number, scott: number, rng: Rng, ctx: FitContext): number {
    const m = ref.m;
    if (m < 2) return scott;
    const nEval = Math.min(m, LOO_ROWS);
    const pick = nEval < m ? rng.sample(m, nEval).sort() : null;
    const q = new Float64Array(nEval * d);
    for (let t = 0; t < nEval; t++) {
      const i = pick === null ? t : (pick[t] as number);
      q.set(ref.rows.subarray(i * d, i * d + d), t * d);
    }
    const ls = new Float64Array(nEval);
    let best = scott;
    let bestLl = Number.NEGATIVE_INFINITY;
    for (let t = -12; t <= 4; t++) {
      const h = scott * 2 ** (t / 4);
      const c = 1 / (2 * h * h);
      getBackend().kernelLogSum(q, 0, nEval, ref.rows, ref.norms, m, d, c, true, ls, 0);
      let ll = 0;
      for (const v of ls) ll += v;
      ll = ll / nEval - Math.log(m - 1) - (d / 2) * Math.log(2 * Math.PI * h * h);
      if (ll > bestLl) {
        bestLl = ll;
        best = h;
      }
      ctx.checkAborted();
    }
    return best;
  }

  private score(X: Matrix, state: KdeState, excludeCopy: boolean): Float64Array {
    const { ref, h, offset } = state;
    const n = X.rows;
    const out = new Float64Array(n);
    const c = 1 / (2 * h * h);
    getBackend().kernelLogSum(
      queryRows(X, ref),
      0,
      n,
      ref.rows,
      ref.norms,
      ref.m,
      X.cols,
      c,
      excludeCopy,
      out,
      0,
    );
    for (let i = 0; i < n; i++) out[i] = offset - (out[i] as number);
    return out;
  }

  protected energyImpl(X: Matrix, state: KdeState): Float64Array {
    return this.score(X, state, false);
  }

  /**
   * Energies of rows that were in the training set, each without its own kernel: the first kept training
   * row that is an exact copy of the row is left out of the sum (leave-one-out; the constant keeps log n).
   * Rows with no copy among the kept rows score as in `energy`.
   *
   * @example
   * ```ts
   * const e = kde.fit(train).trainingEnergy(train);
   * ```
   */
  trainingEnergy(X: MatrixLike): Float64Array {
    const { m, state } = this.checkInput(X, 'trainingEnergy');
    return this.score(m, state, true);
  }

  protected override releaseState(_state: KdeState): void {
    releaseResidentReference();
  }

  protected configToJSON(): Record<string, unknown> {
    return KDE_PARAMS.toJSON(this);
  }

  protected stateToJSON(state: KdeState): Record<string, unknown> {
    return { ...referenceToJSON(state.ref), bandwidthUsed: state.h };
  }

  /**
   * Rebuilds a saved model (what `loadModel` calls for kind `"kde"`); energies are identical.
   *
   * @example
   * ```ts
   * const again = KernelDensity.fromJSON(kde.toJSON());
   * ```
   */
  static fromJSON(json: ModelJSON): KernelDensity {
    const api = 'KernelDensity.fromJSON';
    const model = new KernelDensity(KDE_PARAMS.fromJSON(json.config, api));
    return model.restore(json, api, (s, d) => {
      const ref = readReference(s, d, api, model.standardize);
      const h = readNumber(s, 'bandwidthUsed', api, { min: MIN_BANDWIDTH, max: MAX_BANDWIDTH });
      return stateOf(ref, d, h);
    });
  }
}

function stateOf(ref: ReferenceRows, d: number, h: number): KdeState {
  const offset = Math.log(ref.m) + (d / 2) * Math.log(2 * Math.PI * h * h) + logScale(ref);
  return { ref, h, offset };
}
