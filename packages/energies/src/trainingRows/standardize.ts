/**
 * Input standardisation shared by the learned energies (autoencoder, RBM) and their parallel trainers, so
 * that every path computes bit-identical statistics and Float32 training data.
 *
 * @module
 */

/** Column means and standard deviations of a row-major n×d matrix. */
export interface ColumnStats {
  /** Column means. */
  readonly mean: Float64Array;
  /** Population standard deviations; 1 for (numerically) constant columns, so dividing is always safe. */
  readonly std: Float64Array;
}

/**
 * Column means (always) — the first pass of {@link columnStats}, for callers that need only means.
 *
 * Complexity: O(n·d).
 *
 * @example
 * ```ts
 * const mean = columnMeans(X.data, X.rows, X.cols);
 * ```
 */
export function columnMeans(x: Float64Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (x[i * d + j] as number);
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / n;
  return mean;
}

/**
 * Column means and population standard deviations, two-pass (no E[x²] − E[x]² cancellation). A column
 * whose spread is below 1e-12·(1 + |mean|) gets std 1, so a constant column is centred, not divided by zero.
 *
 * Complexity: O(n·d).
 *
 * @example
 * ```ts
 * const { mean, std } = columnStats(X.data, X.rows, X.cols);
 * ```
 */
export function columnStats(
  x: Float64Array,
  n: number,
  d: number,
  mean: Float64Array = columnMeans(x, n, d),
): ColumnStats {
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const e = (x[i * d + j] as number) - (mean[j] as number);
      std[j] = (std[j] as number) + e * e;
    }
  }
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt((std[j] as number) / n);
    std[j] = s > 1e-12 * (1 + Math.abs(mean[j] as number)) ? s : 1;
  }
  return { mean, std };
}

/**
 * {@link columnStats} for the columns `[c0, c1)` only, written into `mean[j]` and `std[j]`: the same
 * arithmetic per column (rows summed in order, two passes), so threads that split the columns between
 * them produce exactly the statistics of one {@link columnStats} call.
 *
 * Complexity: O(n·(c1 − c0)) arithmetic over a pass of the whole matrix.
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
  for (let j = c0; j < c1; j++) {
    mean[j] = 0;
    std[j] = 0;
  }
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = c0; j < c1; j++) mean[j] = (mean[j] as number) + (x[o + j] as number);
  }
  for (let j = c0; j < c1; j++) mean[j] = (mean[j] as number) / n;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = c0; j < c1; j++) {
      const e = (x[o + j] as number) - (mean[j] as number);
      std[j] = (std[j] as number) + e * e;
    }
  }
  for (let j = c0; j < c1; j++) {
    const s = Math.sqrt((std[j] as number) / n);
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
