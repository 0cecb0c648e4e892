/**
 * The persistence registry: every energy (ours and a user's) registers a loader for its `kind`, and
 * {@link loadModel} dispatches on the tag. Saved models are untrusted input: {@link parseModelJSON} and
 * {@link loadModel} reject prototype-pollution keys, non-finite numbers, wrong shapes, huge declared sizes
 * and oversized arrays with a `ModelFormatError` (`modelJson.ts`); the `read*` helpers (`jsonReaders.ts`)
 * give loaders the same guarantees field by field.
 *
 * @example
 * ```ts
 * registerModel('mean-distance', (json) => MeanDistance.fromJSON(json));
 * const model = loadModel(text); // text from JSON.stringify(model.toJSON())
 * ```
 * @module
 */
import {
  describeValue,
  EbmError,
  InputTypeError,
  ModelFormatError,
  message,
  ParameterError,
} from '../errors.js';
import type { EnergyModel, ModelJSON } from './EnergyModel.js';
import { FORBIDDEN_KEYS } from './limits.js';
import { checkModelJSON, parseModelJSON } from './modelJson.js';

/**
 * A loader: rebuilds a model from checked `{kind, version, config, state}` JSON.
 */
export type ModelLoader = (json: ModelJSON) => EnergyModel;

/**
 * Options of {@link registerModel}.
 */
export interface RegisterModelOptions {
  /** Format versions the loader accepts (default `[1]`); others are rejected before the loader runs. */
  readonly versions?: readonly number[];
}

interface Entry {
  readonly load: ModelLoader;
  readonly versions: readonly number[];
}

const registry: Map<string, Entry> = new Map();

/**
 * Registers (or replaces) the loader for a model kind. Kinds are short identifiers
 * (`[A-Za-z0-9][A-Za-z0-9._-]*`, at most 64 characters).
 *
 * @example
 * ```ts
 * registerModel('gaussian', (json) => GaussianDensity.fromJSON(json));
 * registerModel('my-energy', (json) => MyEnergy.fromJSON(json), { versions: [1, 2] });
 * ```
 */
export function registerModel(kind: string, load: ModelLoader, options: RegisterModelOptions = {}): void {
  const api = 'registerModel';
  if (
    typeof kind !== 'string' ||
    !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(kind) ||
    FORBIDDEN_KEYS.has(kind)
  ) {
    throw new ParameterError(
      message(
        api,
        'invalid kind',
        'an identifier like "gaussian" ([A-Za-z0-9._-], ≤ 64 chars)',
        describeValue(kind),
      ),
    );
  }
  if (typeof load !== 'function') {
    throw new InputTypeError(message(api, 'load must be a function', 'a function', describeValue(load)));
  }
  const versions = options.versions ?? [1];
  if (
    !Array.isArray(versions) ||
    versions.length === 0 ||
    versions.some((v) => !Number.isInteger(v) || v < 1)
  ) {
    throw new ParameterError(
      message(
        api,
        'versions must be a non-empty array of positive integers',
        '[1, …]',
        describeValue(versions),
      ),
    );
  }
  registry.set(kind, { load, versions: versions.slice() });
}

/**
 * The kinds registered so far, sorted.
 *
 * @example
 * ```ts
 * registeredKinds(); // ['gaussian', 'mixture', …]
 * ```
 */
export function registeredKinds(): string[] {
  return [...registry.keys()].sort();
}

/**
 * Loads a saved model of any registered kind: from JSON text (parsed with {@link parseModelJSON}) or from an
 * object such as `model.toJSON()`. Unknown kinds and versions, wrong shapes, non-finite numbers and hostile
 * input throw `ModelFormatError`.
 *
 * @example
 * ```ts
 * const model = loadModel(JSON.stringify(new GaussianDensity().fit(X).toJSON()));
 * model.energy(X);
 * ```
 */
export function loadModel(json: unknown): EnergyModel {
  const api = 'loadModel';
  const value = typeof json === 'string' ? parseModelJSON(json) : json;
  const mj = checkModelJSON(value, api);
  const entry = registry.get(mj.kind);
  if (entry === undefined) {
    const known = registeredKinds();
    throw new ModelFormatError(
      message(
        api,
        'unknown model kind',
        `${known.length > 0 ? `one of ${known.map((k) => JSON.stringify(k)).join(', ')}` : 'a registered kind'}; the built-in energies are registered by loadModel of @nexus/ebm or by registerBuiltinModels() of @nexus/ebm-energies, your own with registerModel`,
        JSON.stringify(mj.kind),
      ),
    );
  }
  if (!entry.versions.includes(mj.version)) {
    throw new ModelFormatError(
      message(
        api,
        `unsupported version of kind ${JSON.stringify(mj.kind)}`,
        entry.versions.join(' or '),
        `${mj.version}`,
      ),
    );
  }
  try {
    return entry.load(mj);
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    // A constructor rejecting the saved config (ParameterError, ShapeError, …) means the file is bad.
    if (e instanceof RangeError || e instanceof TypeError || e instanceof EbmError) {
      throw new ModelFormatError(`${api}: invalid saved ${JSON.stringify(mj.kind)} model: ${e.message}`);
    }
    throw e;
  }
}
