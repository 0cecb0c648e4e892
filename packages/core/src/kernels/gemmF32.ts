/**
 * Blocking parameters of {@link gemmF32}: the reduction dimension is cut into panels of `KC`, rows of op(A)
 * into blocks of `MC` and columns of op(B) into blocks of `NC`; the micro-kernel computes 4×4 tiles.
 */
const KC = 256;
const MC = 64;
const NC = 512;

// Packing buffers, grown on demand and reused (gemmF32 is not re-entrant, and JavaScript is single-threaded).
let packA: Float64Array = new Float64Array(MC * KC);
let packB: Float64Array = new Float64Array(KC * 64);

/**
 * Single-precision general matrix multiply: `C = α·op(A)·op(B) + β·C` on flat row-major `Float32Array`s,
 * with exactly the same arguments and semantics as {@link gemm} (op(A) is m×k, op(B) is k×n, C is m×n).
 *
 * Panels are converted to 64-bit floats while they are packed, so the 4×4 micro-kernel accumulates in
 * double precision locals and each element of C is rounded to single precision once per K panel.
 * Allocates nothing once its packing buffers have grown; checks nothing.
 *
 * Cost: 2·m·n·k flops.
 *
 * @example
 * ```ts
 * const a = new Float32Array([1, 2, 3, 4]); // 2×2
 * const b = new Float32Array([1, 1, 1, 1]); // 2×2
 * const c = new Float32Array(4);
 * gemmF32(false, false, 2, 2, 2, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2); // c = [3, 3, 7, 7]
 * ```
 */
export function gemmF32(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  aOff: number,
  lda: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  beta: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
): void {
  if (m <= 0 || n <= 0) return;
  if (beta !== 1) {
    for (let i = 0; i < m; i++) {
      const row = cOff + i * ldc;
      if (beta === 0) c.fill(0, row, row + n);
      else for (let j = row; j < row + n; j++) c[j] = beta * (c[j] as number);
    }
  }
  if (k <= 0 || alpha === 0) return;

  const kcMax = Math.min(k, KC);
  const mcMax = Math.min(m, MC);
  const ncMax = Math.min(n, NC);
  const needA = ((mcMax + 3) >> 2) * 4 * kcMax;
  const needB = ((ncMax + 3) >> 2) * 4 * kcMax;
  if (packA.length < needA) packA = new Float64Array(needA);
  if (packB.length < needB) packB = new Float64Array(needB);
  const pa = packA;
  const pb = packB;

  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(n - jc, NC);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(k - pc, KC);
      packPanelB(transB, b, bOff, ldb, pc, jc, kc, nc, pb);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(m - ic, MC);
        packPanelA(transA, alpha, a, aOff, lda, ic, pc, mc, kc, pa);
        for (let jr = 0; jr < nc; jr += 4) {
          const nr = Math.min(nc - jr, 4);
          const bBase = jr * kc;
          for (let ir = 0; ir < mc; ir += 4) {
            const mr = Math.min(mc - ir, 4);
            microKernel(kc, pa, ir * kc, pb, bBase, c, cOff + (ic + ir) * ldc + jc + jr, ldc, mr, nr);
          }
        }
      }
    }
  }
}

/** Packs rows [ic, ic+mc) × columns [pc, pc+kc) of α·op(A) into 4-row micro-panels, p-major. */
function packPanelA(
  transA: boolean,
  alpha: number,
  a: Float32Array,
  aOff: number,
  lda: number,
  ic: number,
  pc: number,
  mc: number,
  kc: number,
  pa: Float64Array,
): void {
  for (let ir = 0; ir < mc; ir += 4) {
    const mr = Math.min(mc - ir, 4);
    const base = ir * kc;
    for (let r = 0; r < 4; r++) {
      let dst = base + r;
      if (r >= mr) {
        for (let p = 0; p < kc; p++, dst += 4) pa[dst] = 0;
      } else if (transA) {
        // op(A)[i][p] = a[p * lda + i]
        let src = aOff + pc * lda + ic + ir + r;
        for (let p = 0; p < kc; p++, dst += 4, src += lda) pa[dst] = alpha * (a[src] as number);
      } else {
        let src = aOff + (ic + ir + r) * lda + pc;
        for (let p = 0; p < kc; p++, dst += 4, src++) pa[dst] = alpha * (a[src] as number);
      }
    }
  }
}

