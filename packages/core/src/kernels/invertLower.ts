import { gemm } from './gemm.js';

/** Rows and columns per block: small triangular solves by scalar loops, the rest by {@link gemm}. */
const NB = 64;

/**
 * Inverse of a lower-triangular matrix: `W = L⁻¹` for the n×n row-major L in `l` (its strict upper
 * triangle is ignored), written to `w` (lower triangular; its strict upper triangle is zeroed). `w` must
 * not be `l`. With L a Cholesky factor of Σ, W is the precision factor: `Σ⁻¹ = WᵀW`.
 *
 * Blocked: block column J of W solves `L[j₀:, j₀:]·X = [I; 0]` by blocks of rows, each solved block
 * updating all the rows below it with one {@link gemm} (`X[i₁:] −= L[i₁:, I]·X_I`), where nearly all of
 * the n³/3 flops are. Allocates nothing beyond the GEMM's packing buffers; checks nothing (a zero on the
 * diagonal gives ±Infinity or NaN).
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
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = Math.min(n, j0 + NB);
    const nb = j1 - j0;
    for (let j = j0; j < j1; j++) w[j * n + j] = 1;
    for (let i0 = j0; i0 < n; i0 += NB) {
      const i1 = Math.min(n, i0 + NB);
      // X_I = L_II⁻¹·X_I: forward substitution on the nb columns of block column J.
      for (let i = i0; i < i1; i++) {
        const ri = i * n;
        const xi = ri + j0;
        for (let k = i0; k < i; k++) {
          const lik = l[ri + k] as number;
          if (lik === 0) continue;
          const xk = k * n + j0;
          for (let c = 0; c < nb; c++) w[xi + c] = (w[xi + c] as number) - lik * (w[xk + c] as number);
        }
        const inv = 1 / (l[ri + i] as number);
        for (let c = 0; c < nb; c++) w[xi + c] = (w[xi + c] as number) * inv;
      }
      if (i1 < n)
        gemm(
          false,
          false,
          n - i1,
          nb,
          i1 - i0,
          -1,
          l,
          i1 * n + i0,
          n,
          w,
          i0 * n + j0,
          n,
          1,
          w,
          i1 * n + j0,
          n,
        );
    }
  }
  for (let i = 0; i < n; i++) w.fill(0, i * n + i + 1, (i + 1) * n);
}
