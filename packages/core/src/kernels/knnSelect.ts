import { QUERY_BLOCK, REF_BLOCK, rowSquaredNorms, sameRow, sqDistBlock } from './sqDistBlock.js';

/** (‖q‖ + max‖x‖)² above this (or not finite): the row is searched by exact brute force instead. */
const LIMIT = 1e300;
/** 2⁻⁵²: twice the unit roundoff of f64. */
const U2 = 2 ** -52;

// Scratch, grown on demand and reused (one per thread; the kernel is not re-entrant).
const qn = new Float64Array(QUERY_BLOCK);
const g = new Float64Array(QUERY_BLOCK * REF_BLOCK);
const bound = new Float64Array(QUERY_BLOCK);
const tau = new Float64Array(QUERY_BLOCK);
const thr = new Float64Array(QUERY_BLOCK);
const cnt = new Int32Array(QUERY_BLOCK);
const hsz = new Int32Array(QUERY_BLOCK);
const excluded = new Uint8Array(QUERY_BLOCK);
let lo = new Float64Array(0);
let hi = new Float64Array(0);
let ix = new Int32Array(0);
let heap = new Float64Array(0);
let tmpD = new Float64Array(0);
let tmpI = new Int32Array(0);

/** The per-call settings the helpers read. */
const cur = { k: 0, cap: 0, d: 0, exclude: false, q: new Float64Array(0), qb: 0, x: new Float64Array(0) };

/** Candidates held per query: 4k + 16 (at least k + 2). */
function capacityOf(k: number): number {
  return 4 * k + 16;
}

/**
 * Bound on |D̂ − D| for every reference row: D̂ the GEMM distance ({@link sqDistBlock}) of a query at norm
 * `qNorm`, D the distance `Σ (q_j − x_j)²` as computed in f64, R = max ‖x‖. With u = 2⁻⁵³ the GEMM's
 * error is at most (d + 3)·u·(‖q‖ + ‖x‖)² (dot product γ_d·2‖q‖‖x‖, the norms γ_d·‖·‖², two additions),
 * D's own γ_(d+1)·D; the bound doubles that with d + 8 and adds an absolute term for underflow.
 */
function marginOf(qNorm: number, r: number, d: number): number {
  const a = qNorm + r;
  return (d + 8) * U2 * a * a + (d + 8) * 1e-300 * (1 + a);
}

function exactDistance(q: Float64Array, qOff: number, x: Float64Array, xOff: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const e = (q[qOff + j] as number) - (x[xOff + j] as number);
    s += e * e;
  }
  return s;
}

function before(da: number, ia: number, db: number, ib: number): boolean {
  return da < db || (da === db && ia < ib);
}

function keepOf(r: number): number {
  return cur.exclude && excluded[r] === 0 ? cur.k + 1 : cur.k;
}

function setThreshold(r: number, t: number): void {
  tau[r] = t;
  thr[r] = t + (bound[r] as number) * 1.0001;
}

/** As the WebAssembly kernel's exactify: exact distances, the lowest-index copy left out, first `keep` sorted. */
function exactify(r: number, keep: number): void {
  const base = r * cur.cap;
  const { d, q, x } = cur;
  const qr = cur.qb + r * d;
  let c = cnt[r] as number;
  for (let t = base; t < base + c; t++) {
    const j = ix[t] as number;
    if (j < 0) continue;
    const e = exactDistance(q, qr, x, j * d, d);
    lo[t] = e;
    hi[t] = e;
    ix[t] = ~j;
  }
  if (cur.exclude && excluded[r] === 0) {
    let at = -1;
    let atJ = 0x7fffffff;
    for (let t = base; t < base + c; t++) {
      const j = ~(ix[t] as number);
      if (hi[t] === 0 && j < atJ && sameRow(q, qr, x, j * d, d)) {
        at = t;
        atJ = j;
      }
    }
    if (at >= 0) {
      c--;
      lo[at] = lo[base + c] as number;
      hi[at] = hi[base + c] as number;
      ix[at] = ix[base + c] as number;
      excluded[r] = 1;
      keep = cur.k;
    }
  }
  let n = 0;
  for (let t = base; t < base + c; t++) {
    const v = hi[t] as number;
    const j = ~(ix[t] as number);
    if (n === keep && !before(v, j, tmpD[n - 1] as number, tmpI[n - 1] as number)) continue;
    let u = n < keep ? n++ : n - 1;
    while (u > 0) {
      const pv = tmpD[u - 1] as number;
      const pj = tmpI[u - 1] as number;
      if (before(pv, pj, v, j)) break;
      tmpD[u] = pv;
      tmpI[u] = pj;
      u--;
    }
    tmpD[u] = v;
    tmpI[u] = j;
  }
  for (let t = 0; t < n; t++) {
    lo[base + t] = tmpD[t] as number;
    hi[base + t] = tmpD[t] as number;
    ix[base + t] = ~(tmpI[t] as number);
  }
  cnt[r] = n;
}

