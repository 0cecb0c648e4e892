// Entry point of the WebAssembly kernel module (compiled by scripts/build-wasm.mjs). Every export takes
// byte pointers into this module's memory; the JavaScript side (src/kernels/wasm/) allocates them.
export { scratchEnd } from './scratch';
export { gemmF32, gemmF32Bias, scaleMatrixF32 } from './gemmF32';
export { gemmF64, scaleMatrixF64 } from './gemmF64';
export { gemvF64 } from './gemv';
export { cholesky, solveLower, solveLowerTransposed } from './cholesky';
export { aeForward, aeGradients, aeScoreBatch, adamUpdate, clipGradients, sgdUpdate } from './autoencoder';
export { rbmCdStep, rbmFreeEnergy, rbmReconstructionError } from './rbm';
export { expF32Array } from './vmath';
export { gatherRowsF32 } from './gather';
export { toF32Standardized } from './standardize';
export { mahalanobisF64 } from './mahalanobis';
