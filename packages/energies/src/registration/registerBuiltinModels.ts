import { registeredKinds, registerModel } from '@nexus/ebm-core';
import { Autoencoder } from '../autoencoder/Autoencoder.js';
import { EnsembleEnergy } from '../ensemble/EnsembleEnergy.js';
import { GaussianDensity } from '../gaussian/GaussianDensity.js';
import { HistogramDensity } from '../histogram/HistogramDensity.js';
import { IsolationNNE } from '../inne/IsolationNNE.js';
import { KernelDensity } from '../kde/KernelDensity.js';
import { KnnDensity } from '../knn/KnnDensity.js';
import { GaussianMixture } from '../mixture/GaussianMixture.js';
import { RBM } from '../rbm/RBM.js';

/**
 * The persistence kinds of the built-in energies, in the order {@link registerBuiltinModels} registers them.
 *
 * @example
 * ```ts
 * BUILTIN_MODEL_KINDS.includes('gaussian'); // true
 * ```
 */
export const BUILTIN_MODEL_KINDS: readonly string[] = Object.freeze([
  'gaussian',
  'mixture',
  'histogram',
  'knn',
  'kde',
  'inne',
  'autoencoder',
  'rbm',
  'ensemble',
]);

let done = false;

/**
 * Registers the loaders of the built-in energies with `loadModel` (`registerModel` of `@nexus/ebm-core`), so
 * saved Gaussian, mixture, histogram, k-NN, kernel density, iNNE, autoencoder, RBM and ensemble models load by their `kind`. Explicit on
 * purpose: importing a package never registers anything (every package is side-effect free, so bundlers may
 * drop an import that is only there for its side effect). `loadModel`, `Detector` and `Pipeline` of
 * `@nexus/ebm` call this for you; call it yourself when you use `loadModel` or `Detector.fromJSON` of
 * `@nexus/ebm-core` directly (or import `@nexus/ebm-energies/register`, a module declared with side
 * effects that calls it). Idempotent; a kind that already has a loader (your own override) is left alone.
 *
 * @example
 * ```ts
 * registerBuiltinModels();
 * const model = loadModel(text); // a saved GaussianDensity, RBM, …
 * ```
 */
export function registerBuiltinModels(): void {
  if (done) return;
  done = true;
  const known = new Set(registeredKinds());
  const add = (kind: string, load: Parameters<typeof registerModel>[1], versions?: number[]): void => {
    if (!known.has(kind)) registerModel(kind, load, versions === undefined ? undefined : { versions });
  };
  add('gaussian', (json) => GaussianDensity.fromJSON(json));
  add('mixture', (json) => GaussianMixture.fromJSON(json));
  add('histogram', (json) => HistogramDensity.fromJSON(json));
  add('knn', (json) => KnnDensity.fromJSON(json));
  add('kde', (json) => KernelDensity.fromJSON(json));
  add('inne', (json) => IsolationNNE.fromJSON(json));
  add('autoencoder', (json) => Autoencoder.fromJSON(json));
  add('rbm', (json) => RBM.fromJSON(json));
  // format 1 (before member weights) loads as equal weights
  add('ensemble', (json) => EnsembleEnergy.fromJSON(json), [1, 2]);
}
