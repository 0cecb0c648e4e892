/**
 * `@nexus/ebm-core`: the `EnergyModel` contract, the `Matrix` value, seeded randomness, scalers, the
 * `Detector`, persistence, evaluation, thresholds and explanations — the names users write. Every public
 * name is listed here explicitly; internals live under explicit subpaths:
 *
 * - `@nexus/ebm-core/kernels`: flat typed-array kernels, the TypeScript backend, Matrix-level linear algebra;
 * - `@nexus/ebm-core/wasm`: the WebAssembly runtime, buffers and resident training sessions;
 * - `@nexus/ebm-core/extend`: checks, JSON readers and limits for writing your own energy or scaler;
 * - `@nexus/ebm-core/testing`: the reusable `EnergyModel` contract suite.
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
export type { RowSource } from './matrix/RowSource.js';
export { matrixRows } from './matrix/RowSource.js';
// --- model contract ---
export type { EnergyModel, FitOptions, ModelJSON, Progress } from './model/EnergyModel.js';
export type { FeatureColumn } from './model/FeatureColumn.js';
// --- errors ---
export {
  AbortError,
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
export { RowReservoir } from './random/RowReservoir.js';
// --- kernel backend choice (the kernels themselves: `@nexus/ebm-core/kernels`) ---
export { getBackend, setBackend, useFastestBackend } from './kernels/backend.js';
export type { KernelBackend } from './kernels/tsBackend.js';

// --- scale ---
export { loadScaler } from './scale/loadScaler.js';
export { MinMaxScaler } from './scale/MinMaxScaler.js';
export type { RobustScalerOptions } from './scale/RobustScaler.js';
export { RobustScaler } from './scale/RobustScaler.js';
export type { Scaler, ScalerJSON, ScalerType } from './scale/Scaler.js';
export { StandardScaler } from './scale/StandardScaler.js';

// --- model: base class, persistence, detector ---
export type { FitContext } from './model/BaseEnergyModel.js';
export { BaseEnergyModel } from './model/BaseEnergyModel.js';
export type { ModelLoader, RegisterModelOptions } from './model/registry.js';
export { loadModel, registeredKinds, registerModel } from './model/registry.js';
export type {
  DetectorFitOptions,
  DetectorFromJSONOptions,
  DetectorJSON,
  DetectorOptions,
  Transformer,
  TransformerLoader,
} from './detector/Detector.js';
export { Detector, registerTransformer } from './detector/Detector.js';
export { minCalibrationRows } from './detector/minCalibrationRows.js';

// --- eval ---
export { averagePrecision } from './eval/averagePrecision.js';
export type { Confusion } from './eval/confusionAt.js';
export { confusionAt } from './eval/confusionAt.js';
export type { ConformalCount } from './eval/falseAlarmCountPmf.js';
export { falseAlarmCountPmf } from './eval/falseAlarmCountPmf.js';
export type { FalseAlarmRange } from './eval/falseAlarmRange.js';
export { falseAlarmRange } from './eval/falseAlarmRange.js';
export type { PrCurve } from './eval/prCurve.js';
export { prCurve } from './eval/prCurve.js';
export { precisionAtK } from './eval/precisionAtK.js';
export { rocAuc } from './eval/rocAuc.js';
export type { RocCurve } from './eval/rocCurve.js';
export { rocCurve } from './eval/rocCurve.js';
export type { BinaryLabels } from './eval/validate.js';

// --- threshold ---
export type { EvtOptions, EvtThreshold } from './threshold/evtThreshold.js';
export { evtThreshold } from './threshold/evtThreshold.js';
export type { BestF1 } from './threshold/thresholdBestF1.js';
export { thresholdBestF1 } from './threshold/thresholdBestF1.js';
export { thresholdForFpr } from './threshold/thresholdForFpr.js';
export { thresholdFromContamination } from './threshold/thresholdFromContamination.js';

// --- incidents ---
export type { Incident, IncidentEvent, IncidentTrackerOptions } from './incidents/IncidentTracker.js';
export { IncidentTracker } from './incidents/IncidentTracker.js';
export { incidentNovelty } from './incidents/novelty.js';

// --- explain ---
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
export type { KMeansOptions, KMeansResult } from './stats/kMeans.js';
export { kMeans } from './stats/kMeans.js';
export type { FieldAttribution, Reason, ReasonOptions } from './explain/reasons.js';
export { fieldGroups, formatReasons, groupByField, reasons } from './explain/reasons.js';
