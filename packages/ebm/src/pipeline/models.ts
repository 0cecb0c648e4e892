import type { EnergyModel } from '@nexus/ebm-core';
import {
  Autoencoder,
  GaussianDensity,
  GaussianMixture,
  HistogramDensity,
  IsolationNNE,
  KernelDensity,
  KnnDensity,
  RBM,
} from '@nexus/ebm-energies';

/**
 * The energies the CLI and {@link trainPipeline} can build by name.
 */
export type ModelName = 'gaussian' | 'mixture' | 'autoencoder' | 'rbm' | 'histogram' | 'knn' | 'kde' | 'inne';

/**
 * Every {@link ModelName}, in the order the demo reports them.
 *
 * @example
 * ```ts
 * for (const name of MODEL_NAMES) makeModel(name, 1, 40);
 * ```
 */
export const MODEL_NAMES: readonly ModelName[] = Object.freeze([
  'autoencoder',
  'rbm',
  'gaussian',
  'mixture',
  'histogram',
  'knn',
  'kde',
  'inne',
] as ModelName[]);

/**
 * The energy `trainPipeline`, `trainPipelineStream`, `fitDetector` and `ebm train` use when none is named:
 * the Gaussian — no hyperparameters to choose, deterministic, and fitted in passes over the rows (so the
 * streaming trainer fits it on every row, not on a sample).
 *
 * @example
 * ```ts
 * makeModel(DEFAULT_MODEL, 1, 40); // a GaussianDensity
 * ```
 */
export const DEFAULT_MODEL: ModelName = 'gaussian';

/**
 * Builds an untrained energy by name with settings that suit featurized logs (tens of columns, tens of
 * thousands of rows) and train in seconds: a small autoencoder, a Gaussian RBM, a full-covariance Gaussian,
 * a four-component diagonal mixture, per-feature histograms with ⌊√n⌉ bins (5–50), a k-nearest-neighbour
 * density with k = ⌊√n⌉ (5–50) and a Gaussian kernel density with Scott's bandwidth (both z-scored, on at
 * most 20,000 seeded training rows), and iNNE with its defaults (200 sub-samples of 8 rows, z-scored).
 *
 * @param name - which energy.
 * @param seed - seed of the model's random choices.
 * @param nFeatures - width of the input, used to size hidden layers.
 * @example
 * ```ts
 * const model = makeModel('autoencoder', 1, 40);
 * ```
 */
export function makeModel(name: ModelName, seed: number, nFeatures: number): EnergyModel {
  switch (name) {
    case 'gaussian':
      return new GaussianDensity({ covariance: 'full', regularization: 1e-3, seed });
    case 'mixture':
      return new GaussianMixture({
        nComponents: 4,
        covariance: 'diagonal',
        regularization: 1e-3,
        maxIter: 60,
        nInit: 1,
        seed,
      });
    case 'autoencoder': {
      const h = Math.max(4, Math.min(32, Math.round(nFeatures / 2)));
      const z = Math.max(2, Math.min(8, Math.round(nFeatures / 6)));
      return new Autoencoder({
        hiddenSizes: [h, z, h],
        epochs: 8,
        batchSize: 128,
        learningRate: 3e-3,
        seed,
      });
    }
    case 'histogram':
      return new HistogramDensity({ bins: 'auto', seed });
    case 'knn':
      return new KnnDensity({ seed });
    case 'kde':
      return new KernelDensity({ seed });
    case 'inne':
      return new IsolationNNE({ seed });
    case 'rbm':
      return new RBM({
        visible: 'gaussian',
        nHidden: Math.max(4, Math.min(32, Math.round(nFeatures / 2))),
        epochs: 6,
        batchSize: 128,
        learningRate: 5e-3,
        seed,
      });
  }
}

/**
 * Whether `name` is a {@link ModelName}.
 *
 * @example
 * ```ts
 * isModelName('rbm'); // true
 * ```
 */
export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}
