// Exact k-nearest-neighbour search: for each query row, the k reference rows of smallest squared Euclidean
// distance Σ (q_j − x_j)² (f64, column order), ties by index — the same answer as brute force, bit for bit.
//
// Candidates are chosen in single precision: the distance expansion ‖q‖² + ‖x‖² − 2·q·x on a register
// block of 4 queries × 8 reference rows (f32x4, reference rows pre-packed once by knnPackF32), compared
// against a per-query threshold inside the block, so almost no distance leaves the registers. Every f32
// distance carries a proven error bound B(q) (see marginOf); a row is kept as a candidate unless its lower
// bound exceeds the k-th smallest upper bound among the candidates seen, so the true k nearest are never
// dropped. The candidates' distances are then recomputed exactly in f64 and sorted by (distance, index).
import { rowSquaredNorms, sameRow } from './sqDistBlock';

/** Query rows per block (16 register quads). */
const QB: i32 = 64;
/** (‖q‖ + max‖x‖)² above this (or not finite): the row is searched by exact f64 brute force instead. */
const LIMIT: f64 = 1e30;
/** The threshold of a query that has no k candidates yet (above every finite f32 distance below LIMIT). */
const F32_OPEN: f32 = 3.0e38;
/** 2^-23: twice the unit roundoff of f32. */
const U2: f64 = 1.1920928955078125e-7;

/** Candidates held per query: 4k + 16 (at least k + 2). */
@inline
function capacity(k: i32): i32 {
  return 4 * k + 16;
}

/**
 * Bound on |D̂ − D| for every reference row, where D̂ = s + ‖q‖² is the f32 estimate of a query at norm
 * ‖q‖ = qNorm and D the f64 distance Σ (q_j − x_j)², with R = max ‖x‖. With u = 2⁻²⁴ the estimate's error
 * is at most (d + 4)·u·(‖q‖ + ‖x‖)² (rounding q and x to f32: 2·u·(‖q‖+‖x‖)²; the f32 dot product:
 * γ_d·2‖q‖‖x‖; ‖x‖² rounded to f32 and the f32 sum s = dot + ‖x‖²: 2u·(…)²; the f64 terms ~1e-16); the
 * bound doubles that and adds 4 to d, and an absolute term covers f32 underflow (subnormals).
 */
@inline
function marginOf(qNorm: f64, r: f64, d: i32): f64 {
  const a = qNorm + r;
  const c = <f64>(d + 8);
  return c * U2 * a * a + c * 1e-42 * (1 + a);
}

/** The smallest f32 ≥ t (conservative: may be one ulp higher). */
@inline
function f32Up(t: f64): f32 {
  if (!(t < <f64>F32_OPEN)) return F32_OPEN;
  let f = <f32>t;
  if (<f64>f < t) f = f + abs<f32>(f) * <f32>2.384185791015625e-7 + <f32>1.2e-38;
  return f;
}

/** Bytes of scratch knnSelectF32 needs for d-wide rows and k neighbours. */
export function knnScratchBytes(d: i32, k: i32): i32 {
  const c = capacity(k);
  // packed queries, qn, B, tau, thr, cnt, flags, heap sizes, tile, lo, hi, ix, temp (f64 + i32), heaps
  return QB * d * 4 + QB * 8 * 3 + QB * 4 * 4 + 128 + QB * c * (8 + 8 + 4) + c * 12 + QB * (k + 1) * 8 + 64;
}

/**
 * Packs the m reference rows at x (f64, d wide; squared norms xn) for knnSelectF32: panels of 8 rows,
 * depth-major (32 bytes per column: the 8 rows' f32 values), and the norms as f32 padded to a multiple of
 * 8 with +Infinity (padding rows are never candidates). out needs ⌈m/8⌉·32·d bytes, outN ⌈m/8⌉·32.
 */
