/**
 * Worker thread of the data-parallel trainers ({@link trainAutoencoderParallel}, {@link trainRbmParallel},
 * {@link fitGaussianParallel}).
 *
 * Autoencoder and RBM: worker 0 is the coordinator. It owns the seeded generator and runs the fit's
 * schedule (`AeSchedule`, `RbmSchedule`: the draws of `fit`, in its order — validation split,
 * initialisation, per-epoch shuffle, input noise, dropout masks). Every command is published through a shared control array and a spin-then-sleep
 * {@link Barrier} (no message per step). For each minibatch, every worker (the coordinator included)
 * computes the gradient of its contiguous slice of the minibatch into its own shared gradient slot; after
 * a barrier, every worker reduces **its own range of the parameters** over the slots in worker order
 * (weights = slice rows / batch rows, summed in Float64), and applies the optimiser to that range
 * (optimiser state is private to the range's owner). The next command's barrier makes every range's
 * update visible before the next gradients. The arithmetic of each parameter is therefore fixed by the
 * worker count alone: the same seed and worker count give a bit-identical model.
 *
 * Gaussian: each worker fits a `GaussianDensity` on its block of rows and posts the model's JSON.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AbortError, Matrix, Rng } from '@nexus/ebm-core';
import { copyRows } from '@nexus/ebm-core/kernels';
import { getWasmRuntime, WasmAeSession, WasmF32Buffer } from '@nexus/ebm-core/wasm';
import { GaussianDensity } from '@nexus/ebm-energies';
import {
  type AeLayout,
  AeSchedule,
  type AeStepHyper,
  type AeWorkspace,
  adamUpdate,
  aeGradients,
  aeLayout,
  aeWorkspace,
  columnStatsRange,
  divergedError,
  EarlyStopping,
  getAutoencoderKernels,
  planAutoencoder,
  sgdUpdate,
  stepHyper,
  toFloat32,
} from '@nexus/ebm-energies/training';
import { runRbm } from './rbmWorker.js';
import { Barrier, errMessage, errName, helperLoop, type Owned, own, partOf, reduceRange } from './sync.js';
import {
  type AeWorkerData,
  CMD,
  CTRL,
  type GaussianWorkerData,
  type PoolWorkerData,
  type RbmWorkerData,
  type TrainWorkerMessage,
} from './trainProtocol.js';
import { followKernels } from './workers.js';

const port = parentPort;
if (port === null) throw new Error('trainWorker: must run in a worker thread');

/**
 * A slice's gradient: rows `trainIdx[a + s …]` (`r` of them, clean targets; inputs from the shared noisy
 * rows when denoising; dropout masks from the shared masks) into `grads`; returns the slice's loss.
 */
type AeGradFn = (grads: Float32Array, a: number, s: number, r: number) => number;

/** Updates this worker's parameter range from the reduced gradient `g` (Float32 values) at step `t`. */
type RangeUpdate = (g: Float32Array, t: number) => void;

/** What both gradient paths read: the shared buffers and the network. */
interface AeShared {
  readonly layout: AeLayout;
  readonly d: number;
  readonly params: Float32Array;
  readonly data: Float32Array;
  readonly trainIdx: Int32Array;
  readonly noisy: Float32Array;
  readonly maskAll: Float32Array;
  /** Offset of hidden layer l's mask rows in the shared masks (layer-major, `batch` rows per layer). */
  readonly maskOff: readonly number[];
  readonly weightDecay: number;
}

/**
 * The gradient on WebAssembly buffers that stay resident for the whole fit: per step only the
 * parameters and the slice's rows (gathered straight into WebAssembly memory) and masks go in, and the
 * gradient comes out; no optimiser step runs.
 */
