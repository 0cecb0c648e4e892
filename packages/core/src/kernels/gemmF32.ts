import { gemmBlocked } from './gemm.js';

/**
 * Single-precision general matrix multiply: `C = α·op(A)·op(B) + β·C` on flat row-major `Float32Array`s,
 * with exactly the same arguments and semantics as {@link gemm} (op(A) is m×k, op(B) is k×n, C is m×n).
 *
 * The same blocked implementation as {@link gemm}: panels are converted to 64-bit floats while they are
 * packed, so the 4×4 register block accumulates in double precision locals and each element of C is
 * rounded to single precision once per K panel.
 * Allocates nothing once its packing buffers have grown; checks nothing.
 *
 * Cost: 2·m·n·k flops.
 *
 * @example
 * ```ts
 * const a = new Float32Array([1, 2, 3, 4]); // 2×2
 * const b = new Float32Array([1, 1, 1, 1]); // 2×2
 * const c = new Float32Array(4);
 * gemmF32(false, false, 2, 2, 2, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2); // c = [3, 3, 7, 7]
 * ```
 */
export function gemmF32(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  aOff: number,
  lda: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  beta: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
): void {
  gemmBlocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
}
