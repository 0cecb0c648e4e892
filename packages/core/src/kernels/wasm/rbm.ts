import { requireWasmRuntime } from './runtime.js';
import { StagingPlan, stagingSlot } from './staging.js';

/**
 * The part of the RBM kernels' workspace (`RbmWorkspace` of `@nexus/ebm-energies`) that the WebAssembly
 * kernels use: they keep their own scratch and write back only the gradient of the last CD step.
 */
export interface WasmRbmWorkspace {
  /** Gradient of the last {@link wasmRbmCdStep}, in the parameter layout. */
  readonly grad: Float32Array;
}

const stagingFor = stagingSlot();

/**
 * One contrastive-divergence update of a Bernoulli–Bernoulli (or, with `gaussian`, Gaussian–Bernoulli)
 * RBM in WebAssembly: CD-k, or persistent CD when `chain` (rows×h hidden states, updated in place) is
 * given; momentum SGD with weight decay on the weights. Signature and semantics of `rbmCdStep` in
 * `@nexus/ebm-energies` (parameters W (d×h), b (d), c (h) in one Float32Array), including its
 * four interleaved xoshiro128** streams in `rng` (16 words, advanced in place), so `{ name: 'wasm', cdStep: wasmRbmCdStep,
 * freeEnergy: wasmRbmFreeEnergy, reconstructionError: wasmRbmReconstructionError }` is a drop-in
 * `RbmKernels`. Operands are copied into WebAssembly memory and back per call.
 *
 * @example
 * ```ts
 * wasmRbmCdStep(false, d, h, params, velocity, x, 0, 64, null, 1, 0.05, 0.5, 1e-4, rngState, ws);
 * ```
 */
export function wasmRbmCdStep(
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
  ws: WasmRbmWorkspace,
): void {
  if (rng.length < 16) {
    throw new RangeError(
      `wasmRbmCdStep: the generator state must have 16 words (got ${rng.length}; see seedXoshiro)`,
    );
  }
  const rt = requireWasmRuntime();
  const np = d * h + d + h;
  const nh = rows * h;
  const plan = new StagingPlan();
  const oP = plan.take(4 * np);
  const oVel = plan.take(4 * np);
  const oV = plan.take(4 * rows * d);
  const oChain = chain === null ? 0 : plan.take(4 * nh);
  const oRng = plan.take(64);
  const oHPos = plan.take(4 * nh);
  const oHNeg = plan.take(4 * nh);
  const oHS = plan.take(4 * nh);
  const oVNeg = plan.take(4 * rows * d);
  const oG = plan.take(4 * np);
  const base = stagingFor(rt).ensure(plan.bytes);
  const f32 = rt.heap.f32();
  const at = (o: number): number => (base + o) >> 2;
  f32.set(params.subarray(0, np), at(oP));
  f32.set(velocity.subarray(0, np), at(oVel));
  f32.set(v.subarray(vOff, vOff + rows * d), at(oV));
  if (chain !== null) f32.set(chain.subarray(0, nh), at(oChain));
  new Uint32Array(rt.heap.memory.buffer, base + oRng, 16).set(rng.subarray(0, 16));
  rt.exports.rbmCdStep(
    gaussian ? 1 : 0,
    d,
    h,
    base + oP,
    base + oVel,
    base + oV,
    rows,
    chain === null ? 0 : base + oChain,
    k,
    lr,
    momentum,
    weightDecay,
    base + oRng,
    base + oHPos,
    base + oHNeg,
    base + oHS,
    base + oVNeg,
    base + oG,
  );
  const out = rt.heap.f32();
  params.set(out.subarray(at(oP), at(oP) + np));
  velocity.set(out.subarray(at(oVel), at(oVel) + np));
  ws.grad.set(out.subarray(at(oG), at(oG) + np));
  if (chain !== null) chain.set(out.subarray(at(oChain), at(oChain) + nh));
  rng.set(new Uint32Array(rt.heap.memory.buffer, base + oRng, 16));
}

/**
 * Free energy of `rows` rows (`v[vOff …]`, row stride d) into `out[outOff + r]`, in WebAssembly:
 * visible term (−b·v, or ½‖v − b‖² for Gaussian units) − Σ_j softplus((v·W)_j + c_j). Signature of
 * `rbmFreeEnergy` in `@nexus/ebm-energies`; the scratch argument is not used.
 *
 * @example
 * ```ts
 * wasmRbmFreeEnergy(false, d, h, params, x, 0, rows, pre, out, 0);
 * ```
 */
export function wasmRbmFreeEnergy(
  gaussian: boolean,
  d: number,
  h: number,
  params: Float32Array,
  v: Float32Array,
  vOff: number,
  rows: number,
  _scratch: Float32Array | Float64Array,
  out: Float64Array,
  outOff: number,
): void {
  if (rows <= 0) return;
  const rt = requireWasmRuntime();
  const np = d * h + d + h;
  const plan = new StagingPlan();
  const oP = plan.take(4 * np);
  const oV = plan.take(4 * rows * d);
  const oPre = plan.take(4 * rows * h);
  const oOut = plan.take(8 * rows);
  const base = stagingFor(rt).ensure(plan.bytes);
  const f32 = rt.heap.f32();
  f32.set(params.subarray(0, np), (base + oP) >> 2);
  f32.set(v.subarray(vOff, vOff + rows * d), (base + oV) >> 2);
  rt.exports.rbmFreeEnergy(gaussian ? 1 : 0, d, h, base + oP, base + oV, rows, base + oPre, base + oOut);
  const o = (base + oOut) >> 3;
  out.set(rt.heap.f64().subarray(o, o + rows), outOff);
}

/**
 * Mean-field reconstruction error Σ (v − E[v | E[h | v]])² of `rows` rows, in WebAssembly. Signature of
 * `rbmReconstructionError` in `@nexus/ebm-energies`; `ws` is not written.
 *
 * @example
 * ```ts
 * const sse = wasmRbmReconstructionError(false, d, h, params, x, 0, rows, ws);
 * ```
 */
export function wasmRbmReconstructionError(
  gaussian: boolean,
  d: number,
  h: number,
  params: Float32Array,
  v: Float32Array,
  vOff: number,
  rows: number,
  _ws: WasmRbmWorkspace | object,
): number {
  if (rows <= 0) return 0;
  const rt = requireWasmRuntime();
  const np = d * h + d + h;
  const plan = new StagingPlan();
  const oP = plan.take(4 * np);
  const oV = plan.take(4 * rows * d);
  const oH = plan.take(4 * rows * h);
  const oVN = plan.take(4 * rows * d);
  const base = stagingFor(rt).ensure(plan.bytes);
  const f32 = rt.heap.f32();
  f32.set(params.subarray(0, np), (base + oP) >> 2);
  f32.set(v.subarray(vOff, vOff + rows * d), (base + oV) >> 2);
  return rt.exports.rbmReconstructionError(
    gaussian ? 1 : 0,
    d,
    h,
    base + oP,
    base + oV,
    rows,
    base + oH,
    base + oVN,
  );
}