/** Packs rows [pc, pc+kc) × columns [jc, jc+nc) of op(B) into 4-column micro-panels, p-major. */
function packPanelB(
  transB: boolean,
  b: Float32Array,
  bOff: number,
  ldb: number,
  pc: number,
  jc: number,
  kc: number,
  nc: number,
  pb: Float64Array,
): void {
  for (let jr = 0; jr < nc; jr += 4) {
    const nr = Math.min(nc - jr, 4);
    const base = jr * kc;
    if (!transB && nr === 4) {
      let src = bOff + pc * ldb + jc + jr;
      let dst = base;
      for (let p = 0; p < kc; p++, dst += 4, src += ldb) {
        pb[dst] = b[src] as number;
        pb[dst + 1] = b[src + 1] as number;
        pb[dst + 2] = b[src + 2] as number;
        pb[dst + 3] = b[src + 3] as number;
      }
      continue;
    }
    for (let s = 0; s < 4; s++) {
      let dst = base + s;
      if (s >= nr) {
        for (let p = 0; p < kc; p++, dst += 4) pb[dst] = 0;
      } else if (transB) {
        // op(B)[p][j] = b[j * ldb + p]
        let src = bOff + (jc + jr + s) * ldb + pc;
        for (let p = 0; p < kc; p++, dst += 4, src++) pb[dst] = b[src] as number;
      } else {
        let src = bOff + pc * ldb + jc + jr + s;
        for (let p = 0; p < kc; p++, dst += 4, src += ldb) pb[dst] = b[src] as number;
      }
    }
  }
}

/** C tile (mr×nr ≤ 4×4) += packed A micro-panel (4×kc) · packed B micro-panel (kc×4). */
function microKernel(
  kc: number,
  pa: Float64Array,
  ia: number,
  pb: Float64Array,
  ib: number,
  c: Float32Array,
  ci: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c03 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c13 = 0;
  let c20 = 0;
  let c21 = 0;
  let c22 = 0;
  let c23 = 0;
  let c30 = 0;
  let c31 = 0;
  let c32 = 0;
  let c33 = 0;
  const end = ia + 4 * kc;
  for (; ia < end; ia += 4, ib += 4) {
    const a0 = pa[ia] as number;
    const a1 = pa[ia + 1] as number;
    const a2 = pa[ia + 2] as number;
    const a3 = pa[ia + 3] as number;
    const b0 = pb[ib] as number;
    const b1 = pb[ib + 1] as number;
    const b2 = pb[ib + 2] as number;
    const b3 = pb[ib + 3] as number;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  if (mr === 4 && nr === 4) {
    let r = ci;
    c[r] = (c[r] as number) + c00;
    c[r + 1] = (c[r + 1] as number) + c01;
    c[r + 2] = (c[r + 2] as number) + c02;
    c[r + 3] = (c[r + 3] as number) + c03;
    r += ldc;
    c[r] = (c[r] as number) + c10;
    c[r + 1] = (c[r + 1] as number) + c11;
    c[r + 2] = (c[r + 2] as number) + c12;
    c[r + 3] = (c[r + 3] as number) + c13;
    r += ldc;
    c[r] = (c[r] as number) + c20;
    c[r + 1] = (c[r + 1] as number) + c21;
    c[r + 2] = (c[r + 2] as number) + c22;
    c[r + 3] = (c[r + 3] as number) + c23;
    r += ldc;
    c[r] = (c[r] as number) + c30;
    c[r + 1] = (c[r + 1] as number) + c31;
    c[r + 2] = (c[r + 2] as number) + c32;
    c[r + 3] = (c[r + 3] as number) + c33;
    return;
  }
  // Edge tile: write only the mr×nr valid part (the packed panels are zero-padded).
  edgeRow(c, ci, nr, c00, c01, c02, c03);
  if (mr > 1) edgeRow(c, ci + ldc, nr, c10, c11, c12, c13);
  if (mr > 2) edgeRow(c, ci + 2 * ldc, nr, c20, c21, c22, c23);
  if (mr > 3) edgeRow(c, ci + 3 * ldc, nr, c30, c31, c32, c33);
}

function edgeRow(
  c: Float32Array,
  r: number,
  nr: number,
  v0: number,
  v1: number,
  v2: number,
  v3: number,
): void {
  c[r] = (c[r] as number) + v0;
  if (nr > 1) c[r + 1] = (c[r + 1] as number) + v1;
  if (nr > 2) c[r + 2] = (c[r + 2] as number) + v2;
  if (nr > 3) c[r + 3] = (c[r + 3] as number) + v3;
}
