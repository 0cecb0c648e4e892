// One GEMM for both precisions: C = α·op(A)·op(B) + β·C on row-major matrices addressed by byte pointers
// and leading dimensions (in elements), generic over the element type T (f64 or f32). Panels of op(A)
// (α folded in) and op(B) are packed into the fixed scratch area; the register block holds a 4-row tile
// of two v128 lanes per row — 4×4 for f64 (f64x2), 4×8 for f32 (f32x4) — so every packed B row is 32
// bytes in both precisions. Partial edge tiles go through the tile buffer. Single precision also has a
// path for small matrices that reads A in place (gemmDirect).
import { packAPtr, packBPtr, tilePtr } from './scratch';

const KC: i32 = 256;
const NC: i32 = 512;

/** Rows of op(A) per packed block: 64 for f64, 128 for f32 (the same 128 KiB packing buffer). */
@inline
function mcOf<T>(): i32 {
  return 512 / <i32>sizeof<T>();
}

/** Columns of a register tile (two v128 lanes): 4 for f64, 8 for f32. */
@inline
function nrOf<T>(): i32 {
  return 32 / <i32>sizeof<T>();
}

@inline
function at<T>(base: usize, i: i32): usize {
  return base + <usize>i * sizeof<T>();
}

/** Scales the m×n matrix at `c` by β (β = 0 overwrites, so NaN in C does not survive). */
function scaleMatrix<T>(m: i32, n: i32, beta: T, c: usize, ldc: i32): void {
  const lanes = 16 / <i32>sizeof<T>();
  const bv = v128.splat<T>(beta);
  for (let i = 0; i < m; i++) {
    const row = c + <usize>i * <usize>ldc * sizeof<T>();
    if (beta == 0) {
      memory.fill(row, 0, <usize>n * sizeof<T>());
      continue;
    }
    let j = 0;
    for (; j + lanes - 1 < n; j += lanes) v128.store(at<T>(row, j), v128.mul<T>(v128.load(at<T>(row, j)), bv));
    for (; j < n; j++) store<T>(at<T>(row, j), beta * load<T>(at<T>(row, j)));
  }
}

export function scaleMatrixF64(m: i32, n: i32, beta: f64, c: usize, ldc: i32): void {
  scaleMatrix<f64>(m, n, beta, c, ldc);
}

export function scaleMatrixF32(m: i32, n: i32, beta: f32, c: usize, ldc: i32): void {
  scaleMatrix<f32>(m, n, beta, c, ldc);
}

/** C = α·op(A)·op(B) + β·C in precision T (exported for the kernels built on it). */
export function gemm<T>(
  transA: bool,
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  alpha: T,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: T,
  c: usize,
  ldc: i32,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0) {
    if (beta != 1) scaleMatrix<T>(m, n, beta, c, ldc);
    return;
  }
  if (sizeof<T>() == 4 && k <= KC && n <= NC) {
    gemmDirect<T>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 0);
    return;
  }
  if (beta != 1) scaleMatrix<T>(m, n, beta, c, ldc);
  const MC = mcOf<T>();
  const NR = nrOf<T>();
  const pa = packAPtr();
  const pb = packBPtr();
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB<T>(transB, b, ldb, pc, jc, kc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA<T>(transA, alpha, a, lda, ic, pc, mc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const pbj = pb + <usize>jr * <usize>kc * sizeof<T>();
          for (let ir = 0; ir < mc; ir += 4) {
            const mr = min(4, mc - ir);
            const cp = at<T>(c, (ic + ir) * ldc + jc + jr);
            microKernel<T>(kc, pa + <usize>ir * <usize>kc * sizeof<T>(), pbj, cp, ldc, mr, nr);
          }
        }
      }
    }
  }
}

