// Fused restricted-Boltzmann-machine kernels (Float32 data and parameters, f32x4 GEMM, Float64 scalar
// maths), mirroring packages/energies/src/rbm/kernels.ts operation for operation, including its
// xoshiro128** uniform stream (4 × u32 state at `rng`), so a run is reproducible for a given seed.
// Parameter layout: W (d×h, row-major), then visible bias b (d), then hidden bias c (h).
import { gemmF32 } from './gemmF32';
import { sigmoidF32, sigmoidF32x4 } from './vmath';

@inline
function f32At(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/** One xoshiro128** draw as a uniform in [0, 1) with 24 random bits (the TypeScript `uniform24`). */
function uniform24(s: usize): f64 {
  const s0 = load<u32>(s);
  const s1 = load<u32>(s, 4);
  const s2 = load<u32>(s, 8);
  const s3 = load<u32>(s, 12);
  const m = s1 * 5;
  const r = rotl<u32>(m, 7) * 9;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  store<u32>(s, s1 ^ n2, 4);
  store<u32>(s, s0 ^ n3);
  store<u32>(s, n2 ^ t, 8);
  store<u32>(s, rotl<u32>(n3, 11), 12);
  return <f64>(r >>> 8) * 5.9604644775390625e-8;
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
 * dst[k] = 1 when a uniform draw < p[k], else 0, for k < n (dst may equal p). The generator state lives in
 * locals for the loop; the draws are exactly those of repeated {@link uniform24} calls.
 */
function sampleBernoulli(p: usize, dst: usize, n: i32, rng: usize): void {
  let s0 = load<u32>(rng);
  let s1 = load<u32>(rng, 4);
  let s2 = load<u32>(rng, 8);
  let s3 = load<u32>(rng, 12);
  for (let k = 0; k < n; k++) {
    const m = s1 * 5;
    const r = rotl<u32>(m, 7) * 9;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s1 ^= n2;
    s0 ^= n3;
    s2 = n2 ^ t;
    s3 = rotl<u32>(n3, 11);
    const u = <f64>(r >>> 8) * 5.9604644775390625e-8;
    store<f32>(f32At(dst, k), u < <f64>load<f32>(f32At(p, k)) ? 1 : 0);
  }
  store<u32>(rng, s0);
  store<u32>(rng, s1, 4);
  store<u32>(rng, s2, 8);
  store<u32>(rng, s3, 12);
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
    const vo = f32At(v, r * d);
    const no = f32At(vNeg, r * d);
    for (let i = 0; i < d; i++) {
      const s = <f64>load<f32>(f32At(gb, i)) + <f64>load<f32>(f32At(vo, i)) - <f64>load<f32>(f32At(no, i));
      store<f32>(f32At(gb, i), <f32>s);
    }
    const ho = f32At(hPos, r * h);
    const hn = f32At(hNeg, r * h);
    for (let j = 0; j < h; j++) {
      const s = <f64>load<f32>(f32At(gc, j)) + <f64>load<f32>(f32At(ho, j)) - <f64>load<f32>(f32At(hn, j));
      store<f32>(f32At(gc, j), <f32>s);
    }
  }
  const end = cOff + h;
  for (let i = bOff; i < end; i++) store<f32>(f32At(grad, i), <f32>(<f64>load<f32>(f32At(grad, i)) * inv));
  for (let i = 0; i < bOff; i++) {
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
    let sp: f64 = 0;
    for (let j = 0; j < h; j++) {
      const x = <f64>load<f32>(f32At(o, j)) + <f64>load<f32>(f32At(c, j));
      sp += x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
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
    store<f64>(out + (<usize>r << 3), vis - sp);
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