function wasmGradients(sh: AeShared, capacity: number, owned: Owned): AeGradFn {
  const rt = getWasmRuntime();
  if (rt === undefined) throw new Error('trainWorker: the WebAssembly kernels are not available');
  const { layout, d, params, data, trainIdx, noisy, maskAll, maskOff } = sh;
  const { sizes } = layout;
  const L = sizes.length - 1;
  // a resident session as the one-thread fit uses, minus its optimiser: parameters in, gradient out,
  // and a private copy of the rows (unless they are large) from which each slice's rows are gathered
  const session = own(owned, new WasmAeSession(layout, capacity, rt));
  session.setData(data, data.length / d);
  const denoise = noisy.length > 0;
  const dropout = maskAll.length > 0;
  return (grads, a, s, r) => {
    session.writeParams(params);
    // clean rows: the target when denoising, else input and target at once
    session.gatherFrom(trainIdx, a + s, r, denoise);
    if (denoise) session.inputView().set(noisy.subarray(s * d, (s + r) * d));
    if (dropout) {
      // the session's masks: layer l's rows start at capacity × (sizes[1] + … + sizes[l])
      const mask = session.maskView();
      let off = 0;
      for (let l = 0; l < L - 1; l++) {
        const nout = sizes[l + 1] as number;
        const o = (maskOff[l] as number) + s * nout;
        mask.set(maskAll.subarray(o, o + r * nout), off);
        off += capacity * nout;
      }
    }
    const loss = session.gradients(r, dropout, denoise, sh.weightDecay);
    session.readGradients(grads);
    return loss;
  };
}

/** The gradient with the TypeScript kernels (`aeGradients`), straight on the shared parameters. */
function tsGradients(sh: AeShared, ws: AeWorkspace, capacity: number): AeGradFn {
  const { layout, d, params, data, trainIdx, noisy, maskAll, maskOff } = sh;
  const L = layout.sizes.length - 1;
  const xb = new Float32Array(capacity * d);
  const denoise = noisy.length > 0;
  const dropout = maskAll.length > 0;
  return (grads, a, s, r) => {
    for (let q = 0; q < r; q++) {
      const i = trainIdx[a + s + q] as number;
      xb.set(data.subarray(i * d, i * d + d), q * d);
    }
    if (dropout) {
      for (let l = 0; l < L - 1; l++) {
        const nout = layout.sizes[l + 1] as number;
        const o = (maskOff[l] as number) + s * nout;
        ws.mask.set(maskAll.subarray(o, o + r * nout), ws.actOff[l] as number);
      }
    }
    const input = denoise ? noisy : xb;
    return aeGradients(
      layout,
      params,
      grads,
      input,
      denoise ? s * d : 0,
      xb,
      0,
      r,
      ws,
      dropout,
      sh.weightDecay,
    );
  };
}

/** Adam or SGD on `params[pa, pb)` with the TypeScript kernels (optimiser state private to the range). */
function tsRangeUpdate(
  params: Float32Array,
  pa: number,
  pb: number,
  hyper: AeStepHyper,
  _owned: Owned,
): RangeUpdate {
  const pn = pb - pa;
  const mine = params.subarray(pa, pb);
  const m = new Float32Array(pn);
  const v = new Float32Array(pn);
  return (g, t) => {
    if (hyper.optimizer === 'adam') {
      adamUpdate(mine, g, m, v, pn, hyper.learningRate, hyper.beta1, hyper.beta2, hyper.epsilon, t);
    } else {
      sgdUpdate(mine, g, m, pn, hyper.learningRate, hyper.momentum);
    }
  };
}

/**
 * Adam or SGD on `params[pa, pb)` with the WebAssembly kernels (`adamUpdate`/`sgdUpdate` of the module,
 * as the resident one-thread session runs them): the range, its gradient and the optimiser state stay in
 * WebAssembly memory; the updated range is copied back to the shared parameters.
 */
