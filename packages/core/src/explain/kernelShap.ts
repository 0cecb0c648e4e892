import { setBrand } from '../brand.js';
import { describeValue, InputTypeError, message, ParameterError, ShapeError, ValueError } from '../errors.js';
import { cholesky } from '../kernels/cholesky.js';
import { solveLower } from '../kernels/solveLower.js';
import { solveLowerTransposed } from '../kernels/solveLowerTransposed.js';
import { Matrix } from '../matrix/Matrix.js';
import { type MatrixLike, toMatrix, toVector } from '../matrix/toMatrix.js';
import type { EnergyModel } from '../model/EnergyModel.js';
import { Rng } from '../random/Rng.js';
import { kMeans } from '../stats/kMeans.js';
import { normaliseWeights } from '../stats/normaliseWeights.js';
import {
  backgroundMatrix,
  callEnergy,
  type EnergyFunction,
  energyFunctionOf,
  evaluateCoalitions,
  type FeatureGroups,
  MAX_BATCH_ELEMENTS,
  makePlayers,
  type Players,
} from './coalitions.js';
import type { ShapleyValues } from './exactShapley.js';

/**
 * Per-column energy terms that depend on their own column only (`g(X)[i, j]` is a function of `X[i, j]`
 * alone), computed exactly: for them the Shapley value is known in closed form, `g_j(x_j) − E_b g_j(b_j)`,
 * so KernelSHAP only has to explain the remainder `f − Σ_j g_j`. An RBM's visible-bias term is one.
 *
 * @example
 * ```ts
 * // Visible-bias part of an RBM free energy: −a_j · x_j per column.
 * const exactPart: SeparableTerms = (X) => { const out = new Matrix(X.rows, X.cols);
 *   for (let k = 0; k < X.data.length; k++) out.data[k] = -a[k % X.cols] * X.data[k];
 *   return out; };
 * ```
 */
export type SeparableTerms = (X: Matrix) => Matrix;

/**
 * Options of {@link KernelExplainer} and {@link kernelShap}.
 */
export interface KernelShapOptions {
  /**
   * Coalition budget: how many distinct coalitions (besides ∅ and all) to evaluate; at least
   * `min(2^d − 2, 2·d)`. Default `2·d + 2048`. When `2^d − 2` coalitions fit in the budget, all are enumerated and the result equals
   * the exact Shapley values of the (summarised) background.
   */
  readonly nSamples?: number;
  /** Seed of the coalition sampling and of the background summary. Default 0. */
  readonly seed?: number;
  /** Draw coalitions in complementary pairs (S and its complement). Default true. */
  readonly paired?: boolean;
  /**
   * How to summarise a large background: `'kmeans'` (weighted k-means centres, which keep the mean),
   * `'sample'` (a seeded sample of rows) or `'none'`. Default `'kmeans'`. Centres are averages, so a
   * one-hot block becomes fractional; choose `'sample'` for a model that only accepts valid rows.
   */
  readonly summarize?: 'kmeans' | 'sample' | 'none';
  /**
   * Rows kept by the summary. Default: enough to spend about {@link DEFAULT_ROW_BUDGET} model rows per
   * event, at least 8 — e.g. 16 for d = 10 (1,022 coalitions) and 8 for d = 32 (2,112 coalitions).
   */
  readonly backgroundSize?: number;
  /** Weights of the background rows (non-negative). Default: equal. */
  readonly weights?: ArrayLike<number>;
  /** Explain groups of columns (each one player) instead of single columns; must partition the columns. */
  readonly groups?: FeatureGroups;
  /** Per-column terms of the energy that are explained exactly; KernelSHAP explains the rest. */
  readonly exactPart?: SeparableTerms;
}

/**
 * KernelSHAP attributions of one event; `Σ values = energy − base` holds exactly.
 *
 * @example
 * ```ts
 * const r: KernelShapResult = explainer.explain(x);
 * console.log(r.values, r.base, r.energy, r.nCoalitions, r.enumerated);
 * ```
 */
export interface KernelShapResult extends ShapleyValues {
  /** Distinct coalitions evaluated (besides ∅ and all). */
  readonly nCoalitions: number;
  /** Whether every coalition was enumerated (no sampling error). */
  readonly enumerated: boolean;
}