function rebuildHeap(r: number): void {
  const n = cnt[r] as number;
  const h = r * (cur.k + 1);
  const base = r * cur.cap;
  for (let t = 0; t < n; t++) heap[h + t] = hi[base + n - 1 - t] as number;
  hsz[r] = n;
  setThreshold(r, n >= keepOf(r) ? (heap[h] as number) : Number.POSITIVE_INFINITY);
}

function compact(r: number): void {
  const t0 = tau[r] as number;
  const base = r * cur.cap;
  const c = cnt[r] as number;
  let w = base;
  for (let t = base; t < base + c; t++) {
    if ((lo[t] as number) > t0) continue;
    lo[w] = lo[t] as number;
    hi[w] = hi[t] as number;
    ix[w] = ix[t] as number;
    w++;
  }
  cnt[r] = w - base;
  if (w - base > cur.cap >> 1) {
    exactify(r, keepOf(r));
    rebuildHeap(r);
  }
}

function insert(r: number, j: number, v: number): void {
  let c = cnt[r] as number;
  if (c === cur.cap) {
    compact(r);
    c = cnt[r] as number;
    if (v > (thr[r] as number)) return;
  }
  const t = r * cur.cap + c;
  const b = bound[r] as number;
  const up = v + b;
  lo[t] = v - b;
  hi[t] = up;
  ix[t] = j;
  cnt[r] = c + 1;
  const keep = keepOf(r);
  const h = r * (cur.k + 1);
  const n = hsz[r] as number;
  if (n < keep) {
    let i = n;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pv = heap[h + p] as number;
      if (pv >= up) break;
      heap[h + i] = pv;
      i = p;
    }
    heap[h + i] = up;
    hsz[r] = n + 1;
    if (n + 1 === keep) setThreshold(r, heap[h] as number);
  } else if (up < (heap[h] as number)) {
    // replace the root and sift down
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= keep) break;
      let ch = l;
      if (l + 1 < keep && (heap[h + l + 1] as number) > (heap[h + l] as number)) ch = l + 1;
      const cv = heap[h + ch] as number;
      if (cv <= up) break;
      heap[h + i] = cv;
      i = ch;
    }
    heap[h + i] = up;
    setThreshold(r, heap[h] as number);
  }
}

