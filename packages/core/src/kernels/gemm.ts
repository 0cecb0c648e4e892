import { type FloatArray, packPanels, tile4x4 } from './tile4x4.js';

/**
 * Blocking parameters of {@link gemm} and {@link gemmF32}: the reduction dimension is cut into panels of
 * `KC`, rows of op(A) into blocks of `MC` and columns of op(B) into blocks of `NC`; the register block
 * ({@link tile4x4}) computes 4×4 tiles.
 */
const KC = 256;
const MC = 64;
const NC = 512;

// Packing buffers and the tile, grown on demand and reused (not re-entrant; JavaScript is single-threaded).
let packA: Float64Array = new Float64Array(MC * KC);
let packB: Float64Array = new Float64Array(KC * 64);
const tile = new Float64Array(16);

/**
 * General matrix multiply on flat row-major arrays: `C = α·op(A)·op(B) + β·C`, where op(A) is m×k
 * (A itself is k×m when `transA`), op(B) is k×n and C is m×n. Element (i, j) of C lives at
 * `c[cOff + i * ldc + j]`; likewise for A and B with their leading dimensions.
 *
 * Register-blocked: panels of op(A) and op(B) are packed (α folded into A) into contiguous buffers and a
 * 4×4 register block ({@link tile4x4}) keeps its 16 accumulators in locals. Any shape works, including 1×1, zero sizes and
 * sizes that are not multiples of the block. When `beta` is 0, C is overwritten (NaN in C does not
 * propagate); when `alpha` is 0 or `k` is 0, A and B are not read. Allocates nothing once its packing
 * buffers have grown; checks nothing.
 *
 * Cost: 2·m·n·k flops.
 *
 * @example
 * ```ts
 * // C (2×2) = A (2×3) · B (3×2)
 * const a = new Float64Array([1, 2, 3, 4, 5, 6]);
 * const b = new Float64Array([1, 0, 0, 1, 1, 1]);
 * const c = new Float64Array(4);
 * gemm(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2); // c = [4, 5, 10, 11]
 * ```
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  beta: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  gemmBlocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
}

/**
 * The one blocked GEMM behind {@link gemm} and {@link gemmF32}: panels of α·op(A) and op(B) are packed as
 * 64-bit floats ({@link packPanels}), so the 4×4 register block accumulates in double precision and each
 * element of C is rounded to its array's precision once per K panel.
 */
export function gemmBlocked(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  aOff: number,
  lda: number,
  b: FloatArray,
  bOff: number,
  ldb: number,
  beta: number,
  c: FloatArray,
  cOff: number,
  ldc: number,
): void {
  if (m <= 0 || n <= 0) return;
  if (beta !== 1) {
    for (let i = 0; i < m; i++) {
      const row = cOff + i * ldc;
      if (beta === 0) c.fill(0, row, row + n);
      else for (let j = row; j < row + n; j++) c[j] = beta * (c[j] as number);
    }
  }
  if (k <= 0 || alpha === 0) return;

  const kcMax = Math.min(k, KC);
  const mcMax = Math.min(m, MC);
  const ncMax = Math.min(n, NC);
  const needA = ((mcMax + 3) >> 2) * 4 * kcMax;
  const needB = ((ncMax + 3) >> 2) * 4 * kcMax;
  if (packA.length < needA) packA = new Float64Array(needA);
  if (packB.length < needB) packB = new Float64Array(needB);
  const pa = packA;
  const pb = packB;

  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(n - jc, NC);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(k - pc, KC);
      // op(B)[p][j] = b[p·ldb + j], or b[j·ldb + p] when transposed.
      if (transB) packPanels(1, b, bOff + jc * ldb + pc, 1, ldb, kc, nc, pb, 0);
      else packPanels(1, b, bOff + pc * ldb + jc, ldb, 1, kc, nc, pb, 0);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(m - ic, MC);
        // Rows of op(A) are packed as the columns of op(A)ᵀ, whose element (p, i) is op(A)[i][p].
        if (transA) packPanels(alpha, a, aOff + pc * lda + ic, lda, 1, kc, mc, pa, 0);
        else packPanels(alpha, a, aOff + ic * lda + pc, 1, lda, kc, mc, pa, 0);
        for (let jr = 0; jr < nc; jr += 4) {
          const nr = Math.min(nc - jr, 4);
          const bBase = jr * kc;
          for (let ir = 0; ir < mc; ir += 4) {
            const mr = Math.min(mc - ir, 4);
            tile4x4(kc, pa, ir * kc, pb, bBase, tile);
            addTile(c, cOff + (ic + ir) * ldc + jc + jr, ldc, mr, nr);
          }
        }
      }
    }
  }
}

/** C tile (mr×nr ≤ 4×4 at `c[ci …]`, row stride ldc) += the register block's tile. */
function addTile(c: FloatArray, ci: number, ldc: number, mr: number, nr: number): void {
  const t = tile;
  if (mr === 4 && nr === 4) {
    let r = ci;
    for (let i = 0; i < 16; i += 4, r += ldc) {
      c[r] = (c[r] as number) + (t[i] as number);
      c[r + 1] = (c[r + 1] as number) + (t[i + 1] as number);
      c[r + 2] = (c[r + 2] as number) + (t[i + 2] as number);
      c[r + 3] = (c[r + 3] as number) + (t[i + 3] as number);
    }
    return;
  }
  // Edge tile: only the mr×nr valid part (the packed panels are zero-padded).
  for (let i = 0; i < mr; i++) {
    const r = ci + i * ldc;
    for (let s = 0; s < nr; s++) c[r + s] = (c[r + s] as number) + (t[4 * i + s] as number);
  }
}
