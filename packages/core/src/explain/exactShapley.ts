import { message, ParameterError } from '../errors.js';
import type { MatrixLike } from '../matrix/toMatrix.js';
import { toVector } from '../matrix/toMatrix.js';
import type { EnergyModel } from '../model/EnergyModel.js';
import { normaliseWeights } from '../stats/normaliseWeights.js';
import {
  backgroundMatrix,
  type EnergyFunction,
  energyFunctionOf,
  evaluateCoalitions,
  type FeatureGroups,
  makePlayers,
} from './coalitions.js';

/**
 * Shapley values of one event: one attribution per feature (or per group), the base value and the
 * event's energy. Efficiency: `Σ values = energy − base`.
 *
 * @example
 * ```ts
 * const r: ShapleyValues = exactShapley(model, x, background);
 * r.values[0]; // attribution of feature 0
 * ```
 */
export interface ShapleyValues {
  /** One attribution per feature (or per group when `groups` is given). */
  readonly values: Float64Array;
  /** The (weighted) mean background energy, v(∅). */
  readonly base: number;
  /** The event's energy, f(x) = v(all features). */
  readonly energy: number;
}

/**
 * Options of {@link exactShapley}.
 */
export interface ExactShapleyOptions {
  /** Weights of the background rows (non-negative; normalised to sum 1). Default: equal. */
  readonly weights?: ArrayLike<number>;
  /** Explain groups of columns (each a player) instead of single columns; must partition the columns. */
  readonly groups?: FeatureGroups;
}

/**
 * Largest number of players {@link exactShapley} enumerates (2^10 = 1024 coalitions).
 *
 * @example
 * ```ts
 * if (d <= MAX_EXACT_PLAYERS) exactShapley(model, x, background);
 * ```
 */
export const MAX_EXACT_PLAYERS = 10;

/**
 * Exact (interventional) Shapley values by enumerating all 2^d coalitions — the reference KernelSHAP is
 * tested against. The value of a coalition S is the background average
 * `v(S) = Σ_b w_b · f(x_S, b_S̄)`: features in S take the event's values, the others the background row's.
 * Then `φ_i = Σ_{S ∌ i} |S|!(d−|S|−1)!/d! · (v(S ∪ {i}) − v(S))`, so `Σ φ = f(x) − v(∅)`, equal features
 * get equal values and a feature f ignores gets exactly 0.
 *
 * All coalitions × background rows go through one energy call. Cost: 2^d·n_background model rows, so
 * d ≤ {@link MAX_EXACT_PLAYERS}.
 *
 * @param model - any energy model, or a function `(X: Matrix) => Float64Array`.
 * @param x - the event (d numbers).
 * @param background - reference rows with d columns.
 * @example
 * ```ts
 * const { values, base, energy } = exactShapley(model, [0.1, 3, 2], trainSample);
 * // values.reduce((a, b) => a + b) ≈ energy − base
 * ```
 */
export function exactShapley(
  model: EnergyModel | EnergyFunction,
  x: ArrayLike<number>,
  background: MatrixLike,
  options: ExactShapleyOptions = {},
): ShapleyValues {
  const api = 'exactShapley';
  const f = energyFunctionOf(api, model);
  const bg = backgroundMatrix(api, background);
  const xv = toVector(x, { api: `${api} (x)`, cols: bg.cols });
  const w = normaliseWeights(api, bg.rows, options.weights);
  const players = makePlayers(api, bg.cols, options.groups);
  const P = players.count;
  if (P > MAX_EXACT_PLAYERS) {
    throw new ParameterError(
      message(api, 'too many features (or groups) to enumerate', `at most ${MAX_EXACT_PLAYERS}`, `${P}`),
    );
  }
  const n = 1 << P;
  const masks = new Uint8Array(n * P);
  for (let m = 0; m < n; m++) for (let p = 0; p < P; p++) masks[m * P + p] = (m >> p) & 1;
  const v = new Float64Array(n);
  evaluateCoalitions(api, f, xv, bg, w, players, masks, n, v, false);
  // Shapley weights by coalition size: |S|!(P−|S|−1)!/P!.
  const weight = new Float64Array(P);
  for (let s = 0; s < P; s++) {
    let c = 1; // C(P−1, s)
    for (let t = 1; t <= s; t++) c = (c * (P - t)) / t;
    weight[s] = 1 / (P * c);
  }
  const values = new Float64Array(P);
  const size = new Uint8Array(n);
  for (let m = 1; m < n; m++) size[m] = (size[m >> 1] as number) + (m & 1);
  for (let m = 0; m < n; m++) {
    const ws = weight[size[m] as number] as number;
    const vm = v[m] as number;
    for (let p = 0; p < P; p++) {
      const bit = 1 << p;
      if ((m & bit) === 0) values[p] = (values[p] as number) + ws * ((v[m | bit] as number) - vm);
    }
  }
  // v(all) = Σ_b w_b f(x) = f(x): every column comes from x.
  return { values, base: v[0] as number, energy: v[n - 1] as number };
}
