/**
 * Matrix–vector multiply on flat row-major arrays: `y = α·A·x + β·y`, or `y = α·Aᵀ·x + β·y` when `trans`.
 * A is m×n with element (i, j) at `a[aOff + i * lda + j]`; x has n elements (m when `trans`) from `xOff`,
 * y has m elements (n when `trans`) from `yOff`. When `beta` is 0, y is overwritten (NaN in y does not
 * propagate). Allocates nothing; checks nothing.
 *
 * Cost: 2·m·n flops.
 *
 * @example
 * ```ts
 * const a = new Float64Array([1, 2, 3, 4, 5, 6]); // 2×3
 * const y = new Float64Array(2);
 * gemv(false, 2, 3, 1, a, 0, 3, new Float64Array([1, 1, 1]), 0, 0, y, 0); // y = [6, 15]
 * ```
 */
export function gemv(
  trans: boolean,
  m: number,
  n: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  x: Float64Array,
  xOff: number,
  beta: number,
  y: Float64Array,
  yOff: number,
): void {
  const ny = trans ? n : m;
  if (beta === 0) y.fill(0, yOff, yOff + ny);
  else if (beta !== 1) for (let i = yOff; i < yOff + ny; i++) y[i] = beta * (y[i] as number);
  if (alpha === 0) return;
  if (!trans) {
    // y_i += α · (row i of A) · x, four-way unrolled dot products.
    for (let i = 0; i < m; i++) {
      let r = aOff + i * lda;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      let xi = xOff;
      for (; j + 3 < n; j += 4, r += 4, xi += 4) {
        s0 += (a[r] as number) * (x[xi] as number);
        s1 += (a[r + 1] as number) * (x[xi + 1] as number);
        s2 += (a[r + 2] as number) * (x[xi + 2] as number);
        s3 += (a[r + 3] as number) * (x[xi + 3] as number);
      }
      for (; j < n; j++, r++, xi++) s0 += (a[r] as number) * (x[xi] as number);
      y[yOff + i] = (y[yOff + i] as number) + alpha * (s0 + s1 + (s2 + s3));
    }
    return;
  }
  // y += α · Σ_i x_i · (row i of A): row-wise axpy keeps the access to A contiguous.
  for (let i = 0; i < m; i++) {
    const s = alpha * (x[xOff + i] as number);
    if (s === 0) continue;
    let r = aOff + i * lda;
    let yi = yOff;
    for (let j = 0; j < n; j++, r++, yi++) y[yi] = (y[yi] as number) + s * (a[r] as number);
  }
}
