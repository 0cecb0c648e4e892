/**
 * Input standardisation shared by the learned energies (autoencoder, RBM) and their parallel trainers, so
 * that every path computes bit-identical statistics and Float32 training data.
 *
 * @module
 */
import { columnMeans, columnStd } from '@nexus/ebm-core/kernels';

/** Column means and standard deviations of a row-major n×d matrix. */
export interface ColumnStats {
  /** Column means. */
  readonly mean: Float64Array;
  /** Population standard deviations; 1 for (numerically) constant columns, so dividing is always safe. */
  readonly std: Float64Array;
}

/**
 * Column means and population standard deviations for standardising, by core's `columnMeans` and
 * `columnStd` (plain two-pass: the mean, then √(Σ(x − μ)²/n); no E[x²] − E[x]² cancellation). A column
 * whose spread is below 1e-12·(1 + |mean|) gets std 1, so a constant column is centred, not divided by zero.
 *
 * Complexity: O(n·d).
 *
 * @example
 * ```ts
 * const { mean, std } = columnStats(X.data, X.rows, X.cols);
 * ```
 */
export function columnStats(x: Float64Array, n: number, d: number): ColumnStats {
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  columnStatsRange(x, n, d, 0, d, mean, std);
  return { mean, std };
}

/**
 * {@link columnStats} for the columns `[c0, c1)` only, written into `mean[j]` and `std[j]`: the same
 * arithmetic per column (rows summed in order), so threads that split the columns between them produce
 * exactly the statistics of one {@link columnStats} call.
 *
 * Complexity: O(n·(c1 − c0)) arithmetic over two passes of the whole matrix.
 *
 * @example
 * ```ts
 * columnStatsRange(X.data, X.rows, X.cols, 0, 16, mean, std); // columns 0–15
 * ```
 */
export function columnStatsRange(
  x: Float64Array,
  n: number,
  d: number,
  c0: number,
  c1: number,
  mean: Float64Array,
  std: Float64Array,
): void {
  columnMeans(x, n, d, mean, null, c0, c1);
  columnStd(x, n, d, mean, std, null, c0, c1);
  for (let j = c0; j < c1; j++) {
    const s = std[j] as number;
    std[j] = s > 1e-12 * (1 + Math.abs(mean[j] as number)) ? s : 1;
  }
}

/**
 * Copies `rows` rows of `src` (starting at element `off`) into `out` as 32-bit floats, standardising with
 * `mean`/`std` when both are given.
 *
 * @example
 * ```ts
 * toFloat32(X.data, 0, X.rows, X.cols, stats.mean, stats.std, new Float32Array(X.rows * X.cols));
 * ```
 */
export function toFloat32(
  src: Float64Array,
  off: number,
  rows: number,
  d: number,
  mean: Float64Array | null,
  std: Float64Array | null,
  out: Float32Array,
): void {
  const n = rows * d;
  if (mean === null || std === null) {
    for (let i = 0; i < n; i++) out[i] = src[off + i] as number;
    return;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++)
      out[o + j] = ((src[off + o + j] as number) - (mean[j] as number)) / (std[j] as number);
  }
}
