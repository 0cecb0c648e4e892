// The Gaussian energies' row kernels in double precision, the algorithms of the TypeScript ones
// (src/kernels/mahalanobisRows.ts, comoment.ts) with f64x2 lanes: squared Mahalanobis distances
// ‖W (x − μ)‖² for a lower-triangular precision factor W (a fused, register-blocked triangular product),
// and the weighted co-moment Σ w (x − μ)(x − μ)ᵀ (a blocked SYRK with the GEMM inside). Matrices are
// row-major at byte pointers.
import { gemm } from './gemm';

/**
 * Columns per GEMM of the co-moment's triangle: narrow enough that little of each diagonal block's upper
 * half is multiplied, wide enough for the GEMM to run at speed (the rule of the TypeScript kernels).
 */
export function blockColumns(d: i32): i32 {
  return d <= 256 ? 32 : 64;
}

/** Rows centred per block of the Mahalanobis kernel. */
export const MAHALANOBIS_RB: i32 = 32;
/** Rows centred per block of the co-moment. */
export const COMOMENT_BLOCK: i32 = 256;

/** Bytes of scratch {@link mahalanobisF64} needs for width d (the centred block). */
export function mahalanobisScratchBytes(d: i32): usize {
  return (<usize>MAHALANOBIS_RB * <usize>(d + (d & 1))) << 3;
}

/** Rows of W per block: about 128 KiB of W, an even number (W rows go in pairs), at least 2. */
@inline
function rowsOfW(d: i32): i32 {
  return max(2, (16384 / max(d, 1)) & ~1);
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
 * Centres the four rows at x, x + rowBytes, … into `yq` interleaved by column pairs: the pair (k, k + 1) of
 * row q at yq + (k/2)·64 + q·16 (a 0 pads column d when d is odd), so one address and four fixed offsets
 * reach a column pair of all four rows.
 */
@inline
function centreQuad(x: usize, rowBytes: usize, mean: usize, d: i32, yq: usize): void {
  for (let q = 0; q < 4; q++) {
    const xr = x + <usize>q * rowBytes;
    const yr = yq + (<usize>q << 4);
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const o = <usize>j << 3;
      v128.store(yr + (<usize>j << 5), f64x2.sub(v128.load(xr + o), v128.load(mean + o)));
    }
    if (j < d) {
      const o = <usize>j << 3;
      store<f64>(yr + (<usize>j << 5), load<f64>(xr + o) - load<f64>(mean + o));
      store<f64>(yr + (<usize>j << 5), 0, 8);
    }
  }
}

/** {@link finish} for an interleaved quad: the tail term reads y_k at `yk` (k even). */
@inline
function finishQ(s: v128, wi: usize, yk: usize, k: i32, i: i32): f64 {
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (k <= i) t += load<f64>(wi + (<usize>k << 3)) * load<f64>(yk);
  return t * t;
}

/** (Σ of the two lanes of s + the tail term w_k·y_k when k ≤ i)²: one finished coordinate of W·y, squared. */
@inline
function finish(s: v128, wi: usize, y: usize, k: i32, i: i32): f64 {
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (k <= i) t += load<f64>(wi + (<usize>k << 3)) * load<f64>(y + (<usize>k << 3));
  return t * t;
}

/**
 * out[r] = Σ_i (Σ_{k ≤ i} W[i][k] (x[r][k] − μ[k]))² for r < rows — ‖W (x_r − μ)‖² for the lower-triangular W
 * (only its lower triangle read). A register-blocked triangular product fused with the row norms: four
 * rows × two rows of W per tile, the inner products along k in f64x2 lanes (both operands contiguous, so
 * nothing is packed), each coordinate squared as soon as it is complete. Rows are centred 32 at a time into
 * `y` ({@link mahalanobisScratchBytes}), each four interleaved by column pairs ({@link centreQuad}: the
 * inner loop reaches all four rows from one address, which saves address arithmetic in the
 * instruction-bound loop; the arithmetic and its order are unchanged); W is walked in blocks of about 128 KiB so that a block stays in
 * cache while the rows stream past it, each row's sum carried in `out` between blocks. Every row goes
 * through the same operations in the same order whether it is scored in a tile of four or alone, so a
 * row's value does not depend on its batch.
 */
export function mahalanobisF64(x: usize, rows: i32, d: i32, mean: usize, w: usize, y: usize, out: usize): void {
  if (rows <= 0) return;
  const rowBytes = <usize>d << 3;
  // Scratch rows are d rounded up to even wide (a quad of rows interleaved by column pairs fills four).
  const yBytes = <usize>(d + (d & 1)) << 3;
  const ib = rowsOfW(d);
  // When W fits one block, four rows at a time suffice (centred just before they are used).
  const rb = ib >= d ? 4 : MAHALANOBIS_RB;
  for (let b0 = 0; b0 < rows; b0 += rb) {
    const m = min(rb, rows - b0);
    const quads = m & ~3;
    for (let r = 0; r < quads; r += 4) centreQuad(x + <usize>(b0 + r) * rowBytes, rowBytes, mean, d, y + <usize>r * yBytes);
    for (let i = quads; i < m; i++) centre(x + <usize>(b0 + i) * rowBytes, mean, d, y + <usize>i * yBytes, 1, false);
    const o = out + (<usize>b0 << 3);
    for (let i0 = 0; i0 < d; i0 += ib) {
      const i1 = min(d, i0 + ib);
      let r = 0;
      for (; r < quads; r += 4) quadRows(y + <usize>r * yBytes, rowBytes, w, i0, i1, o + (<usize>r << 3));
      for (; r < m; r++) oneRow(y + <usize>r * yBytes, rowBytes, w, i0, i1, o + (<usize>r << 3));
    }
  }
}

