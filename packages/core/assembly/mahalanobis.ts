// Squared Mahalanobis distances ‖W (x − μ)‖² for a lower-triangular precision factor W (d×d, row-major,
// Float64), the Gaussian energies' scoring loop. f64x2 lanes along the inner product; four rows share
// each load of W. Every row goes through the same operations in the same order whether it is scored in
// a block of four or alone, so a row's value does not depend on its batch.

@inline
function centre(x: usize, mean: usize, d: i32, y: usize): void {
  let j = 0;
  for (; j + 1 < d; j += 2) {
    const o = <usize>j << 3;
    v128.store(y + o, f64x2.sub(v128.load(x + o), v128.load(mean + o)));
  }
  if (j < d) {
    const o = <usize>j << 3;
    store<f64>(y + o, load<f64>(x + o) - load<f64>(mean + o));
  }
}

@inline
function finish(s: v128, wi: usize, y: usize, k: i32, i: i32): f64 {
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (k <= i) t += load<f64>(wi + (<usize>k << 3)) * load<f64>(y + (<usize>k << 3));
  return t * t;
}

/**
 * out[r] = Σ_i (Σ_{k ≤ i} W[i][k] (x[r][k] − μ[k]))² for r < rows. `y` is scratch of 4·d Float64 values.
 */
export function mahalanobisF64(x: usize, rows: i32, d: i32, mean: usize, w: usize, y: usize, out: usize): void {
  const rowBytes = <usize>d << 3;
  const y1 = y + rowBytes;
  const y2 = y1 + rowBytes;
  const y3 = y2 + rowBytes;
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const xr = x + <usize>r * rowBytes;
    centre(xr, mean, d, y);
    centre(xr + rowBytes, mean, d, y1);
    centre(xr + 2 * rowBytes, mean, d, y2);
    centre(xr + 3 * rowBytes, mean, d, y3);
    let a0: f64 = 0;
    let a1: f64 = 0;
    let a2: f64 = 0;
    let a3: f64 = 0;
    for (let i = 0; i < d; i++) {
      const wi = w + <usize>i * rowBytes;
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      let s2 = f64x2.splat(0);
      let s3 = f64x2.splat(0);
      let k = 0;
      for (; k < i; k += 2) {
        const o = <usize>k << 3;
        const wv = v128.load(wi + o);
        s0 = f64x2.add(s0, f64x2.mul(wv, v128.load(y + o)));
        s1 = f64x2.add(s1, f64x2.mul(wv, v128.load(y1 + o)));
        s2 = f64x2.add(s2, f64x2.mul(wv, v128.load(y2 + o)));
        s3 = f64x2.add(s3, f64x2.mul(wv, v128.load(y3 + o)));
      }
      a0 += finish(s0, wi, y, k, i);
      a1 += finish(s1, wi, y1, k, i);
      a2 += finish(s2, wi, y2, k, i);
      a3 += finish(s3, wi, y3, k, i);
    }
    const o = out + (<usize>r << 3);
    store<f64>(o, a0);
    store<f64>(o, a1, 8);
    store<f64>(o, a2, 16);
    store<f64>(o, a3, 24);
  }
  for (; r < rows; r++) {
    centre(x + <usize>r * rowBytes, mean, d, y);
    let a0: f64 = 0;
    for (let i = 0; i < d; i++) {
      const wi = w + <usize>i * rowBytes;
      let s0 = f64x2.splat(0);
      let k = 0;
      for (; k < i; k += 2) {
        const o = <usize>k << 3;
        s0 = f64x2.add(s0, f64x2.mul(v128.load(wi + o), v128.load(y + o)));
      }
      a0 += finish(s0, wi, y, k, i);
    }
    store<f64>(out + (<usize>r << 3), a0);
  }
}
