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
import { packPanels, packRows, tile4x4 } from '@nexus/ebm-core/kernels';
import { wasmRbmCdStep, wasmRbmFreeEnergy, wasmRbmReconstructionError } from '@nexus/ebm-core/wasm';

/**
 * Length of the packed-weights scratch of the RBM kernels: `W` in 4-column panels (the right-hand side of
 * `v·W`) followed by `Wᵀ` in 4-column panels (the right-hand side of `h·Wᵀ`), in 64-bit floats.
 *
 * @example
 * ```ts
 * const packed = new Float64Array(rbmPackedSize(64, 32));
 * ```
 */
export function rbmPackedSize(d: number, h: number): number {
  return 4 * Math.ceil(h / 4) * d + 4 * Math.ceil(d / 4) * h;
}

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
  /** Packed weights (see {@link rbmPackedSize}). */
  readonly packed: Float64Array;
  /** Data rows then negative-phase visible states, stacked (`2·capacity × d`). */
  readonly vStack: Float32Array;
  /** Positive-phase hidden probabilities then negated negative-phase ones, stacked (`2·capacity × H`). */
  readonly hStack: Float32Array;
  /** Hidden samples driving the chain in CD (`capacity × H`). */
  readonly hSample: Float32Array;
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
    packed: new Float64Array(rbmPackedSize(d, h)),
    vStack: new Float32Array(2 * capacity * d),
    hStack: new Float32Array(2 * capacity * h),
    hSample: new Float32Array(capacity * h),
    grad: new Float32Array(d * h + d + h),
  };
}

/**
 * Seeds the RBM kernels' generator: four independent xoshiro128** streams (16 32-bit words, stored
 * word-major — word w of lane l at index `4·w + l`) from 16 words drawn by `next` (e.g.
 * `() => rng.int(2 ** 32)`); a lane whose four words are all zero gets a fixed non-zero word. Bernoulli
 * sampling draws value k from lane `k mod 4` (four streams interleave, so WebAssembly advances them as
 * one `i32x4` and TypeScript overlaps their dependency chains); {@link uniform24} draws from lane 0.
 *
 * @example
 * ```ts
 * const state = seedXoshiro(() => rng.int(2 ** 32)); // Uint32Array(16)
 * ```
 */
export function seedXoshiro(next: () => number): Uint32Array {
  const s = new Uint32Array(16);
  for (let i = 0; i < 16; i++) s[i] = next() >>> 0;
  for (let l = 0; l < 4; l++) {
    if (((s[l] as number) | (s[4 + l] as number) | (s[8 + l] as number) | (s[12 + l] as number)) === 0) {
      s[l] = 0x9e3779b9;
    }
  }
  return s;
}

/**
 * Next uniform draw in [0, 1) with 24 random bits from lane 0 of a {@link seedXoshiro} state (advanced in
 * place; words 0, 4, 8 and 12).
 *
 * @example
 * ```ts
 * const u = uniform24(state);
 * ```
 */
export function uniform24(s: Uint32Array): number {
  const s0 = s[0] as number;
  const s1 = s[4] as number;
  const s2 = s[8] as number;
  const s3 = s[12] as number;
  const m = Math.imul(s1, 5);
  const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  s[4] = s1 ^ n2;
  s[0] = s0 ^ n3;
  s[8] = n2 ^ t;
  s[12] = (n3 << 11) | (n3 >>> 21);
  return (r >>> 8) * 5.9604644775390625e-8;
}

/**
 * dst[dOff + k] = 1 if a uniform draw < p[pOff + k], else 0, for k < n. Draw k comes from lane `k mod 4` of
 * the {@link seedXoshiro} state; every block of four values advances all four lanes once (a last partial
 * block too), as the WebAssembly kernel does with one `i32x4`. The lanes' states are kept in locals for
 * the loop and written back. The comparison's 0/1 is stored with no branch (a branch on a coin flip
 * mispredicts half the time).
 */