export function gemmF64(
  transA: bool,
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f64,
  c: usize,
  ldc: i32,
): void {
  gemm<f64>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

export function gemmF32(
  transA: bool,
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f32,
  c: usize,
  ldc: i32,
): void {
  gemm<f32>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/**
 * C = A·B + 1·biasᵀ for row-major A (m×k), B (k×n) and the n-vector `bias` broadcast to every row of C
 * (C is overwritten): the layer product of a network, with the bias folded into the register tile.
 */
export function gemmF32Bias(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, bias: usize, c: usize, ldc: i32): void {
  if (m <= 0 || n <= 0) return;
  if (k > 0 && k <= KC && n <= NC) {
    gemmDirect<f32>(false, false, m, n, k, 1, a, lda, b, ldb, 0, c, ldc, bias);
    return;
  }
  const rowBytes = <usize>n << 2;
  for (let r = 0; r < m; r++) memory.copy(c + <usize>r * (<usize>ldc << 2), bias, rowBytes);
  gemm<f32>(false, false, m, n, k, 1, a, lda, b, ldb, 1, c, ldc);
}

/**
 * The small-matrix path (k ≤ KC, n ≤ NC), typical of network layers: op(A) is read in place with
 * load-and-splat (no packing), op(B) in place when it is row-major with whole panels and packed once
 * otherwise; β = 0 stores the tile without reading C. Row blocks of 4 are the outer loop, so a 4×k strip
 * of A stays in L1 while all of op(B) streams past it.
 */
function gemmDirect<T>(
  transA: bool,
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  alpha: T,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: T,
  c: usize,
  ldc: i32,
  bias: usize,
): void {
  if (beta != 0 && beta != 1) scaleMatrix<T>(m, n, beta, c, ldc);
  const accumulate = beta != 0;
  const NR = nrOf<T>();
  // Byte strides of op(A): between its rows (i) and along the depth (p).
  const ars: usize = transA ? sizeof<T>() : <usize>lda * sizeof<T>();
  const aps: usize = transA ? <usize>lda * sizeof<T>() : sizeof<T>();
  let bp = b;
  let bps: usize = <usize>ldb * sizeof<T>();
  let panelBytes: usize = 32;
  const packed = transB || n % NR != 0;
  if (packed) {
    bp = packBPtr();
    packB<T>(transB, b, ldb, 0, 0, k, n, bp);
    bps = 32;
    panelBytes = <usize>k << 5;
  }
  const rowBytes = <usize>ldc * sizeof<T>();
  for (let ir = 0; ir < m; ir += 4) {
    const mr = min(4, m - ir);
    const ai = a + <usize>ir * ars;
    const ci = c + <usize>ir * rowBytes;
    for (let jr = 0; jr < n; jr += NR) {
      const nr = min(NR, n - jr);
      const bj = bp + (packed ? <usize>(jr / NR) * panelBytes : <usize>jr * sizeof<T>());
      const bb = bias == 0 ? 0 : at<T>(bias, jr);
      microDirect<T>(k, ai, ars, aps, mr, bj, bps, at<T>(ci, jr), ldc, nr, alpha, accumulate, bb);
    }
  }
}

/**
 * C tile (mr×nr ≤ 4×NR) = [C +] α · op(A) strip · op(B) panel, reading op(A)[r][p] at a + r·ars + p·aps
 * and op(B)[p][0..NR) at b + p·bps. Rows of op(A) past mr repeat the last valid row (never read out of
 * bounds; their results are discarded).
 */
function microDirect<T>(
  kc: i32,
  a: usize,
  ars: usize,
  aps: usize,
  mr: i32,
  b: usize,
  bps: usize,
  c: usize,
  ldc: i32,
  nr: i32,
  alpha: T,
  accumulate: bool,
  bias: usize,
): void {
  let a0 = a;
  let a1 = a + (mr > 1 ? ars : 0);
  let a2 = a + (mr > 2 ? 2 * ars : mr > 1 ? ars : 0);
  let a3 = a + <usize>(mr - 1) * ars;
  let c00 = v128.splat<T>(0);
  let c01 = v128.splat<T>(0);
  let c10 = v128.splat<T>(0);
  let c11 = v128.splat<T>(0);
  let c20 = v128.splat<T>(0);
  let c21 = v128.splat<T>(0);
  let c30 = v128.splat<T>(0);
  let c31 = v128.splat<T>(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load_splat<T>(a0);
    c00 = v128.add<T>(c00, v128.mul<T>(av, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(av, b1));
    av = v128.load_splat<T>(a1);
    c10 = v128.add<T>(c10, v128.mul<T>(av, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(av, b1));
    av = v128.load_splat<T>(a2);
    c20 = v128.add<T>(c20, v128.mul<T>(av, b0));
    c21 = v128.add<T>(c21, v128.mul<T>(av, b1));
    av = v128.load_splat<T>(a3);
    c30 = v128.add<T>(c30, v128.mul<T>(av, b0));
    c31 = v128.add<T>(c31, v128.mul<T>(av, b1));
    a0 += aps;
    a1 += aps;
    a2 += aps;
    a3 += aps;
    b += bps;
  }
  if (alpha != 1) {
    const al = v128.splat<T>(alpha);
    c00 = v128.mul<T>(c00, al);
    c01 = v128.mul<T>(c01, al);
    c10 = v128.mul<T>(c10, al);
    c11 = v128.mul<T>(c11, al);
    c20 = v128.mul<T>(c20, al);
    c21 = v128.mul<T>(c21, al);
    c30 = v128.mul<T>(c30, al);
    c31 = v128.mul<T>(c31, al);
  }
  const NR = nrOf<T>();
  if (bias != 0 && nr == NR) {
    const bv0 = v128.load(bias);
    const bv1 = v128.load(bias, 16);
    c00 = v128.add<T>(c00, bv0);
    c01 = v128.add<T>(c01, bv1);
    c10 = v128.add<T>(c10, bv0);
    c11 = v128.add<T>(c11, bv1);
    c20 = v128.add<T>(c20, bv0);
    c21 = v128.add<T>(c21, bv1);
    c30 = v128.add<T>(c30, bv0);
    c31 = v128.add<T>(c31, bv1);
  }
  writeTile<T>(c, ldc, mr, nr, accumulate, bias != 0 && nr < NR ? bias : 0, c00, c01, c10, c11, c20, c21, c30, c31);
}

/**
 * The register block's epilogue, shared by both micro-kernels: C tile (mr×nr ≤ 4×NR, row r in lanes c_r0,
 * c_r1) stored or (when `accumulate`) added to C; a partial tile goes through the tile buffer, adding
 * `edgeBias[s]` (when not 0) to column s.
 */
@inline
function writeTile<T>(
  c: usize,
  ldc: i32,
  mr: i32,
  nr: i32,
  accumulate: bool,
  edgeBias: usize,
  c00: v128,
  c01: v128,
  c10: v128,
  c11: v128,
  c20: v128,
  c21: v128,
  c30: v128,
  c31: v128,
): void {
  const rs = <usize>ldc * sizeof<T>();
  if (mr == 4 && nr == nrOf<T>()) {
    let cp = c;
    if (accumulate) {
      c00 = v128.add<T>(v128.load(cp), c00);
      c01 = v128.add<T>(v128.load(cp, 16), c01);
      c10 = v128.add<T>(v128.load(cp + rs), c10);
      c11 = v128.add<T>(v128.load(cp + rs, 16), c11);
      c20 = v128.add<T>(v128.load(cp + 2 * rs), c20);
      c21 = v128.add<T>(v128.load(cp + 2 * rs, 16), c21);
      c30 = v128.add<T>(v128.load(cp + 3 * rs), c30);
      c31 = v128.add<T>(v128.load(cp + 3 * rs, 16), c31);
    }
    v128.store(cp, c00);
    v128.store(cp, c01, 16);
    cp += rs;
    v128.store(cp, c10);
    v128.store(cp, c11, 16);
    cp += rs;
    v128.store(cp, c20);
    v128.store(cp, c21, 16);
    cp += rs;
    v128.store(cp, c30);
    v128.store(cp, c31, 16);
    return;
  }
  const t = tilePtr();
  v128.store(t, c00);
  v128.store(t, c01, 16);
  v128.store(t, c10, 32);
  v128.store(t, c11, 48);
  v128.store(t, c20, 64);
  v128.store(t, c21, 80);
  v128.store(t, c30, 96);
  v128.store(t, c31, 112);
  for (let r = 0; r < mr; r++) {
    const row = c + <usize>r * rs;
    const trow = t + (<usize>r << 5);
    for (let s = 0; s < nr; s++) {
      let v = load<T>(at<T>(trow, s));
      if (edgeBias != 0) v += load<T>(at<T>(edgeBias, s));
      store<T>(at<T>(row, s), accumulate ? load<T>(at<T>(row, s)) + v : v);
    }
  }
}

/** Packs rows [ic, ic+mc) × depth [pc, pc+kc) of α·op(A) into 4-row micro-panels, depth-major. */
function packA<T>(transA: bool, alpha: T, a: usize, lda: i32, ic: i32, pc: i32, mc: i32, kc: i32, pa: usize): void {
  const av = v128.splat<T>(alpha);
  const ldaBytes = <usize>lda * sizeof<T>();
  const step = 4 * sizeof<T>();
  for (let ir = 0; ir < mc; ir += 4) {
    const mr = min(4, mc - ir);
    const panel = pa + <usize>ir * <usize>kc * sizeof<T>();
    if (transA) {
      // op(A)[i][p] = A[p][i]: four consecutive rows of op(A) are contiguous in A.
      let src = at<T>(a, pc * lda + ic + ir);
      let dst = panel;
      if (mr == 4) {
        for (let p = 0; p < kc; p++, dst += step, src += ldaBytes) {
          v128.store(dst, v128.mul<T>(v128.load(src), av));
          if (sizeof<T>() == 8) v128.store(dst, v128.mul<T>(v128.load(src, 16), av), 16);
        }
      } else {
        for (let p = 0; p < kc; p++, dst += step, src += ldaBytes) {
          for (let r = 0; r < 4; r++) store<T>(at<T>(dst, r), r < mr ? alpha * load<T>(at<T>(src, r)) : 0);
        }
      }
    } else {
      for (let r = 0; r < 4; r++) {
        let dst = at<T>(panel, r);
        if (r >= mr) {
          for (let p = 0; p < kc; p++, dst += step) store<T>(dst, 0);
          continue;
        }
        let src = at<T>(a, (ic + ir + r) * lda + pc);
        for (let p = 0; p < kc; p++, dst += step, src += sizeof<T>()) store<T>(dst, alpha * load<T>(src));
      }
    }
  }
}

/** Packs depth [pc, pc+kc) × columns [jc, jc+nc) of op(B) into micro-panels of NR columns, depth-major. */
function packB<T>(transB: bool, b: usize, ldb: i32, pc: i32, jc: i32, kc: i32, nc: i32, pb: usize): void {
  const NR = nrOf<T>();
  const ldbBytes = <usize>ldb * sizeof<T>();
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const panel = pb + <usize>jr * <usize>kc * sizeof<T>();
    if (!transB) {
      let src = at<T>(b, pc * ldb + jc + jr);
      let dst = panel;
      if (nr == NR) {
        for (let p = 0; p < kc; p++, dst += 32, src += ldbBytes) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
        }
      } else {
        for (let p = 0; p < kc; p++, dst += 32, src += ldbBytes) {
          for (let s = 0; s < NR; s++) store<T>(at<T>(dst, s), s < nr ? load<T>(at<T>(src, s)) : 0);
        }
      }
    } else {
      // op(B)[p][j] = B[j][p]: each column of the panel is a contiguous run of a row of B.
      for (let s = 0; s < NR; s++) {
        let dst = at<T>(panel, s);
        if (s >= nr) {
          for (let p = 0; p < kc; p++, dst += 32) store<T>(dst, 0);
          continue;
        }
        let src = at<T>(b, (jc + jr + s) * ldb + pc);
        for (let p = 0; p < kc; p++, dst += 32, src += sizeof<T>()) store<T>(dst, load<T>(src));
      }
    }
  }
}

/** C tile (mr×nr ≤ 4×NR) += packed A micro-panel (4×kc) · packed B micro-panel (kc×NR). */
function microKernel<T>(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, mr: i32, nr: i32): void {
  let c00 = v128.splat<T>(0);
  let c01 = v128.splat<T>(0);
  let c10 = v128.splat<T>(0);
  let c11 = v128.splat<T>(0);
  let c20 = v128.splat<T>(0);
  let c21 = v128.splat<T>(0);
  let c30 = v128.splat<T>(0);
  let c31 = v128.splat<T>(0);
  const step = 4 * sizeof<T>();
  for (let p = 0; p < kc; p++, pa += step, pb += 32) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load_splat<T>(pa);
    c00 = v128.add<T>(c00, v128.mul<T>(av, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(av, b1));
    av = v128.load_splat<T>(pa, sizeof<T>());
    c10 = v128.add<T>(c10, v128.mul<T>(av, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(av, b1));
    av = v128.load_splat<T>(pa, 2 * sizeof<T>());
    c20 = v128.add<T>(c20, v128.mul<T>(av, b0));
    c21 = v128.add<T>(c21, v128.mul<T>(av, b1));
    av = v128.load_splat<T>(pa, 3 * sizeof<T>());
    c30 = v128.add<T>(c30, v128.mul<T>(av, b0));
    c31 = v128.add<T>(c31, v128.mul<T>(av, b1));
  }
  writeTile<T>(c, ldc, mr, nr, true, 0, c00, c01, c10, c11, c20, c21, c30, c31);
}