export function knnPackF32(x: usize, xn: usize, m: i32, d: i32, out: usize, outN: usize): void {
  const panels = (m + 7) >> 3;
  const rowBytes = <usize>d << 3;
  for (let p = 0; p < panels; p++) {
    const panel = out + <usize>p * (<usize>d << 5);
    for (let s = 0; s < 8; s++) {
      const j = p * 8 + s;
      const dst = panel + (<usize>s << 2);
      if (j < m) {
        const row = x + <usize>j * rowBytes;
        for (let t = 0; t < d; t++) store<f32>(dst + (<usize>t << 5), <f32>load<f64>(row + (<usize>t << 3)));
        store<f32>(outN + (<usize>j << 2), <f32>load<f64>(xn + (<usize>j << 3)));
      } else {
        for (let t = 0; t < d; t++) store<f32>(dst + (<usize>t << 5), 0);
        store<f32>(outN + (<usize>j << 2), Infinity);
      }
    }
  }
}

/** Σ (q_j − x_j)² in column order: the exact distance every answer is sorted by. */
@inline
function exactDistance(q: usize, x: usize, d: i32): f64 {
  let s: f64 = 0;
  for (let j = 0; j < d; j++) {
    const e = load<f64>(q + (<usize>j << 3)) - load<f64>(x + (<usize>j << 3));
    s += e * e;
  }
  return s;
}

/** Whether (da, ia) comes before (db, ib): by distance, then index. */
@inline
function before(da: f64, ia: i32, db: f64, ib: i32): bool {
  return da < db || (da == db && ia < ib);
}

// The per-call layout of the scratch block (set by knnSelectF32, read by the helpers below).
let gC: i32 = 0;
let gK: i32 = 0;
let gD: i32 = 0;
let gExclude: bool = false;
let gX: usize = 0;
let gQ: usize = 0; // the current query block (f64 rows)
let sQn: usize = 0;
let sB: usize = 0;
let sTau: usize = 0;
let sThr: usize = 0;
let sCnt: usize = 0;
let sFlags: usize = 0;
let sLo: usize = 0;
let sHi: usize = 0;
let sIx: usize = 0;
let sTmpD: usize = 0;
let sTmpI: usize = 0;
let sHeap: usize = 0;
let sHsz: usize = 0;

const FLAG_SLOW: i32 = 1;
const FLAG_EXCLUDED: i32 = 2;

/** Neighbours to keep while the query's own copy may still be left out: k + 1, then k. */
@inline
function keepOf(r: i32): i32 {
  return gExclude && (load<i32>(sFlags + (<usize>r << 2)) & FLAG_EXCLUDED) == 0 ? gK + 1 : gK;
}

/**
 * Replaces every candidate of query r by its exact distance (entries marked exact by a negative index
 * ~j), leaves out the lowest-index exact copy of the query when asked (once), and keeps the `keep` first
 * by (distance, index), sorted, at the start of the buffer.
 */
function exactify(r: i32, keep: i32): void {
  const base = <usize>r * <usize>gC;
  const lo = sLo + (base << 3);
  const hi = sHi + (base << 3);
  const ix = sIx + (base << 2);
  let c = load<i32>(sCnt + (<usize>r << 2));
  const rowBytes = <usize>gD << 3;
  const qr = gQ + <usize>r * rowBytes;
  for (let t = 0; t < c; t++) {
    const j = load<i32>(ix + (<usize>t << 2));
    if (j < 0) continue;
    const e = exactDistance(qr, gX + <usize>j * rowBytes, gD);
    store<f64>(lo + (<usize>t << 3), e);
    store<f64>(hi + (<usize>t << 3), e);
    store<i32>(ix + (<usize>t << 2), ~j);
  }
  const flags = load<i32>(sFlags + (<usize>r << 2));
  if (gExclude && (flags & FLAG_EXCLUDED) == 0) {
    let at = -1;
    let atJ: i32 = 0x7fffffff;
    for (let t = 0; t < c; t++) {
      const j = ~load<i32>(ix + (<usize>t << 2));
      if (load<f64>(hi + (<usize>t << 3)) == 0 && j < atJ && sameRow(qr, gX + <usize>j * rowBytes, gD)) {
        at = t;
        atJ = j;
      }
    }
    if (at >= 0) {
      c--;
      store<f64>(lo + (<usize>at << 3), load<f64>(lo + (<usize>c << 3)));
      store<f64>(hi + (<usize>at << 3), load<f64>(hi + (<usize>c << 3)));
      store<i32>(ix + (<usize>at << 2), load<i32>(ix + (<usize>c << 2)));
      store<i32>(sFlags + (<usize>r << 2), flags | FLAG_EXCLUDED);
      keep = gK;
    }
  }
  // the `keep` first by (distance, index), by insertion into a sorted prefix of the temp arrays
  let n = 0;
  for (let t = 0; t < c; t++) {
    const v = load<f64>(hi + (<usize>t << 3));
    const j = ~load<i32>(ix + (<usize>t << 2));
    if (n == keep && !before(v, j, load<f64>(sTmpD + (<usize>(n - 1) << 3)), load<i32>(sTmpI + (<usize>(n - 1) << 2))))
      continue;
    let u = n < keep ? n++ : n - 1;
    while (u > 0) {
      const pv = load<f64>(sTmpD + (<usize>(u - 1) << 3));
      const pj = load<i32>(sTmpI + (<usize>(u - 1) << 2));
      if (before(pv, pj, v, j)) break;
      store<f64>(sTmpD + (<usize>u << 3), pv);
      store<i32>(sTmpI + (<usize>u << 2), pj);
      u--;
    }
    store<f64>(sTmpD + (<usize>u << 3), v);
    store<i32>(sTmpI + (<usize>u << 2), j);
  }
  for (let t = 0; t < n; t++) {
    const v = load<f64>(sTmpD + (<usize>t << 3));
    store<f64>(lo + (<usize>t << 3), v);
    store<f64>(hi + (<usize>t << 3), v);
    store<i32>(ix + (<usize>t << 2), ~load<i32>(sTmpI + (<usize>t << 2)));
  }
  store<i32>(sCnt + (<usize>r << 2), n);
}

