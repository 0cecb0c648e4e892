/**
 * The register block every TypeScript matrix product is built on (the Float64 and Float32 GEMMs, the
 * autoencoder's layers and the RBM's affine maps): operands packed into 4-wide panels of 64-bit floats
 * ({@link packPanels}) and a 4×4 tile of dot products kept in sixteen locals ({@link tile4x4}).
 *
 * @module
 */

/** A Float32 or Float64 row-major array: the element types the packing reads. */
export type FloatArray = Float32Array | Float64Array;

/**
 * Packs the k×n matrix M, whose element (p, j) is `src[off + p·sp + j·sj]`, times `alpha`, into panels of
 * four columns of 64-bit floats: element (p, j) goes to `dst[dOff + (j − j mod 4)·k + 4·p + j mod 4]`, and
 * the columns that pad the last panel to a multiple of four are zero. With `sp = ld, sj = 1` that is a
 * row-major matrix, with `sp = 1, sj = ld` its transpose — the packed layout {@link tile4x4} reads on both
 * sides (a strip of four rows of a left operand is packed as its transpose). `alpha = 1` copies exactly.
 * Allocates nothing; checks nothing.
 *
 * @example
 * ```ts
 * const dst = new Float64Array(4 * 2);
 * packPanels(1, new Float32Array([1, 2, 3, 4]), 0, 2, 1, 2, 2, dst, 0); // dst = [1, 2, 0, 0, 3, 4, 0, 0]
 * ```
 */
export function packPanels(
  alpha: number,
  src: FloatArray,
  off: number,
  sp: number,
  sj: number,
  k: number,
  n: number,
  dst: Float64Array,
  dOff: number,
): void {
  for (let jb = 0; jb < n; jb += 4) {
    const nr = Math.min(n - jb, 4);
    const base = dOff + jb * k;
    for (let c = 0; c < 4; c++) {
      let d = base + c;
      if (c >= nr) {
        for (let p = 0; p < k; p++, d += 4) dst[d] = 0;
        continue;
      }
      let s = off + (jb + c) * sj;
      if (alpha === 1) for (let p = 0; p < k; p++, d += 4, s += sp) dst[d] = src[s] as number;
      else for (let p = 0; p < k; p++, d += 4, s += sp) dst[d] = alpha * (src[s] as number);
    }
  }
}

/** The strip {@link packRows} returns (grown on demand, never shrunk; one per thread). */
let strip = new Float64Array(0);

/**
 * Packs `rows` ≤ 4 rows of the row-major `x` (k columns, from `xOff`) as one left panel for
 * {@link tile4x4} — element (r, p) at `4p + r`, rows `rows … 3` zero — into a scratch owned by this module,
 * and returns it (valid until the next call). Allocates only when k grows past every earlier call's.
 *
 * @example
 * ```ts
 * const a = packRows(x, r * k, Math.min(4, n - r), k);
 * tile4x4(k, a, 0, packedB, 0, tile);
 * ```
 */
export function packRows(x: FloatArray, xOff: number, rows: number, k: number): Float64Array {
  if (strip.length < 4 * k) strip = new Float64Array(4 * k);
  packPanels(1, x, xOff, 1, k, k, rows, strip, 0);
  return strip;
}

/**
 * The 4×4 register block: `tile[4·r + s] = Σ_{p<k} a[ia + 4p + r] · b[ib + 4p + s]` for r, s < 4, each sum
 * accumulated in a local from p = 0 upwards (so a tile row depends only on its own panel row, whatever
 * the other three hold). `a` and `b` point into panels written by {@link packPanels}. Allocates nothing;
 * checks nothing.
 *
 * Cost: 32·k flops.
 *
 * @example
 * ```ts
 * const tile = new Float64Array(16);
 * tile4x4(k, packedRows, 0, packedCols, 0, tile); // tile[5] = row 1 · column 1
 * ```
 */
export function tile4x4(
  k: number,
  a: Float64Array,
  ia: number,
  b: Float64Array,
  ib: number,
  tile: Float64Array,
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
  const end = ia + 4 * k;
  for (; ia < end; ia += 4, ib += 4) {
    const a0 = a[ia] as number;
    const a1 = a[ia + 1] as number;
    const a2 = a[ia + 2] as number;
    const a3 = a[ia + 3] as number;
    const b0 = b[ib] as number;
    const b1 = b[ib + 1] as number;
    const b2 = b[ib + 2] as number;
    const b3 = b[ib + 3] as number;
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
  tile[0] = c00;
  tile[1] = c01;
  tile[2] = c02;
  tile[3] = c03;
  tile[4] = c10;
  tile[5] = c11;
  tile[6] = c12;
  tile[7] = c13;
  tile[8] = c20;
  tile[9] = c21;
  tile[10] = c22;
  tile[11] = c23;
  tile[12] = c30;
  tile[13] = c31;
  tile[14] = c32;
  tile[15] = c33;
}
