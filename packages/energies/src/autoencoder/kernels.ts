/**
 * Kernel-level operations of the autoencoder on flat `Float32Array`s: the forward pass, the hand-written
 * backward pass, the optimiser updates, one whole training step and batch scoring. They allocate nothing,
 * check nothing (the {@link Autoencoder} boundary already did) and are collected in
 * {@link AutoencoderKernels}, so another backend (WebAssembly SIMD) can replace them wholesale.
 *
 * Parameter layout: for every layer l (0 … L−1) the weight matrix `W_l` (`sizes[l] × sizes[l+1]`,
 * row-major, so a layer is `A_{l+1} = f(A_l · W_l + b_l)`) followed by its bias `b_l` (`sizes[l+1]`), all
 * in one `Float32Array`; gradients and optimiser moments use the same layout.
 *
 * @module
 */
import { getBackend } from '@nexus/ebm-core';
import { packPanels, packRows, tile4x4 } from '@nexus/ebm-core/kernels';
import { wasmAeScoreBatch, wasmAeTrainStep } from '@nexus/ebm-core/wasm';

// Activation codes used by the kernels (indices into ACTIVATIONS): identity, max(0, x),
// x > 0 ? x : leak·x, tanh(x), 1 / (1 + e^(−x)).
const ACT_RELU = 1;
const ACT_LEAKY_RELU = 2;
const ACT_TANH = 3;
const ACT_SIGMOID = 4;

/**
 * Activation names accepted by {@link Autoencoder}, in the order of their kernel codes.
 *
 * @example
 * ```ts
 * ACTIVATIONS.indexOf('relu'); // 1 (ACT_RELU)
 * ```
 */
export const ACTIVATIONS: readonly ['linear', 'relu', 'leaky-relu', 'tanh', 'sigmoid'] = [
  'linear',
  'relu',
  'leaky-relu',
  'tanh',
  'sigmoid',
] as const;

/**
 * An activation name: `'linear' | 'relu' | 'leaky-relu' | 'tanh' | 'sigmoid'`.
 */
export type Activation = (typeof ACTIVATIONS)[number];

/**
 * Shape of a multilayer perceptron and where each layer's weights and bias live in the flat parameter
 * vector.
 *
 * @example
 * ```ts
 * const layout = aeLayout([4, 2, 4], 'tanh', 'linear', 0.01);
 * layout.nParams; // 4·2 + 2 + 2·4 + 4 = 22
 * ```
 */
export interface AeLayout {
  /** Layer widths, input first and output last (`L + 1` entries). */
  readonly sizes: Int32Array;
  /** Activation code of each of the `L` layers (hidden activation, then the output activation). */
  readonly acts: Uint8Array;
  /** Slope of leaky ReLU for negative inputs. */
  readonly leak: number;
  /** Offset of `W_l` in the parameter vector. */
  readonly wOff: Int32Array;
  /** Offset of `b_l` in the parameter vector. */
  readonly bOff: Int32Array;
  /** Total number of parameters. */
  readonly nParams: number;
}

/**
 * Builds the {@link AeLayout} of a network with the given layer widths.
 *
 * @param sizes - widths, input first, output last (at least two entries, all ≥ 1).
 * @param hidden - activation of every hidden layer.
 * @param output - activation of the output layer.
 * @param leak - slope of leaky ReLU for negative inputs.
 *
 * @example
 * ```ts
 * aeLayout([64, 32, 8, 32, 64], 'relu', 'linear', 0.01).nParams; // 4744
 * ```
 */
export function aeLayout(
  sizes: readonly number[],
  hidden: Activation,
  output: Activation,
  leak: number,
): AeLayout {
  const L = sizes.length - 1;
  const s = Int32Array.from(sizes);
  const acts = new Uint8Array(L);
  const wOff = new Int32Array(L);
  const bOff = new Int32Array(L);
  let off = 0;
  for (let l = 0; l < L; l++) {
    acts[l] = ACTIVATIONS.indexOf(l === L - 1 ? output : hidden);
    wOff[l] = off;
    off += (s[l] as number) * (s[l + 1] as number);
    bOff[l] = off;
    off += s[l + 1] as number;
  }
  return { sizes: s, acts, leak, wOff, bOff, nParams: off };
}