/** Sets query r's f32 threshold from τ: s ≤ τ + B − ‖q‖² ⇔ the row's lower bound is ≤ τ. */
@inline
function setThreshold(r: i32, tau: f64): void {
  store<f64>(sTau + (<usize>r << 3), tau);
  const qn = load<f64>(sQn + (<usize>r << 3));
  const b = load<f64>(sB + (<usize>r << 3));
  // the factor 1.0001 covers this sum's own f64 rounding (B ≫ 1e-16·(τ + ‖q‖²))
  store<f32>(sThr + (<usize>r << 2), f32Up(tau + b * 1.0001 - qn));
}

/** Restores the max-heap of upper bounds at `h` (size n) after its root was replaced. */
@inline
function siftDown(h: usize, n: i32): void {
  const v = load<f64>(h);
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    let c = l;
    if (l + 1 < n && load<f64>(h + (<usize>(l + 1) << 3)) > load<f64>(h + (<usize>l << 3))) c = l + 1;
    const cv = load<f64>(h + (<usize>c << 3));
    if (cv <= v) break;
    store<f64>(h + (<usize>i << 3), cv);
    i = c;
  }
  store<f64>(h + (<usize>i << 3), v);
}

/**
 * Query r's heap of the `keep` smallest upper bounds (its root is τ), rebuilt from the buffer after
 * exactify (which leaves the first ≤ keep candidates sorted: in descending order they form a max-heap).
 */
function rebuildHeap(r: i32): void {
  const n = load<i32>(sCnt + (<usize>r << 2));
  const keep = keepOf(r);
  const h = sHeap + ((<usize>r * <usize>(gK + 1)) << 3);
  const hi = sHi + ((<usize>r * <usize>gC) << 3);
  for (let t = 0; t < n; t++) store<f64>(h + (<usize>t << 3), load<f64>(hi + (<usize>(n - 1 - t) << 3)));
  store<i32>(sHsz + (<usize>r << 2), n);
  setThreshold(r, n >= keep ? load<f64>(h) : Infinity);
}

/**
 * Drops query r's candidates whose lower bound exceeds τ (at least `keep` rows lie within τ — k, or k + 1
 * while the query's own copy may still be left out — so such a row is not among the k nearest); when the
 * buffer stays over half full (many near-ties), makes every candidate exact and keeps the first `keep`.
 */
