/**
 * `@nexus/ebm-core/extend`: what you need to write your own energy, scaler or loader with the library's
 * guarantees — hyperparameter and row checks, the field readers for untrusted
 * saved JSON and their size limits, and the scaler base class. (`BaseEnergyModel`, `registerModel`, the
 * error classes and `message` are at the root; `describeValue` is here, for the "got …" part of a message.)
 *
 * @packageDocumentation
 */

export { hasBrand, setBrand } from './brand.js';
export { checkOptionsObject, checkParam } from './check.js';
export { describeValue } from './errors.js';
export { findNonFinite } from './matrix/findNonFinite.js';
export { checkedBlocks } from './matrix/RowSource.js';
export { checkFiniteRows } from './matrix/toMatrix.js';
export { checkSeed } from './model/BaseEnergyModel.js';
export type { NumberBounds } from './model/jsonReaders.js';
export {
  checkDeclaredSize,
  readArray,
  readBoolean,
  readEnum,
  readFloat32Array,
  readFloat64Array,
  readInt,
  readIntArray,
  readNumber,
  readNumberMatrix,
  readObject,
  readOptionalInt,
  readOptionalNumber,
  readOptionalStringArray,
  readString,
  readStringArray,
} from './model/jsonReaders.js';
export { MAX_ARRAY_LENGTH, MAX_DEPTH, MAX_FEATURES, MAX_JSON_CHARS } from './model/limits.js';
export type { ParseModelJSONOptions } from './model/modelJson.js';
export { checkModelJSON, parseModelJSON } from './model/modelJson.js';
export type { Constraint, RealBounds, Rejection } from './params/constraints.js';
export { constraints } from './params/constraints.js';
export type { ParamRow, ParamSpec, ParamSpecs, ParamValues } from './params/ParamDeclaration.js';
export { ParamDeclaration } from './params/ParamDeclaration.js';
export { BaseScaler, isConstantColumn, scaleOrOne } from './scale/BaseScaler.js';
export { columnOrderStatistics } from './scale/columnOrderStatistics.js';
export { sortedQuantile } from './scale/RobustScaler.js';
