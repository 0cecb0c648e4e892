// Single-precision GEMM with a 4×8 f32x4 register micro-kernel: C = α·op(A)·op(B) + β·C on row-major
// matrices addressed by byte pointers and leading dimensions (in elements). Panels of op(A) (α folded in)
// and op(B) are packed into the fixed scratch area; partial edge tiles go through the tile buffer.
import { packAPtr, packBPtr, tilePtr } from './scratch';

const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 512;

/** Scales the m×n matrix at `c` by β (β = 0 overwrites, so NaN in C does not survive). */
export function scaleMatrixF32(m: i32, n: i32, beta: f32, c: usize, ldc: i32): void {
  const rowBytes = <usize>ldc << 2;
  const bv = f32x4.splat(beta);
  for (let i = 0; i < m; i++) {
    const row = c + <usize>i * rowBytes;
    if (beta == 0) {
      memory.fill(row, 0, <usize>n << 2);
      continue;
    }
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const p = row + (<usize>j << 2);
      v128.store(p, f32x4.mul(v128.load(p), bv));
    }
    for (; j < n; j++) {
      const p = row + (<usize>j << 2);
      store<f32>(p, beta * load<f32>(p));
    }
  }
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
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0) {
    if (beta != 1) scaleMatrixF32(m, n, beta, c, ldc);
    return;
  }
  if (k <= KC && n <= NC) {
    gemmDirect(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 0);
    return;
  }
  if (beta != 1) scaleMatrixF32(m, n, beta, c, ldc);
  const pa = packAPtr();
  const pb = packBPtr();
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(transB, b, ldb, pc, jc, kc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(transA, alpha, a, lda, ic, pc, mc, kc, pa);
        for (let jr = 0; jr < nc; jr += 8) {
          const nr = min(8, nc - jr);
          const pbj = pb + ((<usize>jr * <usize>kc) << 2);
          for (let ir = 0; ir < mc; ir += 4) {
            const mr = min(4, mc - ir);
            const cp = c + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 2);
            microKernel(kc, pa + ((<usize>ir * <usize>kc) << 2), pbj, cp, ldc, mr, nr);
          }
        }
      }
    }
  }
}

/**
 * The small-matrix path (k ≤ KC, n ≤ NC), typical of network layers: op(A) is read in place with
 * load-and-splat (no packing), op(B) in place when it is row-major with whole 8-column panels and
 * packed once otherwise; β = 0 stores the tile without reading C. Row blocks of 4 are the outer loop,
 * so a 4×k strip of A stays in L1 while all of op(B) streams past it.
 */
function gemmDirect(
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
  bias: usize,
): void {
  if (beta != 0 && beta != 1) scaleMatrixF32(m, n, beta, c, ldc);
  const accumulate = beta != 0;
  // Byte strides of op(A): between its rows (i) and along the depth (p).
  const ars: usize = transA ? 4 : <usize>lda << 2;
  const aps: usize = transA ? <usize>lda << 2 : 4;
  let bp = b;
  let bps: usize = <usize>ldb << 2;
  let panelBytes: usize = 32;
  const packed = transB || (n & 7) != 0;
  if (packed) {
    bp = packBPtr();
    packB(transB, b, ldb, 0, 0, k, n, bp);
    bps = 32;
    panelBytes = (<usize>k << 5);
  }
  const rowBytes = <usize>ldc << 2;
  for (let ir = 0; ir < m; ir += 4) {
    const mr = min(4, m - ir);
    const ai = a + <usize>ir * ars;
    const ci = c + <usize>ir * rowBytes;
    for (let jr = 0; jr < n; jr += 8) {
      const nr = min(8, n - jr);
      const bj = bp + (packed ? <usize>(jr >> 3) * panelBytes : <usize>jr << 2);
      const bb = bias == 0 ? 0 : bias + (<usize>jr << 2);
      microDirect(k, ai, ars, aps, mr, bj, bps, ci + (<usize>jr << 2), ldc, nr, alpha, accumulate, bb);
    }
  }
}

/**
 * C tile (mr×nr ≤ 4×8) = [C +] α · op(A) strip · op(B) panel, reading op(A)[r][p] at a + r·ars + p·aps
 * and op(B)[p][0..8) at b + p·bps. Rows of op(A) past mr repeat the last valid row (never read out of
 * bounds; their results are discarded).
 */