function compact(r: i32): void {
  const tau = load<f64>(sTau + (<usize>r << 3));
  const base = <usize>r * <usize>gC;
  const lo = sLo + (base << 3);
  const hi = sHi + (base << 3);
  const ix = sIx + (base << 2);
  const c = load<i32>(sCnt + (<usize>r << 2));
  let w = 0;
  for (let t = 0; t < c; t++) {
    if (load<f64>(lo + (<usize>t << 3)) > tau) continue;
    if (w != t) {
      store<f64>(lo + (<usize>w << 3), load<f64>(lo + (<usize>t << 3)));
      store<f64>(hi + (<usize>w << 3), load<f64>(hi + (<usize>t << 3)));
      store<i32>(ix + (<usize>w << 2), load<i32>(ix + (<usize>t << 2)));
    }
    w++;
  }
  store<i32>(sCnt + (<usize>r << 2), w);
  if (w > gC >> 1) {
    exactify(r, keepOf(r));
    rebuildHeap(r);
  }
}

/** Adds reference row j with f32 estimate s (= D̂ − ‖q‖²) to query r's candidates. */
function insert(r: i32, j: i32, s: f32): void {
  let c = load<i32>(sCnt + (<usize>r << 2));
  if (c == gC) {
    compact(r);
    c = load<i32>(sCnt + (<usize>r << 2));
    // the threshold may have moved below s: the row can be dropped now
    if (s > load<f32>(sThr + (<usize>r << 2))) return;
  }
  const base = <usize>r * <usize>gC + <usize>c;
  const e = <f64>s + load<f64>(sQn + (<usize>r << 3));
  const b = load<f64>(sB + (<usize>r << 3));
  const up = e + b;
  store<f64>(sLo + (base << 3), e - b);
  store<f64>(sHi + (base << 3), up);
  store<i32>(sIx + (base << 2), j);
  store<i32>(sCnt + (<usize>r << 2), c + 1);
  // τ = the keep-th smallest upper bound so far (root of a max-heap of the keep smallest)
  const keep = keepOf(r);
  const h = sHeap + ((<usize>r * <usize>(gK + 1)) << 3);
  const n = load<i32>(sHsz + (<usize>r << 2));
  if (n < keep) {
    let i = n;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pv = load<f64>(h + (<usize>p << 3));
      if (pv >= up) break;
      store<f64>(h + (<usize>i << 3), pv);
      i = p;
    }
    store<f64>(h + (<usize>i << 3), up);
    store<i32>(sHsz + (<usize>r << 2), n + 1);
    if (n + 1 == keep) setThreshold(r, load<f64>(h));
  } else if (up < load<f64>(h)) {
    store<f64>(h, up);
    siftDown(h, keep);
    setThreshold(r, load<f64>(h));
  }
}

/**
 * Inserts the lanes of query r's 8 estimates (reference rows j8 … j8 + 7, in lanes of lo and hi) that pass
 * its threshold t, in index order (an insertion may lower the threshold for the lanes after it).
 */
@inline
function hits(r: i32, j8: i32, lo: v128, hi: v128, t: v128, tile: usize): void {
  let mask = i32x4.bitmask(f32x4.le(lo, t)) | (i32x4.bitmask(f32x4.le(hi, t)) << 4);
  if (mask == 0) return;
  v128.store(tile, lo);
  v128.store(tile, hi, 16);
  const thr = sThr + (<usize>r << 2);
  while (mask != 0) {
    const l = ctz(mask);
    const s = load<f32>(tile + (<usize>l << 2));
    if (s <= load<f32>(thr)) insert(r, j8 + l, s);
    mask &= mask - 1;
  }
}

/** Exact brute force for query r (rows too large for the f32 estimate): every distance in f64. */
function bruteForce(r: i32, m: i32): void {
  const rowBytes = <usize>gD << 3;
  const qr = gQ + <usize>r * rowBytes;
  const base = <usize>r * <usize>gC;
  for (let j = 0; j < m; j++) {
    if (load<i32>(sCnt + (<usize>r << 2)) == gC) exactify(r, keepOf(r));
    const c = load<i32>(sCnt + (<usize>r << 2));
    const e = exactDistance(qr, gX + <usize>j * rowBytes, gD);
    store<f64>(sLo + ((base + <usize>c) << 3), e);
    store<f64>(sHi + ((base + <usize>c) << 3), e);
    store<i32>(sIx + ((base + <usize>c) << 2), ~j);
    store<i32>(sCnt + (<usize>r << 2), c + 1);
  }
}

