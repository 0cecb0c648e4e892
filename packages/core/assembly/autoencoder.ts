// Fused autoencoder kernels (Float32 with f32x4, losses and optimiser arithmetic in Float64), mirroring
// packages/energies/src/autoencoder/kernels.ts operation for operation (except tanh, an f32x4 polynomial
// within a few ulps where TypeScript rounds Math.tanh). The network is described by an
// i32 descriptor at `desc`:
//   [0] L (number of layers)   [1 .. L+1] sizes   then acts[L], wOff[L], bOff[L], actOff[L]
// where wOff/bOff are element offsets into the parameter vector and actOff element offsets into the
// activation buffer (layer l+1's rows × sizes[l+1] outputs). Pointers are byte addresses.
import { gemmF32, gemmF32Bias } from './gemm';
import { tanhF32Array } from './vmath';

const ACT_RELU: i32 = 1;
const ACT_LEAKY_RELU: i32 = 2;
const ACT_TANH: i32 = 3;
const ACT_SIGMOID: i32 = 4;

@inline
function di(desc: usize, i: i32): i32 {
  return load<i32>(desc + (<usize>i << 2));
}

@inline
function f32At(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

function activate(a: usize, n: i32, code: i32, leak: f64): void {
  if (code == ACT_RELU) {
    const zero = f32x4.splat(0);
    let i = 0;
    // pmax(v, 0) = v < 0 ? 0 : v, exactly the scalar rule (NaN and −0 kept).
    for (; i + 3 < n; i += 4) v128.store(f32At(a, i), f32x4.pmax(v128.load(f32At(a, i)), zero));
    for (; i < n; i++) if (load<f32>(f32At(a, i)) < 0) store<f32>(f32At(a, i), 0);
  } else if (code == ACT_LEAKY_RELU) {
    for (let i = 0; i < n; i++) {
      const v = load<f32>(f32At(a, i));
      if (v < 0) store<f32>(f32At(a, i), <f32>(leak * <f64>v));
    }
  } else if (code == ACT_TANH) {
    // f32x4 tanh (vmath.ts, a few ulps), the same arithmetic in every lane and for the tail.
    tanhF32Array(a, a, n);
  } else if (code == ACT_SIGMOID) {
    for (let i = 0; i < n; i++) {
      const v = <f64>load<f32>(f32At(a, i));
      let s: f64;
      if (v >= 0) s = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        s = e / (1 + e);
      }
      store<f32>(f32At(a, i), <f32>s);
    }
  }
}

