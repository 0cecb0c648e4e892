// The Gaussian energies' blocked kernels in double precision, the same algorithms as the TypeScript ones
// (src/kernels/mahalanobisRows.ts, comoment.ts), with the f64x2 GEMM inside: squared Mahalanobis
// distances ‖W (x − μ)‖² for a lower-triangular precision factor W, and the weighted co-moment
// Σ w (x − μ)(x − μ)ᵀ. Matrices are row-major at byte pointers.
import { gemm } from './gemm';

/**
 * Columns per GEMM of the triangle (rows of W, columns of the co-moment): narrow enough that little of
 * each diagonal block's zero half is multiplied, wide enough for the GEMM to run at speed.
 */
export function blockColumns(d: i32): i32 {
  return d <= 256 ? 32 : 64;
}
/** Rows centred and whitened per block. */
export const MAHALANOBIS_RB: i32 = 256;
/** Rows centred per block of the co-moment. */
export const COMOMENT_BLOCK: i32 = 256;

/** Bytes of scratch {@link mahalanobisF64} needs for width d. */
export function mahalanobisScratchBytes(d: i32): usize {
  const nb = <usize>min(blockColumns(d), d);
  return (<usize>d * nb + <usize>MAHALANOBIS_RB * <usize>d + <usize>MAHALANOBIS_RB * nb) << 3;
}

/** y[0..d) = x[0..d) − mean[0..d), times s when `scaled`. */
@inline
function centre(x: usize, mean: usize, d: i32, y: usize, s: f64, scaled: bool): void {
  const sv = f64x2.splat(s);
  let j = 0;
  for (; j + 1 < d; j += 2) {
    const o = <usize>j << 3;
    const v = f64x2.sub(v128.load(x + o), v128.load(mean + o));
    v128.store(y + o, scaled ? f64x2.mul(sv, v) : v);
  }
  if (j < d) {
    const o = <usize>j << 3;
    const v = load<f64>(x + o) - load<f64>(mean + o);
    store<f64>(y + o, scaled ? s * v : v);
  }
}

/**
 * out[r] = ‖W (x_r − μ)‖² for r < rows (W d×d lower triangular, only its lower triangle read). `scratch`
 * holds {@link mahalanobisScratchBytes}(d) bytes: W's diagonal blocks with the upper triangle zeroed, the
 * centred block Y and the whitened columns Z. Z[:, J] = Y[:, :j₀]·W[J, :j₀]ᵀ + Y[:, J]·W[J, J]ᵀ by two
 * GEMMs per block of blockColumns(d) columns, squares summed in column order.
 */
export function mahalanobisF64(x: usize, rows: i32, d: i32, mean: usize, w: usize, scratch: usize, out: usize): void {
  if (rows <= 0 || d <= 0) return;
  const nb = min(blockColumns(d), d);
  const rowBytes = <usize>d << 3;
  const t = scratch;
  const y = t + ((<usize>d * <usize>nb) << 3);
  const z = y + ((<usize>MAHALANOBIS_RB * <usize>d) << 3);
  for (let j0 = 0; j0 < d; j0 += nb) {
    const cols = min(d, j0 + nb) - j0;
    const blk = t + ((<usize>j0 * <usize>nb) << 3);
    for (let i = 0; i < cols; i++) {
      const src = w + <usize>(j0 + i) * rowBytes + (<usize>j0 << 3);
      const dst = blk + ((<usize>i * <usize>cols) << 3);
      memory.copy(dst, src, <usize>(i + 1) << 3);
      memory.fill(dst + (<usize>(i + 1) << 3), 0, <usize>(cols - i - 1) << 3);
    }
  }
  for (let b0 = 0; b0 < rows; b0 += MAHALANOBIS_RB) {
    const m = min(MAHALANOBIS_RB, rows - b0);
    for (let i = 0; i < m; i++) centre(x + <usize>(b0 + i) * rowBytes, mean, d, y + <usize>i * rowBytes, 1, false);
    const o = out + (<usize>b0 << 3);
    memory.fill(o, 0, <usize>m << 3);
    for (let j0 = 0; j0 < d; j0 += nb) {
      const cols = min(d, j0 + nb) - j0;
      gemm<f64>(false, true, m, cols, j0, 1, y, d, w + <usize>j0 * rowBytes, d, 0, z, cols);
      const blk = t + ((<usize>j0 * <usize>nb) << 3);
      gemm<f64>(false, true, m, cols, cols, 1, y + (<usize>j0 << 3), d, blk, cols, j0 > 0 ? 1 : 0, z, cols);
      for (let i = 0; i < m; i++) {
        const zi = z + ((<usize>i * <usize>cols) << 3);
        let s = f64x2.splat(0);
        let c = 0;
        for (; c + 1 < cols; c += 2) {
          const v = v128.load(zi + (<usize>c << 3));
          s = f64x2.add(s, f64x2.mul(v, v));
        }
        let acc = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
        if (c < cols) {
          const v = load<f64>(zi + (<usize>c << 3));
          acc += v * v;
        }
        const p = o + (<usize>i << 3);
        store<f64>(p, load<f64>(p) + acc);
      }
    }
  }
}

/**
 * Adds the lower triangle of Σ_r w_r (x_r − μ)(x_r − μ)ᵀ over rows r < rows to `c` (d×d; its upper
 * triangle is left for the caller to mirror). Weights w_r = load(weight + r·wStride·8) when `weight` is
 * not 0 (≥ 0; rows are scaled by √w_r), else 1. `y` is scratch of COMOMENT_BLOCK·d f64.
 */
export function comomentF64(x: usize, rows: i32, d: i32, mean: usize, weight: usize, wStride: i32, y: usize, c: usize): void {
  if (d <= 0) return;
  const rowBytes = <usize>d << 3;
  const nb = min(blockColumns(d), d);
  for (let i0 = 0; i0 < rows; i0 += COMOMENT_BLOCK) {
    const m = min(COMOMENT_BLOCK, rows - i0);
    for (let i = 0; i < m; i++) {
      const s = weight == 0 ? 1 : Math.sqrt(load<f64>(weight + ((<usize>(i0 + i) * <usize>wStride) << 3)));
      centre(x + <usize>(i0 + i) * rowBytes, mean, d, y + <usize>i * rowBytes, s, weight != 0);
    }
    for (let j0 = 0; j0 < d; j0 += nb) {
      const cols = min(nb, d - j0);
      const o = <usize>j0 << 3;
      gemm<f64>(true, false, d - j0, cols, m, 1, y + o, d, y + o, d, 1, c + <usize>j0 * rowBytes + o, d);
    }
  }
}