function wasmRangeUpdate(
  params: Float32Array,
  pa: number,
  pb: number,
  hyper: AeStepHyper,
  owned: Owned,
): RangeUpdate {
  const rt = getWasmRuntime();
  if (rt === undefined) throw new Error('trainWorker: the WebAssembly kernels are not available');
  const ex = rt.exports;
  const pn = pb - pa;
  const P = own(owned, new WasmF32Buffer(Math.max(1, pn), rt));
  const G = own(owned, new WasmF32Buffer(Math.max(1, pn), rt));
  const M = own(owned, new WasmF32Buffer(Math.max(1, pn), rt));
  const V = own(owned, new WasmF32Buffer(Math.max(1, pn), rt));
  M.view().fill(0);
  V.view().fill(0);
  let loaded = false;
  return (g, t) => {
    if (pn === 0) return;
    if (!loaded) {
      P.view().set(params.subarray(pa, pb)); // the initial values; afterwards only this worker writes them
      loaded = true;
    }
    G.view().set(g);
    if (hyper.optimizer === 'adam') {
      const bc1 = 1 - hyper.beta1 ** t;
      const bc2 = 1 - hyper.beta2 ** t;
      const stepSize = (hyper.learningRate * Math.sqrt(bc2)) / bc1;
      const epsHat = hyper.epsilon * Math.sqrt(bc2);
      ex.adamUpdate(P.ptr, G.ptr, M.ptr, V.ptr, pn, stepSize, hyper.beta1, hyper.beta2, epsHat);
    } else {
      ex.sgdUpdate(P.ptr, G.ptr, M.ptr, pn, hyper.learningRate, hyper.momentum);
    }
    params.set(P.view(), pa);
  };
}

/** Runs one autoencoder job, releasing its WebAssembly buffers at the end (a pooled thread runs many). */
function runAutoencoder(cfg: AeWorkerData): void {
  const owned: Owned = [];
  try {
    runAutoencoderWith(cfg, owned);
  } finally {
    for (const buf of owned) buf.dispose();
  }
}