function microDirect(
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
  alpha: f32,
  accumulate: bool,
  bias: usize,
): void {
  let a0 = a;
  let a1 = a + (mr > 1 ? ars : 0);
  let a2 = a + (mr > 2 ? 2 * ars : mr > 1 ? ars : 0);
  let a3 = a + <usize>(mr - 1) * ars;
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a0);
    c00 = f32x4.add(c00, f32x4.mul(av, b0));
    c01 = f32x4.add(c01, f32x4.mul(av, b1));
    av = v128.load32_splat(a1);
    c10 = f32x4.add(c10, f32x4.mul(av, b0));
    c11 = f32x4.add(c11, f32x4.mul(av, b1));
    av = v128.load32_splat(a2);
    c20 = f32x4.add(c20, f32x4.mul(av, b0));
    c21 = f32x4.add(c21, f32x4.mul(av, b1));
    av = v128.load32_splat(a3);
    c30 = f32x4.add(c30, f32x4.mul(av, b0));
    c31 = f32x4.add(c31, f32x4.mul(av, b1));
    a0 += aps;
    a1 += aps;
    a2 += aps;
    a3 += aps;
    b += bps;
  }
  if (alpha != 1) {
    const al = f32x4.splat(alpha);
    c00 = f32x4.mul(c00, al);
    c01 = f32x4.mul(c01, al);
    c10 = f32x4.mul(c10, al);
    c11 = f32x4.mul(c11, al);
    c20 = f32x4.mul(c20, al);
    c21 = f32x4.mul(c21, al);
    c30 = f32x4.mul(c30, al);
    c31 = f32x4.mul(c31, al);
  }
  const rs = <usize>ldc << 2;
  if (bias != 0 && nr == 8) {
    const bv0 = v128.load(bias);
    const bv1 = v128.load(bias, 16);
    c00 = f32x4.add(c00, bv0);
    c01 = f32x4.add(c01, bv1);
    c10 = f32x4.add(c10, bv0);
    c11 = f32x4.add(c11, bv1);
    c20 = f32x4.add(c20, bv0);
    c21 = f32x4.add(c21, bv1);
    c30 = f32x4.add(c30, bv0);
    c31 = f32x4.add(c31, bv1);
  }
  if (mr == 4 && nr == 8) {
    let cp = c;
    if (accumulate) {
      v128.store(cp, f32x4.add(v128.load(cp), c00));
      v128.store(cp, f32x4.add(v128.load(cp, 16), c01), 16);
      cp += rs;
      v128.store(cp, f32x4.add(v128.load(cp), c10));
      v128.store(cp, f32x4.add(v128.load(cp, 16), c11), 16);
      cp += rs;
      v128.store(cp, f32x4.add(v128.load(cp), c20));
      v128.store(cp, f32x4.add(v128.load(cp, 16), c21), 16);
      cp += rs;
      v128.store(cp, f32x4.add(v128.load(cp), c30));
      v128.store(cp, f32x4.add(v128.load(cp, 16), c31), 16);
    } else {
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
    }
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
  const edgeBias = bias != 0 && nr < 8;
  for (let r = 0; r < mr; r++) {
    const row = c + <usize>r * rs;
    const trow = t + (<usize>r << 5);
    for (let s = 0; s < nr; s++) {
      const p = row + (<usize>s << 2);
      let v = load<f32>(trow + (<usize>s << 2));
      if (edgeBias) v += load<f32>(bias + (<usize>s << 2));
      store<f32>(p, accumulate ? load<f32>(p) + v : v);
    }
  }
}

/**
 * C = A·B + 1·biasᵀ for row-major A (m×k), B (k×n) and the n-vector `bias` broadcast to every row of C
 * (C is overwritten): the layer product of a network, with the bias folded into the register tile.
 */
export function gemmF32Bias(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, bias: usize, c: usize, ldc: i32): void {
  if (m <= 0 || n <= 0) return;
  if (k > 0 && k <= KC && n <= NC) {
    gemmDirect(false, false, m, n, k, 1, a, lda, b, ldb, 0, c, ldc, bias);
    return;
  }
  const rowBytes = <usize>n << 2;
  for (let r = 0; r < m; r++) memory.copy(c + <usize>r * (<usize>ldc << 2), bias, rowBytes);
  gemmF32(false, false, m, n, k, 1, a, lda, b, ldb, 1, c, ldc);
}

