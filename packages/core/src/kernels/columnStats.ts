/**
 * The library's one column mean and standard deviation, on flat row-major data: the covariance kernels,
 * the `StandardScaler`, the Gaussian density and the learned energies' input standardisation all use them.
 * Each works on a range of columns `[c0, c1)` with the arithmetic of the whole (every column's rows are
 * summed in row order), so threads that split the columns get the statistics of one call.
 *
 * @module
 */

/**
 * Column means of the m×n rows `x` into `mean[c0 … c1)`: the sum of each column's rows divided by m and,
 * when a `residual` buffer (n values) is given, corrected once by the mean residual (`μ += Σ(x − μ)/m`,
 * which removes the rounding drift of a large common offset; the covariance kernels and `StandardScaler`
 * use it). Without one, the plain mean (the learned energies' standardisation and the diagonal Gaussian,
 * which correct in a pass of their own). Allocates nothing.
 *
 * Cost: m·(c1 − c0) additions, twice that with the correction.
 *
 * @example
 * ```ts
 * const mean = new Float64Array(2);
 * columnMeans(new Float64Array([1, 2, 3, 6]), 2, 2, mean, new Float64Array(2)); // mean = [2, 4]
 * ```
 */
export function columnMeans(
  x: Float64Array,
  m: number,
  n: number,
  mean: Float64Array,
  residual: Float64Array | null,
  c0 = 0,
  c1: number = n,
): void {
  mean.fill(0, c0, c1);
  for (let i = 0; i < m; i++) {
    const r = i * n;
    for (let j = c0; j < c1; j++) mean[j] = (mean[j] as number) + (x[r + j] as number);
  }
  for (let j = c0; j < c1; j++) mean[j] = (mean[j] as number) / m;
  if (residual === null) return;
  const corr = residual;
  corr.fill(0, c0, c1);
  for (let i = 0; i < m; i++) {
    const r = i * n;
    for (let j = c0; j < c1; j++)
      corr[j] = (corr[j] as number) + ((x[r + j] as number) - (mean[j] as number));
  }
  for (let j = c0; j < c1; j++) mean[j] = (mean[j] as number) + (corr[j] as number) / m;
}

/**
 * Population standard deviations of columns `[c0, c1)` of the m×n rows `x` around `mean`, into `std`.
 * With a `scratch` buffer (n values): `σ = b·√(Σ((x − μ)/b)² / m)`, b the largest |x − μ| of the column,
 * so that neither the squares nor their sum overflow (0 for a column without spread; `StandardScaler`).
 * Without one: the plain `√(Σ(x − μ)² / m)` (the learned energies' standardisation, whose inputs are
 * checked finite and whose seeded results depend on these exact bits). Allocates nothing.
 *
 * Cost: m·(c1 − c0) subtractions and multiply-adds; twice that, plus a division each, when scaled.
 *
 * @example
 * ```ts
 * const std = new Float64Array(1);
 * columnStd(new Float64Array([1, 3]), 2, 1, new Float64Array([2]), std, new Float64Array(1)); // std = [1]
 * ```
 */
export function columnStd(
  x: Float64Array,
  m: number,
  n: number,
  mean: Float64Array,
  std: Float64Array,
  scratch: Float64Array | null,
  c0 = 0,
  c1: number = n,
): void {
  if (scratch === null) {
    std.fill(0, c0, c1);
    for (let i = 0; i < m; i++) {
      const r = i * n;
      for (let j = c0; j < c1; j++) {
        const e = (x[r + j] as number) - (mean[j] as number);
        std[j] = (std[j] as number) + e * e;
      }
    }
    for (let j = c0; j < c1; j++) std[j] = Math.sqrt((std[j] as number) / m);
    return;
  }
  const big = std;
  big.fill(0, c0, c1);
  for (let i = 0; i < m; i++) {
    const r = i * n;
    for (let j = c0; j < c1; j++) {
      const a = Math.abs((x[r + j] as number) - (mean[j] as number));
      if (a > (big[j] as number)) big[j] = a;
    }
  }
  const ss = scratch;
  ss.fill(0, c0, c1);
  for (let i = 0; i < m; i++) {
    const r = i * n;
    for (let j = c0; j < c1; j++) {
      const b = big[j] as number;
      if (b === 0) continue;
      const t = ((x[r + j] as number) - (mean[j] as number)) / b;
      ss[j] = (ss[j] as number) + t * t;
    }
  }
  for (let j = c0; j < c1; j++) {
    const b = big[j] as number;
    std[j] = b === 0 ? 0 : b * Math.sqrt((ss[j] as number) / m);
  }
}
