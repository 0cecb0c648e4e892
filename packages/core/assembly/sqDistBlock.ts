// Squared Euclidean distances of a block of query rows to a block of reference rows through the f64 GEMM:
// D[r][j] = ‖q_r‖² + ‖x_j‖² − 2·q_r·x_j. The shared first step of the neighbour kernels (knnSelect.ts,
// kernelLogSum.ts). Every element goes through the same GEMM arithmetic wherever its row sits in the block,
// so a query's distances do not depend on the rows scored with it.
import { gemmF64 } from './gemm';

/** Query rows per block of the neighbour kernels. */
export const QUERY_BLOCK: i32 = 32;
/** Reference rows per block of the neighbour kernels (a 32 × 512 distance block is 128 KiB). */
export const REF_BLOCK: i32 = 512;

/** ‖row‖² of `rows` rows of d Float64 values at `x`, summed in column order, into `out`. */
export function rowSquaredNorms(x: usize, rows: i32, d: i32, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = x + ((<usize>r * <usize>d) << 3);
    let s: f64 = 0;
    for (let j = 0; j < d; j++) {
      const v = load<f64>(row + (<usize>j << 3));
      s += v * v;
    }
    store<f64>(out + (<usize>r << 3), s);
  }
}

/**
 * g (rows × cols, leading dimension cols) = squared distances of query rows q[0 … rows) (norms qn) to
 * reference rows x[0 … cols) (norms xn), both d wide; negative values from rounding are clamped to 0.
 */
export function sqDistBlock(q: usize, qn: usize, rows: i32, x: usize, xn: usize, cols: i32, d: i32, g: usize): void {
  gemmF64(false, true, rows, cols, d, -2.0, q, d, x, d, 0.0, g, cols);
  for (let r = 0; r < rows; r++) {
    const a = load<f64>(qn + (<usize>r << 3));
    const row = g + ((<usize>r * <usize>cols) << 3);
    for (let j = 0; j < cols; j++) {
      const p = row + (<usize>j << 3);
      const v = load<f64>(p) + a + load<f64>(xn + (<usize>j << 3));
      store<f64>(p, v > 0 ? v : 0);
    }
  }
}

/** Whether the d values at a and b are equal (an exact copy of a row). */
export function sameRow(a: usize, b: usize, d: i32): bool {
  for (let j = 0; j < d; j++) {
    if (load<f64>(a + (<usize>j << 3)) != load<f64>(b + (<usize>j << 3))) return false;
  }
  return true;
}

/** Distances at most this far above 0 are checked for being an exact copy (GEMM rounding ≪ this). */
@inline
export function copyTolerance(qn: f64, xn: f64): f64 {
  return 1e-9 * (qn + xn);
}