/** delta *= f'(Z) computed from the stored output A (and the dropout mask when `mask` is not 0). */
function activationBackward(delta: usize, a: usize, mask: usize, n: i32, code: i32, leak: f64): void {
  if (mask == 0) {
    if (code == ACT_RELU) {
      const zero = f32x4.splat(0);
      let i = 0;
      for (; i + 3 < n; i += 4) {
        const keep = v128.not(f32x4.le(v128.load(f32At(a, i)), zero));
        v128.store(f32At(delta, i), v128.and(v128.load(f32At(delta, i)), keep));
      }
      for (; i < n; i++) if (load<f32>(f32At(a, i)) <= 0) store<f32>(f32At(delta, i), 0);
    } else if (code == ACT_LEAKY_RELU) {
      for (let i = 0; i < n; i++) {
        if (load<f32>(f32At(a, i)) <= 0) store<f32>(f32At(delta, i), <f32>(leak * <f64>load<f32>(f32At(delta, i))));
      }
    } else if (code == ACT_TANH) {
      for (let i = 0; i < n; i++) {
        const y = <f64>load<f32>(f32At(a, i));
        store<f32>(f32At(delta, i), <f32>(<f64>load<f32>(f32At(delta, i)) * (1 - y * y)));
      }
    } else if (code == ACT_SIGMOID) {
      for (let i = 0; i < n; i++) {
        const y = <f64>load<f32>(f32At(a, i));
        store<f32>(f32At(delta, i), <f32>(<f64>load<f32>(f32At(delta, i)) * y * (1 - y)));
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const m = <f64>load<f32>(f32At(mask, i));
    if (m == 0) {
      store<f32>(f32At(delta, i), 0);
      continue;
    }
    const y = <f64>load<f32>(f32At(a, i)) / m;
    let g: f64 = 1;
    if (code == ACT_RELU) g = y > 0 ? 1 : 0;
    else if (code == ACT_LEAKY_RELU) g = y > 0 ? 1 : leak;
    else if (code == ACT_TANH) g = 1 - y * y;
    else if (code == ACT_SIGMOID) g = y * (1 - y);
    store<f32>(f32At(delta, i), <f32>(<f64>load<f32>(f32At(delta, i)) * m * g));
  }
}

/** Forward pass of `rows` rows of `x`: every layer's activations into `act` (dropout: times `mask`). */
export function aeForward(desc: usize, params: usize, x: usize, rows: i32, act: usize, mask: usize, dropout: bool, leak: f64): void {
  const L = di(desc, 0);
  const sizes = 1;
  const acts = L + 2;
  const wOffs = acts + L;
  const bOffs = wOffs + L;
  const actOffs = bOffs + L;
  let inBuf = x;
  for (let l = 0; l < L; l++) {
    const nin = di(desc, sizes + l);
    const nout = di(desc, sizes + l + 1);
    const out = f32At(act, di(desc, actOffs + l));
    const bias = f32At(params, di(desc, bOffs + l));
    gemmF32Bias(rows, nout, nin, inBuf, nin, f32At(params, di(desc, wOffs + l)), nout, bias, out, nout);
    const n = rows * nout;
    activate(out, n, di(desc, acts + l), leak);
    if (dropout && l < L - 1) {
      const mk = f32At(mask, di(desc, actOffs + l));
      let i = 0;
      for (; i + 3 < n; i += 4) v128.store(f32At(out, i), f32x4.mul(v128.load(f32At(out, i)), v128.load(f32At(mk, i))));
      for (; i < n; i++) store<f32>(f32At(out, i), load<f32>(f32At(out, i)) * load<f32>(f32At(mk, i)));
    }
    inBuf = out;
  }
}

/**
 * Forward and backward pass of one minibatch: the gradient of mean squared reconstruction error (plus
 * weight decay on the weights) into `grads`; returns the data part of the loss.
 */
export function aeGradients(
  desc: usize,
  params: usize,
  grads: usize,
  x: usize,
  target: usize,
  rows: i32,
  act: usize,
  mask: usize,
  deltaA: usize,
  deltaB: usize,
  dropout: bool,
  leak: f64,
  weightDecay: f64,
): f64 {
  aeForward(desc, params, x, rows, act, mask, dropout, leak);
  const L = di(desc, 0);
  const sizes = 1;
  const acts = L + 2;
  const wOffs = acts + L;
  const bOffs = wOffs + L;
  const actOffs = bOffs + L;
  const d = di(desc, sizes + L);
  const y = f32At(act, di(desc, actOffs + L - 1));
  const n = rows * d;
  const scale = 2 / <f64>n;
  let delta = deltaA;
  let other = deltaB;
  let sse: f64 = 0;
  for (let i = 0; i < n; i++) {
    const e = <f64>load<f32>(f32At(y, i)) - <f64>load<f32>(f32At(target, i));
    sse += e * e;
    store<f32>(f32At(delta, i), <f32>(scale * e));
  }
  for (let l = L - 1; l >= 0; l--) {
    const nin = di(desc, sizes + l);
    const nout = di(desc, sizes + l + 1);
    const ao = di(desc, actOffs + l);
    activationBackward(
      delta,
      f32At(act, ao),
      dropout && l < L - 1 ? f32At(mask, ao) : 0,
      rows * nout,
      di(desc, acts + l),
      leak,
    );
    const inBuf = l == 0 ? x : f32At(act, di(desc, actOffs + l - 1));
    const wo = di(desc, wOffs + l);
    const gw = f32At(grads, wo);
    gemmF32(true, false, nin, nout, rows, 1, inBuf, nin, delta, nout, 0, gw, nout);
    // Bias gradient: column sums of delta, accumulated row by row in Float32 (the scalar order).
    const gb = f32At(grads, di(desc, bOffs + l));
    memory.fill(gb, 0, <usize>nout << 2);
    for (let r = 0; r < rows; r++) {
      const row = f32At(delta, r * nout);
      let j = 0;
      for (; j + 3 < nout; j += 4) v128.store(f32At(gb, j), f32x4.add(v128.load(f32At(gb, j)), v128.load(f32At(row, j))));
      for (; j < nout; j++) store<f32>(f32At(gb, j), load<f32>(f32At(gb, j)) + load<f32>(f32At(row, j)));
    }
    if (weightDecay != 0) {
      const w = f32At(params, wo);
      const cnt = nin * nout;
      for (let i = 0; i < cnt; i++) {
        store<f32>(f32At(gw, i), <f32>(<f64>load<f32>(f32At(gw, i)) + weightDecay * <f64>load<f32>(f32At(w, i))));
      }
    }
    if (l > 0) {
      gemmF32(false, true, rows, nin, nout, 1, delta, nout, f32At(params, wo), nout, 0, other, nin);
      const t = delta;
      delta = other;
      other = t;
    }
  }
  return sse / <f64>n;
}

/** Rescales `grads` to Euclidean norm ≤ maxNorm (when maxNorm > 0); returns the norm before. */
export function clipGradients(grads: usize, n: i32, maxNorm: f64): f64 {
  let ss: f64 = 0;
  for (let i = 0; i < n; i++) {
    const g = <f64>load<f32>(f32At(grads, i));
    ss += g * g;
  }
  const norm = Math.sqrt(ss);
  if (maxNorm > 0 && norm > maxNorm) {
    const s = maxNorm / norm;
    for (let i = 0; i < n; i++) store<f32>(f32At(grads, i), <f32>(<f64>load<f32>(f32At(grads, i)) * s));
  }
  return norm;
}

/**
 * One Adam step, in place on params, m and v. The caller folds the bias corrections of step t into
 * `step` = lr·√(1−β₂ᵗ)/(1−β₁ᵗ) and `epsHat` = ε·√(1−β₂ᵗ) (so powers are computed once, in JavaScript).
 */
export function adamUpdate(
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  n: i32,
  step: f64,
  beta1: f64,
  beta2: f64,
  epsHat: f64,
): void {
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const b1v = f64x2.splat(beta1);
  const b2v = f64x2.splat(beta2);
  const c1v = f64x2.splat(c1);
  const c2v = f64x2.splat(c2);
  const stepv = f64x2.splat(step);
  const epsv = f64x2.splat(epsHat);
  let i = 0;
  // Two lanes at a time in Float64 (the same correctly rounded operations as the scalar loop below).
  for (; i + 1 < n; i += 2) {
    const o = <usize>i << 2;
    const g = v128.load64_zero(grads + o);
    const gd = f64x2.promote_low_f32x4(g);
    const md = f64x2.promote_low_f32x4(v128.load64_zero(m + o));
    const vd = f64x2.promote_low_f32x4(v128.load64_zero(v + o));
    const pd = f64x2.promote_low_f32x4(v128.load64_zero(params + o));
    const mi = f64x2.add(f64x2.mul(b1v, md), f64x2.mul(c1v, gd));
    const vi = f64x2.add(f64x2.mul(b2v, vd), f64x2.mul(f64x2.mul(c2v, gd), gd));
    v128.store64_lane(m + o, f32x4.demote_f64x2_zero(mi), 0);
    v128.store64_lane(v + o, f32x4.demote_f64x2_zero(vi), 0);
    const upd = f64x2.div(f64x2.mul(stepv, mi), f64x2.add(f64x2.sqrt(vi), epsv));
    v128.store64_lane(params + o, f32x4.demote_f64x2_zero(f64x2.sub(pd, upd)), 0);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const g = <f64>load<f32>(grads + o);
    const mi = beta1 * <f64>load<f32>(m + o) + c1 * g;
    const vi = beta2 * <f64>load<f32>(v + o) + c2 * g * g;
    store<f32>(m + o, <f32>mi);
    store<f32>(v + o, <f32>vi);
    store<f32>(params + o, <f32>(<f64>load<f32>(params + o) - (step * mi) / (Math.sqrt(vi) + epsHat)));
  }
}

/** One SGD step with heavy-ball momentum: vel = μ·vel − lr·g; p += vel. */
export function sgdUpdate(params: usize, grads: usize, vel: usize, n: i32, lr: f64, momentum: f64): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const vi = momentum * <f64>load<f32>(vel + o) - lr * <f64>load<f32>(grads + o);
    store<f32>(vel + o, <f32>vi);
    store<f32>(params + o, <f32>(<f64>load<f32>(params + o) + vi));
  }
}

