import { gemm } from './gemm.js';

/** Query rows per block of the neighbour kernels (as the WebAssembly kernels). */
export const QUERY_BLOCK = 32;
/** Reference rows per block of the neighbour kernels (a 32 × 512 distance block is 128 KiB). */
export const REF_BLOCK = 512;

/**
 * `out[outOff + r] = ‖x_r‖²` for `rows` rows of `d` values starting at `x[xOff]`, summed in column order.
 *
 * @example
 * ```ts
 * const n = new Float64Array(1);
 * rowSquaredNorms(new Float64Array([3, 4]), 0, 1, 2, n, 0); // n[0] = 25
 * ```
 */
export function rowSquaredNorms(
  x: Float64Array,
  xOff: number,
  rows: number,
  d: number,
  out: Float64Array,
  outOff: number,
): void {
  for (let r = 0; r < rows; r++) {
    const b = xOff + r * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = x[b + j] as number;
      s += v * v;
    }
    out[outOff + r] = s;
  }
}

/**
 * Squared Euclidean distances of `rows` query rows (`q[qOff …]`, squared norms `qn`) to `cols` reference
 * rows (`x[xOff …]`, squared norms `xn[xnOff …]`), all `d` wide, through the GEMM expansion
 * `‖q‖² + ‖x‖² − 2·q·x` into `g` (rows × cols, row-major); rounding below 0 is clamped to 0. The first step
 * of the neighbour kernels ({@link knnSelect}, {@link kernelLogSum}). Checks nothing.
 *
 * Cost: 2·rows·cols·d flops.
 *
 * @example
 * ```ts
 * const g = new Float64Array(1);
 * sqDistBlock(new Float64Array([0, 0]), 0, new Float64Array([0]), 1,
 *   new Float64Array([3, 4]), 0, new Float64Array([25]), 0, 1, 2, g); // g[0] = 25
 * ```
 */
export function sqDistBlock(
  q: Float64Array,
  qOff: number,
  qn: Float64Array,
  rows: number,
  x: Float64Array,
  xOff: number,
  xn: Float64Array,
  xnOff: number,
  cols: number,
  d: number,
  g: Float64Array,
): void {
  gemm(false, true, rows, cols, d, -2, q, qOff, d, x, xOff, d, 0, g, 0, cols);
  for (let r = 0; r < rows; r++) {
    const a = qn[r] as number;
    const row = r * cols;
    for (let j = 0; j < cols; j++) {
      const v = (g[row + j] as number) + a + (xn[xnOff + j] as number);
      // NaN (from overflowing norms) becomes 0 as in the WebAssembly kernel; Math.max would keep NaN
      g[row + j] = Number.isNaN(v) ? 0 : Math.max(v, 0);
    }
  }
}

/**
 * Whether a GEMM distance `v` between rows of squared norms `qn` and `xn` is small enough to be checked
 * for an exact copy (GEMM rounding is far below this bound).
 */
export function nearCopy(v: number, qn: number, xn: number): boolean {
  return v <= 1e-9 * (qn + xn);
}

/** Whether `d` values of `a` at `aOff` equal those of `b` at `bOff`. */
export function sameRow(a: Float64Array, aOff: number, b: Float64Array, bOff: number, d: number): boolean {
  for (let j = 0; j < d; j++) if (a[aOff + j] !== b[bOff + j]) return false;
  return true;
}