/**
 * KernelSHAP attributions of many events sharing one explainer.
 *
 * @example
 * ```ts
 * const b: KernelShapBatch = explainer.explainBatch(X);
 * b.values.row(0); // attributions of event 0
 * ```
 */
export interface KernelShapBatch {
  /** One row of attributions per event (columns = features or groups). */
  readonly values: Matrix;
  /** The weighted mean background energy (the same for every event). */
  readonly base: number;
  /** Each event's energy. */
  readonly energies: Float64Array;
}

/**
 * Model rows per event that the default background size aims at (coalitions × background rows).
 *
 * @example
 * ```ts
 * const k = Math.max(8, Math.floor(DEFAULT_ROW_BUDGET / 2112)); // 8 background rows kept for d = 32
 * ```
 */
export const DEFAULT_ROW_BUDGET = 16384;

/**
 * KernelSHAP for any energy model — ours or one a user writes: explains `energy(x)` relative to the mean
 * energy of a background set, feature by feature (or by groups of columns).
 *
 * - The background is summarised once (weighted k-means centres by default, or a seeded sample); the base
 *   value is still the weighted mean energy of the *whole* background, so attributions always add up
 *   exactly to `energy(x) − mean background energy`.
 * - Coalitions get the Shapley kernel weights. Coalition sizes whose share of the budget covers all their
 *   subsets are enumerated (smallest and largest sizes first); the rest are sampled by size ∝ kernel weight,
 *   in complementary pairs, duplicates counted. With `2^d − 2 ≤ nSamples` all coalitions are enumerated.
 * - The weighted least-squares fit is constrained to the efficiency sum by eliminating one variable and
 *   solved by Cholesky on the (d−1)×(d−1) normal equations.
 * - Model calls are batched: one energy call per event over all coalitions × background rows (plus the
 *   event itself).
 * - Deterministic: each event uses a fresh `Rng(seed)`, so `explain(x)` does not depend on earlier calls.
 *
 * Cost per event: (coalitions × background rows) model rows + O(coalitions · d²).
 *
 * @example
 * ```ts
 * const explainer = new KernelExplainer(model, trainSample, { seed: 7 });
 * const { values, base, energy } = explainer.explain(event);
 * const batch = explainer.explainBatch(flagged);
 * ```
 */
export class KernelExplainer {
  static {
    setBrand(KernelExplainer, 'KernelExplainer');
  }

  /** Number of columns of an event. */
  readonly nFeatures: number;
  /** Number of players (columns, or groups when `groups` is given). */
  readonly nPlayers: number;
  /** Weighted mean energy of the whole background (the base value). */
  readonly base: number;
  /** The summarised background the value function averages over. */
  readonly background: Matrix;
  /** Weights of the summarised background rows (sum 1). */
  readonly backgroundWeights: Float64Array;
  /** Coalition budget per event. */
  readonly nSamples: number;

  private readonly f: EnergyFunction;
  private readonly players: Players;
  private readonly seed: number;
  private readonly paired: boolean;
  private readonly exactPart: SeparableTerms | undefined;
  private readonly exactMean: Float64Array | undefined;
  /** Base value of what the sampling explains: the energy minus the exact part (= base without one). */
  private readonly remainderBase: number;
  /** The coalitions (the same for every event: each event restarts `Rng(seed)`) and the factorised system. */
  private readonly plan: Plan;
  /** Model input of one event, prefilled with the background; only the columns taken from x change. */
  private batch: Matrix | undefined = undefined;
  private onColumns: { onStart: Int32Array; onCols: Int32Array } | undefined = undefined;