function runAutoencoderWith(cfg: AeWorkerData, owned: Owned): void {
  const { index, workers: k, n, d, params: p } = cfg;
  const plan = planAutoencoder(p, n, d);
  const { sizes, nVal, batch } = plan;
  const hyper = stepHyper(p);
  const b = cfg.buffers;
  const ctrl = new Int32Array(b.ctrl);
  const data = new Float32Array(b.data);
  const trainIdx = new Int32Array(b.trainIdx);
  const val = new Float32Array(b.val);
  const valOut = new Float64Array(b.valOut);
  const params = new Float32Array(b.params);
  const layout = aeLayout(sizes, p.activation, p.outputActivation, p.leakySlope);
  const np = layout.nParams;
  const slots: Float32Array[] = [];
  for (let w = 0; w < k; w++) slots.push(new Float32Array(b.grads, w * np * 4, np));
  const myGrads = slots[index] as Float32Array;
  const losses = new Float64Array(b.losses);
  const norms = new Float64Array(b.norms);
  const noisy = new Float32Array(b.noisy);
  const maskAll = new Float32Array(b.mask);
  const L = layout.sizes.length - 1;
  const capacity = Math.ceil(batch / k); // the largest slice
  const ws = aeWorkspace(layout, Math.max(capacity, Math.min(256, nVal)));
  const bar = new Barrier(ctrl, k);
  // Prepare the training rows together: statistics of this worker's columns, then (once every column's
  // are in) the Float32 copy of its rows; the second barrier makes every row visible before training.
  {
    const src = new Float64Array(b.source);
    const stats = new Float64Array(b.stats);
    const mean = stats.subarray(0, d);
    const std = stats.subarray(d);
    if (p.standardize) {
      const [c0, c1] = partOf(index, k, d);
      columnStatsRange(src, n, d, c0, c1, mean, std);
      if (!bar.wait()) return;
    }
    const [r0, r1] = partOf(index, k, n);
    toFloat32(
      src,
      r0 * d,
      r1 - r0,
      d,
      p.standardize ? mean : null,
      p.standardize ? std : null,
      data.subarray(r0 * d),
    );
    if (!bar.wait()) return;
  }
  const maskOff: number[] = [];
  let mo = 0;
  for (let l = 0; l < L - 1; l++) {
    maskOff.push(mo);
    mo += batch * (layout.sizes[l + 1] as number);
  }
  const shared: AeShared = {
    layout,
    d,
    params,
    data,
    trainIdx,
    noisy,
    maskAll,
    maskOff,
    weightDecay: hyper.weightDecay,
  };

  // the kernels of the calling thread: the same arithmetic as `Autoencoder.fit` there
  followKernels(cfg.kernels);
  const kernels = getAutoencoderKernels();
  const wasm = kernels.name === 'wasm';
  const score = kernels.scoreBatch;
  const gradients = wasm ? wasmGradients(shared, capacity, owned) : tsGradients(shared, ws, capacity);

  // this worker's range of the parameters: it reduces the gradient there and owns the optimiser state
  const [pa, pb] = partOf(index, k, np);
  const pn = pb - pa;
  const update = (wasm ? wasmRangeUpdate : tsRangeUpdate)(params, pa, pb, hyper, owned);
  const acc = new Float64Array(pn);
  const gsum = new Float32Array(pn);
  const weights = new Float64Array(k);
  let step = 0;

  /** This worker's share of a command. */
  const work = (cmd: number, a: number, rows: number): void => {
    if (cmd === CMD.STEP) {
      const [s, e] = partOf(index, k, rows);
      if (e > s) losses[index] = gradients(myGrads, a, s, e - s);
    } else if (cmd === CMD.VAL) {
      const [s, e] = partOf(index, k, nVal);
      const chunk = ws.capacity;
      for (let r0 = s; r0 < e; r0 += chunk) {
        const rows2 = Math.min(chunk, e - r0);
        score(layout, params, val, r0 * d, rows2, ws, valOut, r0, null, 0);
      }
    }
  };

  /**
   * After a STEP's gradients: sums this worker's parameter range over the slots in worker order (in
   * Float64, rounded once to Float32), clips (the partial squared norms meet at a barrier and are added in
   * worker order) and updates the range.
   */
  const reduceUpdate = (rows: number): boolean => {
    step++;
    for (let w = 0; w < k; w++) {
      const [s, e] = partOf(w, k, rows);
      weights[w] = (e - s) / rows;
    }
    reduceRange(slots, weights, pa, pn, acc, gsum);
    if (hyper.clipNorm > 0) {
      let ss = 0;
      for (let i = 0; i < pn; i++) {
        const g = gsum[i] as number;
        ss += g * g;
      }
      norms[index] = ss;
      if (!bar.wait()) return false;
      let total = 0;
      for (let w = 0; w < k; w++) total += norms[w] as number;
      const norm = Math.sqrt(total);
      if (norm > hyper.clipNorm) {
        const sc = hyper.clipNorm / norm;
        for (let i = 0; i < pn; i++) gsum[i] = (gsum[i] as number) * sc;
      }
    }
    update(gsum, step);
    return true;
  };

  if (index !== 0) {
    helperLoop(ctrl, bar, work, reduceUpdate, (err) =>
      post({ type: 'error', name: errName(err), message: errMessage(err) }),
    );
    return;
  }

  // coordinator
  const run = (cmd: number, a: number, rows: number): void => {
    Atomics.store(ctrl, CTRL.CMD, cmd);
    Atomics.store(ctrl, CTRL.A, a);
    Atomics.store(ctrl, CTRL.B, rows);
    if (!bar.wait()) throw new Error(`${cfg.api}: training was stopped`);
    if (cmd === CMD.EXIT) return;
    work(cmd, a, rows);
    if (!bar.wait()) throw new Error(`${cfg.api}: training was stopped`);
    if (Atomics.load(ctrl, CTRL.ERROR) !== 0) throw new Error(`${cfg.api}: a helper thread failed`);
    if (cmd === CMD.STEP && !reduceUpdate(rows)) throw new Error(`${cfg.api}: training was stopped`);
  };

  try {
    // the draws of Autoencoder.fit, in its order (split, initial weights; per epoch and minibatch below)
    const schedule = new AeSchedule(p, { ...plan, nTrain: trainIdx.length }, layout, new Rng(cfg.seed), {
      trainIdx,
      params,
    });
    const stopping = new EarlyStopping(p);
    copyRows(data, d, schedule.valIdx, 0, nVal, val, 0);
    const nTrain = trainIdx.length;
    const noise = noisy.length > 0 ? noisy : null;
    const mask = maskAll.length > 0 ? maskAll : null;
    let finished = 0;
    for (let epoch = 1; epoch <= plan.epochs; epoch++) {
      const t0 = performance.now();
      schedule.startEpoch();
      let lossSum = 0;
      for (let b0 = 0; b0 < nTrain; b0 += batch) {
        if (Atomics.load(ctrl, CTRL.ABORT) !== 0) throw new AbortError(cfg.api);
        const rows = Math.min(batch, nTrain - b0);
        schedule.drawBatch(data, d, b0, rows, noise, mask, maskOff);
        run(CMD.STEP, b0, rows);
        let loss = 0;
        for (let w = 0; w < k; w++) {
          const wt = weights[w] as number;
          if (wt > 0) loss += wt * (losses[w] as number);
        }
        if (!Number.isFinite(loss)) throw divergedError(cfg.api, epoch, loss);
        lossSum += loss * rows;
      }
      const seconds = (performance.now() - t0) / 1000;
      let done = epoch >= plan.epochs;
      let valLoss: number | undefined;
      if (nVal > 0) {
        run(CMD.VAL, 0, 0); // its first barrier also makes every range's last update visible
        let s = 0;
        for (let i = 0; i < nVal; i++) s += valOut[i] as number;
        valLoss = s / nVal;
        if (stopping.update(valLoss, params)) done = true;
      }
      post({
        type: 'progress',
        epoch,
        epochs: plan.epochs,
        loss: lossSum / nTrain,
        samplesPerSecond: seconds > 0 ? nTrain / seconds : Number.POSITIVE_INFINITY,
        ...(valLoss === undefined ? {} : { valLoss }),
      });
      finished = epoch;
      if (done) break;
    }
    run(CMD.EXIT, 0, 0); // every helper has finished its last update when this barrier completes
    stopping.restore(params);
    post({ type: 'done', epochs: finished });
  } catch (err) {
    post({ type: 'error', name: errName(err), message: errMessage(err) });
  } finally {
    bar.stop();
  }
}

