// Entry point of the WebAssembly kernel module (compiled by scripts/build-wasm.mjs). Every export takes
// byte pointers into this module's memory; the JavaScript side (src/kernels/wasm/) allocates them.
export { scratchEnd } from './scratch';
export { gemmF32, gemmF32Bias, gemmF64, scaleMatrixF32, scaleMatrixF64 } from './gemm';
export { gemvF64 } from './gemv';
export { cholesky, invertLower, solveLower, solveLowerTransposed } from './cholesky';
export { aeForward, aeGradients, aeScoreBatch, adamUpdate, clipGradients, sgdUpdate } from './autoencoder';
export { rbmCdStep, rbmFreeEnergy, rbmReconstructionError } from './rbm';
export { expF32Array, tanhF32Array } from './vmath';
export { gatherRowsF32 } from './gather';
export { toF32Standardized } from './standardize';
export { allFiniteF64 } from './allFinite';
export { comomentF64, mahalanobisF64, mahalanobisScratchBytes } from './mahalanobis';
export { knnPackF32, knnScratchBytes, knnSelectF32 } from './knnSelect';
export { kernelLogSumF64 } from './kernelLogSum';
export { centreDistancesF64 } from './centreDistances';
export { clusterSumsF64 } from './clusterSums';
