import {
  BaseEnergyModel,
  type FitContext,
  type Matrix,
  ModelFormatError,
  type ModelJSON,
  message,
  ShapeError,
  ValueError,
} from '@nexus/ebm-core';
import { checkOptionsObject, type ParamDeclaration, readFloat64Array, readInt } from '@nexus/ebm-core/extend';
import { gatherRows, queryRows, readStandardization } from '../neighbours/referenceRows.js';
import { columnStats } from '../trainingRows/standardize.js';
import { type InneBalls, inneBalls, inneScores } from './hyperspheres.js';
import {
  INNE_PARAMS,
  type IsolationNNEOptions,
  type IsolationNNEParams,
  MAX_SUBSAMPLE_SIZE,
} from './inneParams.js';

interface InneState {
  /** Training rows seen by fit. */
  readonly seen: number;
  /** Sub-samples t. */
  readonly t: number;
  /** Rows per sub-sample (min(subsampleSize, rows seen)). */
  readonly psi: number;
  /** Row-major (t·ψ) × d centres, standardised when `mean`/`std` are set. */
  readonly centres: Float64Array;
  readonly mean: Float64Array | null;
  readonly std: Float64Array | null;
  readonly balls: InneBalls;
}

/** The hyperparameters, as checked by the constructor (see {@link INNE_PARAMS}). */
export interface IsolationNNE extends IsolationNNEParams {}

