import { hasBrand } from '../brand.js';
import { describeValue, InputTypeError, message, ParameterError, ShapeError, ValueError } from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';
import { type MatrixLike, toMatrix } from '../matrix/toMatrix.js';
import type { EnergyModel } from '../model/EnergyModel.js';
import { makePlayers } from './coalitions.js';
import { KernelExplainer, type KernelShapOptions } from './kernelShap.js';

/**
 * An energy model that can say which part of its energy is separable per column (each column's term
 * depends on that column only), e.g. an RBM's visible-bias term `−a_j·v_j`. {@link explain} then
 * attributes that part exactly and uses KernelSHAP only for the rest (unless `options.exactPart` is given).
 *
 * @example
 * ```ts
 * class MyRbm implements EnergyModel, HasSeparableTerms {
 *   separableTerms(X: Matrix): Matrix { return visibleBiasTerms(X); } // −a_j·x_j per cell
 *   // …
 * }
 * ```
 */
export interface HasSeparableTerms {
  /** Per-cell terms `g_j(X[i, j])` of the energy, shaped like `X`. */
  separableTerms(X: Matrix): Matrix;
}

function separableOf(model: EnergyModel): ((X: Matrix) => Matrix) | undefined {
  const m = model as Partial<HasSeparableTerms>;
  if (typeof m.separableTerms !== 'function') return undefined;
  const fn = m.separableTerms;
  return (X: Matrix) => fn.call(model, X);
}

/**
 * Options of {@link explain}.
 */
export interface ExplainOptions extends KernelShapOptions {
  /**
   * `'auto'` (default): the model's exact `contributions` when `hasContributions`, KernelSHAP otherwise;
   * `'exact'`: require exact contributions; `'kernelshap'`: always KernelSHAP.
   */
  readonly method?: 'auto' | 'exact' | 'kernelshap';
  /** Background rows for KernelSHAP (needed unless `explainer` is given or the split is exact). */
  readonly background?: MatrixLike;
  /** A ready {@link KernelExplainer} to reuse (its own options apply; `background` is then ignored). */
  readonly explainer?: KernelExplainer;
}

/**
 * Per-event attributions of the energy.
 *
 * - `method: 'exact'`: the model's own per-feature split (one pass; e.g. autoencoder squared error per
 *   feature, Gaussian Mahalanobis terms). `base[i] = energies[i] − Σ_j attributions[i, j]` is the model's
 *   constant (e.g. the Gaussian's log-determinant term), usually the same for every row.
 * - `method: 'kernelshap'`: Shapley values relative to the background; `base[i]` is the mean background
 *   energy for every row.
 *
 * In both cases `Σ_j attributions[i, j] = energies[i] − base[i]`.
 *
 * @example
 * ```ts
 * const e: Explanation = explain(model, X, { background });
 * e.attributions.row(0); // attributions of event 0
 * ```
 */
export interface Explanation {
  /** How the attributions were computed. */
  readonly method: 'exact' | 'kernelshap';
  /** One row per event, one column per feature (or per group when `groups` is given). */
  readonly attributions: Matrix;
  /** Per-event base value: energy minus the sum of its attributions. */
  readonly base: Float64Array;
  /** Per-event energy. */
  readonly energies: Float64Array;
}

/**
 * Explains the energy of every row of `X`: uses the model's exact `contributions` (one pass) when it has
 * them, and KernelSHAP over a background otherwise (or when `method: 'kernelshap'`).
 *
 * For a model whose energy is *partly* separable — an RBM's free energy has the visible-bias term
 * `−Σ_j a_j·x_j` plus hidden-unit terms that mix features — pass the separable part as
 * `exactPart` (or implement {@link HasSeparableTerms} on the model, which `explain` picks up): it is
 * attributed exactly (`g_j(x_j) − mean_b g_j(b_j)`) and only the remainder is sampled, which gives the same
 * Shapley values with less sampling error.
 *
 * With `groups`, exact contributions are summed within each group.
 *
 * @example
 * ```ts
 * const exact = explain(gaussian, flagged);                         // method 'exact'
 * const shap = explain(userModel, flagged, { background: normal }); // method 'kernelshap'
 * const rbm = explain(rbmModel, flagged, { method: 'kernelshap', background: normal,
 *   exactPart: (X) => visibleBiasTerms(X) });
 * ```
 */
