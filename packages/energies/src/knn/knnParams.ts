/**
 * The hyperparameters of {@link KnnDensity}, declared once: the options interface (whose comments
 * `pnpm docs:options` writes from the declaration) and {@link KNN_PARAMS}.
 *
 * @module
 */
import { constraints, ParamDeclaration, type ParamValues } from '@nexus/ebm-core/extend';
import { DEFAULT_MAX_ROWS, MAX_REFERENCE_ROWS } from '../neighbours/referenceRows.js';

const { integer, oneOf, anyOf, boolean } = constraints;

/** Largest k accepted. */
export const MAX_K = 1000;

/** Which distance summarises the k nearest neighbours. */
export type KnnStatistic = 'kth' | 'mean';

/**
 * Options of {@link KnnDensity}; accepted values and defaults are declared in {@link KNN_PARAMS}.
 *
 * @example
 * ```ts
 * new KnnDensity({ k: 10, statistic: 'mean' });
 * ```
 */
export interface KnnDensityOptions {
  /**
   * Neighbours: a number, or `'auto'` for round(√n) clamped to [5, 50], n the training rows kept (the √n rule
   * of Loftsgaarden and Quesenberry, capped so the estimate stays local); never more than n. Default:
   * `'auto'`.
   */
  readonly k?: number | 'auto';
  /**
   * `'kth'`: the distance to the k-th neighbour (PyOD KNN's `largest`); `'mean'`: the mean distance to the k
   * nearest. Default: `'kth'`.
   */
  readonly statistic?: KnnStatistic;
  /**
   * Whether features are z-scored with the training mean and standard deviation before distances are taken.
   * Default: `true`.
   */
  readonly standardize?: boolean;
  /**
   * Most training rows kept as neighbours: above it, a uniform sample drawn with the fit's seed. Scoring
   * costs O(maxRows · d) per row; the saved model holds maxRows · d numbers. Default: `20000`.
   */
  readonly maxRows?: number;
  /** Default seed of `fit` (used only for the subsample). */
  readonly seed?: number;
}

/** The checked hyperparameters of a {@link KnnDensity}. */
export type KnnDensityParams = ParamValues<KnnDensityOptions>;

/**
 * The k-nearest-neighbour density's hyperparameters: constraint, default and documentation of each, in
 * the order they are checked and saved.
 *
 * @example
 * ```ts
 * KNN_PARAMS.resolve({}).k; // 'auto'
 * ```
 */
export const KNN_PARAMS: ParamDeclaration<KnnDensityOptions, KnnDensityParams> = new ParamDeclaration<
  KnnDensityOptions,
  KnnDensityParams
>('KnnDensity', {
  k: {
    check: anyOf(integer(1, MAX_K), oneOf(['auto'] as const)),
    default: 'auto',
    doc:
      "Neighbours: a number, or `'auto'` for round(√n) clamped to [5, 50], n the training rows kept (the √n " +
      'rule of Loftsgaarden and Quesenberry, capped so the estimate stays local); never more than n.',
  },
  statistic: {
    check: oneOf<KnnStatistic>(['kth', 'mean']),
    default: 'kth',
    doc: "`'kth'`: the distance to the k-th neighbour (PyOD KNN's `largest`); `'mean'`: the mean distance to the k nearest.",
  },
  standardize: {
    check: boolean(),
    default: true,
    doc: 'Whether features are z-scored with the training mean and standard deviation before distances are taken.',
  },
  maxRows: {
    check: integer(1, MAX_REFERENCE_ROWS),
    default: DEFAULT_MAX_ROWS,
    doc:
      "Most training rows kept as neighbours: above it, a uniform sample drawn with the fit's seed. Scoring " +
      'costs O(maxRows · d) per row; the saved model holds maxRows · d numbers.',
  },
});
