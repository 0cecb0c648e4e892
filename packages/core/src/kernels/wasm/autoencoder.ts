import { requireWasmRuntime, type WasmRuntime } from './runtime.js';
import { StagingPlan, stagingSlot } from './staging.js';

/**
 * The network description the fused autoencoder kernels read; structurally the `AeLayout` of
 * `@nexus/ebm-energies` (layer widths, activation codes 0 linear · 1 ReLU · 2 leaky ReLU · 3 tanh ·
 * 4 sigmoid, and where each layer's weights `W_l` (`sizes[l] × sizes[l+1]`) and bias live in the flat
 * parameter vector).
 */
export interface WasmAeLayout {
  readonly sizes: Int32Array;
  readonly acts: Uint8Array;
  readonly leak: number;
  readonly wOff: Int32Array;
  readonly bOff: Int32Array;
  readonly nParams: number;
}

/**
 * Scratch buffers of the autoencoder kernels (structurally `AeWorkspace` of `@nexus/ebm-energies`). The
 * WebAssembly kernels keep their own scratch; from this they read only `mask` (dropout) and `actOff`.
 */
export interface WasmAeWorkspace {
  readonly capacity: number;
  readonly act: Float32Array;
  readonly actOff: Int32Array;
  readonly mask: Float32Array;
  readonly deltaA: Float32Array;
  readonly deltaB: Float32Array;
}

/**
 * Optimiser hyperparameters of one step (structurally `AeStepHyper` of `@nexus/ebm-energies`).
 */
export interface WasmAeHyper {
  readonly optimizer: 'adam' | 'sgd';
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly clipNorm: number;
}

const stagingFor = stagingSlot();

/**
 * Writes the i32 descriptor the fused autoencoder kernels read (L, sizes, activation codes, wOff, bOff, and
 * the activation offsets of `rows` rows per layer) at byte `at`: `1 + (L + 1) + 4·L` values.
 *
 * @example
 * ```ts
 * writeDesc(rt, desc.ptr, layout, capacity);
 * ```
 */
export function writeDesc(rt: WasmRuntime, at: number, layout: WasmAeLayout, rows: number): void {
  const L = layout.sizes.length - 1;
  const mem = new Int32Array(rt.heap.memory.buffer, at, 1 + (L + 1) + 4 * L);
  mem[0] = L;
  mem.set(layout.sizes, 1);
  let k = L + 2;
  for (let l = 0; l < L; l++) mem[k + l] = layout.acts[l] as number;
  k += L;
  mem.set(layout.wOff.subarray(0, L), k);
  k += L;
  mem.set(layout.bOff.subarray(0, L), k);
  k += L;
  let off = 0;
  for (let l = 0; l < L; l++) {
    mem[k + l] = off;
    off += rows * (layout.sizes[l + 1] as number);
  }
}

function activationElements(layout: WasmAeLayout, rows: number): number {
  let total = 0;
  for (let l = 1; l < layout.sizes.length; l++) total += rows * (layout.sizes[l] as number);
  return total;
}

/**
 * One whole autoencoder training step in WebAssembly: forward pass, hand-written backward pass (loss
 * `(1/(rows·d)) Σ (y − target)² + (λ/2)‖W‖²`), optional gradient clipping and the Adam or SGD update at
 * step `t` — with the signature and semantics of `aeTrainStep` in `@nexus/ebm-energies`, so
 * `{ name: 'wasm', trainStep: wasmAeTrainStep, scoreBatch: wasmAeScoreBatch }` is a drop-in
 * `AutoencoderKernels`. The parameters, gradients and optimiser moments are copied into WebAssembly
 * memory and back on every call (about 7 × 4·nParams bytes, small beside the step's arithmetic); the
 * matrix products run in the f32x4 GEMM, losses and optimiser arithmetic in Float64 as in TypeScript.
 * `ws` is read only for the dropout masks; its activation buffers are not written. Returns the
 * minibatch's reconstruction loss before the update.
 *
 * @example
 * ```ts
 * const loss = wasmAeTrainStep(layout, params, grads, m, v, hyper, 1, xb, 0, xb, 0, 256, ws, false);
 * ```
 */
