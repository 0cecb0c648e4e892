/**
 * The benchmark's models and their label-free defaults. Every hyperparameter here is a fixed default or a
 * function of the training matrix's size (rows n, features d) only — never of a data set's name or labels.
 */
import type { EnergyModel } from '../../packages/core/src/index.js';
import { Autoencoder, GaussianDensity, RBM } from '../../packages/energies/src/index.js';

export type ModelName = 'gaussian' | 'mixture' | 'autoencoder' | 'rbm' | 'ensemble';
/** The single energies, in the order the ensemble holds them. */
export const BASE_MODELS: readonly Exclude<ModelName, 'ensemble'>[] = [
  'gaussian',
  'mixture',
  'autoencoder',
  'rbm',
];
export const ALL_MODELS: readonly ModelName[] = [...BASE_MODELS, 'ensemble'];

/** Training epochs for a sample budget: about `budget` sample visits, within [lo, hi] epochs. */
export function epochsFor(n: number, budget: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(budget / Math.max(n, 1))));
}

/** One line per model describing its defaults (for the docs). */
export const MODEL_DEFAULTS: Readonly<Record<Exclude<ModelName, 'ensemble'> | 'ensemble', string>> = {
  gaussian:
    'negative log-likelihood of one Gaussian; Ledoit–Wolf shrunk covariance when n < 50·d, else the full maximum-likelihood covariance; 1e-6 added to the diagonal',
  mixture: 'not available yet',
  autoencoder:
    'library defaults (encoder [⌈d/2⌉, ⌈d/8⌉], ReLU, Adam 1e-3, batch 64, 10 % validation, early stopping after 10 epochs); epochs = clamp(round(200 000 / n), 20, 100)',
  rbm: 'Gaussian–Bernoulli RBM on standardised inputs (library defaults: min(128, max(8, d)) hidden units, PCD-1, learning rate 0.01, batch 64); free energy; epochs = clamp(round(100 000 / n), 10, 50)',
  ensemble:
    'mean of the four members’ energies, each mapped through its own training energies’ empirical distribution to a normal quantile (log tails)',
};

/** A fresh, unfitted model with the benchmark defaults for an n×d training matrix. */
export function createModel(name: Exclude<ModelName, 'ensemble'>, n: number, d: number): EnergyModel {
  switch (name) {
    case 'gaussian':
      return new GaussianDensity({ covariance: n < 50 * d ? 'ledoit-wolf' : 'full', regularization: 1e-6 });
    case 'rbm':
      return new RBM({ visible: 'gaussian', epochs: epochsFor(n, 100_000, 10, 50) });
    case 'autoencoder':
      return new Autoencoder({ epochs: epochsFor(n, 200_000, 20, 100) });
    default:
      throw new Error(`createModel: ${name} is not available yet`);
  }
}