/**
 * Isolation using nearest-neighbour ensembles (iNNE; Bandaragoda, Ting, Albrecht, Liu, Zhu and Wells,
 * "Isolation-based anomaly detection using nearest-neighbor ensembles", Computational Intelligence 34(4),
 * 2018). Fit draws t sub-samples of ψ = min(`subsampleSize`, n) training rows each (without replacement,
 * from the fit's seed). Every sampled row c is the centre of a ball whose radius τ(c) is the distance to its
 * nearest other row η_c in the same sub-sample. In one sub-sample, a row x is isolated by the smallest ball
 * that covers it (‖x − c‖ ≤ τ(c)), with score `1 − τ(η_c)/τ(c)` — near 0 inside a ball as tight as its
 * neighbour's, near 1 in a ball much wider than the neighbour's — and score 1 when no ball covers x. The
 * energy is the mean score over the t sub-samples, in [0, 1] (higher = more isolated).
 *
 * Decisions where the paper is silent: distances are Euclidean, on z-scored features by default (as the
 * other neighbour energies); ties (two nearest neighbours, or two covering balls of equal radius) go to the
 * row drawn earlier in row order; a row with an exact copy in its sub-sample has τ = 0, its ball covers only
 * copies and scores 0 (a sub-sample of identical rows scores 0 at that row and 1 everywhere else). Unlike
 * the paper, the default `ratio: 'squared'` scores `1 − τ(η_c)²/τ(c)²`, as PyOD's `INNE` does (chosen by a
 * rule fixed before the run; `ratio: 'radius'` gives the paper's).
 * Fit needs at least 2 rows. `energy` is also what the training rows get (no leave-one-out: a sampled row
 * lies in its own ball like any copy of it would, as in the paper and PyOD).
 *
 * Cost: fit O(t·ψ²·d); scoring O(t·ψ·d) per row (1,600 distances at the defaults), independent of the
 * number of training rows. No exact per-feature split exists (`hasContributions` is false): explain it with
 * KernelSHAP.
 *
 * Persistence kind: `"inne"`; the saved model holds the t·ψ centres (t·ψ·d numbers: 1,600 × d at the
 * defaults); the radii and scores are recomputed on load.
 *
 * @example
 * ```ts
 * const inne = new IsolationNNE().fit(train, { seed: 1 });
 * const e = inne.energy(test); // in [0, 1]; higher = more isolated
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor assigns every parameter (Object.assign)
export class IsolationNNE extends BaseEnergyModel<InneState> {
  /** The hyperparameters' declaration (constraints, defaults, docs). */
  static readonly params: ParamDeclaration<IsolationNNEOptions, IsolationNNEParams> = INNE_PARAMS;
  readonly kind: string = 'inne';
  readonly formatVersion: number = 1;

  /** @param options - sub-samples, their size and standardisation (see {@link INNE_PARAMS}). */
  constructor(options: IsolationNNEOptions = {}) {
    super(checkOptionsObject('IsolationNNE', options).seed);
    Object.assign(this, INNE_PARAMS.resolve(options));
  }

  /**
   * Rows per sub-sample of the fitted model: min(`subsampleSize`, training rows).
   *
   * @example
   * ```ts
   * new IsolationNNE().fit(rows5).subsampleSizeUsed; // 5
   * ```
   */
  get subsampleSizeUsed(): number {
    return this.stateFor('subsampleSizeUsed').psi;
  }

  protected fitImpl(X: Matrix, ctx: FitContext): InneState {
    const { rows: n, cols: d, data } = X;
    if (n < 2) throw new ShapeError(message(ctx.api, 'too few rows', 'at least 2 rows', `${n}`));
    const t = this.subsamples;
    const psi = Math.min(this.subsampleSize, n);
    const stats = this.standardize ? columnStats(data, n, d) : null;
    const centres = new Float64Array(t * psi * d);
    for (let s = 0; s < t; s++)
      gatherRows(data, d, ctx.rng.sample(n, psi).sort(), psi, stats, centres, s * psi);
    const balls = inneBalls(centres, t, psi, d, this.ratio === 'squared');
    if (balls === null) {
      throw new ValueError(
        message(ctx.api, 'rows too large to square their distances', 'values within ±1e150', 'larger values'),
      );
    }
    ctx.report({ epoch: 1, epochs: 1 });
    return { seen: n, t, psi, centres, mean: stats?.mean ?? null, std: stats?.std ?? null, balls };
  }

  protected energyImpl(X: Matrix, state: InneState): Float64Array {
    const q = queryRows(X, state);
    return inneScores(q, X.rows, X.cols, state.centres, state.balls, state.t, state.psi);
  }

  protected configToJSON(): Record<string, unknown> {
    return INNE_PARAMS.toJSON(this);
  }

  protected stateToJSON(state: InneState): Record<string, unknown> {
    const s: Record<string, unknown> = {
      seen: state.seen,
      subsampleSize: state.psi,
      centres: Array.from(state.centres),
    };
    if (state.mean !== null && state.std !== null) {
      s.mean = Array.from(state.mean);
      s.std = Array.from(state.std);
    }
    return s;
  }

  /**
   * Rebuilds a saved model (what `loadModel` calls for kind `"inne"`); energies are identical.
   *
   * @example
   * ```ts
   * const again = IsolationNNE.fromJSON(inne.toJSON());
   * ```
   */
  static fromJSON(json: ModelJSON): IsolationNNE {
    const api = 'IsolationNNE.fromJSON';
    const model = new IsolationNNE(INNE_PARAMS.fromJSON(json.config, api));
    return model.restore(json, api, (s, d) => model.readState(s, d, api));
  }

  private readState(s: Record<string, unknown>, d: number, api: string): InneState {
    const seen = readInt(s, 'seen', api, { min: 2, max: Number.MAX_SAFE_INTEGER });
    const psi = readInt(s, 'subsampleSize', api, { min: 2, max: MAX_SUBSAMPLE_SIZE });
    const want = Math.min(this.subsampleSize, seen);
    if (psi !== want) {
      throw new ModelFormatError(
        message(api, 'field "subsampleSize" does not match the config and rows seen', `${want}`, `${psi}`),
      );
    }
    const t = this.subsamples;
    const centres = readFloat64Array(s, 'centres', t * psi * d, api);
    const { mean, std } = readStandardization(s, d, api, this.standardize);
    const balls = inneBalls(centres, t, psi, d, this.ratio === 'squared');
    if (balls === null) {
      throw new ModelFormatError(
        message(
          api,
          'field "centres" holds values too large to square',
          'values within ±1e150',
          'larger values',
        ),
      );
    }
    return { seen, t, psi, centres, mean, std, balls };
  }
}