  /**
   * @param model - any energy model, or a function `(X: Matrix) => Float64Array`.
   * @param background - reference rows (typically a sample of normal training data).
   * @param options - see {@link KernelShapOptions}.
   */
  constructor(model: EnergyModel | EnergyFunction, background: MatrixLike, options: KernelShapOptions = {}) {
    const api = 'KernelExplainer';
    const f0 = energyFunctionOf(api, model);
    const bg = backgroundMatrix(api, background);
    const d = bg.cols;
    const w = normaliseWeights(api, bg.rows, options.weights);
    this.players = makePlayers(api, d, options.groups);
    const P = this.players.count;
    this.nFeatures = d;
    this.nPlayers = P;
    this.seed = checkNumber(api, 'seed', options.seed ?? 0, false);
    this.paired = options.paired ?? true;
    if (typeof this.paired !== 'boolean') {
      throw new ParameterError(
        message(api, 'paired must be a boolean', 'true or false', describeValue(this.paired)),
      );
    }
    this.nSamples = checkNumber(api, 'nSamples', options.nSamples ?? 2 * P + 2048, true);
    // Fewer coalitions than about two per player leave the regression underdetermined.
    const minSamples = Math.max(1, P <= 30 ? Math.min(2 ** P - 2, 2 * P) : 2 * P);
    if (this.nSamples < minSamples) {
      throw new ParameterError(
        message(
          api,
          `nSamples is too small to identify ${P} attributions`,
          `an integer ≥ ${minSamples}`,
          String(this.nSamples),
        ),
      );
    }
    const summarize = options.summarize ?? 'kmeans';
    if (summarize !== 'kmeans' && summarize !== 'sample' && summarize !== 'none') {
      throw new ParameterError(
        message(api, 'unknown summarize option', "'kmeans', 'sample' or 'none'", describeValue(summarize)),
      );
    }
    const coalitions = P <= 30 ? Math.min(2 ** P - 2, this.nSamples) : this.nSamples;
    const size =
      options.backgroundSize === undefined
        ? Math.max(8, Math.floor(DEFAULT_ROW_BUDGET / Math.max(1, coalitions)))
        : checkNumber(api, 'backgroundSize', options.backgroundSize, true);
    if (size < 1) {
      throw new ParameterError(
        message(api, 'backgroundSize must be positive', 'an integer ≥ 1', String(size)),
      );
    }

    // The exact part (if any) and the remainder the sampling explains.
    let f = f0;
    this.exactPart = options.exactPart;
    this.exactMean = undefined;
    if (this.exactPart !== undefined) {
      const g = this.exactPart;
      if (typeof g !== 'function') {
        throw new InputTypeError(
          message(api, 'exactPart must be a function', '(X: Matrix) => Matrix', describeValue(g)),
        );
      }
      f = (X: Matrix) => {
        const e = callEnergy(api, f0, X);
        const G = separable(api, g, X);
        const out = new Float64Array(X.rows);
        for (let i = 0; i < X.rows; i++) {
          let s = e[i] as number;
          for (let j = 0; j < d; j++) s -= G.data[i * d + j] as number;
          out[i] = s;
        }
        return out;
      };
      const G = separable(api, g, bg);
      const mean = new Float64Array(d);
      for (let i = 0; i < bg.rows; i++) {
        const wi = w[i] as number;
        for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + wi * (G.data[i * d + j] as number);
      }
      this.exactMean = mean;
    }
    this.f = f;

    // Base value over the whole background, then the summary.
    const e = callEnergy(api, f, bg);
    let base = 0;
    for (let i = 0; i < bg.rows; i++) base += (w[i] as number) * (e[i] as number);
    this.remainderBase = base;
    let full = base;
    if (this.exactMean !== undefined) for (const m of this.exactMean) full += m;
    this.base = full;
    if (summarize === 'none' || size >= bg.rows) {
      // A Matrix input is not copied by toMatrix; keep our own copy so later edits by the caller do not leak in.
      this.background = bg === background ? bg.clone() : bg;
      this.backgroundWeights = w;
    } else if (summarize === 'kmeans') {
      const km = kMeans(bg, size, { seed: this.seed, weights: w });
      // Drop empty clusters (weight 0) so no model rows are wasted on them.
      const keep: number[] = [];
      for (let j = 0; j < size; j++) if ((km.weights[j] as number) > 0) keep.push(j);
      this.background = km.centres.selectRows(keep);
      this.backgroundWeights = Float64Array.from(keep, (j) => km.weights[j] as number);
    } else {
      const idx = new Rng(`${this.seed}:background`).sample(bg.rows, size);
      this.background = bg.selectRows(idx);
      this.backgroundWeights = normaliseWeights(
        api,
        size,
        Float64Array.from(idx, (i) => w[i] as number),
      );
    }
    this.plan = makePlan(P, this.nSamples, this.paired, this.seed);
  }