/**
 * For query rows q[0 … rows) (f64, d wide), the k nearest of the m reference rows at x (f64, squared
 * norms xn; packed by knnPackF32 into px / pxn, r2 = max xn): outD[r·k + t] the t-th smallest squared
 * distance Σ (q_j − x_j)² (f64, column order), outI its reference row, sorted by (distance, index); −1 with
 * +Infinity when fewer than k rows are available. With `excludeCopy`, the lowest-index reference row
 * that is an exact copy of the query is left out (a training row scored without itself). Scratch:
 * knnScratchBytes(d, k) bytes at `scratch`. The answer of a row depends only on that row.
 */
export function knnSelectF32(
  q: usize,
  rows: i32,
  x: usize,
  m: i32,
  d: i32,
  k: i32,
  excludeCopy: bool,
  px: usize,
  pxn: usize,
  r2: f64,
  scratch: usize,
  outD: usize,
  outI: usize,
): void {
  const C = capacity(k);
  gC = C;
  gK = k;
  gD = d;
  gExclude = excludeCopy;
  gX = x;
  // scratch layout (every part 8-byte aligned; QB·d·4 and QB·4 are multiples of 16)
  const pa = scratch;
  sQn = pa + <usize>(QB * d * 4);
  sB = sQn + <usize>(QB * 8);
  sTau = sB + <usize>(QB * 8);
  sThr = sTau + <usize>(QB * 8);
  sCnt = sThr + <usize>(QB * 4);
  sFlags = sCnt + <usize>(QB * 4);
  const tile = sFlags + <usize>(QB * 4);
  sLo = tile + 128;
  sHi = sLo + <usize>(QB * C * 8);
  sTmpD = sHi + <usize>(QB * C * 8);
  sIx = sTmpD + <usize>(C * 8);
  sTmpI = sIx + <usize>(QB * C * 4);
  sHsz = sTmpI + <usize>(C * 4);
  sHeap = sHsz + <usize>(QB * 4); // QB·4 is a multiple of 8

  const rowBytes = <usize>d << 3;
  const panels = (m + 7) >> 3;
  const panelBytes = <usize>d << 5;
  const pb = d > 0 ? max(1, 4096 / d) : 1; // panels per reference block: ≈ 128 KiB of f32, stays in L2
  const refOk = r2 <= LIMIT;
  const rNorm = Math.sqrt(r2);
  for (let r0 = 0; r0 < rows; r0 += QB) {
    const rb = min(QB, rows - r0);
    const quads = (rb + 3) >> 2;
    gQ = q + <usize>r0 * rowBytes;
    rowSquaredNorms(gQ, rb, d, sQn);
    let anyFast = false;
    for (let r = 0; r < quads * 4; r++) {
      const qn = r < rb ? load<f64>(sQn + (<usize>r << 3)) : 0;
      const qNorm = Math.sqrt(qn);
      const fast = r < rb && refOk && (qNorm + rNorm) * (qNorm + rNorm) <= LIMIT;
      const lane = pa + <usize>(r >> 2) * (<usize>d << 4) + (<usize>(r & 3) << 2);
      const qr = gQ + <usize>r * rowBytes;
      for (let t = 0; t < d; t++) store<f32>(lane + (<usize>t << 4), fast ? <f32>(-2.0 * load<f64>(qr + (<usize>t << 3))) : 0);
      if (r >= rb) continue;
      store<f64>(sB + (<usize>r << 3), fast ? marginOf(qNorm, rNorm, d) : 0);
      store<f64>(sTau + (<usize>r << 3), Infinity);
      store<i32>(sCnt + (<usize>r << 2), 0);
      store<i32>(sHsz + (<usize>r << 2), 0);
      store<i32>(sFlags + (<usize>r << 2), fast ? 0 : FLAG_SLOW);
      store<f32>(sThr + (<usize>r << 2), fast ? F32_OPEN : -Infinity);
      if (fast) anyFast = true;
    }
    // rows past rb never take a candidate
    for (let r = rb; r < quads * 4; r++) store<f32>(sThr + (<usize>r << 2), -Infinity);
    if (anyFast) {
      for (let jb = 0; jb < panels; jb += pb) {
        const pe = min(panels, jb + pb);
        for (let qd = 0; qd < quads; qd++) {
          const aq = pa + <usize>qd * (<usize>d << 4);
          const thrq = sThr + (<usize>qd << 4);
          let t0 = v128.load_splat<f32>(thrq);
          let t1 = v128.load_splat<f32>(thrq, 4);
          let t2 = v128.load_splat<f32>(thrq, 8);
          let t3 = v128.load_splat<f32>(thrq, 12);
          for (let p = jb; p < pe; p++) {
            let bp = px + <usize>p * panelBytes;
            let ap = aq;
            let c00 = f32x4.splat(0);
            let c01 = f32x4.splat(0);
            let c10 = f32x4.splat(0);
            let c11 = f32x4.splat(0);
            let c20 = f32x4.splat(0);
            let c21 = f32x4.splat(0);
            let c30 = f32x4.splat(0);
            let c31 = f32x4.splat(0);
            for (let t = 0; t < d; t++) {
              const b0 = v128.load(bp);
              const b1 = v128.load(bp, 16);
              let av = v128.load_splat<f32>(ap);
              c00 = f32x4.add(c00, f32x4.mul(av, b0));
              c01 = f32x4.add(c01, f32x4.mul(av, b1));
              av = v128.load_splat<f32>(ap, 4);
              c10 = f32x4.add(c10, f32x4.mul(av, b0));
              c11 = f32x4.add(c11, f32x4.mul(av, b1));
              av = v128.load_splat<f32>(ap, 8);
              c20 = f32x4.add(c20, f32x4.mul(av, b0));
              c21 = f32x4.add(c21, f32x4.mul(av, b1));
              av = v128.load_splat<f32>(ap, 12);
              c30 = f32x4.add(c30, f32x4.mul(av, b0));
              c31 = f32x4.add(c31, f32x4.mul(av, b1));
              ap += 16;
              bp += 32;
            }
            const nb = pxn + (<usize>p << 5);
            const n0 = v128.load(nb);
            const n1 = v128.load(nb, 16);
            c00 = f32x4.add(c00, n0);
            c01 = f32x4.add(c01, n1);
            c10 = f32x4.add(c10, n0);
            c11 = f32x4.add(c11, n1);
            c20 = f32x4.add(c20, n0);
            c21 = f32x4.add(c21, n1);
            c30 = f32x4.add(c30, n0);
            c31 = f32x4.add(c31, n1);
            const hit = v128.or(
              v128.or(v128.or(f32x4.le(c00, t0), f32x4.le(c01, t0)), v128.or(f32x4.le(c10, t1), f32x4.le(c11, t1))),
              v128.or(v128.or(f32x4.le(c20, t2), f32x4.le(c21, t2)), v128.or(f32x4.le(c30, t3), f32x4.le(c31, t3))),
            );
            if (!v128.any_true(hit)) continue;
            // rare: some estimate passed its query's threshold; insert the passing lanes (in index order)
            const r4 = qd * 4;
            const j8 = p * 8;
            hits(r4, j8, c00, c01, t0, tile);
            hits(r4 + 1, j8, c10, c11, t1, tile);
            hits(r4 + 2, j8, c20, c21, t2, tile);
            hits(r4 + 3, j8, c30, c31, t3, tile);
            t0 = v128.load_splat<f32>(thrq);
            t1 = v128.load_splat<f32>(thrq, 4);
            t2 = v128.load_splat<f32>(thrq, 8);
            t3 = v128.load_splat<f32>(thrq, 12);
          }
        }
      }
    }
    for (let r = 0; r < rb; r++) {
      if ((load<i32>(sFlags + (<usize>r << 2)) & FLAG_SLOW) != 0) bruteForce(r, m);
      else compact(r); // only the rows within the final threshold are recomputed
      exactify(r, keepOf(r));
      // a copy still pending (never met) does not take a place: keep k
      const n = min(load<i32>(sCnt + (<usize>r << 2)), k);
      const src = <usize>r * <usize>C;
      const od = outD + ((<usize>(r0 + r) * <usize>k) << 3);
      const oi = outI + ((<usize>(r0 + r) * <usize>k) << 2);
      for (let t = 0; t < k; t++) {
        if (t < n) {
          store<f64>(od + (<usize>t << 3), load<f64>(sHi + ((src + <usize>t) << 3)));
          store<i32>(oi + (<usize>t << 2), ~load<i32>(sIx + ((src + <usize>t) << 2)));
        } else {
          store<f64>(od + (<usize>t << 3), Infinity);
          store<i32>(oi + (<usize>t << 2), -1);
        }
      }
    }
  }
}
