import { nearCopy, QUERY_BLOCK, REF_BLOCK, rowSquaredNorms, sameRow, sqDistBlock } from './sqDistBlock.js';

// Scratch, grown on demand and reused (one per thread; the kernel is not re-entrant).
const qn = new Float64Array(QUERY_BLOCK);
const g = new Float64Array(QUERY_BLOCK * REF_BLOCK);
let hd = new Float64Array(0);
let hi = new Int32Array(0);
const skip = new Uint8Array(QUERY_BLOCK);
const NONE = 0x7fffffff;

function siftDown(h: Float64Array, ix: Int32Array, base: number, k: number): void {
  let i = 0;
  const v = h[base] as number;
  const vi = ix[base] as number;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= k) break;
    let c = l;
    const r = l + 1;
    if (r < k) {
      const lv = h[base + l] as number;
      const rv = h[base + r] as number;
      if (rv > lv || (rv === lv && (ix[base + r] as number) > (ix[base + l] as number))) c = r;
    }
    const cv = h[base + c] as number;
    const ci = ix[base + c] as number;
    if (cv < v || (cv === v && ci < vi)) break;
    h[base + i] = cv;
    ix[base + i] = ci;
    i = c;
  }
  h[base + i] = v;
  ix[base + i] = vi;
}

/**
 * The k nearest reference rows of each query row, by squared Euclidean distance. For query rows
 * `q[qOff …]` (`rows` rows, `d` wide) against the `m` reference rows `x[0 … m·d)` with squared norms `xn`
 * (see {@link rowSquaredNorms}): `outD[outOff + r·k + t]` is the t-th smallest squared distance and
 * `outI[outOff + r·k + t]` its reference row (−1 with +Infinity when m < k).
 *
 * Candidates stream through a bounded max-heap per query from GEMM distances ({@link sqDistBlock}) on
 * blocks of 32 queries × 512 reference rows; the k kept are then recomputed exactly as `Σ (q_j − x_j)²`
 * in column order and sorted by (distance, index), so reported distances carry no cancellation error.
 * With `excludeCopy`, the first reference row that is an exact copy of the query is skipped — a training
 * row is scored without itself (leave-one-out). A row's result depends only on that row. Checks nothing;
 * allocates only when k grows past every earlier call's.
 *
 * Cost: 2·rows·m·d flops plus rows·m comparisons (and rows·k·log k per improvement).
 *
 * @example
 * ```ts
 * const x = new Float64Array([0, 0, 1, 0, 5, 5]); // three 2-d rows
 * const xn = new Float64Array(3);
 * rowSquaredNorms(x, 0, 3, 2, xn, 0);
 * const d = new Float64Array(2);
 * const i = new Int32Array(2);
 * knnSelect(new Float64Array([0.9, 0]), 0, 1, x, xn, 3, 2, 2, false, d, i, 0); // i = [1, 0], d ≈ [0.01, 0.81]
 * ```
 */
export function knnSelect(
  q: Float64Array,
  qOff: number,
  rows: number,
  x: Float64Array,
  xn: Float64Array,
  m: number,
  d: number,
  k: number,
  excludeCopy: boolean,
  outD: Float64Array,
  outI: Int32Array,
  outOff: number,
): void {
  if (hd.length < QUERY_BLOCK * k) {
    hd = new Float64Array(QUERY_BLOCK * k);
    hi = new Int32Array(QUERY_BLOCK * k);
  }
  for (let r0 = 0; r0 < rows; r0 += QUERY_BLOCK) {
    const rb = Math.min(QUERY_BLOCK, rows - r0);
    const qb = qOff + r0 * d;
    rowSquaredNorms(q, qb, rb, d, qn, 0);
    hd.fill(Number.POSITIVE_INFINITY, 0, rb * k);
    hi.fill(NONE, 0, rb * k);
    skip.fill(0);
    for (let j0 = 0; j0 < m; j0 += REF_BLOCK) {
      const cb = Math.min(REF_BLOCK, m - j0);
      sqDistBlock(q, qb, qn, rb, x, j0 * d, xn, j0, cb, d, g);
      for (let r = 0; r < rb; r++) {
        const base = r * k;
        const grow = r * cb;
        const qnr = qn[r] as number;
        let top = hd[base] as number;
        for (let j = 0; j < cb; j++) {
          const v = g[grow + j] as number;
          if (v >= top) continue;
          if (
            excludeCopy &&
            skip[r] === 0 &&
            nearCopy(v, qnr, xn[j0 + j] as number) &&
            sameRow(q, qb + r * d, x, (j0 + j) * d, d)
          ) {
            skip[r] = 1;
            continue;
          }
          hd[base] = v;
          hi[base] = j0 + j;
          siftDown(hd, hi, base, k);
          top = hd[base] as number;
        }
      }
    }
    for (let r = 0; r < rb; r++) {
      const base = r * k;
      const qr = qb + r * d;
      for (let t = 0; t < k; t++) {
        const idx = hi[base + t] as number;
        let s = Number.POSITIVE_INFINITY;
        if (idx !== NONE) {
          s = 0;
          const xr = idx * d;
          for (let j = 0; j < d; j++) {
            const e = (q[qr + j] as number) - (x[xr + j] as number);
            s += e * e;
          }
        }
        let u = t;
        while (u > 0) {
          const pv = hd[base + u - 1] as number;
          const pi = hi[base + u - 1] as number;
          if (pv < s || (pv === s && pi < idx)) break;
          hd[base + u] = pv;
          hi[base + u] = pi;
          u--;
        }
        hd[base + u] = s;
        hi[base + u] = idx;
      }
      const o = outOff + (r0 + r) * k;
      for (let t = 0; t < k; t++) {
        const idx = hi[base + t] as number;
        outD[o + t] = hd[base + t] as number;
        outI[o + t] = idx === NONE ? -1 : idx;
      }
    }
  }
}
