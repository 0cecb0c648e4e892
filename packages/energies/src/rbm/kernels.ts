/**
 * Kernel-level operations of the restricted Boltzmann machine on flat `Float32Array`s: the free energy of a
 * batch, one contrastive-divergence step (CD-k or persistent CD) with momentum and weight decay, and the
 * mean-field reconstruction error. They allocate nothing and check nothing (the {@link RBM} boundary did);
 * {@link RbmKernels} collects them so another backend (WebAssembly SIMD) can replace them wholesale.
 *
 * Parameter layout (one `Float32Array`, velocities and gradients alike): the weights `W` (`d × H`,
 * row-major, visible i ↔ hidden j at `i·H + j`), then the visible biases `b` (`d`) at `d·H`, then the
 * hidden biases `c` (`H`) at `d·H + d`.
 *
 * Energies, with `softplus(x) = log(1 + eˣ)`:
 * - Bernoulli visible units: `E(v, h) = −bᵀv − cᵀh − vᵀWh`, free energy
 *   `F(v) = −bᵀv − Σ_j softplus(c_j + (vᵀW)_j)`.
 * - Gaussian visible units (unit variance): `E(v, h) = ½‖v − b‖² − cᵀh − vᵀWh`, free energy
 *   `F(v) = ½‖v − b‖² − Σ_j softplus(c_j + (vᵀW)_j)`.
 *
 * Random draws come from a xoshiro128** state (four 32-bit words in a `Uint32Array`) that the caller seeds
 * from its `Rng`, so sampling is fast, seeded and reproducible.
 *
 * @module
 */
import { getBackend } from '@nexus/ebm-core';

/**
 * Scratch buffers of one CD step for up to `capacity` rows.
 *
 * @example
 * ```ts
 * const ws = rbmWorkspace(64, 32, 100);
 * ```
 */
export interface RbmWorkspace {
  /** Largest number of rows a call may process. */
  readonly capacity: number;
  /** Positive-phase hidden probabilities (`capacity × H`). */
  readonly hPos: Float32Array;
  /** Negative-phase hidden probabilities (`capacity × H`). */
  readonly hNeg: Float32Array;
  /** Hidden samples driving the chain in CD (`capacity × H`). */
  readonly hSample: Float32Array;
  /** Negative-phase visible states (`capacity × d`). */
  readonly vNeg: Float32Array;
  /** Gradient, in the parameter layout. */
  readonly grad: Float32Array;
}

/**
 * Allocates an {@link RbmWorkspace}.
 *
 * @example
 * ```ts
 * const ws = rbmWorkspace(d, nHidden, batchSize);
 * ```
 */
export function rbmWorkspace(d: number, h: number, capacity: number): RbmWorkspace {
  return {
    capacity,
    hPos: new Float32Array(capacity * h),
    hNeg: new Float32Array(capacity * h),
    hSample: new Float32Array(capacity * h),
    vNeg: new Float32Array(capacity * d),
    grad: new Float32Array(d * h + d + h),
  };
}

/**
 * Seeds a xoshiro128** state from four 32-bit words drawn by `next` (e.g. `() => rng.int(2 ** 32)`);
 * an all-zero state is replaced by a fixed non-zero one.
 *
 * @example
 * ```ts
 * const state = seedXoshiro(() => rng.int(2 ** 32));
 * ```
 */
export function seedXoshiro(next: () => number): Uint32Array {
  const s = new Uint32Array(4);
  for (let i = 0; i < 4; i++) s[i] = next() >>> 0;
  if (((s[0] as number) | (s[1] as number) | (s[2] as number) | (s[3] as number)) === 0) s[0] = 0x9e3779b9;
  return s;
}

/**
 * Next uniform draw in [0, 1) with 24 random bits from a xoshiro128** state (advanced in place).
 *
 * @example
 * ```ts
 * const u = uniform24(state);
 * ```
 */
export function uniform24(s: Uint32Array): number {
  const s0 = s[0] as number;
  const s1 = s[1] as number;
  const s2 = s[2] as number;
  const s3 = s[3] as number;
  const m = Math.imul(s1, 5);
  const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  s[1] = s1 ^ n2;
  s[0] = s0 ^ n3;
  s[2] = n2 ^ t;
  s[3] = (n3 << 11) | (n3 >>> 21);
  return (r >>> 8) * 5.9604644775390625e-8;
}

/** Placeholder generator state for calls that draw nothing. */
const NO_RNG = new Uint32Array(4);

