import {
  type EnergyModel,
  registeredKinds as kinds,
  loadModel as loadRegisteredModel,
} from '@nexus/ebm-core';
import { registerBuiltinModels } from '@nexus/ebm-energies';

/**
 * Loads a saved model of any registered kind — the built-in energies are registered first (explicitly, by
 * this call: no import side effect a bundler could drop), a user's energy after `registerModel`. From JSON
 * text or an object such as `model.toJSON()`; unknown kinds and versions, wrong shapes, non-finite numbers
 * and hostile input throw `ModelFormatError`.
 *
 * @example
 * ```ts
 * const model = loadModel(JSON.stringify(new GaussianDensity().fit(X).toJSON()));
 * model.energy(X);
 * ```
 */
export function loadModel(json: unknown): EnergyModel {
  registerBuiltinModels();
  return loadRegisteredModel(json);
}

/**
 * The model kinds `loadModel` accepts, sorted: the built-in energies and every kind registered with
 * `registerModel`.
 *
 * @example
 * ```ts
 * registeredKinds(); // ['autoencoder', 'ensemble', 'gaussian', 'histogram', 'mixture', 'rbm']
 * ```
 */
export function registeredKinds(): string[] {
  registerBuiltinModels();
  return kinds();
}
