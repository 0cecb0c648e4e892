import { blockColumns } from './blockColumns.js';
import { gemm } from './gemm.js';

/** Rows centred per block (bounds the scratch to BLOCK·d values). */
const BLOCK = 256;

/** Centred (and weighted) rows of the current block (grown on demand; one per thread). */
let centred = new Float64Array(0);

/**
 * The (weighted) co-moment of rows about a given centre: `c[cOff …] = Σ_r w_r·(x_r − μ)(x_r − μ)ᵀ` over rows
 * `0 … rows−1` of the row-major `x` (d columns), with `μ = mean[meanOff …]` and `w_r = weight[wOff + r·wStride]`
 * (all 1 when `weight` is null; weights must be ≥ 0). Writes the full symmetric d×d matrix (row-major).
 *
 * A blocked SYRK: BLOCK rows at a time are centred and scaled by √w_r into `Y`, and only the lower triangle
 * of `YᵀY` is accumulated, {@link blockColumns} columns per {@link gemm} (`C[j₀:, J] += Y[:, j₀:]ᵀ·Y[:, J]`); the upper
 * triangle is mirrored at the end. Each element sums its rows in order, block by block. Allocates only
 * when d grows past every earlier call's; checks nothing.
 *
 * Cost: about rows·d² flops.
 *
 * @example
 * ```ts
 * const c = new Float64Array(4);
 * comoment(new Float64Array([1, 2, 3, 6]), 2, 2, new Float64Array([2, 4]), 0, null, 0, 1, c, 0); // c = [2, 4, 4, 8]
 * ```
 */
export function comoment(
  x: Float64Array,
  rows: number,
  d: number,
  mean: Float64Array,
  meanOff: number,
  weight: Float64Array | null,
  wOff: number,
  wStride: number,
  c: Float64Array,
  cOff: number,
): void {
  c.fill(0, cOff, cOff + d * d);
  if (d <= 0) return;
  const need = Math.min(rows, BLOCK) * d;
  if (centred.length < need) centred = new Float64Array(need);
  const y = centred;
  for (let i0 = 0; i0 < rows; i0 += BLOCK) {
    const m = Math.min(rows - i0, BLOCK);
    for (let i = 0; i < m; i++) {
      const src = (i0 + i) * d;
      const dst = i * d;
      if (weight === null) {
        for (let j = 0; j < d; j++) y[dst + j] = (x[src + j] as number) - (mean[meanOff + j] as number);
      } else {
        const s = Math.sqrt(weight[wOff + (i0 + i) * wStride] as number);
        for (let j = 0; j < d; j++) y[dst + j] = s * ((x[src + j] as number) - (mean[meanOff + j] as number));
      }
    }
    const step = blockColumns(d);
    for (let j0 = 0; j0 < d; j0 += step) {
      const nb = Math.min(step, d - j0);
      gemm(true, false, d - j0, nb, m, 1, y, j0, d, y, j0, d, 1, c, cOff + j0 * d + j0, d);
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) c[cOff + i * d + j] = c[cOff + j * d + i] as number;
  }
}
