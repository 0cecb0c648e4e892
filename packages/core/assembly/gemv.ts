// Double-precision matrix–vector multiply with f64x2: y = α·A·x + β·y, or y = α·Aᵀ·x + β·y when `trans`.
// A is m×n row-major (leading dimension lda, in elements); x and y are contiguous.

export function gemvF64(
  trans: bool,
  m: i32,
  n: i32,
  alpha: f64,
  a: usize,
  lda: i32,
  x: usize,
  beta: f64,
  y: usize,
): void {
  const ny = trans ? n : m;
  if (beta == 0) memory.fill(y, 0, <usize>ny << 3);
  else if (beta != 1) {
    for (let i = 0; i < ny; i++) {
      const p = y + (<usize>i << 3);
      store<f64>(p, beta * load<f64>(p));
    }
  }
  if (alpha == 0) return;
  const rowBytes = <usize>lda << 3;
  if (!trans) {
    for (let i = 0; i < m; i++) {
      const row = a + <usize>i * rowBytes;
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      let j = 0;
      for (; j + 3 < n; j += 4) {
        const o = <usize>j << 3;
        s0 = f64x2.add(s0, f64x2.mul(v128.load(row + o), v128.load(x + o)));
        s1 = f64x2.add(s1, f64x2.mul(v128.load(row + o, 16), v128.load(x + o, 16)));
      }
      const s = f64x2.add(s0, s1);
      let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
      for (; j < n; j++) t += load<f64>(row + (<usize>j << 3)) * load<f64>(x + (<usize>j << 3));
      const p = y + (<usize>i << 3);
      store<f64>(p, load<f64>(p) + alpha * t);
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const s = alpha * load<f64>(x + (<usize>i << 3));
    if (s == 0) continue;
    const sv = f64x2.splat(s);
    const row = a + <usize>i * rowBytes;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const o = <usize>j << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(sv, v128.load(row + o))));
    }
    if (j < n) {
      const o = <usize>j << 3;
      store<f64>(y + o, load<f64>(y + o) + s * load<f64>(row + o));
    }
  }
}