/**
 * Scratch buffers for up to `capacity` rows: every layer's activations, two delta buffers for the
 * backward pass, and the dropout masks of the hidden layers.
 *
 * @example
 * ```ts
 * const ws = aeWorkspace(layout, 256);
 * ```
 */
export interface AeWorkspace {
  /** Largest number of rows a call may process. */
  readonly capacity: number;
  /** Activations of layers 1 … L (layer l+1's output of `rows × sizes[l+1]` starts at `actOff[l]`). */
  readonly act: Float32Array;
  /** Offset of each layer's output in `act`. */
  readonly actOff: Int32Array;
  /** Dropout masks of hidden layers (`0` or `1 / keep`), at the same offsets as `act`. */
  readonly mask: Float32Array;
  /** The weights of every layer in 4-column panels of 64-bit floats (refreshed by every forward pass). */
  readonly packed: Float64Array;
  /** Offset of each layer's panels in `packed`. */
  readonly packedOff: Int32Array;
  /** Backward-pass deltas (`capacity × max width` each). */
  readonly deltaA: Float32Array;
  /** Second backward-pass delta buffer. */
  readonly deltaB: Float32Array;
}

/**
 * Allocates an {@link AeWorkspace} for up to `capacity` rows.
 *
 * @example
 * ```ts
 * const ws = aeWorkspace(aeLayout([3, 2, 3], 'relu', 'linear', 0.01), 128);
 * ```
 */
export function aeWorkspace(layout: AeLayout, capacity: number): AeWorkspace {
  const { sizes } = layout;
  const L = sizes.length - 1;
  const actOff = new Int32Array(L);
  let total = 0;
  let widest = 0;
  for (let l = 0; l < L; l++) {
    actOff[l] = total;
    total += capacity * (sizes[l + 1] as number);
  }
  for (let l = 0; l <= L; l++) widest = Math.max(widest, sizes[l] as number);
  const packedOff = new Int32Array(L);
  let packedTotal = 0;
  for (let l = 0; l < L; l++) {
    packedOff[l] = packedTotal;
    packedTotal += 4 * Math.ceil((sizes[l + 1] as number) / 4) * (sizes[l] as number);
  }
  return {
    capacity,
    act: new Float32Array(total),
    actOff,
    mask: new Float32Array(total),
    packed: new Float64Array(packedTotal),
    packedOff,
    deltaA: new Float32Array(capacity * widest),
    deltaB: new Float32Array(capacity * widest),
  };
}

/**
 * Hyperparameters of one optimiser step.
 */
export interface AeStepHyper {
  /** `'adam'` or `'sgd'` (with momentum). */
  readonly optimizer: 'adam' | 'sgd';
  /** Step size. */
  readonly learningRate: number;
  /** Adam's first-moment decay. */
  readonly beta1: number;
  /** Adam's second-moment decay. */
  readonly beta2: number;
  /** Adam's denominator guard. */
  readonly epsilon: number;
  /** SGD momentum. */
  readonly momentum: number;
  /** L2 weight decay λ: adds λ·W to the weight gradient (biases are not decayed). */
  readonly weightDecay: number;
  /** Largest global gradient norm; larger gradients are rescaled to it. 0 disables clipping. */
  readonly clipNorm: number;
}

/**
 * Turns dL/dA into dL/dZ in place: `delta *= f'(Z)`, with f' computed from the stored output A. When a
 * dropout mask is given (values 0 or s = 1/keep), A = mask ⊙ f(Z), so dL/dZ = dL/dA ⊙ mask ⊙ f'(A / mask).
 */