/**
 * Scores `rows` rows: out[r] (f64) = mean squared reconstruction error; when `contrib` is not 0, the
 * per-feature terms (x_j − y_j)²/d (f64, row-major) whose left-to-right sum is the energy.
 */
export function aeScoreBatch(desc: usize, params: usize, x: usize, rows: i32, act: usize, leak: f64, out: usize, contrib: usize): void {
  aeForward(desc, params, x, rows, act, 0, false, leak);
  const L = di(desc, 0);
  const d = di(desc, 1 + L);
  const actOffs = 4 * L + 2;
  const y = f32At(act, di(desc, actOffs + L - 1));
  const invD = 1 / <f64>d;
  // Four rows at a time: each row still sums its terms in column order (so a row of contributions summed
  // left to right is its energy, bit for bit), but four independent sums keep the adder busy.
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const x0 = f32At(x, r * d);
    const y0 = f32At(y, r * d);
    const rowBytes = <usize>d << 2;
    let e0: f64 = 0;
    let e1: f64 = 0;
    let e2: f64 = 0;
    let e3: f64 = 0;
    const co = contrib == 0 ? 0 : contrib + ((<usize>r * <usize>d) << 3);
    const cRow = <usize>d << 3;
    for (let j = 0; j < d; j++) {
      const o = <usize>j << 2;
      const a0 = <f64>load<f32>(x0 + o) - <f64>load<f32>(y0 + o);
      const a1 = <f64>load<f32>(x0 + rowBytes + o) - <f64>load<f32>(y0 + rowBytes + o);
      const a2 = <f64>load<f32>(x0 + 2 * rowBytes + o) - <f64>load<f32>(y0 + 2 * rowBytes + o);
      const a3 = <f64>load<f32>(x0 + 3 * rowBytes + o) - <f64>load<f32>(y0 + 3 * rowBytes + o);
      const c0 = a0 * a0 * invD;
      const c1 = a1 * a1 * invD;
      const c2 = a2 * a2 * invD;
      const c3 = a3 * a3 * invD;
      if (co != 0) {
        const q = co + (<usize>j << 3);
        store<f64>(q, c0);
        store<f64>(q + cRow, c1);
        store<f64>(q + 2 * cRow, c2);
        store<f64>(q + 3 * cRow, c3);
      }
      e0 += c0;
      e1 += c1;
      e2 += c2;
      e3 += c3;
    }
    const p = out + (<usize>r << 3);
    store<f64>(p, e0);
    store<f64>(p, e1, 8);
    store<f64>(p, e2, 16);
    store<f64>(p, e3, 24);
  }
  for (; r < rows; r++) {
    const xo = f32At(x, r * d);
    const yo = f32At(y, r * d);
    let e: f64 = 0;
    if (contrib == 0) {
      for (let j = 0; j < d; j++) {
        const diff = <f64>load<f32>(f32At(xo, j)) - <f64>load<f32>(f32At(yo, j));
        e += diff * diff * invD;
      }
    } else {
      const co = contrib + ((<usize>r * <usize>d) << 3);
      for (let j = 0; j < d; j++) {
        const diff = <f64>load<f32>(f32At(xo, j)) - <f64>load<f32>(f32At(yo, j));
        const c = diff * diff * invD;
        store<f64>(co + (<usize>j << 3), c);
        e += c;
      }
    }
    store<f64>(out + (<usize>r << 3), e);
  }
}
