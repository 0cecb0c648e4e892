/**
 * The hyperparameters of {@link GaussianMixture}, declared once: the options interface (whose comments
 * `pnpm docs:options` writes from the declaration) and {@link MIXTURE_PARAMS}.
 *
 * @module
 */
import { constraints, ParamDeclaration, type ParamValues } from '@nexus/ebm-core/extend';

const { real, integer, oneOf } = constraints;

/**
 * Covariance form of each mixture component.
 */
export type MixtureCovariance = 'full' | 'diagonal';

/**
 * Options of {@link GaussianMixture}; accepted values and defaults are declared in {@link MIXTURE_PARAMS}.
 *
 * @example
 * ```ts
 * new GaussianMixture({ nComponents: 4, nInit: 3, maxIter: 200 });
 * ```
 */
export interface GaussianMixtureOptions {
  /** Number of components k. Default: `2`. */
  readonly nComponents?: number;
  /** Component covariance form. Default: `'full'`. */
  readonly covariance?: MixtureCovariance;
  /** Added to every component variance, as scikit-learn's `reg_covar`. Default: `0.000001`. */
  readonly regularization?: number;
  /** EM stops when the mean log-likelihood changes by less than this (as scikit-learn). Default: `0.001`. */
  readonly tolerance?: number;
  /** Most EM iterations per initialisation. Default: `100`. */
  readonly maxIter?: number;
  /** Number of k-means++ initialisations; the one with the best likelihood is kept. Default: `1`. */
  readonly nInit?: number;
  /** Default seed of `fit`. */
  readonly seed?: number;
}

/** The checked hyperparameters of a {@link GaussianMixture}. */
export type GaussianMixtureParams = ParamValues<GaussianMixtureOptions>;

/**
 * The mixture's hyperparameters: constraint, default and documentation of each, in the order they are
 * checked and saved.
 *
 * @example
 * ```ts
 * MIXTURE_PARAMS.resolve({}).nComponents; // 2
 * ```
 */
export const MIXTURE_PARAMS: ParamDeclaration<GaussianMixtureOptions, GaussianMixtureParams> =
  new ParamDeclaration<GaussianMixtureOptions, GaussianMixtureParams>('GaussianMixture', {
    nComponents: { check: integer(1, 10_000), default: 2, doc: 'Number of components k.' },
    covariance: {
      check: oneOf<MixtureCovariance>(['full', 'diagonal']),
      default: 'full',
      doc: 'Component covariance form.',
    },
    regularization: {
      check: real({ ge: 0 }),
      default: 1e-6,
      doc: "Added to every component variance, as scikit-learn's `reg_covar`.",
    },
    tolerance: {
      check: real({ ge: 0 }),
      default: 1e-3,
      doc: 'EM stops when the mean log-likelihood changes by less than this (as scikit-learn).',
    },
    maxIter: { check: integer(1, 1_000_000), default: 100, doc: 'Most EM iterations per initialisation.' },
    nInit: {
      check: integer(1, 1000),
      default: 1,
      doc: 'Number of k-means++ initialisations; the one with the best likelihood is kept.',
    },
  });
