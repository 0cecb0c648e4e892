// Weighted sums of rows by cluster (the update step of k-means), the algorithm of the TypeScript kernel
// src/kernels/clusterSums.ts with two columns per f64x2: every element is the same chain of additions in
// row order, so results are identical.

/**
 * For r < rows in order: sums[labels[r]·d + t] += w[r]·x[r][t] for every t (two columns per f64x2; each
 * element is the scalar chain of the TypeScript kernel src/kernels/clusterSums.ts). `labels` are i32; a
 * label outside 0 … k − 1 skips its row.
 */
export function clusterSumsF64(x: usize, rows: i32, d: i32, labels: usize, w: usize, k: i32, sums: usize): void {
  const rowBytes = <usize>d << 3;
  for (let r = 0; r < rows; r++) {
    const j = load<i32>(labels + (<usize>r << 2));
    if (j < 0 || j >= k) continue;
    const wr = load<f64>(w + (<usize>r << 3));
    const wv = f64x2.splat(wr);
    const s = sums + <usize>j * rowBytes;
    const xr = x + <usize>r * rowBytes;
    let t = 0;
    for (; t + 1 < d; t += 2) {
      const q = <usize>t << 3;
      v128.store(s + q, f64x2.add(v128.load(s + q), f64x2.mul(wv, v128.load(xr + q))));
    }
    if (t < d) {
      const q = <usize>t << 3;
      store<f64>(s + q, load<f64>(s + q) + wr * load<f64>(xr + q));
    }
  }
}