  /**
   * Attributions of one event (d numbers).
   *
   * @example
   * ```ts
   * const { values } = explainer.explain([0.2, 1.5, 3]);
   * ```
   */
  explain(x: ArrayLike<number>): KernelShapResult {
    const xv = toVector(x, { api: 'KernelExplainer.explain', cols: this.nFeatures });
    return this.explainVector(xv);
  }

  /**
   * Attributions of every row of `X`; row i equals `explain(X.row(i))`. One energy call per event.
   *
   * @example
   * ```ts
   * const { values, base, energies } = explainer.explainBatch(flaggedEvents);
   * ```
   */
  explainBatch(X: MatrixLike): KernelShapBatch {
    const m = toMatrix(X, { api: 'KernelExplainer.explainBatch', cols: this.nFeatures });
    const values = new Matrix(m.rows, this.nPlayers);
    const energies = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      const r = this.explainVector(m.row(i));
      values.data.set(r.values, i * this.nPlayers);
      energies[i] = r.energy;
    }
    return { values, base: this.base, energies };
  }

  /**
   * v(S) for every planned coalition, and f(x): one energy call over a batch that is built once
   * (background blocks) and then only gets the event's values written into the columns each coalition
   * takes from x. Falls back to chunked, freshly built batches when one would be too large.
   */
  private evaluate(api: string, x: Float64Array, v: Float64Array): number {
    const plan = this.plan;
    const bg = this.background;
    const k = bg.rows;
    const d = bg.cols;
    const rows = plan.count * k + 1;
    if (rows * d > MAX_BATCH_ELEMENTS) {
      return evaluateCoalitions(
        api,
        this.f,
        x,
        bg,
        this.backgroundWeights,
        this.players,
        plan.masks,
        plan.count,
        v,
        true,
      );
    }
    let M = this.batch;
    if (M === undefined) {
      M = new Matrix(rows, d);
      for (let c = 0; c < plan.count; c++) M.data.set(bg.data, c * k * d);
      this.batch = M;
    }
    const data = M.data;
    const { onStart, onCols } = this.columnsOn();
    for (let c = 0; c < plan.count; c++) {
      const t0 = onStart[c] as number;
      const t1 = onStart[c + 1] as number;
      for (let b = 0; b < k; b++) {
        const ro = (c * k + b) * d;
        for (let t = t0; t < t1; t++) {
          const j = onCols[t] as number;
          data[ro + j] = x[j] as number;
        }
      }
    }
    data.set(x, (rows - 1) * d);
    const e = callEnergy(api, this.f, M);
    const w = this.backgroundWeights;
    for (let c = 0; c < plan.count; c++) {
      let s = 0;
      const eo = c * k;
      for (let b = 0; b < k; b++) s += (w[b] as number) * (e[eo + b] as number);
      v[c] = s;
    }
    return e[rows - 1] as number;
  }

  /** For each planned coalition, the columns it takes from x (flattened, with start offsets). */
  private columnsOn(): { onStart: Int32Array; onCols: Int32Array } {
    if (this.onColumns !== undefined) return this.onColumns;
    const { masks, count } = this.plan;
    const P = this.nPlayers;
    const { start, cols } = this.players;
    const onStart = new Int32Array(count + 1);
    let total = 0;
    for (let c = 0; c < count; c++) {
      for (let p = 0; p < P; p++)
        if (masks[c * P + p] === 1) total += (start[p + 1] as number) - (start[p] as number);
      onStart[c + 1] = total;
    }
    const onCols = new Int32Array(total);
    let n = 0;
    for (let c = 0; c < count; c++) {
      for (let p = 0; p < P; p++) {
        if (masks[c * P + p] !== 1) continue;
        for (let t = start[p] as number; t < (start[p + 1] as number); t++) onCols[n++] = cols[t] as number;
      }
    }
    this.onColumns = { onStart, onCols };
    return this.onColumns;
  }

  private explainVector(x: Float64Array): KernelShapResult {
    const api = 'KernelExplainer.explain';
    const P = this.nPlayers;
    const plan = this.plan;
    const v = new Float64Array(plan.count);
    const fx = this.evaluate(api, x, v);
    const delta = fx - this.remainderBase;
    for (let c = 0; c < plan.count; c++) v[c] = (v[c] as number) - this.remainderBase;
    const values = solvePlan(plan, P, v, delta);
    let energy = fx;
    if (this.exactPart !== undefined && this.exactMean !== undefined) {
      const one = new Matrix(1, this.nFeatures, x.slice());
      const g = separable(api, this.exactPart, one).data;
      const { start, cols } = this.players;
      for (let p = 0; p < P; p++) {
        let s = 0;
        for (let t = start[p] as number; t < (start[p + 1] as number); t++) {
          const j = cols[t] as number;
          s += (g[j] as number) - (this.exactMean[j] as number);
          energy += g[j] as number;
        }
        values[p] = (values[p] as number) + s;
      }
    }
    return { values, base: this.base, energy, nCoalitions: plan.count, enumerated: plan.enumerated };
  }
}