/**
 * The k nearest reference rows of each query row, by the squared Euclidean distance `Σ (q_j − x_j)²`
 * computed in f64 in column order — exactly brute force's answer, ties by index. For query rows
 * `q[qOff …]` (`rows` rows, `d` wide) against the `m` reference rows `x[0 … m·d)` with squared norms `xn`
 * (see {@link rowSquaredNorms}): `outD[outOff + r·k + t]` is the t-th smallest squared distance and
 * `outI[outOff + r·k + t]` its reference row (−1 with +Infinity when fewer than k rows are available).
 *
 * Candidates come from GEMM distances ({@link sqDistBlock}, blocks of 32 queries × 512 reference rows).
 * Each GEMM distance D̂ is within a proven bound B(q) = (d + 8)·2⁻⁵²·(‖q‖ + max‖x‖)² of the exact one, so
 * a row is kept as a candidate unless D̂ − B exceeds τ, the k-th smallest D̂ + B among the candidates so
 * far (a max-heap per query); such a row has at least k rows strictly nearer and cannot be in the answer.
 * The candidates' distances are then recomputed exactly and sorted by (distance, index). The WebAssembly
 * kernel runs the same search with f32 estimates and returns the same answer, bit for bit. Rows whose
 * norms overflow the bound (‖q‖ + max‖x‖ > 10¹⁵⁰) are searched by brute force.
 *
 * With `excludeCopy`, the lowest-index reference row that is an exact copy of the query is left out — a
 * training row is scored without itself (leave-one-out); until that copy is met, k + 1 candidates are
 * kept. A row's result depends only on that row. Checks nothing; allocates only when k grows past every
 * earlier call's.
 *
 * Cost: 2·rows·m·d flops for the GEMM, rows·m comparisons, and per query O(k·log(m/k)·log k) for the
 * candidates that improve the threshold plus O(k·d) for the exact recompute (for data in general position).
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
  if (rows <= 0 || k <= 0) return;
  const cap = capacityOf(k);
  if (tmpD.length < cap) {
    lo = new Float64Array(QUERY_BLOCK * cap);
    hi = new Float64Array(QUERY_BLOCK * cap);
    ix = new Int32Array(QUERY_BLOCK * cap);
    heap = new Float64Array(QUERY_BLOCK * (k + 1));
    tmpD = new Float64Array(cap);
    tmpI = new Int32Array(cap);
  }
  Object.assign(cur, { k, cap, d, exclude: excludeCopy, q, x });
  let r2 = 0;
  for (let j = 0; j < m; j++) {
    const v = xn[j] as number;
    r2 = v > r2 || Number.isNaN(v) ? v : r2;
    if (Number.isNaN(r2)) break;
  }
  const rNorm = Math.sqrt(r2);
  const refOk = r2 <= LIMIT;
  for (let r0 = 0; r0 < rows; r0 += QUERY_BLOCK) {
    const rb = Math.min(QUERY_BLOCK, rows - r0);
    const qb = qOff + r0 * d;
    cur.qb = qb;
    rowSquaredNorms(q, qb, rb, d, qn, 0);
    let anyFast = false;
    for (let r = 0; r < rb; r++) {
      const qNorm = Math.sqrt(qn[r] as number);
      const fast = refOk && (qNorm + rNorm) * (qNorm + rNorm) <= LIMIT;
      bound[r] = fast ? marginOf(qNorm, rNorm, d) : 0;
      tau[r] = Number.POSITIVE_INFINITY;
      thr[r] = fast ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      cnt[r] = 0;
      hsz[r] = 0;
      excluded[r] = 0;
      if (fast) anyFast = true;
    }
    for (let j0 = 0; anyFast && j0 < m; j0 += REF_BLOCK) {
      const cb = Math.min(REF_BLOCK, m - j0);
      sqDistBlock(q, qb, qn, rb, x, j0 * d, xn, j0, cb, d, g);
      for (let r = 0; r < rb; r++) {
        const grow = r * cb;
        let t = thr[r] as number;
        for (let j = 0; j < cb; j++) {
          const v = g[grow + j] as number;
          if (v > t) continue;
          insert(r, j0 + j, v);
          t = thr[r] as number;
        }
      }
    }
    for (let r = 0; r < rb; r++) {
      if (thr[r] === Number.NEGATIVE_INFINITY) {
        // brute force: every distance exact
        const base = r * cap;
        for (let j = 0; j < m; j++) {
          if (cnt[r] === cap) exactify(r, keepOf(r));
          const t = base + (cnt[r] as number);
          const e = exactDistance(q, qb + r * d, x, j * d, d);
          lo[t] = e;
          hi[t] = e;
          ix[t] = ~j;
          cnt[r] = (cnt[r] as number) + 1;
        }
      } else compact(r);
      exactify(r, keepOf(r));
      const n = Math.min(cnt[r] as number, k);
      const o = outOff + (r0 + r) * k;
      for (let t = 0; t < k; t++) {
        outD[o + t] = t < n ? (hi[r * cap + t] as number) : Number.POSITIVE_INFINITY;
        outI[o + t] = t < n ? ~(ix[r * cap + t] as number) : -1;
      }
    }
  }
}