function activationBackward(
  delta: Float32Array,
  a: Float32Array,
  aOff: number,
  n: number,
  code: number,
  leak: number,
  mask: Float32Array | null,
): void {
  if (mask === null) {
    switch (code) {
      case ACT_RELU:
        for (let i = 0; i < n; i++) if ((a[aOff + i] as number) <= 0) delta[i] = 0;
        break;
      case ACT_LEAKY_RELU:
        for (let i = 0; i < n; i++) if ((a[aOff + i] as number) <= 0) delta[i] = leak * (delta[i] as number);
        break;
      case ACT_TANH:
        for (let i = 0; i < n; i++) {
          const y = a[aOff + i] as number;
          delta[i] = (delta[i] as number) * (1 - y * y);
        }
        break;
      case ACT_SIGMOID:
        for (let i = 0; i < n; i++) {
          const y = a[aOff + i] as number;
          delta[i] = (delta[i] as number) * y * (1 - y);
        }
        break;
      default:
        break;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const m = mask[aOff + i] as number;
    if (m === 0) {
      delta[i] = 0;
      continue;
    }
    const y = (a[aOff + i] as number) / m;
    let g = 1;
    if (code === ACT_RELU) g = y > 0 ? 1 : 0;
    else if (code === ACT_LEAKY_RELU) g = y > 0 ? 1 : leak;
    else if (code === ACT_TANH) g = 1 - y * y;
    else if (code === ACT_SIGMOID) g = y * (1 - y);
    delta[i] = (delta[i] as number) * m * g;
  }
}

/**
 * Forward pass of `rows` input rows (`x[xOff …]`, row stride `sizes[0]`): fills every layer's
 * activations in `ws.act`. With `dropout`, hidden activations are multiplied by `ws.mask` (which the
 * caller filled with 0 or 1/keep).
 *
 * @example
 * ```ts
 * aeForward(layout, params, x, 0, rows, ws, false);
 * const out = ws.act.subarray(ws.actOff[L - 1], ws.actOff[L - 1] + rows * d);
 * ```
 */
export function aeForward(
  layout: AeLayout,
  params: Float32Array,
  x: Float32Array,
  xOff: number,
  rows: number,
  ws: AeWorkspace,
  dropout: boolean,
): void {
  const { sizes, acts, wOff, bOff, leak } = layout;
  const L = sizes.length - 1;
  const act = ws.act;
  let inBuf = x;
  let inOff = xOff;
  for (let l = 0; l < L; l++) {
    const nin = sizes[l] as number;
    const nout = sizes[l + 1] as number;
    const o = ws.actOff[l] as number;
    const po = ws.packedOff[l] as number;
    packPanels(1, params, wOff[l] as number, nout, 1, nin, nout, ws.packed, po);
    denseLayer(
      rows,
      nin,
      nout,
      inBuf,
      inOff,
      ws.packed,
      po,
      params,
      bOff[l] as number,
      acts[l] as number,
      leak,
      act,
      o,
    );
    if (dropout && l < L - 1) {
      const mask = ws.mask;
      const end = o + rows * nout;
      for (let i = o; i < end; i++) act[i] = (act[i] as number) * (mask[i] as number);
    }
    inBuf = act;
    inOff = o;
  }
}

/** Activation `code` of one pre-activation (in double precision). */
function act1(z: number, code: number, leak: number): number {
  switch (code) {
    case ACT_RELU:
      return Math.max(z, 0);
    case ACT_LEAKY_RELU:
      return z > 0 ? z : leak * z;
    case ACT_TANH:
      return Math.tanh(z);
    case ACT_SIGMOID:
      if (z >= 0) return 1 / (1 + Math.exp(-z));
      return Math.exp(z) / (1 + Math.exp(z));
    default:
      return z;
  }
}

/** The register block's tile. */
const tile = new Float64Array(16);

/**
 * One fully connected layer: `out[outOff + r·n + j] = f(b_j + Σ_p in[inOff + r·k + p]·W[p][j])` for `rows`
 * rows, with W packed by `packPanels` and the 4×4 register block of the core kernels ({@link tile4x4})
 * accumulating in double precision over strips of four rows (the last one zero-padded). Each row's result
 * depends only on that row (the same operations in the same order whatever the batch).
 */
function denseLayer(
  rows: number,
  k: number,
  n: number,
  x: Float32Array,
  xOff: number,
  bp: Float64Array,
  bOff: number,
  params: Float32Array,
  biasOff: number,
  code: number,
  leak: number,
  out: Float32Array,
  outOff: number,
): void {
  const t = tile;
  for (let r = 0; r < rows; r += 4) {
    const mr = Math.min(rows - r, 4);
    const a = packRows(x, xOff + r * k, mr, k);
    for (let jb = 0; jb < n; jb += 4) {
      tile4x4(k, a, 0, bp, bOff + jb * k, t);
      const nc = Math.min(n - jb, 4);
      const o = outOff + r * n + jb;
      for (let i = 0; i < mr; i++) {
        for (let c = 0; c < nc; c++) {
          out[o + i * n + c] = act1(
            (params[biasOff + jb + c] as number) + (t[4 * i + c] as number),
            code,
            leak,
          );
        }
      }
    }
  }
}

/**
 * Forward and backward pass of one minibatch: writes the gradient of
 * `loss = (1 / (rows·d)) Σ (y − target)² + (λ/2)·Σ‖W‖²` into `grads` and returns the data part of the loss
 * (the mean over rows of the per-row mean squared error, without the decay term).
 *
 * `x` is the network input (possibly noisy, for denoising) and `target` what it must reconstruct; both have
 * row stride `d = sizes[0]`.
 *
 * @example
 * ```ts
 * const loss = aeGradients(layout, params, grads, x, 0, x, 0, rows, ws, false, 0);
 * ```
 */
export function aeGradients(
  layout: AeLayout,
  params: Float32Array,
  grads: Float32Array,
  x: Float32Array,
  xOff: number,
  target: Float32Array,
  tOff: number,
  rows: number,
  ws: AeWorkspace,
  dropout: boolean,
  weightDecay: number,
): number {
  const gemmF32 = getBackend().gemmF32;
  aeForward(layout, params, x, xOff, rows, ws, dropout);
  const { sizes, acts, wOff, bOff, leak } = layout;
  const L = sizes.length - 1;
  const d = sizes[L] as number;
  const act = ws.act;
  const outOff = ws.actOff[L - 1] as number;
  const n = rows * d;
  const scale = 2 / n;
  let delta = ws.deltaA;
  let other = ws.deltaB;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const e = (act[outOff + i] as number) - (target[tOff + i] as number);
    sse += e * e;
    delta[i] = scale * e;
  }
  for (let l = L - 1; l >= 0; l--) {
    const nin = sizes[l] as number;
    const nout = sizes[l + 1] as number;
    const ao = ws.actOff[l] as number;
    activationBackward(
      delta,
      act,
      ao,
      rows * nout,
      acts[l] as number,
      leak,
      dropout && l < L - 1 ? ws.mask : null,
    );
    const inBuf = l === 0 ? x : act;
    const inOff = l === 0 ? xOff : (ws.actOff[l - 1] as number);
    const wo = wOff[l] as number;
    // dW = A_inᵀ · dZ, db = column sums of dZ.
    gemmF32(true, false, nin, nout, rows, 1, inBuf, inOff, nin, delta, 0, nout, 0, grads, wo, nout);
    const bo = bOff[l] as number;
    for (let j = 0; j < nout; j++) grads[bo + j] = 0;
    for (let r = 0; r < rows; r++) {
      const ro = r * nout;
      for (let j = 0; j < nout; j++) grads[bo + j] = (grads[bo + j] as number) + (delta[ro + j] as number);
    }
    if (weightDecay !== 0) {
      const end = wo + nin * nout;
      for (let i = wo; i < end; i++) grads[i] = (grads[i] as number) + weightDecay * (params[i] as number);
    }
    if (l > 0) {
      // dA_in = dZ · Wᵀ
      gemmF32(false, true, rows, nin, nout, 1, delta, 0, nout, params, wo, nout, 0, other, 0, nin);
      const t = delta;
      delta = other;
      other = t;
    }
  }
  return sse / n;
}

