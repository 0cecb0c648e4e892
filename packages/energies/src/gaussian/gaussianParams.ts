/**
 * The hyperparameters of {@link GaussianDensity}, declared once: the options interface (whose comments
 * `pnpm docs:options` writes from the declaration) and {@link GAUSSIAN_PARAMS}.
 *
 * @module
 */
import { constraints, ParamDeclaration, type ParamValues } from '@nexus/ebm-core/extend';

const { real, integer, oneOf } = constraints;

/**
 * How {@link GaussianDensity} estimates the covariance:
 * - `'full'`: the maximum-likelihood covariance `S = M₂ / n`;
 * - `'diagonal'`: per-feature variances only (features treated as independent; O(n·d) to fit);
 * - `'ledoit-wolf'`: `S` shrunk towards `μ·I` (μ = mean variance) with the Ledoit–Wolf (2004) optimal
 *   intensity — better conditioned when rows are few compared with features.
 */
export type CovarianceType = 'full' | 'diagonal' | 'ledoit-wolf';

/**
 * Options of {@link GaussianDensity}; accepted values and defaults are declared in {@link GAUSSIAN_PARAMS}.
 *
 * @example
 * ```ts
 * new GaussianDensity({ covariance: 'diagonal', regularization: 1e-4 });
 * ```
 */
export interface GaussianDensityOptions {
  /** Covariance estimate (see {@link CovarianceType}). Default: `'full'`. */
  readonly covariance?: CovarianceType;
  /**
   * Added to every variance (the covariance diagonal) after estimation, as scikit-learn's `reg_covar`.
   * Default: `0.000001`.
   */
  readonly regularization?: number;
  /**
   * Robust fitting: the share of training rows left out as suspected anomalies (0 = a plain
   * maximum-likelihood fit). With `trim = α > 0` the fit runs concentration steps as in Rousseeuw and Van
   * Driessen's FAST-MCD (1999), started from the fit on all rows: score every training row, refit on the ⌈(1
   * − α)·n⌉ rows of lowest energy, repeat until the kept rows stop changing or `trimSteps` steps have run.
   * Each step lowers the determinant of the fitted covariance, so rows that contaminate the training data
   * (which a single Gaussian would otherwise stretch to cover) stop inflating it. α = 0.25 is the compromise
   * between robustness and efficiency suggested by Rousseeuw and Van Driessen; 0.5 would be MCD's maximal
   * breakdown. A trimmed model summarises its kept rows only, so it cannot be streamed (`partialFit` after
   * fit) or merged. Default: `0`.
   */
  readonly trim?: number;
  /** The most concentration steps when `trim > 0`. Default: `10`. */
  readonly trimSteps?: number;
  /** Unused by the (deterministic) fit; kept for a uniform constructor. */
  readonly seed?: number;
}

/** The checked hyperparameters of a {@link GaussianDensity}. */
export type GaussianDensityParams = ParamValues<GaussianDensityOptions>;

const trimmed = (p: GaussianDensityParams): boolean => p.trim > 0;

/**
 * The Gaussian density's hyperparameters: constraint, default and documentation of each, in the order
 * they are checked and saved (`trim` and `trimSteps` only when trimming).
 *
 * @example
 * ```ts
 * GAUSSIAN_PARAMS.resolve({ trim: 0.25 }).trimSteps; // 10
 * ```
 */
export const GAUSSIAN_PARAMS: ParamDeclaration<GaussianDensityOptions, GaussianDensityParams> =
  new ParamDeclaration<GaussianDensityOptions, GaussianDensityParams>('GaussianDensity', {
    covariance: {
      check: oneOf<CovarianceType>(['full', 'diagonal', 'ledoit-wolf']),
      default: 'full',
      doc: 'Covariance estimate (see {@link CovarianceType}).',
    },
    regularization: {
      check: real({ ge: 0 }),
      default: 1e-6,
      doc: "Added to every variance (the covariance diagonal) after estimation, as scikit-learn's `reg_covar`.",
    },
    trim: {
      check: real({ ge: 0, lt: 0.5 }),
      default: 0,
      saved: trimmed,
      doc:
        'Robust fitting: the share of training rows left out as suspected anomalies (0 = a plain ' +
        'maximum-likelihood fit). With `trim = α > 0` the fit runs concentration steps as in Rousseeuw and ' +
        "Van Driessen's FAST-MCD (1999), started from the fit on all rows: score every training row, refit " +
        'on the ⌈(1 − α)·n⌉ rows of lowest energy, repeat until the kept rows stop changing or `trimSteps` ' +
        'steps have run. Each step lowers the determinant of the fitted covariance, so rows that contaminate ' +
        'the training data (which a single Gaussian would otherwise stretch to cover) stop inflating it. ' +
        'α = 0.25 is the compromise between robustness and efficiency suggested by Rousseeuw and Van ' +
        "Driessen; 0.5 would be MCD's maximal breakdown. A trimmed model summarises its kept rows only, so " +
        'it cannot be streamed (`partialFit` after fit) or merged.',
    },
    trimSteps: {
      check: integer(1, 1_000),
      default: 10,
      saved: trimmed,
      doc: 'The most concentration steps when `trim > 0`.',
    },
  });
