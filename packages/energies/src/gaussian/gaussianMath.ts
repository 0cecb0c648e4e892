/**
 * Internal numerical helpers shared by the Gaussian density and the Gaussian mixture (not exported from
 * the package): precision Cholesky factors and blocked Mahalanobis distances on flat row-major arrays.
 *
 * @module
 */
import { getBackend, logDetCholesky, message, ValueError, wasmMahalanobisRows } from '@nexus/ebm-core';

/**
 * ½·log(2π).
 *
 * @example
 * ```ts
 * const constant = d * HALF_LOG_2PI + 0.5 * logDet;
 * ```
 */
export const HALF_LOG_2PI: number = 0.5 * Math.log(2 * Math.PI);

/**
 * Rows per block in batched scoring (bounds the scratch memory to BLOCK × d).
 *
 * @example
 * ```ts
 * for (let r0 = 0; r0 < n; r0 += BLOCK) score(r0, Math.min(BLOCK, n - r0));
 * ```
 */
export const BLOCK = 256;

/**
 * A factorised covariance: `W = L⁻¹` (lower triangular, `Σ⁻¹ = WᵀW`) and `log|Σ|`.
 *
 * @example
 * ```ts
 * const { w, logDet }: PrecisionFactor = precisionFactor(cov, d, api);
 * ```
 */
export interface PrecisionFactor {
  /** d×d row-major lower-triangular inverse Cholesky factor. */
  readonly w: Float64Array;
  /** Natural log of the covariance determinant. */
  readonly logDet: number;
}

/**
 * Factorises a symmetric positive-definite covariance: `Σ = L·Lᵀ`, returns `W = L⁻¹` and `log|Σ|`.
 * A covariance that is not positive definite is a `ValueError` suggesting a larger regularisation.
 *
 * @example
 * ```ts
 * const { w, logDet } = precisionFactor(new Float64Array([4, 0, 0, 1]), 2, 'GaussianDensity.fit');
 * ```
 */
export function precisionFactor(cov: Float64Array, d: number, api: string): PrecisionFactor {
  const k = getBackend();
  const l = new Float64Array(d * d);
  let pivot = k.cholesky(cov, d, l, 0);
  // A pivot that survives only through rounding (l_jj² below 1e-13 of the variance: the feature is a linear
  // combination of the earlier ones up to 1 − R² < 1e-13) is treated as singular too.
  if (pivot < 0) {
    for (let j = 0; j < d; j++) {
      const ljj = l[j * d + j] as number;
      if (ljj * ljj <= 1e-13 * (cov[j * d + j] as number)) {
        pivot = j;
        break;
      }
    }
  }
  if (pivot >= 0) {
    throw new ValueError(
      message(
        api,
        `covariance is not positive definite (pivot ${pivot}: a constant or collinear feature?)`,
        'a positive definite covariance (increase `regularization`)',
        `a non-positive pivot at feature ${pivot}`,
      ),
    );
  }
  const logDet = logDetCholesky(l, d);
  const w = new Float64Array(d * d);
  for (let i = 0; i < d; i++) w[i * d + i] = 1;
  k.solveLower(l, d, w, 0, d);
  // W is lower triangular; clear rounding noise above the diagonal (exact zeros in theory).
  for (let i = 0; i < d; i++) w.fill(0, i * d + i + 1, (i + 1) * d);
  return { w, logDet };
}

/**
 * Scratch buffers for {@link mahalanobisBlock}, sized for one block of rows.
 *
 * @example
 * ```ts
 * const s = new MahalanobisScratch(32);
 * ```
 */
export class MahalanobisScratch {
  /** Centred rows, BLOCK × d. */
  readonly y: Float64Array;
  /** Whitened rows `z = W·y`, BLOCK × d. */
  readonly z: Float64Array;
  /** @param d - feature count. */
  constructor(d: number) {
    this.y = new Float64Array(BLOCK * d);
    this.z = new Float64Array(BLOCK * d);
  }
}

/**
 * Squared Mahalanobis distances `‖W(x − μ)‖²` of rows `r0 … r0+rows−1` of `x` (n×d, `rows ≤ BLOCK`), written
 * to `out[outOff …]`. Leaves the centred rows in `s.y` and the whitened rows in `s.z` (used by contributions).
 *
 * @example
 * ```ts
 * mahalanobisBlock(x, 0, 10, d, mean, 0, w, s, out, 0);
 * ```
 */
