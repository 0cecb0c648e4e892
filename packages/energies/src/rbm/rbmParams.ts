/**
 * The hyperparameters of {@link RBM}, declared once: the options interface (whose comments
 * `pnpm docs:options` writes from the declaration) and {@link RBM_PARAMS}.
 *
 * @module
 */
import { constraints, ParamDeclaration, type ParamValues } from '@nexus/ebm-core/extend';

const { real, integer, oneOf, boolean } = constraints;

/** Visible-unit types of {@link RBM}. */
const VISIBLE = ['bernoulli', 'gaussian'] as const;
/** Training methods of {@link RBM}. */
const METHODS = ['pcd', 'cd'] as const;

/**
 * Hyperparameters of {@link RBM}. Every field is optional; accepted values and defaults are declared in
 * {@link RBM_PARAMS}.
 */
export interface RBMOptions {
  /**
   * Visible units: `'bernoulli'` for binary or [0, 1] inputs (values outside [0, 1] are an error), or
   * `'gaussian'` (unit variance) for real-valued inputs, which are standardised first by default. Default:
   * `'bernoulli'`.
   */
  readonly visible?: 'bernoulli' | 'gaussian';
  /** `'pcd'` (persistent contrastive divergence) or `'cd'` (CD-k). Default: `'pcd'`. */
  readonly method?: 'pcd' | 'cd';
  /** Gibbs steps per update (the k of CD-k). Default: `1`. */
  readonly k?: number;
  /** Step size. Default: `0.1` for Bernoulli, `0.01` for Gaussian visible units. */
  readonly learningRate?: number;
  /** Momentum. Default: `0.5`. */
  readonly momentum?: number;
  /** L2 weight decay on the weights (not the biases). Default: `0.0001`. */
  readonly weightDecay?: number;
  /** Passes over the data. Default: `20`. */
  readonly epochs?: number;
  /** Minibatch size (and number of persistent chains). Default: `64`. */
  readonly batchSize?: number;
  /**
   * Standardise every feature with the training mean and standard deviation (Gaussian units only; `true` with
   * Bernoulli units is an error since they need [0, 1] inputs). Default: `true` for Gaussian, `false` for
   * Bernoulli visible units.
   */
  readonly standardize?: boolean;
  /** Number of hidden units. Default: `min(128, max(8, d))` for d features. */
  readonly nHidden?: number;
  /** Default seed of `fit`. */
  readonly seed?: number;
}

/** The checked hyperparameters of an {@link RBM} (`nHidden` is undefined until fit derives it). */
export type RBMParams = ParamValues<RBMOptions, 'nHidden'>;

/**
 * The RBM's hyperparameters: constraint, default and documentation of each, in the order they are checked
 * and saved.
 *
 * @example
 * ```ts
 * RBM_PARAMS.rows().map((r) => r.name); // ['visible', 'method', 'k', …]
 * ```
 */
export const RBM_PARAMS: ParamDeclaration<RBMOptions, RBMParams> = new ParamDeclaration<
  RBMOptions,
  RBMParams
>('RBM', {
  visible: {
    check: oneOf(VISIBLE),
    default: 'bernoulli',
    doc:
      "Visible units: `'bernoulli'` for binary or [0, 1] inputs (values outside [0, 1] are an error), or " +
      "`'gaussian'` (unit variance) for real-valued inputs, which are standardised first by default.",
  },
  method: {
    check: oneOf(METHODS),
    default: 'pcd',
    doc: "`'pcd'` (persistent contrastive divergence) or `'cd'` (CD-k).",
  },
  k: { check: integer(1, 1000), default: 1, doc: 'Gibbs steps per update (the k of CD-k).' },
  learningRate: {
    check: real({ gt: 0, le: 10 }),
    default: (p) => (p.visible === 'gaussian' ? 0.01 : 0.1),
    defaultDoc: '`0.1` for Bernoulli, `0.01` for Gaussian visible units',
    doc: 'Step size.',
  },
  momentum: { check: real({ ge: 0, lt: 1 }), default: 0.5, doc: 'Momentum.' },
  weightDecay: {
    check: real({ ge: 0 }),
    default: 1e-4,
    doc: 'L2 weight decay on the weights (not the biases).',
  },
  epochs: { check: integer(1, 1_000_000), default: 20, doc: 'Passes over the data.' },
  batchSize: {
    check: integer(1, 1_000_000),
    default: 64,
    doc: 'Minibatch size (and number of persistent chains).',
  },
  standardize: {
    check: boolean(),
    default: (p) => p.visible === 'gaussian',
    defaultDoc: '`true` for Gaussian, `false` for Bernoulli visible units',
    doc:
      'Standardise every feature with the training mean and standard deviation (Gaussian units only; ' +
      '`true` with Bernoulli units is an error since they need [0, 1] inputs).',
  },
  nHidden: {
    check: integer(1, 65_536),
    derived: '`min(128, max(8, d))` for d features',
    doc: 'Number of hidden units.',
  },
});
