/**
 * `@nexus/ebm-core`: the `EnergyModel` contract, matrix kernels on typed arrays, seeded randomness,
 * scalers, evaluation, thresholds and explanations. Every public name is exported here explicitly.
 *
 * @packageDocumentation
 */

// --- matrix ---
export { Matrix } from './matrix/Matrix.js';
export type {
  MatrixLike,
  MlMatrixLike,
  NdArrayLike,
  ShapedArray,
  ToMatrixOptions,
} from './matrix/toMatrix.js';
export { toMatrix, toVector } from './matrix/toMatrix.js';
// --- model contract ---
export type { EnergyModel, FitOptions, ModelJSON, Progress } from './model/EnergyModel.js';
export type { FeatureColumn } from './model/FeatureColumn.js';
// --- errors ---
export {
  AbortError,
  describeValue,
  EbmError,
  InputTypeError,
  ModelFormatError,
  message,
  NotFittedError,
  ParameterError,
  ParseError,
  ShapeError,
  ValueError,
} from './model/errors.js';
// --- random ---
export { Rng } from './random/Rng.js';

// --- kernels (issue 2) ---

// --- scale (issue 2) ---

// --- model: base class, persistence, detector (issue 3) ---

// --- eval (issue 3) ---

// --- threshold (issue 3) ---

// --- explain (issue 6) ---
