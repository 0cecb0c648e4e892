/**
 * The hyperparameters of {@link IsolationNNE}, declared once: the options interface (whose comments
 * `pnpm docs:options` writes from the declaration) and {@link INNE_PARAMS}.
 *
 * @module
 */
import { constraints, ParamDeclaration, type ParamValues } from '@nexus/ebm-core/extend';

const { integer, boolean, oneOf } = constraints;

/** How a ball's isolation score compares its radius with its nearest neighbour's. */
export type InneRatio = 'radius' | 'squared';

/** Largest number of sub-samples accepted. */
export const MAX_SUBSAMPLES = 10_000;
/** Largest sub-sample size accepted. */
export const MAX_SUBSAMPLE_SIZE = 4096;

/**
 * Options of {@link IsolationNNE}; accepted values and defaults are declared in {@link INNE_PARAMS}.
 *
 * @example
 * ```ts
 * new IsolationNNE({ subsamples: 100, subsampleSize: 16 });
 * ```
 */
export interface IsolationNNEOptions {
  /**
   * Sub-samples t (each a set of hyperspheres); the energy is the mean isolation score over them (PyOD INNE's
   * `n_estimators`). Default: `200`.
   */
  readonly subsamples?: number;
  /**
   * Rows per sub-sample ψ, drawn without replacement; min(ψ, n) for n training rows (PyOD INNE's `'auto'` is
   * min(8, n)). Scoring costs O(t·ψ·d) per row. Default: `8`.
   */
  readonly subsampleSize?: number;
  /**
   * Whether features are z-scored with the training mean and standard deviation before distances are taken.
   * Default: `true`.
   */
  readonly standardize?: boolean;
  /**
   * A ball's isolation score: `radius` is 1 − τ(η_c)/τ(c), the paper's definition; `squared` is 1 −
   * τ(η_c)²/τ(c)², as PyOD's `INNE` computes it — the default since it was chosen by a rule fixed before the
   * run (best mean ROC-AUC over the 21 shared benchmark sets on selection seeds 100–102: 0.855 against
   * 0.850). Default: `'squared'`.
   */
  readonly ratio?: InneRatio;
  /** Default seed of `fit` (the sub-samples). */
  readonly seed?: number;
}

/** The checked hyperparameters of an {@link IsolationNNE}. */
export type IsolationNNEParams = ParamValues<IsolationNNEOptions>;

/**
 * iNNE's hyperparameters: constraint, default and documentation of each, in the order they are checked
 * and saved.
 *
 * @example
 * ```ts
 * INNE_PARAMS.resolve({}).subsamples; // 200
 * ```
 */
export const INNE_PARAMS: ParamDeclaration<IsolationNNEOptions, IsolationNNEParams> = new ParamDeclaration<
  IsolationNNEOptions,
  IsolationNNEParams
>('IsolationNNE', {
  subsamples: {
    check: integer(1, MAX_SUBSAMPLES),
    default: 200,
    doc:
      "Sub-samples t (each a set of hyperspheres); the energy is the mean isolation score over them (PyOD INNE's " +
      '`n_estimators`).',
  },
  subsampleSize: {
    check: integer(2, MAX_SUBSAMPLE_SIZE),
    default: 8,
    doc:
      "Rows per sub-sample ψ, drawn without replacement; min(ψ, n) for n training rows (PyOD INNE's `'auto'` is " +
      'min(8, n)). Scoring costs O(t·ψ·d) per row.',
  },
  standardize: {
    check: boolean(),
    default: true,
    doc: 'Whether features are z-scored with the training mean and standard deviation before distances are taken.',
  },
  ratio: {
    check: oneOf<InneRatio>(['radius', 'squared']),
    default: 'squared',
    doc:
      "A ball's isolation score: `radius` is 1 − τ(η_c)/τ(c), the paper's definition; `squared` is " +
      "1 − τ(η_c)²/τ(c)², as PyOD's `INNE` computes it — the default since it was chosen by a rule fixed " +
      'before the run (best mean ROC-AUC over the 21 shared benchmark sets on selection seeds 100–102: 0.855 ' +
      'against 0.850).',
  },
});
