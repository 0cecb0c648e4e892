/**
 * The hyperparameters of {@link HistogramDensity}, declared once: the options interface (whose comments
 * `pnpm docs:options` writes from the declaration) and {@link HISTOGRAM_PARAMS}.
 *
 * @module
 */
import { constraints, ParamDeclaration, type ParamValues } from '@nexus/ebm-core/extend';

const { real, integer, oneOf, anyOf } = constraints;

/** Most bins per feature, fixed or stored (bounds the memory a model file can ask for). */
export const MAX_BINS = 10_000;

/**
 * How many bins {@link HistogramDensity} gives each feature: a fixed integer in [2, 10 000], or `'auto'`
 * for ⌊√n⌉ clamped to [5, 50] (n = training rows).
 */
export type HistogramBins = number | 'auto';

/**
 * Options of {@link HistogramDensity}; accepted values and defaults are declared in
 * {@link HISTOGRAM_PARAMS}.
 *
 * @example
 * ```ts
 * new HistogramDensity({ bins: 20, smoothing: 0.5 });
 * ```
 */
export interface HistogramDensityOptions {
  /**
   * Bins per feature: a number, or `'auto'` for ⌊√n⌉ clamped to [5, 50] (n = training rows); the default is
   * PyOD's HBOS's. Default: `10`.
   */
  readonly bins?: HistogramBins;
  /**
   * Pseudo-count added to every bin (Laplace smoothing), so that an empty bin keeps a finite energy. Default:
   * `1`.
   */
  readonly smoothing?: number;
  /** Unused by the (deterministic) fit; kept for a uniform constructor. */
  readonly seed?: number;
}

/** The checked hyperparameters of a {@link HistogramDensity}. */
export type HistogramDensityParams = ParamValues<HistogramDensityOptions>;

/**
 * The histogram density's hyperparameters: constraint, default and documentation of each, in the order
 * they are checked and saved.
 *
 * @example
 * ```ts
 * HISTOGRAM_PARAMS.resolve({ bins: 'auto' }).smoothing; // 1
 * ```
 */
export const HISTOGRAM_PARAMS: ParamDeclaration<HistogramDensityOptions, HistogramDensityParams> =
  new ParamDeclaration<HistogramDensityOptions, HistogramDensityParams>('HistogramDensity', {
    bins: {
      check: anyOf(integer(2, MAX_BINS), oneOf(['auto'] as const)),
      default: 10,
      doc:
        "Bins per feature: a number, or `'auto'` for ⌊√n⌉ clamped to [5, 50] (n = training rows); the " +
        "default is PyOD's HBOS's.",
    },
    smoothing: {
      check: real({ gt: 0 }),
      default: 1,
      doc: 'Pseudo-count added to every bin (Laplace smoothing), so that an empty bin keeps a finite energy.',
    },
  });
