/**
 * `@nexus/ebm-core/kernels`: the numerical internals — one kernel per function on flat row-major typed
 * arrays (offsets and sizes; they allocate nothing and check nothing), the two `KernelBackend`
 * implementations, and the Matrix-level linear algebra that allocates and checks. Not needed to fit or
 * score a model; subject to change between minor versions.
 *
 * @packageDocumentation
 */

export { axpy } from './kernels/axpy.js';
export { centreDistances } from './kernels/centreDistances.js';
export { cholesky } from './kernels/cholesky.js';
export { clusterSums } from './kernels/clusterSums.js';
export { columnMeans, columnStd } from './kernels/columnStats.js';
export { comoment } from './kernels/comoment.js';
export { copyRows } from './kernels/copyRows.js';
export { covariance } from './kernels/covariance.js';
export { dot } from './kernels/dot.js';
export { gemm } from './kernels/gemm.js';
export { gemmF32 } from './kernels/gemmF32.js';
export { gemv } from './kernels/gemv.js';
export { invertLower } from './kernels/invertLower.js';
export { kernelLogSum } from './kernels/kernelLogSum.js';
export { knnSelect } from './kernels/knnSelect.js';
export { logDetCholesky } from './kernels/logDetCholesky.js';
export { logSumExp } from './kernels/logSumExp.js';
export { mahalanobisRows } from './kernels/mahalanobisRows.js';
export { solveLower } from './kernels/solveLower.js';
export { solveLowerTransposed } from './kernels/solveLowerTransposed.js';
export { rowSquaredNorms } from './kernels/sqDistBlock.js';
export type { FloatArray } from './kernels/tile4x4.js';
export { packPanels, packRows, tile4x4 } from './kernels/tile4x4.js';
export type { KernelBackend } from './kernels/tsBackend.js';
export { tsBackend } from './kernels/tsBackend.js';
export { getWasmBackend } from './kernels/wasm/wasmBackend.js';
// --- Matrix-level linear algebra (allocates, checks shapes) ---
export type { CholeskyOptions } from './linalg/choleskyFactor.js';
export { choleskyFactor } from './linalg/choleskyFactor.js';
export { choleskySolve } from './linalg/choleskySolve.js';
export type { CovarianceOptions, CovarianceResult } from './linalg/covarianceMatrix.js';
export { covarianceMatrix } from './linalg/covarianceMatrix.js';
export { logDet } from './linalg/logDet.js';
export type { MatmulOptions } from './linalg/matmul.js';
export { matmul } from './linalg/matmul.js';