/**
 * Rescales `grads` so that its Euclidean norm is at most `maxNorm`; returns the norm before clipping.
 *
 * @example
 * ```ts
 * clipGradients(grads, grads.length, 5);
 * ```
 */
export function clipGradients(grads: Float32Array, n: number, maxNorm: number): number {
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const g = grads[i] as number;
    ss += g * g;
  }
  const norm = Math.sqrt(ss);
  if (maxNorm > 0 && norm > maxNorm) {
    const s = maxNorm / norm;
    for (let i = 0; i < n; i++) grads[i] = (grads[i] as number) * s;
  }
  return norm;
}

/**
 * One Adam step (Kingma & Ba) with bias correction at step `t` (1-based), in place on `params`, `m`, `v`.
 *
 * @example
 * ```ts
 * adamUpdate(params, grads, m, v, params.length, 1e-3, 0.9, 0.999, 1e-7, 1);
 * ```
 */
export function adamUpdate(
  params: Float32Array,
  grads: Float32Array,
  m: Float32Array,
  v: Float32Array,
  n: number,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  t: number,
): void {
  const bc1 = 1 - beta1 ** t;
  const bc2 = 1 - beta2 ** t;
  const step = (lr * Math.sqrt(bc2)) / bc1;
  const epsHat = eps * Math.sqrt(bc2);
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const g = grads[i] as number;
    const mi = beta1 * (m[i] as number) + c1 * g;
    const vi = beta2 * (v[i] as number) + c2 * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i] = (params[i] as number) - (step * mi) / (Math.sqrt(vi) + epsHat);
  }
}

