import { nearCopy, QUERY_BLOCK, REF_BLOCK, rowSquaredNorms, sameRow, sqDistBlock } from './sqDistBlock.js';

// Scratch, reused (one per thread; the kernel is not re-entrant).
const qn = new Float64Array(QUERY_BLOCK);
const g = new Float64Array(QUERY_BLOCK * REF_BLOCK);
const mn = new Float64Array(QUERY_BLOCK);
const sm = new Float64Array(QUERY_BLOCK);
const skip = new Uint8Array(QUERY_BLOCK);

/** Exponent gap beyond which a term is skipped (e^−50 < 2e−22). */
const CUT = 50;

/**
 * Gaussian kernel sums in log space: `out[outOff + r] = log Σ_j exp(−c·‖q_r − x_j‖²)` for query rows
 * `q[qOff …]` (`rows` rows, `d` wide) against the `m` reference rows `x[0 … m·d)` with squared norms `xn`;
 * −Infinity when no term is left. With `excludeCopy`, the first reference row that is an exact copy of
 * the query is left out (a training row scored without itself).
 *
 * Distances come from the GEMM expansion ({@link sqDistBlock}) on blocks of 32 × 512; the sum is a
 * streaming log-sum-exp kept relative to the smallest distance so far (rescaled when a smaller one
 * arrives), so it never underflows however far the query lies. Terms more than 50 below the largest in
 * the exponent are skipped: each is < 2e−22 of the sum, below rounding for m < 5·10⁵. A row's result
 * depends only on that row. Checks nothing; allocates nothing.
 *
 * Cost: 2·rows·m·d flops plus at most rows·m exponentials.
 *
 * @example
 * ```ts
 * const x = new Float64Array([0, 1]); // two 1-d rows
 * const xn = new Float64Array([0, 1]);
 * const out = new Float64Array(1);
 * kernelLogSum(new Float64Array([0]), 0, 1, x, xn, 2, 1, 0.5, false, out, 0); // log(1 + e^−0.5)
 * ```
 */
export function kernelLogSum(
  q: Float64Array,
  qOff: number,
  rows: number,
  x: Float64Array,
  xn: Float64Array,
  m: number,
  d: number,
  c: number,
  excludeCopy: boolean,
  out: Float64Array,
  outOff: number,
): void {
  for (let r0 = 0; r0 < rows; r0 += QUERY_BLOCK) {
    const rb = Math.min(QUERY_BLOCK, rows - r0);
    const qb = qOff + r0 * d;
    rowSquaredNorms(q, qb, rb, d, qn, 0);
    mn.fill(Number.POSITIVE_INFINITY);
    sm.fill(0);
    skip.fill(0);
    for (let j0 = 0; j0 < m; j0 += REF_BLOCK) {
      const cb = Math.min(REF_BLOCK, m - j0);
      sqDistBlock(q, qb, qn, rb, x, j0 * d, xn, j0, cb, d, g);
      for (let r = 0; r < rb; r++) {
        const grow = r * cb;
        let lo = mn[r] as number;
        let s = sm[r] as number;
        const qnr = qn[r] as number;
        for (let j = 0; j < cb; j++) {
          const v = g[grow + j] as number;
          if (
            excludeCopy &&
            skip[r] === 0 &&
            nearCopy(v, qnr, xn[j0 + j] as number) &&
            sameRow(q, qb + r * d, x, (j0 + j) * d, d)
          ) {
            skip[r] = 1;
            continue;
          }
          if (v < lo) {
            s = lo === Number.POSITIVE_INFINITY ? 1 : s * Math.exp(-c * (lo - v)) + 1;
            lo = v;
          } else {
            const t = c * (v - lo);
            if (t < CUT) s += Math.exp(-t);
          }
        }
        mn[r] = lo;
        sm[r] = s;
      }
    }
    for (let r = 0; r < rb; r++) {
      const lo = mn[r] as number;
      out[outOff + r0 + r] =
        lo === Number.POSITIVE_INFINITY ? Number.NEGATIVE_INFINITY : Math.log(sm[r] as number) - c * lo;
    }
  }
}
