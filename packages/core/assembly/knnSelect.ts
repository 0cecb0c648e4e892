// Streaming k-nearest-neighbour search: for each query row, the k reference rows of smallest squared
// Euclidean distance, found block by block from GEMM distances (sqDistBlock.ts) with a bounded max-heap
// per query, then recomputed exactly as Σ (q_j − x_j)² in column order and sorted by (distance, index).
import { QUERY_BLOCK, REF_BLOCK, copyTolerance, rowSquaredNorms, sameRow, sqDistBlock } from './sqDistBlock';

@inline
function siftDown(hd: usize, hi: usize, k: i32): void {
  // max-heap on (distance, index): the root is the candidate to replace
  let i = 0;
  const v = load<f64>(hd);
  const vi = load<i32>(hi);
  for (;;) {
    const l = 2 * i + 1;
    if (l >= k) break;
    let c = l;
    const r = l + 1;
    if (r < k) {
      const lv = load<f64>(hd + (<usize>l << 3));
      const rv = load<f64>(hd + (<usize>r << 3));
      if (rv > lv || (rv == lv && load<i32>(hi + (<usize>r << 2)) > load<i32>(hi + (<usize>l << 2)))) c = r;
    }
    const cv = load<f64>(hd + (<usize>c << 3));
    const ci = load<i32>(hi + (<usize>c << 2));
    if (cv < v || (cv == v && ci < vi)) break;
    store<f64>(hd + (<usize>i << 3), cv);
    store<i32>(hi + (<usize>i << 2), ci);
    i = c;
  }
  store<f64>(hd + (<usize>i << 3), v);
  store<i32>(hi + (<usize>i << 2), vi);
}

/**
 * For query rows q[0 … rows) (d wide), the k nearest of the m reference rows at x (squared norms xn):
 * outD[r·k + t] the t-th smallest exact squared distance, outI the reference index (−1, with +Infinity,
 * when fewer than k rows are available). With `excludeCopy`, the first reference row that is an exact
 * copy of the query is skipped (a training row scored without itself). Scratch: qn (QUERY_BLOCK f64),
 * g (QUERY_BLOCK × REF_BLOCK f64), hd (QUERY_BLOCK·k f64), hi (QUERY_BLOCK·k i32), skip (QUERY_BLOCK i32).
 */
export function knnSelectF64(
  q: usize,
  rows: i32,
  x: usize,
  xn: usize,
  m: i32,
  d: i32,
  k: i32,
  excludeCopy: bool,
  qn: usize,
  g: usize,
  hd: usize,
  hi: usize,
  skip: usize,
  outD: usize,
  outI: usize,
): void {
  const rowBytes = <usize>d << 3;
  for (let r0 = 0; r0 < rows; r0 += QUERY_BLOCK) {
    const rb = min(QUERY_BLOCK, rows - r0);
    const qb = q + <usize>r0 * rowBytes;
    rowSquaredNorms(qb, rb, d, qn);
    for (let t = 0; t < rb * k; t++) {
      store<f64>(hd + (<usize>t << 3), Infinity);
      store<i32>(hi + (<usize>t << 2), 0x7fffffff);
    }
    memory.fill(skip, 0, <usize>rb << 2);
    for (let j0 = 0; j0 < m; j0 += REF_BLOCK) {
      const cb = min(REF_BLOCK, m - j0);
      sqDistBlock(qb, qn, rb, x + <usize>j0 * rowBytes, xn + (<usize>j0 << 3), cb, d, g);
      for (let r = 0; r < rb; r++) {
        const hdr = hd + ((<usize>r * <usize>k) << 3);
        const hir = hi + ((<usize>r * <usize>k) << 2);
        const grow = g + ((<usize>r * <usize>cb) << 3);
        const qnr = load<f64>(qn + (<usize>r << 3));
        let top = load<f64>(hdr);
        for (let j = 0; j < cb; j++) {
          const v = load<f64>(grow + (<usize>j << 3));
          if (v >= top) continue;
          if (excludeCopy && load<i32>(skip + (<usize>r << 2)) == 0) {
            const xj = xn + (<usize>(j0 + j) << 3);
            if (v <= copyTolerance(qnr, load<f64>(xj)) && sameRow(qb + <usize>r * rowBytes, x + <usize>(j0 + j) * rowBytes, d)) {
              store<i32>(skip + (<usize>r << 2), 1);
              continue;
            }
          }
          store<f64>(hdr, v);
          store<i32>(hir, j0 + j);
          siftDown(hdr, hir, k);
          top = load<f64>(hdr);
        }
      }
    }
    for (let r = 0; r < rb; r++) {
      const hdr = hd + ((<usize>r * <usize>k) << 3);
      const hir = hi + ((<usize>r * <usize>k) << 2);
      const qr = qb + <usize>r * rowBytes;
      // exact distances of the candidates, then insertion sort by (distance, index)
      for (let t = 0; t < k; t++) {
        const idx = load<i32>(hir + (<usize>t << 2));
        let s: f64 = Infinity;
        if (idx != 0x7fffffff) {
          s = 0;
          const xr = x + <usize>idx * rowBytes;
          for (let j = 0; j < d; j++) {
            const e = load<f64>(qr + (<usize>j << 3)) - load<f64>(xr + (<usize>j << 3));
            s += e * e;
          }
        }
        let u = t;
        while (u > 0) {
          const pv = load<f64>(hdr + (<usize>(u - 1) << 3));
          const pi = load<i32>(hir + (<usize>(u - 1) << 2));
          if (pv < s || (pv == s && pi < idx)) break;
          store<f64>(hdr + (<usize>u << 3), pv);
          store<i32>(hir + (<usize>u << 2), pi);
          u--;
        }
        store<f64>(hdr + (<usize>u << 3), s);
        store<i32>(hir + (<usize>u << 2), idx);
      }
      const od = outD + ((<usize>(r0 + r) * <usize>k) << 3);
      const oi = outI + ((<usize>(r0 + r) * <usize>k) << 2);
      for (let t = 0; t < k; t++) {
        const idx = load<i32>(hir + (<usize>t << 2));
        store<f64>(od + (<usize>t << 3), load<f64>(hdr + (<usize>t << 3)));
        store<i32>(oi + (<usize>t << 2), idx == 0x7fffffff ? -1 : idx);
      }
    }
  }
}
