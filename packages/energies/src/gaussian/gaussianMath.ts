/**
 * Internal numerical helpers shared by the Gaussian density and the Gaussian mixture (not exported from
 * the package): precision Cholesky factors and blocked Mahalanobis distances on flat row-major arrays.
 *
 * @module
 */
import { getBackend, message, ValueError } from '@nexus/ebm-core';
import { logDetCholesky } from '@nexus/ebm-core/kernels';

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
  // An overflowed covariance (values so large that their squares pass 1.8e308) is not a constant feature.
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) {
      const v = cov[j * d + i] as number;
      if (!Number.isFinite(v)) {
        throw new ValueError(
          message(
            api,
            `the covariance overflows the double range at feature ${i === j ? j : `pair (${i}, ${j})`} (the feature's values are too large to square)`,
            'features whose squares stay below 1.8e308 (rescale or clip them)',
            String(v),
          ),
        );
      }
    }
  }
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
  k.invertLower(l, d, w);
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
