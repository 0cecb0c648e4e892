/**
 * `@nexus/ebm-energies`: energy functions — Gaussian density, Gaussian mixture, histogram density,
 * k-nearest-neighbour and kernel densities, isolation by nearest-neighbour ensembles (iNNE), autoencoder, RBM, ensemble — and {@link registerBuiltinModels},
 * which makes their saved files loadable by `loadModel`. Training internals (kernels, workspaces, column statistics) live under
 * `@nexus/ebm-energies/training`.
 *
 * @packageDocumentation
 */

// --- autoencoder ---
export { Autoencoder } from './autoencoder/Autoencoder.js';
export type { AutoencoderOptions, AutoencoderParams } from './autoencoder/autoencoderParams.js';
export type { Activation } from './autoencoder/kernels.js';
// --- ensemble ---
export { EnsembleEnergy } from './ensemble/EnsembleEnergy.js';
export type {
  EnsembleCombine,
  EnsembleEnergyOptions,
  EnsembleEnergyParams,
  EnsembleSettings,
} from './ensemble/ensembleParams.js';
export type { EnsembleWeighting } from './ensemble/memberWeights.js';
export type { EnsembleNormalization, MemberNormalizer } from './ensemble/normalize.js';
// --- gaussian, mixture ---
export { GaussianDensity } from './gaussian/GaussianDensity.js';
export type {
  CovarianceType,
  GaussianDensityOptions,
  GaussianDensityParams,
} from './gaussian/gaussianParams.js';
export type { MixtureCriterion, SelectKOptions, SelectKResult } from './mixture/GaussianMixture.js';
export { GaussianMixture } from './mixture/GaussianMixture.js';
export type {
  GaussianMixtureOptions,
  GaussianMixtureParams,
  MixtureCovariance,
} from './mixture/mixtureParams.js';
// --- histogram (marginal) density ---
export { HistogramDensity } from './histogram/HistogramDensity.js';
export type {
  HistogramBins,
  HistogramDensityOptions,
  HistogramDensityParams,
} from './histogram/histogramParams.js';
// --- local densities: k nearest neighbours, kernel density ---
export { KernelDensity } from './kde/KernelDensity.js';
export type { KdeBandwidth, KernelDensityOptions, KernelDensityParams } from './kde/kdeParams.js';
export { KnnDensity } from './knn/KnnDensity.js';
export type { KnnDensityOptions, KnnDensityParams, KnnStatistic } from './knn/knnParams.js';
// --- isolation using nearest-neighbour ensembles ---
export { IsolationNNE } from './inne/IsolationNNE.js';
export type { InneRatio, IsolationNNEOptions, IsolationNNEParams } from './inne/inneParams.js';
// --- rbm ---
export { RBM } from './rbm/RBM.js';
export type { RBMOptions, RBMParams } from './rbm/rbmParams.js';
// --- persistence: explicit registration of the built-in kinds ---
export { BUILTIN_MODEL_KINDS, registerBuiltinModels } from './registration/registerBuiltinModels.js';
