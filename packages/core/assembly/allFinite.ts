// Whether n Float64 values at x are all finite: Σ x·0 stays 0 unless some x is ±∞ or NaN. Four f64x2
// accumulators (independent add chains), for a caller that has just copied rows into WebAssembly memory
// and would otherwise scan them again in JavaScript.

/** 1 when every one of the n values at byte address x is finite, else 0. */
export function allFiniteF64(x: usize, n: i32): i32 {
  const zero = f64x2.splat(0);
  let a0 = zero;
  let a1 = zero;
  let a2 = zero;
  let a3 = zero;
  let k = 0;
  for (; k + 8 <= n; k += 8) {
    const p = x + (<usize>k << 3);
    a0 = f64x2.add(a0, f64x2.mul(v128.load(p), zero));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(p, 16), zero));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(p, 32), zero));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(p, 48), zero));
  }
  let tail: f64 = 0;
  for (; k < n; k++) tail += load<f64>(x + (<usize>k << 3)) * 0;
  const s = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1) + tail == 0 ? 1 : 0;
}
