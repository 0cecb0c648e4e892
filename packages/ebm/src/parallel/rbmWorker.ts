/**
 * The RBM part of the training worker ({@link trainRbmParallel}): data-parallel contrastive divergence.
 *
 * Worker 0 (the coordinator) owns the seeded generator and runs `RBM.fit`'s schedule (`RbmSchedule`:
 * initial weights, one xoshiro128** sampler state per worker, one shuffle per epoch). For each minibatch, every worker runs the positive phase, its
 * Gibbs chain (CD-k from its own rows, or PCD from its rows of the persistent chain) and its slice's
 * gradient with the RBM kernels (`cdStep` at learning rate 0 and momentum 0 on a private copy of the
 * parameters, which leaves the slice's gradient in the workspace), sampling from its own xoshiro128**
 * state. After a barrier each worker sums its range of the parameters over the slots in worker order
 * (weights = slice rows / batch rows) and applies the momentum update of `rbmCdStep` (weight decay on the
 * weights only) to that range. With one worker this is exactly `RBM.fit`.
 *
 * @module
 */
import { AbortError, Rng } from '@nexus/ebm-core';
import { getWasmRuntime, ResidentRows, WasmF32Buffer } from '@nexus/ebm-core/wasm';
import {
  getRbmKernels,
  planRbm,
  RbmSchedule,
  type RbmWorkspace,
  rbmWorkspace,
  reconstructionDivergedError,
} from '@nexus/ebm-energies/training';
import { Barrier, errMessage, errName, helperLoop, type Owned, own, partOf, reduceRange } from './sync.js';
import { CMD, CTRL, type RbmWorkerData, type TrainWorkerMessage } from './trainProtocol.js';
import { followKernels } from './workers.js';

/**
 * The slice gradient with the WebAssembly kernels, on buffers that stay resident for the whole fit: the
 * module's `rbmCdStep` at learning rate 0 and momentum 0 (the same call `wasmRbmCdStep` makes, without
 * its per-call staging), the sampler state resident after the first call, the slice's rows gathered by
 * the module's `gatherRowsF32` from a resident copy of the data (unless it is large), its rows of the
 * persistent chain copied in and out. Returns `(a, s, r, sampler)`: rows `order[a + s …]`, `r` of them.
 */
function wasmSliceGradient(
  cfg: RbmWorkerData,
  capacity: number,
  slot: Float32Array,
  owned: Owned,
): (a: number, s: number, r: number, sampler: Uint32Array) => void {
  const rt = getWasmRuntime();
  if (rt === undefined) throw new Error('trainWorker: the WebAssembly kernels are not available');
  const ex = rt.exports;
  const { d } = cfg;
  const { h } = planRbm(cfg.params, cfg.n, d);
  const { method, k: gibbs, weightDecay, visible } = cfg.params;
  const persistent = method === 'pcd';
  const np = d * h + d + h;
  const b = cfg.buffers;
  const data = new Float32Array(b.data);
  const order = new Int32Array(b.order);
  const params = new Float32Array(b.params);
  const chainAll = new Float32Array(b.chain);
  const P = own(owned, new WasmF32Buffer(np, rt));
  const Vel = own(owned, new WasmF32Buffer(np, rt));
  const V = own(owned, new WasmF32Buffer(capacity * d, rt));
  const Chain = own(owned, new WasmF32Buffer(capacity * h, rt));
  const RngState = own(owned, new WasmF32Buffer(Math.max(16, cfg.rngWords), rt)); // u32 words
  const HPos = own(owned, new WasmF32Buffer(capacity * h, rt));
  const HNeg = own(owned, new WasmF32Buffer(capacity * h, rt));
  const HS = own(owned, new WasmF32Buffer(capacity * h, rt));
  const VNeg = own(owned, new WasmF32Buffer(capacity * d, rt));
  const G = own(owned, new WasmF32Buffer(np, rt));
  // the rows, copied into WebAssembly memory unless they are large; a slice is gathered there per step
  const rows = own(owned, new ResidentRows(d, rt));
  rows.set(data, data.length / d, 'trainRbmParallel');
  let seeded = false;
  return (a, s, r, sampler) => {
    if (!seeded) {
      new Uint32Array(rt.heap.memory.buffer, RngState.ptr, sampler.length).set(sampler);
      seeded = true;
    }
    const f32 = rt.heap.f32(); // fetched per call: follows the memory if it grows
    f32.set(params, P.ptr >> 2);
    f32.fill(0, Vel.ptr >> 2, (Vel.ptr >> 2) + np);
    rows.gatherFrom(order, a + s, r, V.ptr, 'trainRbmParallel');
    if (persistent) f32.set(chainAll.subarray(s * h, (s + r) * h), Chain.ptr >> 2);
    ex.rbmCdStep(
      visible === 'gaussian' ? 1 : 0,
      d,
      h,
      P.ptr,
      Vel.ptr,
      V.ptr,
      r,
      persistent ? Chain.ptr : 0,
      gibbs,
      0,
      0,
      weightDecay,
      RngState.ptr,
      HPos.ptr,
      HNeg.ptr,
      HS.ptr,
      VNeg.ptr,
      G.ptr,
    );
    const out = rt.heap.f32();
    slot.set(out.subarray(G.ptr >> 2, (G.ptr >> 2) + np));
    if (persistent) chainAll.set(out.subarray(Chain.ptr >> 2, (Chain.ptr >> 2) + r * h), s * h);
  };
}