/**
 * KernelSHAP attributions of one event: `new KernelExplainer(model, background, options).explain(x)`.
 * Build a {@link KernelExplainer} once when explaining many events.
 *
 * @example
 * ```ts
 * const { values, base, energy } = kernelShap(model, x, background, { seed: 1 });
 * ```
 */
export function kernelShap(
  model: EnergyModel | EnergyFunction,
  x: ArrayLike<number>,
  background: MatrixLike,
  options: KernelShapOptions = {},
): KernelShapResult {
  return new KernelExplainer(model, background, options).explain(x);
}

function checkNumber(api: string, name: string, v: unknown, integer: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new ParameterError(
      message(
        api,
        `${name} must be ${integer ? 'an integer' : 'a finite number'}`,
        integer ? 'an integer' : 'a finite number',
        describeValue(v),
      ),
    );
  }
  return v;
}

function separable(api: string, g: SeparableTerms, X: Matrix): Matrix {
  const G = g(X);
  if (!Matrix.isMatrix(G) || G.rows !== X.rows || G.cols !== X.cols) {
    throw new ShapeError(
      message(
        api,
        'exactPart must return a Matrix shaped like its input',
        `${X.rows}×${X.cols}`,
        Matrix.isMatrix(G) ? `${G.rows}×${G.cols}` : describeValue(G),
      ),
    );
  }
  for (let k = 0; k < G.data.length; k++) {
    const v = G.data[k] as number;
    if (v - v !== 0)
      throw new ValueError(
        message(api, 'exactPart returned a non-finite value', 'finite numbers', String(v)),
      );
  }
  return G;
}

/**
 * Coalitions over P players: 0/1 masks (`masks[c * P + p]`) and their regression weights.
 */
export interface Coalitions {
  readonly masks: Uint8Array;
  readonly weights: Float64Array;
  readonly count: number;
  readonly enumerated: boolean;
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let t = 1; t <= k; t++) c = (c * (n - k + t)) / t;
  return Math.round(c);
}

/**
 * Chooses the coalitions: full enumeration when 2^P − 2 ≤ budget; otherwise complete sizes (paired
 * s and P−s, smallest first) while the budget share of a size covers all its subsets, then sampling of
 * the remaining sizes ∝ kernel weight. Weights: Shapley kernel π(s) = (P−1)/(C(P,s)·s·(P−s)) for
 * enumerated coalitions; for sampled ones, each size's total kernel weight split over its draws.
 *
 * @example
 * ```ts
 * const { masks, weights, count } = drawCoalitions(32, 2112, true, new Rng(0));
 * ```
 */
