import { gemm } from './gemm.js';

/** Rows and columns per block: small triangular solves by scalar loops, the rest by {@link gemm}. */
const NB = 64;

/**
 * Inverse of a lower-triangular matrix: `W = L⁻¹` for the n×n row-major L in `l` (its strict upper
 * triangle is ignored), written to `w` (lower triangular; its strict upper triangle is zeroed). `w` must
 * not be `l`. With L a Cholesky factor of Σ, W is the precision factor: `Σ⁻¹ = WᵀW`.
 *
 * Blocked forward substitution on `L·W = I`, a block of NB rows at a time: the block's rows (holding
 * minus the contributions of every earlier block, and the identity) are solved with the block's small
 * triangle by scalar loops, then all the rows below are updated with one {@link gemm}
 * (`W[i₁:, :i₁] −= L[i₁:, I]·W[I, :i₁]`), where nearly all of the n³/3 flops are. Allocates nothing beyond
 * the GEMM's packing buffers; checks nothing (a zero on the diagonal gives ±Infinity or NaN).
 *
 * Cost: n³/3 flops.
 *
 * @example
 * ```ts
 * const w = new Float64Array(4);
 * invertLower(new Float64Array([2, 0, 1, 4]), 2, w); // w = [0.5, 0, −0.125, 0.25]
 * ```
 */
export function invertLower(l: Float64Array, n: number, w: Float64Array): void {
  w.fill(0, 0, n * n);
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    for (let i = i0; i < i1; i++) w[i * n + i] = 1;
    // Rows I over columns 0 … i₁−1: X_I = L_II⁻¹·X_I.
    for (let i = i0; i < i1; i++) {
      const ri = i * n;
      for (let k = i0; k < i; k++) {
        const lik = l[ri + k] as number;
        if (lik === 0) continue;
        const rk = k * n;
        for (let c = 0; c <= k; c++) w[ri + c] = (w[ri + c] as number) - lik * (w[rk + c] as number);
      }
      const inv = 1 / (l[ri + i] as number);
      for (let c = 0; c <= i; c++) w[ri + c] = (w[ri + c] as number) * inv;
    }
    if (i1 < n) gemm(false, false, n - i1, i1, i1 - i0, -1, l, i1 * n + i0, n, w, i0 * n, n, 1, w, i1 * n, n);
  }
  for (let i = 0; i < n; i++) w.fill(0, i * n + i + 1, (i + 1) * n);
}
