/**
 * `@nexus/ebm-core/wasm`: the WebAssembly SIMD runtime — module loading, heap buffers and the resident
 * training sessions the learned energies and their parallel trainers use. Not needed to fit or score a
 * model (the backend is chosen automatically); subject to change between minor versions.
 *
 * @packageDocumentation
 */

export { WasmAeSession } from './kernels/wasm/aeSession.js';
export type { WasmAeHyper, WasmAeLayout, WasmAeWorkspace } from './kernels/wasm/autoencoder.js';
export { wasmAeScoreBatch, wasmAeTrainStep } from './kernels/wasm/autoencoder.js';
export type { WasmBuffer } from './kernels/wasm/buffers.js';
export { WasmF32Buffer, WasmF64Buffer } from './kernels/wasm/buffers.js';
export type { WasmHeap } from './kernels/wasm/heap.js';
export { wasmKernelLogSum } from './kernels/wasm/kernelLogSum.js';
export { wasmKnnSelect } from './kernels/wasm/knnSelect.js';
export { wasmMahalanobisRows } from './kernels/wasm/mahalanobis.js';
export { useWasmKernelModule, wasmKernelModule, wasmSimdSupported } from './kernels/wasm/module.js';
export type { WasmRbmWorkspace } from './kernels/wasm/rbm.js';
export { wasmRbmCdStep, wasmRbmFreeEnergy, wasmRbmReconstructionError } from './kernels/wasm/rbm.js';
export { WasmRbmSession } from './kernels/wasm/rbmSession.js';
export { releaseResidentReference } from './kernels/wasm/residentReference.js';
export { ResidentRows, WASM_RESIDENT_ROWS_MAX_FLOATS } from './kernels/wasm/residentRows.js';
export { ResidentSession } from './kernels/wasm/residentSession.js';
export type { WasmRuntime } from './kernels/wasm/runtime.js';
export { getWasmRuntime, initWasmRuntime } from './kernels/wasm/runtime.js';
