// Gaussian kernel sums in log space: out[r] = log Σ_j exp(−c·‖q_r − x_j‖²) over the reference rows, from
// GEMM distances (sqDistBlock.ts) with a streaming log-sum-exp: the sum is kept relative to the smallest
// distance seen so far and rescaled when a smaller one arrives. Terms more than 50 below the largest in the
// exponent (each < 2e−22 of it) are skipped, which changes the sum by less than rounding for m < 5·10⁵.
import { QUERY_BLOCK, REF_BLOCK, copyTolerance, rowSquaredNorms, sameRow, sqDistBlock } from './sqDistBlock';

/** Exponent gap beyond which a term is skipped. */
const CUT: f64 = 50;

/**
 * out[r] = log Σ_j exp(−c·D_rj) for query rows q[0 … rows) against the m reference rows at x (squared
 * norms xn), −Infinity when no term is left. With `excludeCopy`, the first reference row that is an exact
 * copy of the query is left out. Scratch: qn (QUERY_BLOCK f64), g (QUERY_BLOCK × REF_BLOCK f64), mn and sm
 * (QUERY_BLOCK f64 each), skip (QUERY_BLOCK i32).
 */
export function kernelLogSumF64(
  q: usize,
  rows: i32,
  x: usize,
  xn: usize,
  m: i32,
  d: i32,
  c: f64,
  excludeCopy: bool,
  qn: usize,
  g: usize,
  mn: usize,
  sm: usize,
  skip: usize,
  out: usize,
): void {
  const rowBytes = <usize>d << 3;
  for (let r0 = 0; r0 < rows; r0 += QUERY_BLOCK) {
    const rb = min(QUERY_BLOCK, rows - r0);
    const qb = q + <usize>r0 * rowBytes;
    rowSquaredNorms(qb, rb, d, qn);
    for (let r = 0; r < rb; r++) {
      store<f64>(mn + (<usize>r << 3), Infinity);
      store<f64>(sm + (<usize>r << 3), 0);
    }
    memory.fill(skip, 0, <usize>rb << 2);
    for (let j0 = 0; j0 < m; j0 += REF_BLOCK) {
      const cb = min(REF_BLOCK, m - j0);
      sqDistBlock(qb, qn, rb, x + <usize>j0 * rowBytes, xn + (<usize>j0 << 3), cb, d, g);
      for (let r = 0; r < rb; r++) {
        const grow = g + ((<usize>r * <usize>cb) << 3);
        let lo = load<f64>(mn + (<usize>r << 3));
        let s = load<f64>(sm + (<usize>r << 3));
        const qnr = load<f64>(qn + (<usize>r << 3));
        for (let j = 0; j < cb; j++) {
          const v = load<f64>(grow + (<usize>j << 3));
          if (excludeCopy && load<i32>(skip + (<usize>r << 2)) == 0) {
            const xj = xn + (<usize>(j0 + j) << 3);
            if (v <= copyTolerance(qnr, load<f64>(xj)) && sameRow(qb + <usize>r * rowBytes, x + <usize>(j0 + j) * rowBytes, d)) {
              store<i32>(skip + (<usize>r << 2), 1);
              continue;
            }
          }
          if (v < lo) {
            s = lo == Infinity ? 1 : s * Math.exp(-c * (lo - v)) + 1;
            lo = v;
          } else {
            const t = c * (v - lo);
            if (t < CUT) s += Math.exp(-t);
          }
        }
        store<f64>(mn + (<usize>r << 3), lo);
        store<f64>(sm + (<usize>r << 3), s);
      }
    }
    for (let r = 0; r < rb; r++) {
      const lo = load<f64>(mn + (<usize>r << 3));
      store<f64>(out + (<usize>(r0 + r) << 3), lo == Infinity ? -Infinity : Math.log(load<f64>(sm + (<usize>r << 3))) - c * lo);
    }
  }
}