function sampleBernoulli(
  p: Float32Array,
  pOff: number,
  dst: Float32Array,
  dOff: number,
  n: number,
  s: Uint32Array,
): void {
  let a0 = s[0] as number;
  let b0 = s[1] as number;
  let c0 = s[2] as number;
  let d0 = s[3] as number;
  let a1 = s[4] as number;
  let b1 = s[5] as number;
  let c1 = s[6] as number;
  let d1 = s[7] as number;
  let a2 = s[8] as number;
  let b2 = s[9] as number;
  let c2 = s[10] as number;
  let d2 = s[11] as number;
  let a3 = s[12] as number;
  let b3 = s[13] as number;
  let c3 = s[14] as number;
  let d3 = s[15] as number;
  const U = 5.9604644775390625e-8;
  for (let k = 0; k < n; k += 4) {
    // aW, bW, cW, dW: word W of lanes 0, 1, 2, 3
    const ma = Math.imul(a1, 5);
    const ra = Math.imul((ma << 7) | (ma >>> 25), 9) >>> 0;
    const mb = Math.imul(b1, 5);
    const rb = Math.imul((mb << 7) | (mb >>> 25), 9) >>> 0;
    const mc = Math.imul(c1, 5);
    const rc = Math.imul((mc << 7) | (mc >>> 25), 9) >>> 0;
    const md = Math.imul(d1, 5);
    const rd = Math.imul((md << 7) | (md >>> 25), 9) >>> 0;
    const ta = a1 << 9;
    const tb = b1 << 9;
    const tc = c1 << 9;
    const td = d1 << 9;
    const a2n = a2 ^ a0;
    const b2n = b2 ^ b0;
    const c2n = c2 ^ c0;
    const d2n = d2 ^ d0;
    const a3n = a3 ^ a1;
    const b3n = b3 ^ b1;
    const c3n = c3 ^ c1;
    const d3n = d3 ^ d1;
    a1 ^= a2n;
    b1 ^= b2n;
    c1 ^= c2n;
    d1 ^= d2n;
    a0 ^= a3n;
    b0 ^= b3n;
    c0 ^= c3n;
    d0 ^= d3n;
    a2 = a2n ^ ta;
    b2 = b2n ^ tb;
    c2 = c2n ^ tc;
    d2 = d2n ^ td;
    a3 = (a3n << 11) | (a3n >>> 21);
    b3 = (b3n << 11) | (b3n >>> 21);
    c3 = (c3n << 11) | (c3n >>> 21);
    d3 = (d3n << 11) | (d3n >>> 21);
    const o = dOff + k;
    const q = pOff + k;
    dst[o] = +((ra >>> 8) * U < (p[q] as number));
    if (k + 3 < n) {
      dst[o + 1] = +((rb >>> 8) * U < (p[q + 1] as number));
      dst[o + 2] = +((rc >>> 8) * U < (p[q + 2] as number));
      dst[o + 3] = +((rd >>> 8) * U < (p[q + 3] as number));
    } else {
      if (k + 1 < n) dst[o + 1] = +((rb >>> 8) * U < (p[q + 1] as number));
      if (k + 2 < n) dst[o + 2] = +((rc >>> 8) * U < (p[q + 2] as number));
    }
  }
  s[0] = a0;
  s[1] = b0;
  s[2] = c0;
  s[3] = d0;
  s[4] = a1;
  s[5] = b1;
  s[6] = c1;
  s[7] = d1;
  s[8] = a2;
  s[9] = b2;
  s[10] = c2;
  s[11] = d2;
  s[12] = a3;
  s[13] = b3;
  s[14] = c3;
  s[15] = d3;
}

/** Adds standard normal noise (Box–Muller on {@link uniform24} draws) to n values from `off`. */
function addGaussianNoise(out: Float32Array, off: number, n: number, rng: Uint32Array): void {
  for (let k = 0; k < n; k += 2) {
    const u1 = 1 - uniform24(rng);
    const u2 = uniform24(rng);
    const rad = Math.sqrt(-2 * Math.log(u1));
    const th = 6.283185307179586 * u2;
    out[off + k] = (out[off + k] as number) + rad * Math.cos(th);
    if (k + 1 < n) out[off + k + 1] = (out[off + k + 1] as number) + rad * Math.sin(th);
  }
}