export function mahalanobisBlock(
  x: Float64Array,
  r0: number,
  rows: number,
  d: number,
  mean: Float64Array,
  meanOff: number,
  w: Float64Array,
  s: MahalanobisScratch,
  out: Float64Array,
  outOff: number,
): void {
  const y = s.y;
  const z = s.z;
  for (let i = 0; i < rows; i++) {
    const src = (r0 + i) * d;
    const dst = i * d;
    for (let j = 0; j < d; j++) y[dst + j] = (x[src + j] as number) - (mean[meanOff + j] as number);
  }
  // Z = Y · Wᵀ (row i of Z is W·y_i).
  getBackend().gemm(false, true, rows, d, d, 1, y, 0, d, w, 0, d, 0, z, 0, d);
  for (let i = 0; i < rows; i++) {
    const r = i * d;
    let acc = 0;
    for (let j = 0; j < d; j++) {
      const v = z[r + j] as number;
      acc += v * v;
    }
    out[outOff + i] = acc;
  }
}

/**
 * Squared Mahalanobis distances `‖W(x − μ)‖²` of rows `r0 … r0+rows−1` (any count) into `out[outOff …]`:
 * the scoring hot loop of the Gaussian energies. With the WebAssembly kernel backend it runs inside
 * WebAssembly (`wasmMahalanobisRows`, f64x2 lanes); otherwise, and as the reference, in TypeScript
 * ({@link mahalanobisRowsTs}). Either way a row's value depends only on that row.
 *
 * @example
 * ```ts
 * mahalanobisRows(x, 0, n, d, mean, 0, w, 0, new Float64Array(4 * d), out, 0);
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
  y: Float64Array,
  out: Float64Array,
  outOff: number,
): void {
  if (getBackend().name === 'wasm') wasmMahalanobisRows(x, r0, rows, d, mean, meanOff, w, wOff, out, outOff);
  else mahalanobisRowsTs(x, r0, rows, d, mean, meanOff, w, wOff, y, out, outOff);
}

/**
 * {@link mahalanobisRows} in TypeScript, as one fused loop per group of four rows: centre, multiply by the
 * lower-triangular `W` (only its d(d+1)/2 non-zeros: half the flops of a dense product, each `W` element
 * loaded once per four rows) and sum squares. `y` is scratch of at least 4·d.
 *
 * @example
 * ```ts
 * mahalanobisRowsTs(x, 0, n, d, mean, 0, w, 0, new Float64Array(4 * d), out, 0);
 * ```
 */
export function mahalanobisRowsTs(
  x: Float64Array,
  r0: number,
  rows: number,
  d: number,
  mean: Float64Array,
  meanOff: number,
  w: Float64Array,
  wOff: number,
  y: Float64Array,
  out: Float64Array,
  outOff: number,
): void {
  const d2 = 2 * d;
  const d3 = 3 * d;
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const b = (r0 + r) * d;
    for (let j = 0; j < d; j++) {
      const m = mean[meanOff + j] as number;
      y[j] = (x[b + j] as number) - m;
      y[d + j] = (x[b + d + j] as number) - m;
      y[d2 + j] = (x[b + d2 + j] as number) - m;
      y[d3 + j] = (x[b + d3 + j] as number) - m;
    }
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let i = 0; i < d; i++) {
      const wi = wOff + i * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k <= i; k++) {
        const wv = w[wi + k] as number;
        s0 += wv * (y[k] as number);
        s1 += wv * (y[d + k] as number);
        s2 += wv * (y[d2 + k] as number);
        s3 += wv * (y[d3 + k] as number);
      }
      a0 += s0 * s0;
      a1 += s1 * s1;
      a2 += s2 * s2;
      a3 += s3 * s3;
    }
    out[outOff + r] = a0;
    out[outOff + r + 1] = a1;
    out[outOff + r + 2] = a2;
    out[outOff + r + 3] = a3;
  }
  for (; r < rows; r++) {
    const b = (r0 + r) * d;
    for (let j = 0; j < d; j++) y[j] = (x[b + j] as number) - (mean[meanOff + j] as number);
    let a0 = 0;
    for (let i = 0; i < d; i++) {
      const wi = wOff + i * d;
      let s0 = 0;
      for (let k = 0; k <= i; k++) s0 += (w[wi + k] as number) * (y[k] as number);
      a0 += s0 * s0;
    }
    out[outOff + r] = a0;
  }
}

/**
 * Squared diagonal Mahalanobis distances `Σ_j (x_j − μ_j)² · p_j` (p = inverse variances) of rows
 * `r0 … r0+rows−1`, written to `out[outOff …]`.
 *
 * @example
 * ```ts
 * mahalanobisDiagonal(x, 0, n, d, mean, 0, invVar, 0, out, 0);
 * ```
 */
export function mahalanobisDiagonal(
  x: Float64Array,
  r0: number,
  rows: number,
  d: number,
  mean: Float64Array,
  meanOff: number,
  invVar: Float64Array,
  invOff: number,
  out: Float64Array,
  outOff: number,
): void {
  for (let i = 0; i < rows; i++) {
    const src = (r0 + i) * d;
    let acc = 0;
    for (let j = 0; j < d; j++) {
      const c = (x[src + j] as number) - (mean[meanOff + j] as number);
      acc += c * c * (invVar[invOff + j] as number);
    }
    out[outOff + i] = acc;
  }
}