/**
 * Runs one RBM training worker (the coordinator when `cfg.index` is 0); messages go through `post`.
 *
 * @example
 * ```ts
 * if (workerData.task === 'rbm') runRbm(workerData, (m) => parentPort?.postMessage(m));
 * ```
 */
export function runRbm(cfg: RbmWorkerData, post: (m: TrainWorkerMessage) => void): void {
  const owned: Owned = [];
  try {
    runRbmWith(cfg, post, owned);
  } finally {
    for (const buf of owned) buf.dispose();
  }
}

function runRbmWith(cfg: RbmWorkerData, post: (m: TrainWorkerMessage) => void, owned: Owned): void {
  const { index, workers: k, n, d, params: p } = cfg;
  const plan = planRbm(p, n, d);
  const { h, batch, monitorRows } = plan;
  const gaussian = p.visible === 'gaussian';
  const persistent = p.method === 'pcd';
  const b = cfg.buffers;
  const ctrl = new Int32Array(b.ctrl);
  const data = new Float32Array(b.data);
  const order = new Int32Array(b.order);
  const params = new Float32Array(b.params);
  const np = d * h + d + h;
  const nW = d * h;
  const slots: Float32Array[] = [];
  for (let w = 0; w < k; w++) slots.push(new Float32Array(b.grads, w * np * 4, np));
  const chainAll = new Float32Array(b.chain);
  const rngAll = new Uint32Array(b.rng);
  const bar = new Barrier(ctrl, k);
  const capacity = Math.ceil(batch / k); // the largest slice

  followKernels(cfg.kernels);
  const kernels = getRbmKernels();
  // the kernel leaves the slice's gradient in `ws.grad`: this worker's shared slot
  const ws: RbmWorkspace = {
    ...rbmWorkspace(d, h, index === 0 ? Math.max(capacity, monitorRows) : capacity),
    grad: slots[index] as Float32Array,
  };
  const slice =
    kernels.name === 'wasm' ? wasmSliceGradient(cfg, capacity, slots[index] as Float32Array, owned) : null;
  const xb = new Float32Array(capacity * d);
  const local = new Float32Array(np);
  const scratchVel = new Float32Array(np);
  let sampler: Uint32Array | null = null;

  /** This worker's share of a STEP: its slice's CD gradient into its slot. */
  const work = (cmd: number, a: number, rows: number): void => {
    if (cmd !== CMD.STEP) return;
    const [s, e] = partOf(index, k, rows);
    if (e === s) return;
    sampler ??= rngAll.slice(cfg.rngWords * index, cfg.rngWords * (index + 1));
    if (slice !== null) {
      slice(a, s, e - s, sampler);
      return;
    }
    const r = e - s;
    for (let q = 0; q < r; q++) {
      const i = order[a + s + q] as number;
      xb.set(data.subarray(i * d, i * d + d), q * d);
    }
    // learning rate 0 and momentum 0 on a private copy: the update is a no-op, the gradient stays in ws.grad
    local.set(params);
    scratchVel.fill(0);
    kernels.cdStep(
      gaussian,
      d,
      h,
      local,
      scratchVel,
      xb,
      0,
      r,
      persistent ? chainAll.subarray(s * h, e * h) : null,
      p.k,
      0,
      0,
      p.weightDecay,
      sampler,
      ws,
    );
  };

  // this worker's range of the parameters, with its velocity
  const [pa, pb] = partOf(index, k, np);
  const vel = new Float32Array(pb - pa);
  const acc = new Float64Array(pb - pa);
  const gsum = new Float32Array(pb - pa);
  const weights = new Float64Array(k);
  const { learningRate: lr, momentum, weightDecay } = p;

  /** Sums this worker's range over the slots in worker order and applies `rbmCdStep`'s update there. */
  const reduceUpdate = (rows: number): boolean => {
    for (let w = 0; w < k; w++) {
      const [s, e] = partOf(w, k, rows);
      weights[w] = (e - s) / rows;
    }
    reduceRange(slots, weights, pa, pb - pa, acc, gsum);
    for (let i = pa; i < pb; i++) {
      const g = gsum[i - pa] as number;
      const p = params[i] as number;
      const vi =
        i < nW
          ? momentum * (vel[i - pa] as number) + lr * (g - weightDecay * p)
          : momentum * (vel[i - pa] as number) + lr * g;
      vel[i - pa] = vi;
      params[i] = p + vi;
    }
    return true;
  };

  if (index !== 0) {
    helperLoop(ctrl, bar, work, reduceUpdate, (err) =>
      post({ type: 'error', name: errName(err), message: errMessage(err) }),
    );
    return;
  }

  // coordinator
  const stopped = (): Error => new Error(`${cfg.api}: training was stopped`);
  const run = (cmd: number, a: number, rows: number): void => {
    Atomics.store(ctrl, CTRL.CMD, cmd);
    Atomics.store(ctrl, CTRL.A, a);
    Atomics.store(ctrl, CTRL.B, rows);
    if (!bar.wait()) throw stopped();
    if (cmd === CMD.EXIT) return;
    work(cmd, a, rows);
    if (!bar.wait()) throw stopped();
    if (Atomics.load(ctrl, CTRL.ERROR) !== 0) throw new Error(`${cfg.api}: a helper thread failed`);
    if (cmd === CMD.STEP) reduceUpdate(rows);
  };

  try {
    // the draws of RBM.fit, in its order: weights, the sampler states (one per worker), a shuffle per epoch
    const colMean = Float64Array.from(cfg.colMean);
    const rows = { colMean, mean: cfg.standardized ? colMean : null };
    const schedule = new RbmSchedule(p, plan, rows, new Rng(cfg.seed), { params, order }, k);
    for (let w = 0; w < k; w++) rngAll.set(schedule.samplers[w] as Uint32Array, 4 * w);
    for (let epoch = 1; epoch <= p.epochs; epoch++) {
      const t0 = performance.now();
      schedule.startEpoch();
      for (let b0 = 0; b0 < n; b0 += batch) {
        if (Atomics.load(ctrl, CTRL.ABORT) !== 0) throw new AbortError(cfg.api);
        run(CMD.STEP, b0, Math.min(batch, n - b0));
      }
      const seconds = (performance.now() - t0) / 1000;
      run(CMD.SYNC, 0, 0); // every range's last update is visible after its first barrier
      const loss =
        kernels.reconstructionError(gaussian, d, h, params, data, 0, monitorRows, ws) / (monitorRows * d);
      if (!Number.isFinite(loss)) throw reconstructionDivergedError(cfg.api, epoch, loss);
      post({
        type: 'progress',
        epoch,
        epochs: p.epochs,
        loss,
        samplesPerSecond: seconds > 0 ? n / seconds : Number.POSITIVE_INFINITY,
      });
    }
    run(CMD.EXIT, 0, 0);
    post({ type: 'done', epochs: p.epochs });
  } catch (err) {
    post({ type: 'error', name: errName(err), message: errMessage(err) });
  } finally {
    bar.stop();
  }
}