/**
 * One step of SGD with (heavy-ball) momentum: `vel = μ·vel − lr·g; p += vel`.
 *
 * @example
 * ```ts
 * sgdUpdate(params, grads, velocity, params.length, 0.01, 0.9);
 * ```
 */
export function sgdUpdate(
  params: Float32Array,
  grads: Float32Array,
  velocity: Float32Array,
  n: number,
  lr: number,
  momentum: number,
): void {
  for (let i = 0; i < n; i++) {
    const vi = momentum * (velocity[i] as number) - lr * (grads[i] as number);
    velocity[i] = vi;
    params[i] = (params[i] as number) + vi;
  }
}

/**
 * One whole training step on a minibatch: gradients (with weight decay), optional clipping, then the Adam or
 * SGD update at step `t` (1-based). `m` and `v` are the optimiser's buffers (SGD uses `m` as its velocity).
 * Returns the minibatch's reconstruction loss before the update.
 *
 * @example
 * ```ts
 * const loss = aeTrainStep(layout, params, grads, m, v, hyper, t, xb, 0, xb, 0, rows, ws, false);
 * ```
 */
export function aeTrainStep(
  layout: AeLayout,
  params: Float32Array,
  grads: Float32Array,
  m: Float32Array,
  v: Float32Array,
  hyper: AeStepHyper,
  t: number,
  x: Float32Array,
  xOff: number,
  target: Float32Array,
  tOff: number,
  rows: number,
  ws: AeWorkspace,
  dropout: boolean,
): number {
  const loss = aeGradients(
    layout,
    params,
    grads,
    x,
    xOff,
    target,
    tOff,
    rows,
    ws,
    dropout,
    hyper.weightDecay,
  );
  const n = layout.nParams;
  if (hyper.clipNorm > 0) clipGradients(grads, n, hyper.clipNorm);
  if (hyper.optimizer === 'adam') {
    adamUpdate(params, grads, m, v, n, hyper.learningRate, hyper.beta1, hyper.beta2, hyper.epsilon, t);
  } else {
    sgdUpdate(params, grads, m, n, hyper.learningRate, hyper.momentum);
  }
  return loss;
}

/**
 * Scores `rows` rows (at most `ws.capacity`): writes each row's mean squared reconstruction error to
 * `out[outOff + r]` and, when `contrib` is given, the per-feature terms `(x_j − y_j)² / d` to
 * `contrib[cOff + r·d + j]`. The energy is the sum of exactly those terms in column order, so a row of
 * contributions summed left to right equals the energy bit for bit.
 *
 * @example
 * ```ts
 * aeScoreBatch(layout, params, x, 0, rows, ws, energies, 0, null, 0);
 * ```
 */