/** Logistic sigmoid, stable in both tails. */
function sigm(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * out (rows × H) = sigmoid(v · W + c): hidden-unit probabilities given visible states.
 */
function hiddenProbs(
  d: number,
  h: number,
  params: Float32Array,
  v: Float32Array,
  vOff: number,
  rows: number,
  out: Float32Array,
): void {
  getBackend().gemmF32(false, false, rows, h, d, 1, v, vOff, d, params, 0, h, 0, out, 0, h);
  const cOff = d * h + d;
  for (let r = 0; r < rows; r++) {
    const o = r * h;
    for (let j = 0; j < h; j++) out[o + j] = sigm((out[o + j] as number) + (params[cOff + j] as number));
  }
}

/**
 * Free energies of `rows` visible vectors (`v[vOff …]`, row stride `d`) into `out[outOff …]` (see the module
 * documentation for the formulas). `pre` is scratch of at least `rows × H`.
 *
 * @example
 * ```ts
 * rbmFreeEnergy(false, d, h, params, v, 0, rows, pre, out, 0);
 * ```
 */
export function rbmFreeEnergy(
  gaussian: boolean,
  d: number,
  h: number,
  params: Float32Array,
  v: Float32Array,
  vOff: number,
  rows: number,
  pre: Float32Array,
  out: Float64Array,
  outOff: number,
): void {
  getBackend().gemmF32(false, false, rows, h, d, 1, v, vOff, d, params, 0, h, 0, pre, 0, h);
  const bOff = d * h;
  const cOff = bOff + d;
  for (let r = 0; r < rows; r++) {
    const o = r * h;
    let sp = 0;
    for (let j = 0; j < h; j++) {
      const x = (pre[o + j] as number) + (params[cOff + j] as number);
      sp += x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
    const vo = vOff + r * d;
    let vis = 0;
    if (gaussian) {
      for (let i = 0; i < d; i++) {
        const e = (v[vo + i] as number) - (params[bOff + i] as number);
        vis += e * e;
      }
      vis *= 0.5;
    } else {
      for (let i = 0; i < d; i++) vis -= (v[vo + i] as number) * (params[bOff + i] as number);
    }
    out[outOff + r] = vis - sp;
  }
}

/**
 * Visible states given hidden states `hs` (rows × H): Bernoulli units are sampled from
 * `sigmoid(hs · Wᵀ + b)`; Gaussian units are `b + hs · Wᵀ` plus standard normal noise (or without noise
 * when `sample` is false, for Bernoulli the probabilities themselves).
 */
function visibleGivenHidden(
  gaussian: boolean,
  d: number,
  h: number,
  params: Float32Array,
  hs: Float32Array,
  rows: number,
  out: Float32Array,
  sample: boolean,
  rng: Uint32Array,
): void {
  getBackend().gemmF32(false, true, rows, d, h, 1, hs, 0, h, params, 0, h, 0, out, 0, d);
  const bOff = d * h;
  const n = rows * d;
  if (gaussian) {
    for (let k = 0; k < n; k++) {
      const i = k % d;
      out[k] = (out[k] as number) + (params[bOff + i] as number);
    }
    if (sample) {
      // Box–Muller, two normals per pair of uniforms.
      for (let k = 0; k < n; k += 2) {
        const u1 = 1 - uniform24(rng);
        const u2 = uniform24(rng);
        const rad = Math.sqrt(-2 * Math.log(u1));
        const th = 6.283185307179586 * u2;
        out[k] = (out[k] as number) + rad * Math.cos(th);
        if (k + 1 < n) out[k + 1] = (out[k + 1] as number) + rad * Math.sin(th);
      }
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) {
      const p = sigm((out[o + i] as number) + (params[bOff + i] as number));
      out[o + i] = sample ? (uniform24(rng) < p ? 1 : 0) : p;
    }
  }
}

/** dst[k] = 1 if a uniform draw < p[k], else 0, for n values. */
function sampleBernoulli(p: Float32Array, dst: Float32Array, n: number, rng: Uint32Array): void {
  for (let k = 0; k < n; k++) dst[k] = uniform24(rng) < (p[k] as number) ? 1 : 0;
}

/**
 * One contrastive-divergence update on a minibatch of `rows` visible vectors.
 *
 * Positive phase: `hPos = p(h | v)`. Negative phase: a Gibbs chain of `k` steps (h → v → h) that starts
 * from a sample of `hPos` (CD-k, `chain` null) or from the persistent hidden states in `chain`
 * (persistent CD; the chain's last hidden samples are written back). The gradient
 * `⟨v hᵀ⟩_data − ⟨v hᵀ⟩_model` (hidden probabilities, sampled negative visibles) is averaged over the batch
 * and applied with momentum and L2 weight decay on W:
 * `vel = momentum·vel + lr·(grad − λ·W)`, `params += vel`.
 *
 * @example
 * ```ts
 * rbmCdStep(false, d, h, params, vel, batch, 0, rows, chain, 1, 0.1, 0.5, 1e-4, rngState, ws);
 * ```
 */
export function rbmCdStep(
  gaussian: boolean,
  d: number,
  h: number,
  params: Float32Array,
  velocity: Float32Array,
  v: Float32Array,
  vOff: number,
  rows: number,
  chain: Float32Array | null,
  k: number,
  lr: number,
  momentum: number,
  weightDecay: number,
  rng: Uint32Array,
  ws: RbmWorkspace,
): void {
  const gemmF32 = getBackend().gemmF32;
  const { hPos, hNeg, vNeg, grad } = ws;
  const nh = rows * h;
  hiddenProbs(d, h, params, v, vOff, rows, hPos);
  let hs: Float32Array;
  if (chain === null) {
    hs = ws.hSample;
    sampleBernoulli(hPos, hs, nh, rng);
  } else {
    hs = chain;
  }
  for (let step = 0; step < k; step++) {
    visibleGivenHidden(gaussian, d, h, params, hs, rows, vNeg, true, rng);
    hiddenProbs(d, h, params, vNeg, 0, rows, hNeg);
    if (step < k - 1 || chain !== null) {
      if (chain === null) sampleBernoulli(hNeg, hs, nh, rng);
      else sampleBernoulli(hNeg, chain, nh, rng);
    }
  }
  const inv = 1 / rows;
  gemmF32(true, false, d, h, rows, inv, v, vOff, d, hPos, 0, h, 0, grad, 0, h);
  gemmF32(true, false, d, h, rows, -inv, vNeg, 0, d, hNeg, 0, h, 1, grad, 0, h);
  const bOff = d * h;
  const cOff = bOff + d;
  for (let i = 0; i < d; i++) grad[bOff + i] = 0;
  for (let j = 0; j < h; j++) grad[cOff + j] = 0;
  for (let r = 0; r < rows; r++) {
    const vo = vOff + r * d;
    const no = r * d;
    for (let i = 0; i < d; i++) {
      grad[bOff + i] = (grad[bOff + i] as number) + (v[vo + i] as number) - (vNeg[no + i] as number);
    }
    const ho = r * h;
    for (let j = 0; j < h; j++) {
      grad[cOff + j] = (grad[cOff + j] as number) + (hPos[ho + j] as number) - (hNeg[ho + j] as number);
    }
  }
  for (let i = bOff; i < cOff + h; i++) grad[i] = (grad[i] as number) * inv;
  for (let i = 0; i < bOff; i++) {
    const vi =
      momentum * (velocity[i] as number) + lr * ((grad[i] as number) - weightDecay * (params[i] as number));
    velocity[i] = vi;
    params[i] = (params[i] as number) + vi;
  }
  for (let i = bOff; i < cOff + h; i++) {
    const vi = momentum * (velocity[i] as number) + lr * (grad[i] as number);
    velocity[i] = vi;
    params[i] = (params[i] as number) + vi;
  }
}

/**
 * Sum over `rows` visible vectors of the squared error of their mean-field reconstruction
 * `E[v | h = p(h | v)]` (a cheap training monitor). Uses `ws.hPos` and `ws.vNeg` as scratch.
 *
 * @example
 * ```ts
 * const sse = rbmReconstructionError(false, d, h, params, v, 0, rows, ws);
 * ```
 */
export function rbmReconstructionError(
  gaussian: boolean,
  d: number,
  h: number,
  params: Float32Array,
  v: Float32Array,
  vOff: number,
  rows: number,
  ws: RbmWorkspace,
): number {
  hiddenProbs(d, h, params, v, vOff, rows, ws.hPos);
  visibleGivenHidden(gaussian, d, h, params, ws.hPos, rows, ws.vNeg, false, NO_RNG);
  let s = 0;
  const n = rows * d;
  for (let k = 0; k < n; k++) {
    const e = (v[vOff + k] as number) - (ws.vNeg[k] as number);
    s += e * e;
  }
  return s;
}

/**
 * The RBM's kernel-level operations as one replaceable set (a WebAssembly backend can provide its own with
 * the same signatures).
 *
 * @example
 * ```ts
 * getRbmKernels().freeEnergy(false, d, h, params, v, 0, rows, pre, out, 0);
 * ```
 */
export interface RbmKernels {
  /** Implementation name. */
  readonly name: string;
  /** See {@link rbmCdStep}. */
  readonly cdStep: typeof rbmCdStep;
  /** See {@link rbmFreeEnergy}. */
  readonly freeEnergy: typeof rbmFreeEnergy;
  /** See {@link rbmReconstructionError}. */
  readonly reconstructionError: typeof rbmReconstructionError;
}

/**
 * The pure TypeScript RBM kernels (the default, and the reference in tests).
 *
 * @example
 * ```ts
 * setRbmKernels(tsRbmKernels);
 * ```
 */
export const tsRbmKernels: RbmKernels = Object.freeze({
  name: 'ts',
  cdStep: rbmCdStep,
  freeEnergy: rbmFreeEnergy,
  reconstructionError: rbmReconstructionError,
});

let currentKernels: RbmKernels = tsRbmKernels;

/**
 * The RBM kernels in use.
 *
 * @example
 * ```ts
 * getRbmKernels().name; // 'ts'
 * ```
 */
export function getRbmKernels(): RbmKernels {
  return currentKernels;
}

/**
 * Installs another implementation of the RBM kernels for the whole process (`'ts'` restores the TypeScript
 * ones).
 *
 * @example
 * ```ts
 * setRbmKernels('ts');
 * ```
 */
export function setRbmKernels(kernels: RbmKernels | 'ts'): void {
  currentKernels = kernels === 'ts' ? tsRbmKernels : kernels;
}