/**
 * Adds Σ_{i0 ≤ i < i1} (W y)_i² to out[0..4) for the four centred rows interleaved at yq ({@link centreQuad}).
 */
@inline
function quadRows(yq: usize, rowBytes: usize, w: usize, i0: i32, i1: i32, out: usize): void {
  // Each row's running sum: 0 at the first block of W, then carried in `out`.
  let a0: f64 = i0 == 0 ? 0 : load<f64>(out);
  let a1: f64 = i0 == 0 ? 0 : load<f64>(out, 8);
  let a2: f64 = i0 == 0 ? 0 : load<f64>(out, 16);
  let a3: f64 = i0 == 0 ? 0 : load<f64>(out, 24);
  let i = i0;
  // Two rows of W at a time (i even, i + 1 odd): their common pairs k < i, then row i + 1's pair (i, i + 1);
  // row i finishes with its scalar tail k = i — the order the one-row loop below uses.
  if ((i & 1) == 0) {
    for (; i + 1 < i1; i += 2) {
      const wi = w + <usize>i * rowBytes;
      const wj = wi + rowBytes;
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      let s2 = f64x2.splat(0);
      let s3 = f64x2.splat(0);
      let t0 = f64x2.splat(0);
      let t1 = f64x2.splat(0);
      let t2 = f64x2.splat(0);
      let t3 = f64x2.splat(0);
      // Pointer inductions rather than an index (fewer address instructions in V8's code); k < i.
      const end = wi + (<usize>i << 3);
      let pa = wi;
      let pb = wj;
      let p = yq;
      for (; pa < end; pa += 16, pb += 16, p += 64) {
        const wa = v128.load(pa);
        const wb = v128.load(pb);
        const v0 = v128.load(p);
        const v1 = v128.load(p, 16);
        const v2 = v128.load(p, 32);
        const v3 = v128.load(p, 48);
        s0 = f64x2.add(s0, f64x2.mul(wa, v0));
        t0 = f64x2.add(t0, f64x2.mul(wb, v0));
        s1 = f64x2.add(s1, f64x2.mul(wa, v1));
        t1 = f64x2.add(t1, f64x2.mul(wb, v1));
        s2 = f64x2.add(s2, f64x2.mul(wa, v2));
        t2 = f64x2.add(t2, f64x2.mul(wb, v2));
        s3 = f64x2.add(s3, f64x2.mul(wa, v3));
        t3 = f64x2.add(t3, f64x2.mul(wb, v3));
      }
      // i is even here, so the loop stopped at k = i: row i's tail and row i + 1's pair (i, i + 1).
      const k = i;
      a0 += finishQ(s0, wi, p, k, i);
      a1 += finishQ(s1, wi, p + 16, k, i);
      a2 += finishQ(s2, wi, p + 32, k, i);
      a3 += finishQ(s3, wi, p + 48, k, i);
      const wb = v128.load(pb);
      a0 += finishQ(f64x2.add(t0, f64x2.mul(wb, v128.load(p))), wj, p, k + 2, i + 1);
      a1 += finishQ(f64x2.add(t1, f64x2.mul(wb, v128.load(p, 16))), wj, p, k + 2, i + 1);
      a2 += finishQ(f64x2.add(t2, f64x2.mul(wb, v128.load(p, 32))), wj, p, k + 2, i + 1);
      a3 += finishQ(f64x2.add(t3, f64x2.mul(wb, v128.load(p, 48))), wj, p, k + 2, i + 1);
    }
  }
  for (; i < i1; i++) {
    const wi = w + <usize>i * rowBytes;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    let k = 0;
    for (; k < i; k += 2) {
      const p = yq + (<usize>k << 5);
      const wv = v128.load(wi + (<usize>k << 3));
      s0 = f64x2.add(s0, f64x2.mul(wv, v128.load(p)));
      s1 = f64x2.add(s1, f64x2.mul(wv, v128.load(p, 16)));
      s2 = f64x2.add(s2, f64x2.mul(wv, v128.load(p, 32)));
      s3 = f64x2.add(s3, f64x2.mul(wv, v128.load(p, 48)));
    }
    const p = yq + (<usize>k << 5);
    a0 += finishQ(s0, wi, p, k, i);
    a1 += finishQ(s1, wi, p + 16, k, i);
    a2 += finishQ(s2, wi, p + 32, k, i);
    a3 += finishQ(s3, wi, p + 48, k, i);
  }
  store<f64>(out, a0);
  store<f64>(out, a1, 8);
  store<f64>(out, a2, 16);
  store<f64>(out, a3, 24);
}

/** {@link quadRows} for one row: the same operations in the same order for that row. */
@inline
function oneRow(y0: usize, rowBytes: usize, w: usize, i0: i32, i1: i32, out: usize): void {
  let a0: f64 = i0 == 0 ? 0 : load<f64>(out);
  for (let i = i0; i < i1; i++) {
    const wi = w + <usize>i * rowBytes;
    let s0 = f64x2.splat(0);
    let k = 0;
    for (; k < i; k += 2) {
      const q = <usize>k << 3;
      s0 = f64x2.add(s0, f64x2.mul(v128.load(wi + q), v128.load(y0 + q)));
    }
    a0 += finish(s0, wi, y0, k, i);
  }
  store<f64>(out, a0);
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