export function aeScoreBatch(
  layout: AeLayout,
  params: Float32Array,
  x: Float32Array,
  xOff: number,
  rows: number,
  ws: AeWorkspace,
  out: Float64Array,
  outOff: number,
  contrib: Float64Array | null,
  cOff: number,
): void {
  aeForward(layout, params, x, xOff, rows, ws, false);
  const L = layout.sizes.length - 1;
  const d = layout.sizes[L] as number;
  const act = ws.act;
  const yOff = ws.actOff[L - 1] as number;
  const invD = 1 / d;
  for (let r = 0; r < rows; r++) {
    const xo = xOff + r * d;
    const yo = yOff + r * d;
    let e = 0;
    if (contrib === null) {
      for (let j = 0; j < d; j++) {
        const diff = (x[xo + j] as number) - (act[yo + j] as number);
        e += diff * diff * invD;
      }
    } else {
      const co = cOff + r * d;
      for (let j = 0; j < d; j++) {
        const diff = (x[xo + j] as number) - (act[yo + j] as number);
        const c = diff * diff * invD;
        contrib[co + j] = c;
        e += c;
      }
    }
    out[outOff + r] = e;
  }
}

/**
 * The autoencoder's kernel-level operations as one replaceable set (a WebAssembly backend can provide its own
 * with the same signatures).
 *
 * @example
 * ```ts
 * const k: AutoencoderKernels = getAutoencoderKernels();
 * k.trainStep(layout, params, grads, m, v, hyper, t, xb, 0, xb, 0, rows, ws, false);
 * ```
 */
export interface AutoencoderKernels {
  /** Implementation name. */
  readonly name: string;
  /** See {@link aeTrainStep}. */
  readonly trainStep: typeof aeTrainStep;
  /** See {@link aeScoreBatch}. */
  readonly scoreBatch: typeof aeScoreBatch;
}

/**
 * The pure TypeScript autoencoder kernels (the reference in tests, and the default with the TypeScript
 * kernel backend).
 *
 * @example
 * ```ts
 * setAutoencoderKernels(tsAutoencoderKernels);
 * ```
 */
export const tsAutoencoderKernels: AutoencoderKernels = Object.freeze({
  name: 'ts',
  trainStep: aeTrainStep,
  scoreBatch: aeScoreBatch,
});

/**
 * The WebAssembly SIMD autoencoder kernels (`wasmAeTrainStep`, `wasmAeScoreBatch` of `@nexus/ebm-core`):
 * the default while the kernel backend is the WebAssembly one. Only usable where WebAssembly SIMD is
 * available (`getWasmBackend()` is defined).
 *
 * @example
 * ```ts
 * if (getWasmBackend()) setAutoencoderKernels(wasmAutoencoderKernels);
 * ```
 */
export const wasmAutoencoderKernels: AutoencoderKernels = Object.freeze({
  name: 'wasm',
  trainStep: wasmAeTrainStep,
  scoreBatch: wasmAeScoreBatch,
});

let installed: AutoencoderKernels | undefined;

/**
 * The autoencoder kernels in use: those installed with {@link setAutoencoderKernels}, else the ones that
 * follow the kernel backend ({@link wasmAutoencoderKernels} when `getBackend().name` is `'wasm'`,
 * {@link tsAutoencoderKernels} otherwise).
 *
 * @example
 * ```ts
 * getAutoencoderKernels().name; // 'wasm' in Node 20+, 'ts' under EBM_BACKEND=ts
 * ```
 */
export function getAutoencoderKernels(): AutoencoderKernels {
  if (installed !== undefined) return installed;
  return getBackend().name === 'wasm' ? wasmAutoencoderKernels : tsAutoencoderKernels;
}

/**
 * Installs an implementation of the autoencoder kernels for the whole process: a kernel set, `'ts'` for
 * the TypeScript ones whatever the backend, or `'auto'` (the default) to follow the kernel backend.
 *
 * @example
 * ```ts
 * setAutoencoderKernels('ts');
 * setAutoencoderKernels('auto');
 * ```
 */
export function setAutoencoderKernels(kernels: AutoencoderKernels | 'ts' | 'auto'): void {
  installed = kernels === 'auto' ? undefined : kernels === 'ts' ? tsAutoencoderKernels : kernels;
}
