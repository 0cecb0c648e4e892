import {
  BaseEnergyModel,
  type FitContext,
  getBackend,
  type Matrix,
  type MatrixLike,
  type ModelJSON,
} from '@nexus/ebm-core';
import { checkOptionsObject, type ParamDeclaration } from '@nexus/ebm-core/extend';
import { releaseResidentReference } from '@nexus/ebm-core/wasm';
import {
  fitReference,
  logScale,
  logUnitBallVolume,
  queryRows,
  type ReferenceRows,
  readReference,
  referenceToJSON,
} from '../neighbours/referenceRows.js';
import { KNN_PARAMS, type KnnDensityOptions, type KnnDensityParams } from './knnParams.js';

/** Distances below this (in the units the neighbours are searched in) count as this. */
const MIN_DISTANCE = 1e-8;

interface KnnState {
  readonly ref: ReferenceRows;
  /** Neighbours used (`'auto'` resolved, at most the rows kept). */
  readonly k: number;
  /** Constant of the energy: log m + log V_d − log k + Σ log σ_j. */
  readonly offset: number;
}

function autoK(m: number): number {
  return Math.max(5, Math.min(50, Math.round(Math.sqrt(m))));
}

/** The hyperparameters, as checked by the constructor (see {@link KNN_PARAMS}). */
export interface KnnDensity extends KnnDensityParams {}