export function drawCoalitions(P: number, budget: number, paired: boolean, rng: Rng): Coalitions {
  const sizeWeight = (s: number): number => (P - 1) / (s * (P - s)); // total kernel weight of size s
  if (P <= 30 && 2 ** P - 2 <= budget) {
    const n = 2 ** P - 2;
    const masks = new Uint8Array(n * P);
    const weights = new Float64Array(n);
    const perSize = new Float64Array(P);
    for (let s = 1; s < P; s++) perSize[s] = sizeWeight(s) / binomial(P, s);
    for (let m = 1; m <= n; m++) {
      let s = 0;
      for (let p = 0; p < P; p++) {
        const b = (m >>> p) & 1;
        masks[(m - 1) * P + p] = b;
        s += b;
      }
      weights[m - 1] = perSize[s] as number;
    }
    return { masks, weights, count: n, enumerated: true };
  }
  const cap = budget + 2;
  const masks = new Uint8Array(cap * P);
  const weights = new Float64Array(cap);
  let count = 0;
  let left = budget;
  let wLeft = 0;
  for (let s = 1; s < P; s++) wLeft += sizeWeight(s);
  // Complete sizes, in pairs (s, P−s), while their share of the remaining budget covers them.
  const idx = new Int32Array(P);
  let sDone = 0;
  const half = Math.floor(P / 2);
  for (let s = 1; s <= half; s++) {
    const mirror = P - s !== s;
    const cnt = binomial(P, s) * (mirror ? 2 : 1);
    const wPair = sizeWeight(s) * (mirror ? 2 : 1);
    if (cnt > left || cnt > (left * wPair) / wLeft) break;
    const pw = sizeWeight(s) / binomial(P, s);
    for (let t = 0; t < s; t++) idx[t] = t;
    for (;;) {
      const o = count * P;
      for (let t = 0; t < s; t++) masks[o + (idx[t] as number)] = 1;
      weights[count++] = pw;
      if (mirror) {
        const o2 = count * P;
        for (let p = 0; p < P; p++) masks[o2 + p] = 1 - (masks[o + p] as number);
        weights[count++] = pw;
      }
      // Next combination in lexicographic order.
      let t = s - 1;
      while (t >= 0 && (idx[t] as number) === P - s + t) t--;
      if (t < 0) break;
      idx[t] = (idx[t] as number) + 1;
      for (let u = t + 1; u < s; u++) idx[u] = (idx[u - 1] as number) + 1;
    }
    left -= cnt;
    wLeft -= wPair;
    sDone = s;
  }
  const lo = sDone + 1;
  const hi = P - sDone - 1;
  if (lo > hi || left <= 0) return { masks, weights, count, enumerated: lo > hi };
  // Sample the remaining sizes lo…hi ∝ their kernel weight.
  const cum = new Float64Array(hi - lo + 1);
  let acc = 0;
  for (let s = lo; s <= hi; s++) {
    acc += sizeWeight(s);
    cum[s - lo] = acc;
  }
  const firstSampled = count;
  const index = new Map<number | string, number>();
  const counts: number[] = [];
  const sizes: number[] = [];
  const draws = new Float64Array(P);
  const perm = new Int32Array(P);
  for (let p = 0; p < P; p++) perm[p] = p;
  const scratch = new Uint8Array(P);
  const add = (mask: Uint8Array, s: number): void => {
    draws[s] = (draws[s] as number) + 1;
    const key = keyOf(mask, P);
    const at = index.get(key);
    if (at !== undefined) {
      counts[at] = (counts[at] as number) + 1;
      return;
    }
    index.set(key, counts.length);
    counts.push(1);
    sizes.push(s);
    masks.set(mask, count * P);
    count++;
  };
  const target = firstSampled + left;
  const maxDraws = 20 * left + 1000;
  for (let draw = 0; draw < maxDraws && count < target; draw++) {
    const r = rng.uniform() * acc;
    let s = lo;
    while (s < hi && (cum[s - lo] as number) <= r) s++;
    // A uniform subset of size s: partial Fisher–Yates.
    for (let t = 0; t < s; t++) {
      const u = t + rng.int(P - t);
      const tmp = perm[t] as number;
      perm[t] = perm[u] as number;
      perm[u] = tmp;
    }
    scratch.fill(0);
    for (let t = 0; t < s; t++) scratch[perm[t] as number] = 1;
    add(scratch, s);
    if (paired && count < cap) {
      for (let p = 0; p < P; p++) scratch[p] = 1 - (scratch[p] as number);
      add(scratch, P - s);
    }
  }
  for (let c = 0; c < counts.length; c++) {
    const s = sizes[c] as number;
    weights[firstSampled + c] = ((counts[c] as number) * sizeWeight(s)) / (draws[s] as number);
  }
  return { masks, weights, count, enumerated: false };
}