function runGaussian(cfg: GaussianWorkerData): void {
  try {
    followKernels(cfg.kernels);
    const rows = cfg.end - cfg.start;
    const x = new Float64Array(cfg.data, cfg.start * cfg.d * 8, rows * cfg.d);
    const g = new GaussianDensity(cfg.options).fit(new Matrix(rows, cfg.d, x));
    post({ type: 'model', json: JSON.stringify(g.toJSON()) });
  } catch (err) {
    post({ type: 'error', name: errName(err), message: errMessage(err) });
  }
}

function post(m: TrainWorkerMessage): void {
  port?.postMessage(m);
}

/** Runs one job; in a pool, says so when it is over (the thread is then free for the next job). */
function runJob(job: AeWorkerData | RbmWorkerData | GaussianWorkerData, pooled: boolean): void {
  try {
    if (job.task === 'autoencoder') runAutoencoder(job);
    else if (job.task === 'rbm') runRbm(job, post);
    else runGaussian(job);
  } catch (err) {
    post({ type: 'error', name: errName(err), message: errMessage(err) });
  }
  if (pooled) post({ type: 'finished' });
}

const cfg = workerData as AeWorkerData | RbmWorkerData | GaussianWorkerData | PoolWorkerData;
if (cfg.task === 'pool') {
  // a pooled thread: load the kernels now, then run the jobs the pool sends, one at a time
  followKernels(cfg.kernels);
  port.on('message', (job: AeWorkerData | RbmWorkerData) => runJob(job, true));
  post({ type: 'ready' });
} else runJob(cfg, false);