/**
 * k-nearest-neighbour density energy: the negative log of the k-NN density estimate (Loftsgaarden and
 * Quesenberry 1965),
 *
 * `E(x) = d·log r_k(x) + log n + log V_d − log k`,
 *
 * where r_k(x) is the distance from x to its k-th nearest training row, n the training rows kept and V_d
 * the volume of the unit ball — so `p̂(x) = k / (n · V_d · r_k^d)` and E = −log p̂. With `statistic:
 * 'mean'`, r_k is replaced by the mean distance to the k nearest (PyOD KNN's `mean`; steadier, the same
 * constants). Distances are Euclidean on z-scored features (the default), and E is then a density of the
 * input units (Σ log σ_j added). Distances below 1e-8 count as 1e-8, so duplicates give finite energies.
 *
 * It sees local structure that global densities miss (a row between two clusters, a small dense mode),
 * at a cost of O(n·d) per scored row. Training rows are kept: at most `maxRows` (default 20,000), a
 * seeded uniform sample above that. The search is exact (the k nearest by f64 distance, ties by index,
 * as brute force) and runs in WebAssembly where available: candidates from an f32 SIMD distance block with
 * a proven error margin, then recomputed in f64 (see `knnSelect` and docs/kernels.md); energies are the
 * same on both backends. `energy` scores rows as new rows; {@link
 * KnnDensity.trainingEnergy} scores rows of the training set without themselves (leave-one-out), which
 * is what the training energies should be (a row is its own nearest neighbour).
 *
 * No exact per-feature split exists (`hasContributions` is false): explain it with KernelSHAP.
 *
 * Persistence kind: `"knn"`; the saved model holds the kept rows (m·d numbers: 20,000 × 32 ≈ 13 MB of JSON).
 *
 * @example
 * ```ts
 * const knn = new KnnDensity().fit(train, { seed: 1 });
 * const e = knn.energy(test);           // higher = sparser neighbourhood
 * const eTrain = knn.trainingEnergy(train); // each row without itself
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor assigns every parameter (Object.assign)
export class KnnDensity extends BaseEnergyModel<KnnState> {
  /** The hyperparameters' declaration (constraints, defaults, docs). */
  static readonly params: ParamDeclaration<KnnDensityOptions, KnnDensityParams> = KNN_PARAMS;
  readonly kind: string = 'knn';
  readonly formatVersion: number = 1;

  /** @param options - neighbours, statistic, standardisation and the row cap (see {@link KNN_PARAMS}). */
  constructor(options: KnnDensityOptions = {}) {
    super(checkOptionsObject('KnnDensity', options).seed);
    Object.assign(this, KNN_PARAMS.resolve(options));
  }

  /**
   * Neighbours used by the fitted model (`'auto'` resolved; at most the rows kept).
   *
   * @example
   * ```ts
   * new KnnDensity().fit(rows400).kUsed; // 20 = round(√400)
   * ```
   */
  get kUsed(): number {
    return this.stateFor('kUsed').k;
  }

  /**
   * Training rows kept as neighbours (≤ `maxRows`).
   *
   * @example
   * ```ts
   * new KnnDensity({ maxRows: 100 }).fit(rows400).rowsKept; // 100
   * ```
   */
  get rowsKept(): number {
    return this.stateFor('rowsKept').ref.m;
  }

  protected fitImpl(X: Matrix, ctx: FitContext): KnnState {
    const ref = fitReference(X, this.maxRows, this.standardize, ctx.rng);
    const state = this.stateOf(ref, X.cols);
    ctx.report({ epoch: 1, epochs: 1 });
    return state;
  }

  private stateOf(ref: ReferenceRows, d: number): KnnState {
    const k = Math.min(this.k === 'auto' ? autoK(ref.m) : this.k, ref.m);
    const offset = Math.log(ref.m) + logUnitBallVolume(d) - Math.log(k) + logScale(ref);
    return { ref, k, offset };
  }

  private score(X: Matrix, state: KnnState, excludeCopy: boolean): Float64Array {
    const { ref, k, offset } = state;
    const d = X.cols;
    const n = X.rows;
    const q = queryRows(X, ref);
    const dist = new Float64Array(n * k);
    const idx = new Int32Array(n * k);
    getBackend().knnSelect(q, 0, n, ref.rows, ref.norms, ref.m, d, k, excludeCopy, dist, idx, 0);
    const out = new Float64Array(n);
    const floor = MIN_DISTANCE * MIN_DISTANCE;
    for (let i = 0; i < n; i++) {
      let r: number;
      if (this.statistic === 'kth') {
        // fewer than k rows left (a copy excluded from k = m rows): the farthest one there is
        let t = k - 1;
        while (t > 0 && !Number.isFinite(dist[i * k + t] as number)) t--;
        r = Math.sqrt(Math.max(dist[i * k + t] as number, floor));
      } else {
        let s = 0;
        let c = 0;
        for (let t = 0; t < k; t++) {
          const v = dist[i * k + t] as number;
          if (!Number.isFinite(v)) break;
          s += Math.sqrt(v);
          c++;
        }
        r = Math.max(c > 0 ? s / c : 0, MIN_DISTANCE);
      }
      out[i] = d * Math.log(r) + offset;
    }
    return out;
  }

  protected energyImpl(X: Matrix, state: KnnState): Float64Array {
    return this.score(X, state, false);
  }

  /**
   * Energies of rows that were in the training set, each scored without itself: the first kept training
   * row that is an exact copy of the row is left out of its neighbours (leave-one-out), so a training row
   * is not its own nearest neighbour. Rows with no copy among the kept rows score as in `energy`. Row
   * independent, like `energy`.
   *
   * @example
   * ```ts
   * const e = knn.fit(train).trainingEnergy(train); // e.g. for a threshold or a normaliser
   * ```
   */
  trainingEnergy(X: MatrixLike): Float64Array {
    const { m, state } = this.checkInput(X, 'trainingEnergy');
    return this.score(m, state, true);
  }

  protected override releaseState(_state: KnnState): void {
    releaseResidentReference();
  }

  protected configToJSON(): Record<string, unknown> {
    return KNN_PARAMS.toJSON(this);
  }

  protected stateToJSON(state: KnnState): Record<string, unknown> {
    return referenceToJSON(state.ref);
  }

  /**
   * Rebuilds a saved model (what `loadModel` calls for kind `"knn"`); energies are identical.
   *
   * @example
   * ```ts
   * const again = KnnDensity.fromJSON(knn.toJSON());
   * ```
   */
  static fromJSON(json: ModelJSON): KnnDensity {
    const api = 'KnnDensity.fromJSON';
    const model = new KnnDensity(KNN_PARAMS.fromJSON(json.config, api));
    return model.restore(json, api, (s, d) => model.stateOf(readReference(s, d, api, model.standardize), d));
  }
}