function keyOf(mask: Uint8Array, P: number): number | string {
  if (P <= 52) {
    let k = 0;
    let bit = 1;
    for (let p = 0; p < P; p++) {
      if (mask[p] === 1) k += bit;
      bit *= 2;
    }
    return k;
  }
  let key = '';
  for (let p0 = 0; p0 < P; p0 += 26) {
    let k = 0;
    for (let p = p0; p < Math.min(P, p0 + 26); p++) if (mask[p] === 1) k |= 1 << (p - p0);
    key += `${k.toString(36)},`;
  }
  return key;
}

/** The coalitions of an explainer and the Cholesky factor of its constrained least-squares system. */
interface Plan extends Coalitions {
  /** Lower-triangular factor of the (P−1)×(P−1) normal matrix (empty when P = 1). */
  readonly factor: Float64Array;
}

/**
 * Draws the coalitions and factorises the weighted least-squares system of y_c ≈ z_c·φ subject to
 * Σφ = Δ. The last player is eliminated (φ_last = Δ − Σ_{j<last} φ_j), so row c of the design is
 * a_c = z_c[0…P−2] − z_c[last] and the normal matrix Σ_c w_c a_c a_cᵀ does not depend on the event:
 * it is factorised once (a tiny ridge is added only if it is singular).
 */
function makePlan(P: number, budget: number, paired: boolean, seed: number): Plan {
  if (P === 1) {
    return {
      masks: new Uint8Array(0),
      weights: new Float64Array(0),
      count: 0,
      enumerated: true,
      factor: new Float64Array(0),
    };
  }
  const co = drawCoalitions(P, budget, paired, new Rng(seed));
  const { masks, weights: w, count } = co;
  const m = P - 1;
  const G = new Float64Array(m * m);
  const nz = new Int32Array(m);
  const a = new Float64Array(m);
  for (let c = 0; c < count; c++) {
    const o = c * P;
    const zl = masks[o + m] as number;
    const wc = w[c] as number;
    let nnz = 0;
    for (let j = 0; j < m; j++) {
      const aj = (masks[o + j] as number) - zl;
      a[j] = aj;
      if (aj !== 0) nz[nnz++] = j;
    }
    for (let u = 0; u < nnz; u++) {
      const i = nz[u] as number;
      const wa = wc * (a[i] as number);
      const gi = i * m;
      // nz is ascending, so j ≤ i: the lower triangle is filled, as cholesky reads it.
      for (let t = 0; t <= u; t++) {
        const j = nz[t] as number;
        G[gi + j] = (G[gi + j] as number) + wa * (a[j] as number);
      }
    }
  }
  const L = new Float64Array(m * m);
  let maxDiag = 0;
  for (let i = 0; i < m; i++) maxDiag = Math.max(maxDiag, G[i * m + i] as number);
  let ok = cholesky(G, m, L, 0) === -1;
  for (let attempt = 0; !ok && attempt < 10; attempt++) {
    ok = cholesky(G, m, L, (maxDiag > 0 ? maxDiag : 1) * 10 ** (attempt - 12)) === -1;
  }
  if (!ok) {
    throw new ValueError(
      message(
        'KernelExplainer',
        'the weighted least-squares system is not solvable',
        'a positive-definite system',
        'a failed Cholesky factorisation',
      ),
    );
  }
  return { ...co, factor: L };
}

/** Solves the planned system for one event: y_c = v(S_c) − base, Δ = f(x) − base. */
function solvePlan(plan: Plan, P: number, y: Float64Array, delta: number): Float64Array {
  const phi = new Float64Array(P);
  if (P === 1) {
    phi[0] = delta;
    return phi;
  }
  const m = P - 1;
  const { masks, weights: w, count } = plan;
  const r = new Float64Array(m);
  for (let c = 0; c < count; c++) {
    const o = c * P;
    const zl = masks[o + m] as number;
    const wb = (w[c] as number) * ((y[c] as number) - zl * delta);
    for (let j = 0; j < m; j++) {
      const aj = (masks[o + j] as number) - zl;
      if (aj !== 0) r[j] = (r[j] as number) + aj * wb;
    }
  }
  solveLower(plan.factor, m, r, 0, 1);
  solveLowerTransposed(plan.factor, m, r, 0, 1);
  let s = 0;
  for (let j = 0; j < m; j++) {
    phi[j] = r[j] as number;
    s += r[j] as number;
  }
  phi[m] = delta - s;
  return phi;
}