export function explain(model: EnergyModel, X: MatrixLike, options: ExplainOptions = {}): Explanation {
  const api = 'explain';
  if (model === null || typeof model !== 'object' || typeof model.energy !== 'function') {
    throw new InputTypeError(
      message(api, 'model is not an energy model', 'an EnergyModel', describeValue(model)),
    );
  }
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'exact' && method !== 'kernelshap') {
    throw new ParameterError(
      message(api, 'unknown method', "'auto', 'exact' or 'kernelshap'", describeValue(method)),
    );
  }
  const canExact = model.hasContributions === true && typeof model.contributions === 'function';
  if (method === 'exact' && !canExact) {
    throw new ParameterError(
      message(
        api,
        `model ${model.kind} has no exact per-feature contributions`,
        "method 'auto' or 'kernelshap'",
        "method 'exact'",
      ),
    );
  }
  const m = toMatrix(X, { api });
  if ((method === 'auto' || method === 'exact') && canExact && model.contributions !== undefined) {
    return exactExplanation(api, model, m, options);
  }
  let explainer = options.explainer;
  if (explainer === undefined) {
    if (options.background === undefined) {
      throw new ParameterError(
        message(
          api,
          `model ${model.kind} has no exact contributions, so KernelSHAP needs a background`,
          'options.background (a sample of normal rows) or options.explainer',
          'neither',
        ),
      );
    }
    const exactPart = options.exactPart ?? separableOf(model);
    explainer = new KernelExplainer(
      model,
      options.background,
      exactPart === undefined ? options : { ...options, exactPart },
    );
  } else if (!hasBrand(explainer, 'KernelExplainer')) {
    throw new InputTypeError(
      message(api, 'explainer is not a KernelExplainer', 'a KernelExplainer', describeValue(explainer)),
    );
  }
  if (m.cols !== explainer.nFeatures) {
    throw new ShapeError(message(api, 'wrong number of features', `${explainer.nFeatures}`, `${m.cols}`));
  }
  const b = explainer.explainBatch(m);
  return {
    method: 'kernelshap',
    attributions: b.values,
    base: new Float64Array(m.rows).fill(b.base),
    energies: b.energies,
  };
}

function exactExplanation(api: string, model: EnergyModel, m: Matrix, options: ExplainOptions): Explanation {
  const contributions = model.contributions;
  if (contributions === undefined)
    throw new InputTypeError(message(api, 'model has no contributions method'));
  const C = contributions.call(model, m);
  if (!Matrix.isMatrix(C) || C.rows !== m.rows || C.cols !== m.cols) {
    throw new ShapeError(
      message(
        api,
        `${model.kind}.contributions returned the wrong shape`,
        `a ${m.rows}×${m.cols} Matrix`,
        Matrix.isMatrix(C) ? `${C.rows}×${C.cols}` : describeValue(C),
      ),
    );
  }
  const energies = model.energy(m);
  const players = makePlayers(api, m.cols, options.groups);
  const P = players.count;
  const attributions = new Matrix(m.rows, P);
  const base = new Float64Array(m.rows);
  const d = m.cols;
  for (let i = 0; i < m.rows; i++) {
    let sum = 0;
    for (let p = 0; p < P; p++) {
      let s = 0;
      for (let t = players.start[p] as number; t < (players.start[p + 1] as number); t++) {
        s += C.data[i * d + (players.cols[t] as number)] as number;
      }
      if (s - s !== 0) {
        throw new ValueError(
          message(
            api,
            `${model.kind}.contributions returned a non-finite value in row ${i}`,
            'finite numbers',
            String(s),
          ),
        );
      }
      attributions.data[i * P + p] = s;
      sum += s;
    }
    base[i] = (energies[i] as number) - sum;
  }
  return { method: 'exact', attributions, base, energies };
}
