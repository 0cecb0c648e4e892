import { blockColumns } from './blockColumns.js';
import { gemm } from './gemm.js';

/** Rows centred and multiplied per block (the scratch is RB·d + (RB + d)·nb values). */
const RB = 128;

/**
 * Centred rows of the current block, their whitened columns, and W's diagonal blocks with the upper
 * triangle zeroed (grown on demand; one per thread).
 */
let centred = new Float64Array(0);
let whitened = new Float64Array(0);
let diagonal = new Float64Array(0);

/**
 * Squared Mahalanobis distances for a lower-triangular precision factor: `out[outOff + r] = ‖W (x_r − μ)‖²`
 * for rows `r0 … r0+rows−1` of the row-major `x` (d columns), with `μ = mean[meanOff …]` and `W = w[wOff …]`
 * (d×d row-major, `Σ⁻¹ = WᵀW`; only the lower triangle is read) — the scoring loop of the Gaussian energies.
 *
 * Blocked as BLAS-backed peers do it, but using the triangle: rows are centred RB at a time into `Y`, and
 * `Z = Y·Wᵀ` is formed {@link blockColumns} columns at a time by two {@link gemm} calls (`Z[:, J] = Y[:, :j₀]·W[J, :j₀]ᵀ +
 * Y[:, J]·W[J, J]ᵀ`, the diagonal block read from a copy whose upper triangle is zero), whose squares are
 * summed into the rows' distances.
 * A row's value depends only on that row (the same operations in the same order whatever the batch).
 * Allocates only when d grows past every earlier call's; checks nothing.
 *
 * Cost: about rows·d² flops.
 *
 * @example
 * ```ts
 * const out = new Float64Array(1);
 * mahalanobisRows(new Float64Array([3, 4]), 0, 1, 2, new Float64Array([1, 1]), 0,
 *   new Float64Array([1, 0, 0, 0.5]), 0, out, 0); // out[0] = 2² + (0.5·3)² = 6.25
 * ```
 */
export function mahalanobisRows(
  x: Float64Array,
  r0: number,
  rows: number,
  d: number,
  mean: Float64Array,
  meanOff: number,
  w: Float64Array,
  wOff: number,
  out: Float64Array,
  outOff: number,
): void {
  if (rows <= 0) return;
  const nb = Math.min(blockColumns(d), d);
  if (centred.length < RB * d) centred = new Float64Array(RB * d);
  if (whitened.length < RB * nb) whitened = new Float64Array(RB * nb);
  if (diagonal.length < d * nb) diagonal = new Float64Array(d * nb);
  const y = centred;
  const z = whitened;
  const t = diagonal;
  // Diagonal block J (rows and columns j₀ … j₁−1) at t[j₀·nb …], row-major with stride j₁ − j₀.
  for (let j0 = 0; j0 < d; j0 += nb) {
    const cols = Math.min(d, j0 + nb) - j0;
    for (let i = 0; i < cols; i++) {
      const src = wOff + (j0 + i) * d + j0;
      const dst = j0 * nb + i * cols;
      for (let c = 0; c < cols; c++) t[dst + c] = c <= i ? (w[src + c] as number) : 0;
    }
  }
  for (let b0 = 0; b0 < rows; b0 += RB) {
    const m = Math.min(RB, rows - b0);
    for (let i = 0; i < m; i++) {
      const src = (r0 + b0 + i) * d;
      const dst = i * d;
      for (let j = 0; j < d; j++) y[dst + j] = (x[src + j] as number) - (mean[meanOff + j] as number);
    }
    out.fill(0, outOff + b0, outOff + b0 + m);
    for (let j0 = 0; j0 < d; j0 += nb) {
      const j1 = Math.min(d, j0 + nb);
      const cols = j1 - j0;
      gemm(false, true, m, cols, j0, 1, y, 0, d, w, wOff + j0 * d, d, 0, z, 0, cols);
      gemm(false, true, m, cols, cols, 1, y, j0, d, t, j0 * nb, cols, j0 > 0 ? 1 : 0, z, 0, cols);
      for (let i = 0; i < m; i++) {
        let acc = out[outOff + b0 + i] as number;
        const zi = i * cols;
        for (let c = 0; c < cols; c++) {
          const v = z[zi + c] as number;
          acc += v * v;
        }
        out[outOff + b0 + i] = acc;
      }
    }
  }
}
