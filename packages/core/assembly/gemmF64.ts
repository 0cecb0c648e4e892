// Double-precision GEMM with a 4×4 f64x2 register micro-kernel: C = α·op(A)·op(B) + β·C on row-major
// matrices addressed by byte pointers and leading dimensions (in elements). Same blocking scheme as
// gemmF32.ts with 4-column B micro-panels.
import { packAPtr, packBPtr, tilePtr } from './scratch';

const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 512;

/** Scales the m×n matrix at `c` by β (β = 0 overwrites, so NaN in C does not survive). */
export function scaleMatrixF64(m: i32, n: i32, beta: f64, c: usize, ldc: i32): void {
  const rowBytes = <usize>ldc << 3;
  const bv = f64x2.splat(beta);
  for (let i = 0; i < m; i++) {
    const row = c + <usize>i * rowBytes;
    if (beta == 0) {
      memory.fill(row, 0, <usize>n << 3);
      continue;
    }
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const p = row + (<usize>j << 3);
      v128.store(p, f64x2.mul(v128.load(p), bv));
    }
    if (j < n) {
      const p = row + (<usize>j << 3);
      store<f64>(p, beta * load<f64>(p));
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
  if (m <= 0 || n <= 0) return;
  if (beta != 1) scaleMatrixF64(m, n, beta, c, ldc);
  if (k <= 0 || alpha == 0) return;
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
        for (let jr = 0; jr < nc; jr += 4) {
          const nr = min(4, nc - jr);
          const pbj = pb + ((<usize>jr * <usize>kc) << 3);
          for (let ir = 0; ir < mc; ir += 4) {
            const mr = min(4, mc - ir);
            const cp = c + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 3);
            microKernel(kc, pa + ((<usize>ir * <usize>kc) << 3), pbj, cp, ldc, mr, nr);
          }
        }
      }
    }
  }
}

/** Packs rows [ic, ic+mc) × depth [pc, pc+kc) of α·op(A) into 4-row micro-panels, depth-major. */
function packA(
  transA: bool,
  alpha: f64,
  a: usize,
  lda: i32,
  ic: i32,
  pc: i32,
  mc: i32,
  kc: i32,
  pa: usize,
): void {
  const av = f64x2.splat(alpha);
  const ldaBytes = <usize>lda << 3;
  for (let ir = 0; ir < mc; ir += 4) {
    const mr = min(4, mc - ir);
    const panel = pa + ((<usize>ir * <usize>kc) << 3);
    if (transA) {
      let src = a + ((<usize>pc * <usize>lda + <usize>(ic + ir)) << 3);
      let dst = panel;
      if (mr == 4) {
        for (let p = 0; p < kc; p++, dst += 32, src += ldaBytes) {
          v128.store(dst, f64x2.mul(v128.load(src), av));
          v128.store(dst, f64x2.mul(v128.load(src, 16), av), 16);
        }
      } else {
        for (let p = 0; p < kc; p++, dst += 32, src += ldaBytes) {
          for (let r = 0; r < 4; r++) {
            store<f64>(dst + (<usize>r << 3), r < mr ? alpha * load<f64>(src + (<usize>r << 3)) : 0);
          }
        }
      }
    } else {
      for (let r = 0; r < 4; r++) {
        let dst = panel + (<usize>r << 3);
        if (r >= mr) {
          for (let p = 0; p < kc; p++, dst += 32) store<f64>(dst, 0);
          continue;
        }
        let src = a + ((<usize>(ic + ir + r) * <usize>lda + <usize>pc) << 3);
        for (let p = 0; p < kc; p++, dst += 32, src += 8) store<f64>(dst, alpha * load<f64>(src));
      }
    }
  }
}

/** Packs depth [pc, pc+kc) × columns [jc, jc+nc) of op(B) into 4-column micro-panels, depth-major. */
function packB(transB: bool, b: usize, ldb: i32, pc: i32, jc: i32, kc: i32, nc: i32, pb: usize): void {
  const ldbBytes = <usize>ldb << 3;
  for (let jr = 0; jr < nc; jr += 4) {
    const nr = min(4, nc - jr);
    const panel = pb + ((<usize>jr * <usize>kc) << 3);
    if (!transB) {
      let src = b + ((<usize>pc * <usize>ldb + <usize>(jc + jr)) << 3);
      let dst = panel;
      if (nr == 4) {
        for (let p = 0; p < kc; p++, dst += 32, src += ldbBytes) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
        }
      } else {
        for (let p = 0; p < kc; p++, dst += 32, src += ldbBytes) {
          for (let s = 0; s < 4; s++) {
            store<f64>(dst + (<usize>s << 3), s < nr ? load<f64>(src + (<usize>s << 3)) : 0);
          }
        }
      }
    } else {
      for (let s = 0; s < 4; s++) {
        let dst = panel + (<usize>s << 3);
        if (s >= nr) {
          for (let p = 0; p < kc; p++, dst += 32) store<f64>(dst, 0);
          continue;
        }
        let src = b + ((<usize>(jc + jr + s) * <usize>ldb + <usize>pc) << 3);
        for (let p = 0; p < kc; p++, dst += 32, src += 8) store<f64>(dst, load<f64>(src));
      }
    }
  }
}

/** C tile (mr×nr ≤ 4×4) += packed A micro-panel (4×kc) · packed B micro-panel (kc×4). */
function microKernel(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, mr: i32, nr: i32): void {
  let c00 = f64x2.splat(0);
  let c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0);
  let c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0);
  let c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0);
  let c31 = f64x2.splat(0);
  for (let p = 0; p < kc; p++, pa += 32, pb += 32) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load64_splat(pa);
    c00 = f64x2.add(c00, f64x2.mul(av, b0));
    c01 = f64x2.add(c01, f64x2.mul(av, b1));
    av = v128.load64_splat(pa, 8);
    c10 = f64x2.add(c10, f64x2.mul(av, b0));
    c11 = f64x2.add(c11, f64x2.mul(av, b1));
    av = v128.load64_splat(pa, 16);
    c20 = f64x2.add(c20, f64x2.mul(av, b0));
    c21 = f64x2.add(c21, f64x2.mul(av, b1));
    av = v128.load64_splat(pa, 24);
    c30 = f64x2.add(c30, f64x2.mul(av, b0));
    c31 = f64x2.add(c31, f64x2.mul(av, b1));
  }
  const rs = <usize>ldc << 3;
  if (mr == 4 && nr == 4) {
    let cp = c;
    v128.store(cp, f64x2.add(v128.load(cp), c00));
    v128.store(cp, f64x2.add(v128.load(cp, 16), c01), 16);
    cp += rs;
    v128.store(cp, f64x2.add(v128.load(cp), c10));
    v128.store(cp, f64x2.add(v128.load(cp, 16), c11), 16);
    cp += rs;
    v128.store(cp, f64x2.add(v128.load(cp), c20));
    v128.store(cp, f64x2.add(v128.load(cp, 16), c21), 16);
    cp += rs;
    v128.store(cp, f64x2.add(v128.load(cp), c30));
    v128.store(cp, f64x2.add(v128.load(cp, 16), c31), 16);
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
      const p = row + (<usize>s << 3);
      store<f64>(p, load<f64>(p) + load<f64>(trow + (<usize>s << 3)));
    }
  }
}
