// Squared distances of rows to k centres (the assignment step of k-means), each summed term by term in
// column order (the algorithm of the TypeScript kernel src/kernels/centreDistances.ts, so results are
// identical): the lanes of an f64x2 hold two centres, and each lane does exactly the scalar sequence
// v = x_t − c_t, s += v·v for t = 0 … d − 1. Four rows share every load of the centres. Matrices are row-major at byte pointers.

/**
 * out[r·k + j] = Σ_t (x[r][t] − c[j][t])² for r < rows, j < k. `ct` holds the centres transposed and padded
 * to an even count: ct[t·kp + j] = c[j][t] (kp even, columns k … kp − 1 anything finite).
 */
export function centreDistancesF64(x: usize, rows: i32, d: i32, ct: usize, k: i32, kp: i32, out: usize): void {
  const rowBytes = <usize>d << 3;
  const ctStride = <usize>kp << 3;
  for (let r = 0; r < rows; r += 4) {
    const m = min(4, rows - r);
    const x0 = x + <usize>r * rowBytes;
    // Rows past the end repeat the last one (read in bounds; their results are not stored).
    const x1 = m > 1 ? x0 + rowBytes : x0;
    const x2 = m > 2 ? x0 + 2 * rowBytes : x1;
    const x3 = m > 3 ? x0 + 3 * rowBytes : x2;
    for (let j = 0; j < kp; j += 2) {
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let cp = ct + (<usize>j << 3);
      for (let t = 0; t < d; t++, cp += ctStride) {
        const cv = v128.load(cp);
        const q = <usize>t << 3;
        const v0 = f64x2.sub(v128.load_splat<f64>(x0 + q), cv);
        const v1 = f64x2.sub(v128.load_splat<f64>(x1 + q), cv);
        const v2 = f64x2.sub(v128.load_splat<f64>(x2 + q), cv);
        const v3 = f64x2.sub(v128.load_splat<f64>(x3 + q), cv);
        a0 = f64x2.add(a0, f64x2.mul(v0, v0));
        a1 = f64x2.add(a1, f64x2.mul(v1, v1));
        a2 = f64x2.add(a2, f64x2.mul(v2, v2));
        a3 = f64x2.add(a3, f64x2.mul(v3, v3));
      }
      const two = j + 1 < k;
      const o = out + ((<usize>r * <usize>k + <usize>j) << 3);
      const ok = <usize>k << 3;
      store<f64>(o, f64x2.extract_lane(a0, 0));
      if (two) store<f64>(o, f64x2.extract_lane(a0, 1), 8);
      if (m > 1) {
        store<f64>(o + ok, f64x2.extract_lane(a1, 0));
        if (two) store<f64>(o + ok, f64x2.extract_lane(a1, 1), 8);
      }
      if (m > 2) {
        store<f64>(o + 2 * ok, f64x2.extract_lane(a2, 0));
        if (two) store<f64>(o + 2 * ok, f64x2.extract_lane(a2, 1), 8);
      }
      if (m > 3) {
        store<f64>(o + 3 * ok, f64x2.extract_lane(a3, 0));
        if (two) store<f64>(o + 3 * ok, f64x2.extract_lane(a3, 1), 8);
      }
    }
  }
}
