/**
 * `@nexus/ebm-energies/register`: importing this module registers the built-in energies with `loadModel`
 * (it calls {@link registerBuiltinModels}). It is the one module of the package declared with side effects
 * (`sideEffects` in package.json), so bundlers keep `import '@nexus/ebm-energies/register'`.
 *
 * @packageDocumentation
 */
import { registerBuiltinModels } from './registration/registerBuiltinModels.js';

registerBuiltinModels();

export { BUILTIN_MODEL_KINDS, registerBuiltinModels } from './registration/registerBuiltinModels.js';
