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
export { findNonFinite } from './matrix/findNonFinite.js';
export { checkFiniteRows, toMatrix, toVector } from './matrix/toMatrix.js';
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
  UnsupportedError,
  ValueError,
} from './errors.js';
// --- random ---
export { Rng } from './random/Rng.js';

// --- kernels (issue 2) ---
export { axpy } from './kernels/axpy.js';
export { getBackend, setBackend, useFastestBackend } from './kernels/backend.js';
export type { KernelBackend } from './kernels/tsBackend.js';
export { tsBackend } from './kernels/tsBackend.js';
export { cholesky } from './kernels/cholesky.js';
export { comoment } from './kernels/comoment.js';
export { copyRows } from './kernels/copyRows.js';
export { covariance } from './kernels/covariance.js';
export { dot } from './kernels/dot.js';
export { gemm } from './kernels/gemm.js';
export { gemmF32 } from './kernels/gemmF32.js';
export { gemv } from './kernels/gemv.js';
export { invertLower } from './kernels/invertLower.js';
export { logDetCholesky } from './kernels/logDetCholesky.js';
export { logSumExp } from './kernels/logSumExp.js';
export { mahalanobisRows } from './kernels/mahalanobisRows.js';
export { solveLower } from './kernels/solveLower.js';
export { solveLowerTransposed } from './kernels/solveLowerTransposed.js';
export type { FloatArray } from './kernels/tile4x4.js';
export { packPanels, tile4x4 } from './kernels/tile4x4.js';
// --- linalg (issue 2) ---
export type { CholeskyOptions } from './linalg/choleskyFactor.js';
export { choleskyFactor } from './linalg/choleskyFactor.js';
export { choleskySolve } from './linalg/choleskySolve.js';
export type { CovarianceOptions, CovarianceResult } from './linalg/covarianceMatrix.js';
export { covarianceMatrix } from './linalg/covarianceMatrix.js';
export { logDet } from './linalg/logDet.js';
export type { MatmulOptions } from './linalg/matmul.js';
export { matmul } from './linalg/matmul.js';

// --- scale (issue 2) ---
export { BaseScaler, isConstantColumn, scaleOrOne } from './scale/BaseScaler.js';
export { loadScaler } from './scale/loadScaler.js';
export { MinMaxScaler } from './scale/MinMaxScaler.js';
export type { RobustScalerOptions } from './scale/RobustScaler.js';
export { RobustScaler, sortedQuantile } from './scale/RobustScaler.js';
export type { Scaler, ScalerJSON, ScalerType } from './scale/Scaler.js';
export { StandardScaler } from './scale/StandardScaler.js';

// --- model: base class, persistence, detector (issue 3) ---
export type { FitContext } from './model/BaseEnergyModel.js';
export { BaseEnergyModel, checkSeed } from './model/BaseEnergyModel.js';
export { checkOptionsObject, checkParam } from './check.js';
export type { Constraint, RealBounds, Rejection } from './params/constraints.js';
export { constraints } from './params/constraints.js';
export type { ParamRow, ParamSpec, ParamSpecs, ParamValues } from './params/ParamDeclaration.js';
export { ParamDeclaration } from './params/ParamDeclaration.js';
export type { ModelLoader, RegisterModelOptions } from './model/registry.js';
export { loadModel, registeredKinds, registerModel } from './model/registry.js';
export type { ParseModelJSONOptions } from './model/modelJson.js';
export { checkModelJSON, parseModelJSON } from './model/modelJson.js';
export { MAX_ARRAY_LENGTH, MAX_DEPTH, MAX_FEATURES, MAX_JSON_CHARS } from './model/limits.js';
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
export type {
  DetectorFitOptions,
  DetectorFromJSONOptions,
  DetectorJSON,
  DetectorOptions,
  Transformer,
  TransformerLoader,
} from './detector/Detector.js';
export { Detector, registerTransformer } from './detector/Detector.js';

// --- eval (issue 3) ---
export { averagePrecision } from './eval/averagePrecision.js';
export type { Confusion } from './eval/confusionAt.js';
export { confusionAt } from './eval/confusionAt.js';
export type { PrCurve } from './eval/prCurve.js';
export { prCurve } from './eval/prCurve.js';
export { precisionAtK } from './eval/precisionAtK.js';
export { rocAuc } from './eval/rocAuc.js';
export type { RocCurve } from './eval/rocCurve.js';
export { rocCurve } from './eval/rocCurve.js';
export type { BinaryLabels } from './eval/validate.js';

// --- threshold (issue 3) ---
export type { EvtOptions, EvtThreshold } from './threshold/evtThreshold.js';
export { evtThreshold } from './threshold/evtThreshold.js';
export type { BestF1 } from './threshold/thresholdBestF1.js';
export { thresholdBestF1 } from './threshold/thresholdBestF1.js';
export { thresholdForFpr } from './threshold/thresholdForFpr.js';
export { thresholdFromContamination } from './threshold/thresholdFromContamination.js';

// --- explain (issue 6) ---
export type { EnergyFunction, FeatureGroups } from './explain/coalitions.js';
export type { Explanation, ExplainOptions, HasSeparableTerms } from './explain/contributions.js';
export { explain } from './explain/contributions.js';
export type { ExactShapleyOptions, ShapleyValues } from './explain/exactShapley.js';
export { exactShapley, MAX_EXACT_PLAYERS } from './explain/exactShapley.js';
export type {
  KernelShapBatch,
  KernelShapOptions,
  KernelShapResult,
  SeparableTerms,
} from './explain/kernelShap.js';
export { DEFAULT_ROW_BUDGET, KernelExplainer, kernelShap } from './explain/kernelShap.js';
export type { KMeansOptions, KMeansResult } from './explain/kmeans.js';
export { kMeans } from './explain/kmeans.js';
export type { FieldAttribution, Reason, ReasonOptions } from './explain/reasons.js';
export { fieldGroups, formatReasons, groupByField, reasons } from './explain/reasons.js';

// --- wasm backend (issue 9) ---
export { WasmAeSession } from './kernels/wasm/aeSession.js';
export { ResidentSession } from './kernels/wasm/residentSession.js';
export { ResidentRows, WASM_RESIDENT_ROWS_MAX_FLOATS } from './kernels/wasm/residentRows.js';
export { WasmRbmSession } from './kernels/wasm/rbmSession.js';
export { wasmMahalanobisRows } from './kernels/wasm/mahalanobis.js';
export type { WasmAeHyper, WasmAeLayout, WasmAeWorkspace } from './kernels/wasm/autoencoder.js';
export { wasmAeScoreBatch, wasmAeTrainStep } from './kernels/wasm/autoencoder.js';
export type { WasmBuffer } from './kernels/wasm/buffers.js';
export { WasmF32Buffer, WasmF64Buffer } from './kernels/wasm/buffers.js';
export type { WasmHeap } from './kernels/wasm/heap.js';
export { useWasmKernelModule, wasmKernelModule, wasmSimdSupported } from './kernels/wasm/module.js';
export type { WasmRbmWorkspace } from './kernels/wasm/rbm.js';
export {
  wasmRbmCdStep,
  wasmRbmFreeEnergy,
  wasmRbmReconstructionError,
} from './kernels/wasm/rbm.js';
export type { WasmRuntime } from './kernels/wasm/runtime.js';
export { getWasmRuntime, initWasmRuntime } from './kernels/wasm/runtime.js';
export { getWasmBackend } from './kernels/wasm/wasmBackend.js';
