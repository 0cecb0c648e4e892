// Vectorised Float32 exponential, logistic sigmoid and tanh (f32x4). exp uses Cody–Waite range reduction
// x = k·ln2 + r, |r| ≤ ln2/2, a degree-6 Taylor polynomial for e^r (truncation < 1.2e-7 relative) and
// 2^k built in the exponent bits; relative error within about 2 ulp of Float32 over [−87, 88], inputs
// clamped to that range. Only basic IEEE operations are used, so results are identical on every runtime.

const LOG2E: f32 = 1.44269504;
const LN2_HI: f32 = 0.693145752;
const LN2_LO: f32 = 1.42860677e-6;

/** e^x lane by lane. */
@inline
export function expF32x4(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const k = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(k, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(k, f32x4.splat(LN2_LO)));
  // Horner: 1 + r(1 + r(1/2 + r(1/6 + r(1/24 + r(1/120 + r/720)))))
  let p = f32x4.add(f32x4.mul(r, f32x4.splat(1.0 / 720.0)), f32x4.splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  // 2^k: k + 127 in the exponent field (k ∈ [−126, 127] after the clamp).
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(k), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** 1 / (1 + e^(−z)) lane by lane. */
@inline
export function sigmoidF32x4(z: v128): v128 {
  return f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), expF32x4(f32x4.neg(z))));
}

/**
 * tanh lane by lane, within a few Float32 ulps: for |x| < 0.625 the odd polynomial x + x³·P(x²) of
 * Cephes' tanhf (no cancellation near 0), else 1 − 2/(e^(2|x|) + 1) with {@link expF32x4}, both on |x|,
 * then the sign bit of x (so tanh(−0) = −0). Saturates to ±1; NaN stays NaN.
 */
@inline
export function tanhF32x4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const e = expF32x4(f32x4.add(ax, ax));
  const one = f32x4.splat(1.0);
  const large = f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(e, one)));
  const z = f32x4.mul(ax, ax);
  let p = f32x4.add(f32x4.mul(f32x4.splat(-5.70498872745e-3), z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(ax, f32x4.mul(f32x4.mul(ax, z), p));
  const magnitude = v128.bitselect(small, large, f32x4.lt(ax, f32x4.splat(0.625)));
  return v128.or(magnitude, v128.and(x, f32x4.splat(-0.0)));
}

/** out[i] = tanh(x[i]) for i < n (Float32 arrays at byte pointers) with {@link tanhF32x4}; also for tests. */
export function tanhF32Array(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 3 < n; i += 4) v128.store(out + (<usize>i << 2), tanhF32x4(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) {
    store<f32>(out + (<usize>i << 2), f32x4.extract_lane(tanhF32x4(f32x4.splat(load<f32>(x + (<usize>i << 2)))), 0));
  }
}

/** Scalar Float32 sigmoid with the same arithmetic as one lane of {@link sigmoidF32x4}. */
@inline
export function sigmoidF32(z: f32): f32 {
  return f32x4.extract_lane(sigmoidF32x4(f32x4.splat(z)), 0);
}

/** out[i] = e^(x[i]) for i < n (Float32 arrays at byte pointers); exposed for tests. */
export function expF32Array(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 3 < n; i += 4) v128.store(out + (<usize>i << 2), expF32x4(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) {
    store<f32>(out + (<usize>i << 2), f32x4.extract_lane(expF32x4(f32x4.splat(load<f32>(x + (<usize>i << 2)))), 0));
  }
}