/** Packs W (for v·W) and Wᵀ (for h·Wᵀ) into `packed`. */
function packWeights(d: number, h: number, params: Float32Array, packed: Float64Array): void {
  packPanels(1, params, 0, h, 1, d, h, packed, 0);
  packPanels(1, params, 0, 1, h, h, d, packed, 4 * Math.ceil(h / 4) * d);
}

/** Placeholder generator state for calls that draw nothing. */
const NO_RNG = new Uint32Array(4);

/** Logistic sigmoid, stable in both tails. */
function sigm(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** What {@link affine} does with each `z = bias_j + (x·B)_{rj}`. */
const STORE_RAW = 0;
const STORE_SIGMOID = 1;
const SUM_SOFTPLUS = 2;

/** The register block's tile. */
const tile = new Float64Array(16);

/**
 * For `rows` rows of x (row stride k, from `xOff`) and the packed k×n matrix B at `bp[bOff …]`, computes
 * `z = bias[biasOff + j] + Σ_p x[r][p]·B[p][j]` with the 4×4 register block of the core kernels
 * ({@link tile4x4}, strips of four rows, the last one zero-padded) and, by `mode`, stores z or sigmoid(z)
 * to `out[outOff + r·n + j]` (a Float32Array), or adds softplus(z) to `sums[sOff + r]`. Each row's value
 * depends only on that row.
 */
function affine(
  rows: number,
  k: number,
  n: number,
  x: Float32Array,
  xOff: number,
  bp: Float64Array,
  bOff: number,
  bias: Float32Array,
  biasOff: number,
  mode: number,
  out: Float32Array,
  outOff: number,
  sums: Float64Array,
  sOff: number,
): void {
  const t = tile;
  for (let r = 0; r < rows; r += 4) {
    const mr = Math.min(rows - r, 4);
    const a = packRows(x, xOff + r * k, mr, k);
    // Σ_j softplus(z_j) = Σ_j max(z_j, 0) + log Π_j (1 + e^(−|z_j|)): one log per row instead of one per
    // unit; every factor is in (1, 2], and the product is folded into the log sum before it can overflow.
    let sp0 = 0;
    let sp1 = 0;
    let sp2 = 0;
    let sp3 = 0;
    let pr0 = 1;
    let pr1 = 1;
    let pr2 = 1;
    let pr3 = 1;
    for (let jb = 0; jb < n; jb += 4) {
      tile4x4(k, a, 0, bp, bOff + jb * k, t);
      const nc = Math.min(n - jb, 4);
      for (let c = 0; c < nc; c++) {
        const bj = bias[biasOff + jb + c] as number;
        const z0 = bj + (t[c] as number);
        const z1 = bj + (t[4 + c] as number);
        const z2 = bj + (t[8 + c] as number);
        const z3 = bj + (t[12 + c] as number);
        if (mode === SUM_SOFTPLUS) {
          sp0 += Math.max(z0, 0);
          sp1 += Math.max(z1, 0);
          sp2 += Math.max(z2, 0);
          sp3 += Math.max(z3, 0);
          pr0 *= 1 + Math.exp(-Math.abs(z0));
          pr1 *= 1 + Math.exp(-Math.abs(z1));
          pr2 *= 1 + Math.exp(-Math.abs(z2));
          pr3 *= 1 + Math.exp(-Math.abs(z3));
        } else {
          const o = outOff + r * n + jb + c;
          out[o] = mode === STORE_SIGMOID ? sigm(z0) : z0;
          if (mr > 1) out[o + n] = mode === STORE_SIGMOID ? sigm(z1) : z1;
          if (mr > 2) out[o + 2 * n] = mode === STORE_SIGMOID ? sigm(z2) : z2;
          if (mr > 3) out[o + 3 * n] = mode === STORE_SIGMOID ? sigm(z3) : z3;
        }
      }
      // Each row folds on its own, so a row's value never depends on its neighbours.
      if (pr0 > 1e200) {
        sp0 += Math.log(pr0);
        pr0 = 1;
      }
      if (pr1 > 1e200) {
        sp1 += Math.log(pr1);
        pr1 = 1;
      }
      if (pr2 > 1e200) {
        sp2 += Math.log(pr2);
        pr2 = 1;
      }
      if (pr3 > 1e200) {
        sp3 += Math.log(pr3);
        pr3 = 1;
      }
    }
    if (mode === SUM_SOFTPLUS) {
      sums[sOff + r] = (sums[sOff + r] as number) + sp0 + Math.log(pr0);
      if (mr > 1) sums[sOff + r + 1] = (sums[sOff + r + 1] as number) + sp1 + Math.log(pr1);
      if (mr > 2) sums[sOff + r + 2] = (sums[sOff + r + 2] as number) + sp2 + Math.log(pr2);
      if (mr > 3) sums[sOff + r + 3] = (sums[sOff + r + 3] as number) + sp3 + Math.log(pr3);
    }
  }
}

/**
 * Free energies of `rows` visible vectors (`v[vOff …]`, row stride `d`) into `out[outOff …]` (see the module
 * documentation for the formulas). `packed` is scratch of {@link rbmPackedSize} elements. Each row's value
 * depends only on that row (the same operations in the same order whatever the batch).
 *
 * @example
 * ```ts
 * rbmFreeEnergy(false, d, h, params, v, 0, rows, new Float64Array(rbmPackedSize(d, h)), out, 0);
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
  packed: Float64Array,
  out: Float64Array,
  outOff: number,
): void {
  packPanels(1, params, 0, h, 1, d, h, packed, 0);
  const bOff = d * h;
  const cOff = bOff + d;
  for (let r = 0; r < rows; r++) out[outOff + r] = 0;
  affine(rows, d, h, v, vOff, packed, 0, params, cOff, SUM_SOFTPLUS, params, 0, out, outOff);
  for (let r = 0; r < rows; r++) {
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
    out[outOff + r] = vis - (out[outOff + r] as number);
  }
}

/** Placeholder for `affine` calls that do not sum. */
const NO_SUMS = new Float64Array(0);

/**
 * Visible states given hidden states (`hs[hOff …]`, rows × H) into `out[outOff …]`: Bernoulli units are
 * sampled from `sigmoid(hs·Wᵀ + b)` (or left as probabilities when `sample` is false); Gaussian units are
 * `b + hs·Wᵀ`, plus standard normal noise when `sample` is true. Needs W packed by `packWeights`.
 */
function visibleGivenHidden(
  gaussian: boolean,
  d: number,
  h: number,
  params: Float32Array,
  packed: Float64Array,
  hs: Float32Array,
  hOff: number,
  rows: number,
  out: Float32Array,
  outOff: number,
  sample: boolean,
  rng: Uint32Array,
): void {
  const wtOff = 4 * Math.ceil(h / 4) * d;
  const mode = gaussian ? STORE_RAW : STORE_SIGMOID;
  affine(rows, h, d, hs, hOff, packed, wtOff, params, d * h, mode, out, outOff, NO_SUMS, 0);
  if (!sample) return;
  if (gaussian) addGaussianNoise(out, outOff, rows * d, rng);
  else sampleBernoulli(out, outOff, out, outOff, rows * d, rng);
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
  const { packed, vStack, hStack, grad } = ws;
  const bOff = d * h;
  const cOff = bOff + d;
  const nh = rows * h;
  const negV = rows * d; // offset of the negative-phase visibles in vStack
  const negH = nh; // offset of the negative-phase hidden probabilities in hStack
  packWeights(d, h, params, packed);
  for (let i = 0; i < rows * d; i++) vStack[i] = v[vOff + i] as number;
  // Positive phase: hPos = sigmoid(v·W + c).
  affine(rows, d, h, vStack, 0, packed, 0, params, cOff, STORE_SIGMOID, hStack, 0, NO_SUMS, 0);
  let hs: Float32Array;
  if (chain === null) {
    hs = ws.hSample;
    sampleBernoulli(hStack, 0, hs, 0, nh, rng);
  } else {
    hs = chain;
  }
  for (let step = 0; step < k; step++) {
    visibleGivenHidden(gaussian, d, h, params, packed, hs, 0, rows, vStack, negV, true, rng);
    affine(rows, d, h, vStack, negV, packed, 0, params, cOff, STORE_SIGMOID, hStack, negH, NO_SUMS, 0);
    if (step < k - 1 || chain !== null) sampleBernoulli(hStack, negH, hs, 0, nh, rng);
  }
  // Bias gradients, then negate the negative phase so that one product gives the weight gradient:
  // [v; vNeg]ᵀ · [hPos; −hNeg] = vᵀhPos − vNegᵀhNeg.
  const inv = 1 / rows;
  for (let i = 0; i < d; i++) grad[bOff + i] = 0;
  for (let j = 0; j < h; j++) grad[cOff + j] = 0;
  for (let r = 0; r < rows; r++) {
    const po = r * d;
    const no = negV + po;
    for (let i = 0; i < d; i++) {
      grad[bOff + i] = (grad[bOff + i] as number) + (vStack[po + i] as number) - (vStack[no + i] as number);
    }
    const ho = r * h;
    const hn = negH + ho;
    for (let j = 0; j < h; j++) {
      const neg = hStack[hn + j] as number;
      grad[cOff + j] = (grad[cOff + j] as number) + (hStack[ho + j] as number) - neg;
      hStack[hn + j] = -neg;
    }
  }
  getBackend().gemmF32(true, false, d, h, 2 * rows, inv, vStack, 0, d, hStack, 0, h, 0, grad, 0, h);
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
 * `E[v | h = p(h | v)]` (a cheap training monitor). Uses the workspace as scratch.
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
  const { packed, hStack, vStack } = ws;
  packWeights(d, h, params, packed);
  affine(rows, d, h, v, vOff, packed, 0, params, d * h + d, STORE_SIGMOID, hStack, 0, NO_SUMS, 0);
  visibleGivenHidden(gaussian, d, h, params, packed, hStack, 0, rows, vStack, 0, false, NO_RNG);
  let s = 0;
  const n = rows * d;
  for (let q = 0; q < n; q++) {
    const e = (v[vOff + q] as number) - (vStack[q] as number);
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
 * getRbmKernels().freeEnergy(false, d, h, params, v, 0, rows, packed, out, 0);
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
 * The pure TypeScript RBM kernels (the reference in tests, and the default with the TypeScript kernel
 * backend).
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

/**
 * The WebAssembly SIMD RBM kernels (`wasmRbmCdStep`, `wasmRbmFreeEnergy`, `wasmRbmReconstructionError` of
 * `@nexus/ebm-core`): the default while the kernel backend is the WebAssembly one. Only usable where
 * WebAssembly SIMD is available (`getWasmBackend()` is defined).
 *
 * @example
 * ```ts
 * if (getWasmBackend()) setRbmKernels(wasmRbmKernels);
 * ```
 */
export const wasmRbmKernels: RbmKernels = Object.freeze({
  name: 'wasm',
  cdStep: wasmRbmCdStep,
  freeEnergy: wasmRbmFreeEnergy,
  reconstructionError: wasmRbmReconstructionError,
});

let installed: RbmKernels | undefined;

/**
 * The RBM kernels in use: those installed with {@link setRbmKernels}, else the ones that follow the kernel
 * backend ({@link wasmRbmKernels} when `getBackend().name` is `'wasm'`, {@link tsRbmKernels} otherwise).
 *
 * @example
 * ```ts
 * getRbmKernels().name; // 'wasm' in Node 20+, 'ts' under EBM_BACKEND=ts
 * ```
 */
export function getRbmKernels(): RbmKernels {
  if (installed !== undefined) return installed;
  return getBackend().name === 'wasm' ? wasmRbmKernels : tsRbmKernels;
}

/**
 * Installs an implementation of the RBM kernels for the whole process: a kernel set, `'ts'` for the
 * TypeScript ones whatever the backend, or `'auto'` (the default) to follow the kernel backend.
 *
 * @example
 * ```ts
 * setRbmKernels('ts');
 * setRbmKernels('auto');
 * ```
 */
export function setRbmKernels(kernels: RbmKernels | 'ts' | 'auto'): void {
  installed = kernels === 'auto' ? undefined : kernels === 'ts' ? tsRbmKernels : kernels;
}
