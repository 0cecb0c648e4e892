/**
 * `@nexus/ebm-energies/training`: the training internals of the learned energies — autoencoder and RBM
 * kernels and workspaces (TypeScript and WebAssembly), optimiser steps, the training schedules (plans,
 * random draws, early stopping) shared by `fit` and the parallel trainers, the input standardisation shared
 * with the parallel trainers, and the ensemble's member normalisation and label-free weighting (rank
 * correlations, member weights, the trimmed mean). Used by `@nexus/ebm`'s worker pools and the accuracy
 * benchmark; not needed to fit or score a model; subject to change between minor versions.
 *
 * @packageDocumentation
 */

export type { AeLayout, AeStepHyper, AeWorkspace, AutoencoderKernels } from './autoencoder/kernels.js';
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
export type { AePlan } from './autoencoder/schedule.js';
export {
  AeSchedule,
  autoEpochs,
  defaultHiddenSizes,
  divergedError,
  EarlyStopping,
  planAutoencoder,
  stepHyper,
} from './autoencoder/schedule.js';
export type { EnsembleCombination } from './ensemble/combination.js';
export { combineNormalized, fitCombination, normalizeMembers } from './ensemble/combination.js';
export type { EnsembleWeighting } from './ensemble/memberWeights.js';
export {
  averageRanks,
  consensusAgreement,
  memberWeights,
  pearson,
  spearman,
  trimmedMean,
} from './ensemble/memberWeights.js';
export { fitNormalizer, normalizeEnergy, normalQuantile } from './ensemble/normalize.js';
export { checkBernoulliRange } from './rbm/checkBernoulliRange.js';
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
export type { RbmPlan, RbmRows } from './rbm/schedule.js';
export { planRbm, RbmSchedule, rbmRows, reconstructionDivergedError } from './rbm/schedule.js';
export type { ColumnStats } from './trainingRows/standardize.js';
export { columnStats, columnStatsRange, toFloat32 } from './trainingRows/standardize.js';
