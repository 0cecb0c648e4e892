// Fused restricted-Boltzmann-machine kernels (Float32 data and parameters, f32x4 GEMM, Float64 scalar
// maths), mirroring packages/energies/src/rbm/kernels.ts operation for operation, including its
// xoshiro128** uniform stream (4 × u32 state at `rng`), so a run is reproducible for a given seed.
// Parameter layout: W (d×h, row-major), then visible bias b (d), then hidden bias c (h).
import { gemmF32 } from './gemm';
import { expF32x4, sigmoidF32, sigmoidF32x4 } from './vmath';

@inline
function f32At(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/**
 * One xoshiro128** draw of lane 0 as a uniform in [0, 1) with 24 random bits (the TypeScript
 * `uniform24`). The generator state is four streams stored word-major: s0 of lanes 0–3 at bytes 0–15,
 * s1 at 16–31, s2 at 32–47, s3 at 48–63; lane 0's words are at 0, 16, 32 and 48.
 */
function uniform24(s: usize): f64 {
  const s0 = load<u32>(s);
  const s1 = load<u32>(s, 16);
  const s2 = load<u32>(s, 32);
  const s3 = load<u32>(s, 48);
  const m = s1 * 5;
  const r = rotl<u32>(m, 7) * 9;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  store<u32>(s, s1 ^ n2, 16);
  store<u32>(s, s0 ^ n3);
  store<u32>(s, n2 ^ t, 32);
  store<u32>(s, rotl<u32>(n3, 11), 48);
  return <f64>(r >>> 8) * 5.9604644775390625e-8;
}

@inline
function rotlX4(x: v128, k: i32): v128 {
  return v128.or(i32x4.shl(x, k), i32x4.shr_u(x, 32 - k));
}

function hiddenProbs(d: i32, h: i32, params: usize, v: usize, rows: i32, out: usize): void {
  gemmF32(false, false, rows, h, d, 1, v, d, params, h, 0, out, h);
  addBiasSigmoid(out, rows, h, f32At(params, d * h + d));
}

/** out[r][j] = σ(out[r][j] + bias[j]) in Float32, four lanes at a time (vmath.ts). */
function addBiasSigmoid(out: usize, rows: i32, n: i32, bias: usize): void {
  for (let r = 0; r < rows; r++) {
    const o = f32At(out, r * n);
    let j = 0;
    for (; j + 3 < n; j += 4) {
      v128.store(f32At(o, j), sigmoidF32x4(f32x4.add(v128.load(f32At(o, j)), v128.load(f32At(bias, j)))));
    }
    for (; j < n; j++) store<f32>(f32At(o, j), sigmoidF32(load<f32>(f32At(o, j)) + load<f32>(f32At(bias, j))));
  }
}

function visibleGivenHidden(
  gaussian: bool,
  d: i32,
  h: i32,
  params: usize,
  hs: usize,
  rows: i32,
  out: usize,
  sample: bool,
  rng: usize,
): void {
  gemmF32(false, true, rows, d, h, 1, hs, h, params, h, 0, out, d);
  const b = f32At(params, d * h);
  const n = rows * d;
  if (gaussian) {
    for (let r = 0; r < rows; r++) {
      const o = f32At(out, r * d);
      for (let i = 0; i < d; i++) {
        store<f32>(f32At(o, i), <f32>(<f64>load<f32>(f32At(o, i)) + <f64>load<f32>(f32At(b, i))));
      }
    }
    if (sample) {
      for (let k = 0; k < n; k += 2) {
        const u1 = 1 - uniform24(rng);
        const u2 = uniform24(rng);
        const rad = Math.sqrt(-2 * Math.log(u1));
        const th = 6.283185307179586 * u2;
        store<f32>(f32At(out, k), <f32>(<f64>load<f32>(f32At(out, k)) + rad * Math.cos(th)));
        if (k + 1 < n) store<f32>(f32At(out, k + 1), <f32>(<f64>load<f32>(f32At(out, k + 1)) + rad * Math.sin(th)));
      }
    }
    return;
  }
  addBiasSigmoid(out, rows, d, b);
  // Sampling against the probability rounded to Float32, as the TypeScript kernels do.
  if (sample) sampleBernoulli(out, out, n, rng);
}

/**
 * dst[k] = 1 when a uniform draw < p[k], else 0, for k < n (dst may equal p). Draw k comes from lane k & 3
 * of the four xoshiro128** streams at `rng`, all four advanced once per block of four values (a last
 * partial block still advances all four), exactly as the TypeScript kernels draw. A 24-bit draw u and a
 * Float32 p are both exact in Float32, so the f32x4 comparison decides as a Float64 one would; the
 * comparison mask selects 1.0 with no branch.
 */
function sampleBernoulli(p: usize, dst: usize, n: i32, rng: usize): void {
  let s0 = v128.load(rng);
  let s1 = v128.load(rng, 16);
  let s2 = v128.load(rng, 32);
  let s3 = v128.load(rng, 48);
  const five = i32x4.splat(5);
  const nine = i32x4.splat(9);
  const scale = f32x4.splat(5.9604644775390625e-8);
  const one = f32x4.splat(1);
  for (let k = 0; k < n; k += 4) {
    const r = i32x4.mul(rotlX4(i32x4.mul(s1, five), 7), nine);
    const t = i32x4.shl(s1, 9);
    const n2 = v128.xor(s2, s0);
    const n3 = v128.xor(s3, s1);
    s1 = v128.xor(s1, n2);
    s0 = v128.xor(s0, n3);
    s2 = v128.xor(n2, t);
    s3 = rotlX4(n3, 11);
    const u = f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(r, 8)), scale);
    if (k + 3 < n) {
      v128.store(f32At(dst, k), v128.and(f32x4.lt(u, v128.load(f32At(p, k))), one));
    } else {
      for (let q = 0; k + q < n; q++) {
        const pk = load<f32>(f32At(p, k + q));
        const uq = q == 0 ? f32x4.extract_lane(u, 0) : q == 1 ? f32x4.extract_lane(u, 1) : f32x4.extract_lane(u, 2);
        store<f32>(f32At(dst, k + q), <f32>(<i32>(uq < pk)));
      }
    }
  }
  v128.store(rng, s0);
  v128.store(rng, s1, 16);
  v128.store(rng, s2, 32);
  v128.store(rng, s3, 48);
}

