/**
 * The hyperparameters of {@link KernelDensity}, declared once: the options interface (whose comments
 * `pnpm docs:options` writes from the declaration) and {@link KDE_PARAMS}.
 *
 * @module
 */
import { constraints, ParamDeclaration, type ParamValues } from '@nexus/ebm-core/extend';
import { DEFAULT_MAX_ROWS, MAX_REFERENCE_ROWS } from '../neighbours/referenceRows.js';

const { real, integer, oneOf, anyOf, boolean } = constraints;

/** Bandwidth bounds: 1/(2h²) and the energy's constant stay finite inside them. */
export const MIN_BANDWIDTH = 1e-150;
export const MAX_BANDWIDTH = 1e150;

/**
 * How {@link KernelDensity} chooses its bandwidth: a number (in standard units when standardising, else
 * input units), or a label-free rule: `'scott'` `h = σ̄·n^(−1/(d+4))`, `'silverman'`
 * `h = σ̄·(4/(d+2))^(1/(d+4))·n^(−1/(d+4))` (σ̄ = 1 on z-scored rows, else the root mean column variance),
 * or `'loo'`, the bandwidth of highest leave-one-out log-likelihood of the training rows on a grid of 17
 * factors of Scott's (1/8 … 2).
 */
export type KdeBandwidth = number | 'scott' | 'silverman' | 'loo';

/**
 * Options of {@link KernelDensity}; accepted values and defaults are declared in {@link KDE_PARAMS}.
 *
 * @example
 * ```ts
 * new KernelDensity({ bandwidth: 'loo' });
 * ```
 */
export interface KernelDensityOptions {
  /**
   * The bandwidth (in standard units when standardising) or the rule that chooses it: `'scott'` n^(−1/(d+4)),
   * `'silverman'` (4/(d+2))^(1/(d+4))·n^(−1/(d+4)), or `'loo'`, the highest leave-one-out log-likelihood of
   * the training rows among 17 factors (1/8 … 2) of Scott's. Default: `'scott'`.
   */
  readonly bandwidth?: KdeBandwidth;
  /**
   * Whether features are z-scored with the training mean and standard deviation before distances are taken.
   * Default: `true`.
   */
  readonly standardize?: boolean;
  /**
   * Most training rows kept as kernel centres: above it, a uniform sample drawn with the fit's seed. Scoring
   * costs O(maxRows · d) per row; the saved model holds maxRows · d numbers. Default: `20000`.
   */
  readonly maxRows?: number;
  /**
   * Robust fitting: the share of training rows left out as suspected anomalies (0 = every row is a centre).
   * With `trim = α > 0` the fit runs concentration steps, started from the fit on all rows: score every
   * training row (leave-one-out for the rows that are centres), refit on the ⌈(1 − α)·n⌉ rows of lowest
   * energy, repeat until the kept rows stop changing or `trimSteps` refits have run. Isolated anomalies in
   * the training data then stop lending density to the rows around them. Each refit is a whole fit of the
   * kept rows (their own standardisation, bandwidth rule and seed). Default: `0`.
   */
  readonly trim?: number;
  /** The most refits when `trim > 0`. Default: `10`. */
  readonly trimSteps?: number;
  /** Default seed of `fit` (the subsample and the rows `'loo'` evaluates). */
  readonly seed?: number;
}

/** The checked hyperparameters of a {@link KernelDensity}. */
export type KernelDensityParams = ParamValues<KernelDensityOptions>;

const trimmed = (p: KernelDensityParams): boolean => p.trim > 0;

/**
 * The kernel density's hyperparameters: constraint, default and documentation of each, in the order they
 * are checked and saved.
 *
 * @example
 * ```ts
 * KDE_PARAMS.resolve({}).bandwidth; // 'scott'
 * ```
 */
export const KDE_PARAMS: ParamDeclaration<KernelDensityOptions, KernelDensityParams> = new ParamDeclaration<
  KernelDensityOptions,
  KernelDensityParams
>('KernelDensity', {
  bandwidth: {
    check: anyOf(
      real({ ge: MIN_BANDWIDTH, le: MAX_BANDWIDTH }),
      oneOf(['scott', 'silverman', 'loo'] as const),
    ),
    default: 'scott',
    doc:
      "The bandwidth (in standard units when standardising) or the rule that chooses it: `'scott'` " +
      "n^(−1/(d+4)), `'silverman'` (4/(d+2))^(1/(d+4))·n^(−1/(d+4)), or `'loo'`, the highest leave-one-out " +
      "log-likelihood of the training rows among 17 factors (1/8 … 2) of Scott's.",
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
      "Most training rows kept as kernel centres: above it, a uniform sample drawn with the fit's seed. " +
      'Scoring costs O(maxRows · d) per row; the saved model holds maxRows · d numbers.',
  },
  trim: {
    check: real({ ge: 0, lt: 0.5 }),
    default: 0,
    saved: trimmed,
    doc:
      'Robust fitting: the share of training rows left out as suspected anomalies (0 = every row is a ' +
      'centre). With `trim = α > 0` the fit runs concentration steps, started from the fit on all rows: ' +
      'score every training row (leave-one-out for the rows that are centres), refit on the ⌈(1 − α)·n⌉ ' +
      'rows of lowest energy, repeat until the kept rows stop changing or `trimSteps` refits have run. ' +
      'Isolated anomalies in the training data then stop lending density to the rows around them. Each ' +
      'refit is a whole fit of the kept rows (their own standardisation, bandwidth rule and seed).',
  },
  trimSteps: {
    check: integer(1, 1_000),
    default: 10,
    saved: trimmed,
    doc: 'The most refits when `trim > 0`.',
  },
});