/** Packs rows [ic, ic+mc) × depth [pc, pc+kc) of α·op(A) into 4-row micro-panels, depth-major. */
function packA(
  transA: bool,
  alpha: f32,
  a: usize,
  lda: i32,
  ic: i32,
  pc: i32,
  mc: i32,
  kc: i32,
  pa: usize,
): void {
  const av = f32x4.splat(alpha);
  const ldaBytes = <usize>lda << 2;
  for (let ir = 0; ir < mc; ir += 4) {
    const mr = min(4, mc - ir);
    const panel = pa + ((<usize>ir * <usize>kc) << 2);
    if (transA) {
      // op(A)[i][p] = A[p][i]: four consecutive rows of op(A) are contiguous in A.
      let src = a + ((<usize>pc * <usize>lda + <usize>(ic + ir)) << 2);
      let dst = panel;
      if (mr == 4) {
        for (let p = 0; p < kc; p++, dst += 16, src += ldaBytes) v128.store(dst, f32x4.mul(v128.load(src), av));
      } else {
        for (let p = 0; p < kc; p++, dst += 16, src += ldaBytes) {
          for (let r = 0; r < 4; r++) {
            store<f32>(dst + (<usize>r << 2), r < mr ? alpha * load<f32>(src + (<usize>r << 2)) : 0);
          }
        }
      }
    } else {
      for (let r = 0; r < 4; r++) {
        let dst = panel + (<usize>r << 2);
        if (r >= mr) {
          for (let p = 0; p < kc; p++, dst += 16) store<f32>(dst, 0);
          continue;
        }
        let src = a + ((<usize>(ic + ir + r) * <usize>lda + <usize>pc) << 2);
        for (let p = 0; p < kc; p++, dst += 16, src += 4) store<f32>(dst, alpha * load<f32>(src));
      }
    }
  }
}

/** Packs depth [pc, pc+kc) × columns [jc, jc+nc) of op(B) into 8-column micro-panels, depth-major. */
function packB(transB: bool, b: usize, ldb: i32, pc: i32, jc: i32, kc: i32, nc: i32, pb: usize): void {
  const ldbBytes = <usize>ldb << 2;
  for (let jr = 0; jr < nc; jr += 8) {
    const nr = min(8, nc - jr);
    const panel = pb + ((<usize>jr * <usize>kc) << 2);
    if (!transB) {
      let src = b + ((<usize>pc * <usize>ldb + <usize>(jc + jr)) << 2);
      let dst = panel;
      if (nr == 8) {
        for (let p = 0; p < kc; p++, dst += 32, src += ldbBytes) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
        }
      } else {
        for (let p = 0; p < kc; p++, dst += 32, src += ldbBytes) {
          for (let s = 0; s < 8; s++) {
            store<f32>(dst + (<usize>s << 2), s < nr ? load<f32>(src + (<usize>s << 2)) : 0);
          }
        }
      }
    } else {
      // op(B)[p][j] = B[j][p]: each column of the panel is a contiguous run of a row of B.
      for (let s = 0; s < 8; s++) {
        let dst = panel + (<usize>s << 2);
        if (s >= nr) {
          for (let p = 0; p < kc; p++, dst += 32) store<f32>(dst, 0);
          continue;
        }
        let src = b + ((<usize>(jc + jr + s) * <usize>ldb + <usize>pc) << 2);
        for (let p = 0; p < kc; p++, dst += 32, src += 4) store<f32>(dst, load<f32>(src));
      }
    }
  }
}

/** C tile (mr×nr ≤ 4×8) += packed A micro-panel (4×kc) · packed B micro-panel (kc×8). */
function microKernel(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, mr: i32, nr: i32): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++, pa += 16, pb += 32) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(av, b0));
    c01 = f32x4.add(c01, f32x4.mul(av, b1));
    av = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(av, b0));
    c11 = f32x4.add(c11, f32x4.mul(av, b1));
    av = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(av, b0));
    c21 = f32x4.add(c21, f32x4.mul(av, b1));
    av = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(av, b0));
    c31 = f32x4.add(c31, f32x4.mul(av, b1));
  }
  const rs = <usize>ldc << 2;
  if (mr == 4 && nr == 8) {
    let cp = c;
    v128.store(cp, f32x4.add(v128.load(cp), c00));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c01), 16);
    cp += rs;
    v128.store(cp, f32x4.add(v128.load(cp), c10));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c11), 16);
    cp += rs;
    v128.store(cp, f32x4.add(v128.load(cp), c20));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c21), 16);
    cp += rs;
    v128.store(cp, f32x4.add(v128.load(cp), c30));
    v128.store(cp, f32x4.add(v128.load(cp, 16), c31), 16);
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
      const p = row + (<usize>s << 2);
      store<f32>(p, load<f32>(p) + load<f32>(trow + (<usize>s << 2)));
    }
  }
}