/** Two Float32 values at `p`, widened to Float64 lanes. */
@inline
function promote2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Stores two Float64 lanes at `p` as Float32. */
@inline
function demote2(p: usize, x: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(x), 0);
}

/** acc[i] = f32(acc[i] + a[i] − b[i]) for i < n (Float64 arithmetic, two lanes at a time). */
function accumulateDifference(acc: usize, a: usize, b: usize, n: i32): void {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const o = <usize>i << 2;
    demote2(acc + o, f64x2.sub(f64x2.add(promote2(acc + o), promote2(a + o)), promote2(b + o)));
  }
  if (i < n) {
    const o = <usize>i << 2;
    store<f32>(acc + o, <f32>(<f64>load<f32>(acc + o) + <f64>load<f32>(a + o) - <f64>load<f32>(b + o)));
  }
}

/**
 * One contrastive-divergence (CD-k, or persistent CD when `chain` is not 0) update with momentum and
 * weight decay on the weights. Scratch: hPos, hNeg, hSample (rows×h), vNeg (rows×d), grad (nParams).
 */
export function rbmCdStep(
  gaussian: bool,
  d: i32,
  h: i32,
  params: usize,
  velocity: usize,
  v: usize,
  rows: i32,
  chain: usize,
  k: i32,
  lr: f64,
  momentum: f64,
  weightDecay: f64,
  rng: usize,
  hPos: usize,
  hNeg: usize,
  hSample: usize,
  vNeg: usize,
  grad: usize,
): void {
  const nh = rows * h;
  hiddenProbs(d, h, params, v, rows, hPos);
  let hs: usize;
  if (chain == 0) {
    hs = hSample;
    sampleBernoulli(hPos, hs, nh, rng);
  } else {
    hs = chain;
  }
  for (let step = 0; step < k; step++) {
    visibleGivenHidden(gaussian, d, h, params, hs, rows, vNeg, true, rng);
    hiddenProbs(d, h, params, vNeg, rows, hNeg);
    if (step < k - 1 || chain != 0) sampleBernoulli(hNeg, hs, nh, rng);
  }
  const inv = 1 / <f64>rows;
  gemmF32(true, false, d, h, rows, <f32>inv, v, d, hPos, h, 0, grad, h);
  gemmF32(true, false, d, h, rows, <f32>-inv, vNeg, d, hNeg, h, 1, grad, h);
  const bOff = d * h;
  const cOff = bOff + d;
  const gb = f32At(grad, bOff);
  const gc = f32At(grad, cOff);
  memory.fill(gb, 0, <usize>(d + h) << 2);
  for (let r = 0; r < rows; r++) {
    accumulateDifference(gb, f32At(v, r * d), f32At(vNeg, r * d), d);
    accumulateDifference(gc, f32At(hPos, r * h), f32At(hNeg, r * h), h);
  }
  const end = cOff + h;
  for (let i = bOff; i < end; i++) store<f32>(f32At(grad, i), <f32>(<f64>load<f32>(f32At(grad, i)) * inv));
  // vel = μ·vel + lr·(grad − λ·W); W += vel, two weights per step in Float64 lanes (the scalar arithmetic).
  const mv = f64x2.splat(momentum);
  const lv = f64x2.splat(lr);
  const wv = f64x2.splat(weightDecay);
  let i = 0;
  for (; i + 1 < bOff; i += 2) {
    const o = <usize>i << 2;
    const p = promote2(params + o);
    const vi = f64x2.add(f64x2.mul(mv, promote2(velocity + o)), f64x2.mul(lv, f64x2.sub(promote2(grad + o), f64x2.mul(wv, p))));
    demote2(velocity + o, vi);
    demote2(params + o, f64x2.add(p, vi));
  }
  for (; i < bOff; i++) {
    const vi =
      momentum * <f64>load<f32>(f32At(velocity, i)) +
      lr * (<f64>load<f32>(f32At(grad, i)) - weightDecay * <f64>load<f32>(f32At(params, i)));
    store<f32>(f32At(velocity, i), <f32>vi);
    store<f32>(f32At(params, i), <f32>(<f64>load<f32>(f32At(params, i)) + vi));
  }
  for (let i = bOff; i < end; i++) {
    const vi = momentum * <f64>load<f32>(f32At(velocity, i)) + lr * <f64>load<f32>(f32At(grad, i));
    store<f32>(f32At(velocity, i), <f32>vi);
    store<f32>(f32At(params, i), <f32>(<f64>load<f32>(f32At(params, i)) + vi));
  }
}

