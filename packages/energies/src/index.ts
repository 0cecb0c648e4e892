/**
 * `@nexus/ebm-energies`: energy functions — Gaussian density, Gaussian mixture, histogram density, autoencoder, RBM, ensemble.
 *
 * @packageDocumentation
 */

// --- autoencoder, rbm (issue 4) ---
export type { AutoencoderOptions, AutoencoderParams } from './autoencoder/autoencoderParams.js';
export { Autoencoder, defaultHiddenSizes } from './autoencoder/Autoencoder.js';
export type {
  Activation,
  AeLayout,
  AeStepHyper,
  AeWorkspace,
  AutoencoderKernels,
} from './autoencoder/kernels.js';
export {
  ACTIVATIONS,
  adamUpdate,
  aeForward,
  aeGradients,
  aeLayout,
  aeScoreBatch,
  aeTrainStep,
  aeWorkspace,
  clipGradients,
  getAutoencoderKernels,
  setAutoencoderKernels,
  sgdUpdate,
  tsAutoencoderKernels,
  wasmAutoencoderKernels,
} from './autoencoder/kernels.js';
// --- input standardisation shared by the learned energies and their parallel trainers ---
export type { ColumnStats } from './trainingRows/standardize.js';
export { columnMeans, columnStats, columnStatsRange, toFloat32 } from './trainingRows/standardize.js';

// --- ensemble (issue 8) ---
export type {
  EnsembleCombine,
  EnsembleEnergyOptions,
  EnsembleEnergyParams,
  EnsembleSettings,
} from './ensemble/ensembleParams.js';
export { EnsembleEnergy } from './ensemble/EnsembleEnergy.js';
export type { EnsembleNormalization, MemberNormalizer } from './ensemble/normalize.js';
export { fitNormalizer, normalizeEnergy, normalQuantile } from './ensemble/normalize.js';
// --- gaussian, mixture (issue 3) ---
export type {
  CovarianceType,
  GaussianDensityOptions,
  GaussianDensityParams,
} from './gaussian/gaussianParams.js';
export { GaussianDensity } from './gaussian/GaussianDensity.js';
export type {
  GaussianMixtureOptions,
  GaussianMixtureParams,
  MixtureCovariance,
} from './mixture/mixtureParams.js';
export type {
  MixtureCriterion,
  SelectKOptions,
  SelectKResult,
} from './mixture/GaussianMixture.js';
export { GaussianMixture } from './mixture/GaussianMixture.js';
// --- histogram (marginal) density (issue 8) ---
export type {
  HistogramBins,
  HistogramDensityOptions,
  HistogramDensityParams,
} from './histogram/histogramParams.js';
export { HistogramDensity } from './histogram/HistogramDensity.js';
export type { RbmKernels, RbmWorkspace } from './rbm/kernels.js';
export {
  getRbmKernels,
  rbmCdStep,
  rbmFreeEnergy,
  rbmPackedSize,
  rbmReconstructionError,
  rbmWorkspace,
  seedXoshiro,
  setRbmKernels,
  tsRbmKernels,
  uniform24,
  wasmRbmKernels,
} from './rbm/kernels.js';
export type { RBMOptions, RBMParams } from './rbm/rbmParams.js';
export { checkBernoulliRange } from './rbm/checkBernoulliRange.js';
export { RBM } from './rbm/RBM.js';
