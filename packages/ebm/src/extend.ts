/**
 * `@nexus/ebm/extend`: what you need to write your own energy, scaler, loader, log parser or featurizer
 * block with the library's guarantees — re-exports `@nexus/ebm-core/extend` and
 * `@nexus/ebm-features/extend` by name.
 *
 * @packageDocumentation
 */

export type {
  Constraint,
  NumberBounds,
  ParamRow,
  ParamSpec,
  ParamSpecs,
  ParamValues,
  ParseModelJSONOptions,
  RealBounds,
  Rejection,
} from '@nexus/ebm-core/extend';
export {
  BaseScaler,
  checkDeclaredSize,
  checkedBlocks,
  checkFiniteRows,
  checkModelJSON,
  checkOptionsObject,
  checkParam,
  checkSeed,
  columnOrderStatistics,
  constraints,
  describeValue,
  findNonFinite,
  hasBrand,
  isConstantColumn,
  MAX_ARRAY_LENGTH,
  MAX_DEPTH,
  MAX_FEATURES,
  MAX_JSON_CHARS,
  ParamDeclaration,
  parseModelJSON,
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
  scaleOrOne,
  setBrand,
  sortedQuantile,
} from '@nexus/ebm-core/extend';
export {
  decimalNumber,
  EntityTable,
  hashString,
  integerCode,
  isoTimeEnd,
  monthIndex,
  normalizeIp,
  parseBsdTime,
  parseIsoTime,
  parseJsonTime,
} from '@nexus/ebm-features/extend';
