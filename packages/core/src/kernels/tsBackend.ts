/**
 * The kernel backend interface and its TypeScript implementation, the reference every other backend is
 * tested against. Imports no other backend, so backends can build on it without an import loop.
 *
 * @module
 */
import { axpy } from './axpy.js';
import { centreDistances } from './centreDistances.js';
import { cholesky } from './cholesky.js';
import { clusterSums } from './clusterSums.js';
import { comoment } from './comoment.js';
import { covariance } from './covariance.js';
import { dot } from './dot.js';
import { gemm } from './gemm.js';
import { gemmF32 } from './gemmF32.js';
import { gemv } from './gemv.js';
import { invertLower } from './invertLower.js';
import { kernelLogSum } from './kernelLogSum.js';
import { knnSelect } from './knnSelect.js';
import { mahalanobisRows } from './mahalanobisRows.js';
import { solveLower } from './solveLower.js';
import { solveLowerTransposed } from './solveLowerTransposed.js';

/**
 * The set of kernels whose implementation can be swapped (WebAssembly SIMD where it validates, else pure TypeScript; see `getBackend`).
 * Every function has exactly the signature of the TypeScript kernel of the same name. A new backend that
 * accelerates only some kernels can spread {@link tsBackend} and override the rest:
 * `{ ...tsBackend, name: 'wasm', gemm: wasmGemm }`.
 *
 * @example
 * ```ts
 * const k: KernelBackend = getBackend();
 * k.gemm(false, false, m, n, kk, 1, a, 0, kk, b, 0, n, 0, c, 0, n);
 * ```
 */
export interface KernelBackend {
  /** Implementation name, reported by benchmarks (`backend` field). */
  readonly name: 'ts' | 'wasm';
  /** See {@link gemm}. */
  readonly gemm: typeof gemm;
  /** See {@link gemmF32}. */
  readonly gemmF32: typeof gemmF32;
  /** See {@link gemv}. */
  readonly gemv: typeof gemv;
  /** See {@link dot}. */
  readonly dot: typeof dot;
  /** See {@link axpy}. */
  readonly axpy: typeof axpy;
  /** See {@link covariance}. */
  readonly covariance: typeof covariance;
  /** See {@link comoment}. */
  readonly comoment: typeof comoment;
  /** See {@link cholesky}. */
  readonly cholesky: typeof cholesky;
  /** See {@link invertLower}. */
  readonly invertLower: typeof invertLower;
  /** See {@link solveLower}. */
  readonly solveLower: typeof solveLower;
  /** See {@link solveLowerTransposed}. */
  readonly solveLowerTransposed: typeof solveLowerTransposed;
  /** See {@link mahalanobisRows}. */
  readonly mahalanobisRows: typeof mahalanobisRows;
  /**
   * Optional, for a backend that copies the rows anyway: {@link mahalanobisRows} that also checks rows
   * r0 … r0+rows−1 for ±∞ and NaN on the way and returns false when one holds any (`out` is then
   * incomplete); otherwise writes exactly what `mahalanobisRows` writes and returns true. Absent: the
   * caller scans the rows itself.
   */
  readonly mahalanobisRowsChecked?: (...args: Parameters<typeof mahalanobisRows>) => boolean;
  /**
   * Optional, for a backend that copies the rows anyway: {@link mahalanobisRows} of rows r0 … r0+rows−1
   * for k components (means `means[c·d …]`, factors `precision[c·d² …]`) into `out[c·rows + r]`, the
   * rows copied once for all components; each value equals `mahalanobisRows`'s bit for bit. Absent: the
   * caller calls `mahalanobisRows` per component.
   */
  readonly mahalanobisRowsMulti?: (
    x: Float64Array,
    r0: number,
    rows: number,
    d: number,
    k: number,
    means: Float64Array,
    precision: Float64Array,
    out: Float64Array,
  ) => void;
  /** See {@link knnSelect}. */
  readonly knnSelect: typeof knnSelect;
  /** See {@link kernelLogSum}. */
  readonly kernelLogSum: typeof kernelLogSum;
  /** See {@link centreDistances}. */
  readonly centreDistances: typeof centreDistances;
  /** See {@link clusterSums}. */
  readonly clusterSums: typeof clusterSums;
}

/**
 * The pure TypeScript kernels: the reference in tests, and the default backend wherever WebAssembly SIMD
 * is unavailable or `EBM_BACKEND=ts` is set (see {@link getBackend}).
 *
 * @example
 * ```ts
 * setBackend(tsBackend);
 * ```
 */
export const tsBackend: KernelBackend = Object.freeze({
  name: 'ts',
  gemm,
  gemmF32,
  gemv,
  dot,
  axpy,
  covariance,
  comoment,
  cholesky,
  invertLower,
  solveLower,
  solveLowerTransposed,
  mahalanobisRows,
  knnSelect,
  kernelLogSum,
  centreDistances,
  clusterSums,
});