export function wasmAeTrainStep(
  layout: WasmAeLayout,
  params: Float32Array,
  grads: Float32Array,
  m: Float32Array,
  v: Float32Array,
  hyper: WasmAeHyper,
  t: number,
  x: Float32Array,
  xOff: number,
  target: Float32Array,
  tOff: number,
  rows: number,
  ws: WasmAeWorkspace,
  dropout: boolean,
): number {
  const rt = requireWasmRuntime();
  const ex = rt.exports;
  const L = layout.sizes.length - 1;
  const d0 = layout.sizes[0] as number;
  const dL = layout.sizes[L] as number;
  const np = layout.nParams;
  let widest = 0;
  for (let l = 0; l <= L; l++) widest = Math.max(widest, layout.sizes[l] as number);
  const sameTarget = target === x && tOff === xOff && d0 === dL;
  const nAct = activationElements(layout, rows);

  const plan = new StagingPlan();
  const oDesc = plan.take(4 * (1 + (L + 1) + 4 * L));
  const oP = plan.take(4 * np);
  const oG = plan.take(4 * np);
  const oM = plan.take(4 * np);
  const oV = plan.take(4 * np);
  const oX = plan.take(4 * rows * d0);
  const oT = sameTarget ? oX : plan.take(4 * rows * dL);
  const oAct = plan.take(4 * nAct);
  const oMask = dropout ? plan.take(4 * nAct) : 0;
  const oDA = plan.take(4 * rows * widest);
  const oDB = plan.take(4 * rows * widest);
  const base = stagingFor(rt).ensure(plan.bytes);

  writeDesc(rt, base + oDesc, layout, rows);
  const f32 = rt.heap.f32();
  const at = (o: number): number => (base + o) >> 2;
  f32.set(params.subarray(0, np), at(oP));
  f32.set(m.subarray(0, np), at(oM));
  f32.set(v.subarray(0, np), at(oV));
  f32.set(x.subarray(xOff, xOff + rows * d0), at(oX));
  if (!sameTarget) f32.set(target.subarray(tOff, tOff + rows * dL), at(oT));
  if (dropout) {
    // Hidden layers' masks, from the workspace's capacity-based offsets to the compact ones.
    let off = 0;
    for (let l = 0; l < L; l++) {
      const cnt = rows * (layout.sizes[l + 1] as number);
      if (l < L - 1) {
        const src = ws.actOff[l] as number;
        f32.set(ws.mask.subarray(src, src + cnt), at(oMask) + off);
      }
      off += cnt;
    }
  }
  const P = base + oP;
  const G = base + oG;
  const loss = ex.aeGradients(
    base + oDesc,
    P,
    G,
    base + oX,
    base + oT,
    rows,
    base + oAct,
    dropout ? base + oMask : 0,
    base + oDA,
    base + oDB,
    dropout ? 1 : 0,
    layout.leak,
    hyper.weightDecay,
  );
  if (hyper.clipNorm > 0) ex.clipGradients(G, np, hyper.clipNorm);
  if (hyper.optimizer === 'adam') {
    const bc1 = 1 - hyper.beta1 ** t;
    const bc2 = 1 - hyper.beta2 ** t;
    const step = (hyper.learningRate * Math.sqrt(bc2)) / bc1;
    const epsHat = hyper.epsilon * Math.sqrt(bc2);
    ex.adamUpdate(P, G, base + oM, base + oV, np, step, hyper.beta1, hyper.beta2, epsHat);
  } else {
    ex.sgdUpdate(P, G, base + oM, np, hyper.learningRate, hyper.momentum);
  }
  const out = rt.heap.f32();
  params.set(out.subarray(at(oP), at(oP) + np));
  grads.set(out.subarray(at(oG), at(oG) + np));
  m.set(out.subarray(at(oM), at(oM) + np));
  if (hyper.optimizer === 'adam') v.set(out.subarray(at(oV), at(oV) + np));
  return loss;
}

/**
 * Scores `rows` rows in WebAssembly: each row's mean squared reconstruction error into `out[outOff + r]`
 * and, when `contrib` is given, the per-feature terms `(x_j − y_j)²/d` into `contrib[cOff + r·d + j]`
 * (summed left to right they equal the energy bit for bit). Signature and semantics of `aeScoreBatch`
 * in `@nexus/ebm-energies`; `ws` is not written.
 *
 * @example
 * ```ts
 * wasmAeScoreBatch(layout, params, x, 0, rows, ws, energies, 0, null, 0);
 * ```
 */
export function wasmAeScoreBatch(
  layout: WasmAeLayout,
  params: Float32Array,
  x: Float32Array,
  xOff: number,
  rows: number,
  _ws: WasmAeWorkspace,
  out: Float64Array,
  outOff: number,
  contrib: Float64Array | null,
  cOff: number,
): void {
  if (rows <= 0) return;
  const rt = requireWasmRuntime();
  const L = layout.sizes.length - 1;
  const d = layout.sizes[0] as number;
  const np = layout.nParams;
  const plan = new StagingPlan();
  const oDesc = plan.take(4 * (1 + (L + 1) + 4 * L));
  const oP = plan.take(4 * np);
  const oX = plan.take(4 * rows * d);
  const oAct = plan.take(4 * activationElements(layout, rows));
  const oOut = plan.take(8 * rows);
  const oC = contrib === null ? 0 : plan.take(8 * rows * d);
  const base = stagingFor(rt).ensure(plan.bytes);
  writeDesc(rt, base + oDesc, layout, rows);
  const f32 = rt.heap.f32();
  f32.set(params.subarray(0, np), (base + oP) >> 2);
  f32.set(x.subarray(xOff, xOff + rows * d), (base + oX) >> 2);
  rt.exports.aeScoreBatch(
    base + oDesc,
    base + oP,
    base + oX,
    rows,
    base + oAct,
    layout.leak,
    base + oOut,
    contrib === null ? 0 : base + oC,
  );
  const f64 = rt.heap.f64();
  out.set(f64.subarray((base + oOut) >> 3, ((base + oOut) >> 3) + rows), outOff);
  if (contrib !== null) contrib.set(f64.subarray((base + oC) >> 3, ((base + oC) >> 3) + rows * d), cOff);
}