/** Free energy of each row into out (f64): visible term − Σ_j softplus(pre_j + c_j). `pre` is rows×h scratch. */
export function rbmFreeEnergy(gaussian: bool, d: i32, h: i32, params: usize, v: usize, rows: i32, pre: usize, out: usize): void {
  gemmF32(false, false, rows, h, d, 1, v, d, params, h, 0, pre, h);
  const b = f32At(params, d * h);
  const c = f32At(params, d * h + d);
  for (let r = 0; r < rows; r++) {
    const o = f32At(pre, r * h);
    // Σ_j softplus(z_j) = Σ_j max(z_j, 0) + log Π_j (1 + e^(−|z_j|)): e^(−|z|) four lanes at a time in
    // Float32 (vmath.ts, ~2 ulp), the positive parts and the product in Float64, one log per lane pair
    // instead of a log1p and an exp per unit. Every factor is in (1, 2]; the product is folded into the
    // sum every 256 units, long before it could overflow.
    let pos = f64x2.splat(0);
    let prod = f64x2.splat(1);
    let sp: f64 = 0;
    let j = 0;
    for (; j + 3 < h; j += 4) {
      const z = f32x4.add(v128.load(f32At(o, j)), v128.load(f32At(c, j)));
      const zp = f32x4.max(z, f32x4.splat(0));
      pos = f64x2.add(pos, f64x2.add(f64x2.promote_low_f32x4(zp), f64x2.promote_low_f32x4(i32x4.shuffle(zp, zp, 2, 3, 0, 1))));
      const t = f32x4.add(f32x4.splat(1), expF32x4(f32x4.neg(f32x4.abs(z))));
      prod = f64x2.mul(prod, f64x2.mul(f64x2.promote_low_f32x4(t), f64x2.promote_low_f32x4(i32x4.shuffle(t, t, 2, 3, 0, 1))));
      if ((j & 255) == 252) {
        sp += Math.log(f64x2.extract_lane(prod, 0)) + Math.log(f64x2.extract_lane(prod, 1));
        prod = f64x2.splat(1);
      }
    }
    sp += f64x2.extract_lane(pos, 0) + f64x2.extract_lane(pos, 1);
    let tail: f64 = f64x2.extract_lane(prod, 0) * f64x2.extract_lane(prod, 1);
    for (; j < h; j++) {
      const z = load<f32>(f32At(o, j)) + load<f32>(f32At(c, j));
      if (z > 0) sp += <f64>z;
      tail *= <f64>(<f32>1 + f32x4.extract_lane(expF32x4(f32x4.splat(-Mathf.abs(z))), 0));
    }
    sp += Math.log(tail);
    store<f64>(out + (<usize>r << 3), sp);
  }
  // The visible term, four rows at a time (each row's sum still runs in column order): out = vis − sp.
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const v0 = f32At(v, r * d);
    const rs = <usize>d << 2;
    let a0: f64 = 0;
    let a1: f64 = 0;
    let a2: f64 = 0;
    let a3: f64 = 0;
    for (let i = 0; i < d; i++) {
      const o = <usize>i << 2;
      const bi = <f64>load<f32>(b + o);
      if (gaussian) {
        const e0 = <f64>load<f32>(v0 + o) - bi;
        const e1 = <f64>load<f32>(v0 + rs + o) - bi;
        const e2 = <f64>load<f32>(v0 + 2 * rs + o) - bi;
        const e3 = <f64>load<f32>(v0 + 3 * rs + o) - bi;
        a0 += e0 * e0;
        a1 += e1 * e1;
        a2 += e2 * e2;
        a3 += e3 * e3;
      } else {
        a0 -= <f64>load<f32>(v0 + o) * bi;
        a1 -= <f64>load<f32>(v0 + rs + o) * bi;
        a2 -= <f64>load<f32>(v0 + 2 * rs + o) * bi;
        a3 -= <f64>load<f32>(v0 + 3 * rs + o) * bi;
      }
    }
    const p = out + (<usize>r << 3);
    const k: f64 = gaussian ? 0.5 : 1;
    store<f64>(p, a0 * k - load<f64>(p));
    store<f64>(p, a1 * k - load<f64>(p, 8), 8);
    store<f64>(p, a2 * k - load<f64>(p, 16), 16);
    store<f64>(p, a3 * k - load<f64>(p, 24), 24);
  }
  for (; r < rows; r++) {
    const vo = f32At(v, r * d);
    let vis: f64 = 0;
    if (gaussian) {
      for (let i = 0; i < d; i++) {
        const e = <f64>load<f32>(f32At(vo, i)) - <f64>load<f32>(f32At(b, i));
        vis += e * e;
      }
      vis *= 0.5;
    } else {
      for (let i = 0; i < d; i++) vis -= <f64>load<f32>(f32At(vo, i)) * <f64>load<f32>(f32At(b, i));
    }
    const p = out + (<usize>r << 3);
    store<f64>(p, vis - load<f64>(p));
  }
}

/** Σ (v − E[v | E[h | v]])² over rows×d values (mean-field reconstruction). */
export function rbmReconstructionError(
  gaussian: bool,
  d: i32,
  h: i32,
  params: usize,
  v: usize,
  rows: i32,
  hPos: usize,
  vNeg: usize,
): f64 {
  hiddenProbs(d, h, params, v, rows, hPos);
  visibleGivenHidden(gaussian, d, h, params, hPos, rows, vNeg, false, 0);
  let s: f64 = 0;
  const n = rows * d;
  for (let k = 0; k < n; k++) {
    const e = <f64>load<f32>(f32At(v, k)) - <f64>load<f32>(f32At(vNeg, k));
    s += e * e;
  }
  return s;
}
