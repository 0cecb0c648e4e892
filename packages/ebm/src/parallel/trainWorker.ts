/**
 * Worker thread of the data-parallel trainers ({@link trainAutoencoderParallel}, {@link fitGaussianParallel}).
 *
 * Autoencoder: worker 0 is the coordinator. It owns the seeded generator and the optimiser, and runs the
 * same sequence of random draws as `Autoencoder.fit` (validation split, initialisation, per-epoch shuffle,
 * input noise, dropout masks). For every minibatch it publishes a command in a shared control array and
 * wakes the helpers with `Atomics.notify`; every worker (the coordinator included) computes the gradient
 * of its contiguous slice of the minibatch into its own shared gradient slot; the coordinator waits for
 * them with `Atomics.wait`, sums the slots in worker order (weights = slice rows / batch rows), clips and
 * applies Adam or SGD to the shared parameters. No message is posted per step.
 *
 * Gaussian: each worker fits a `GaussianDensity` on its block of rows and posts the model's JSON.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AbortError, Matrix, message, Rng, ValueError, wasmAeTrainStep } from '@nexus/ebm-core';
import {
  type AeStepHyper,
  adamUpdate,
  aeGradients,
  aeLayout,
  aeWorkspace,
  clipGradients,
  GaussianDensity,
  getAutoencoderKernels,
  sgdUpdate,
} from '@nexus/ebm-energies';
import {
  type AeWorkerData,
  CMD,
  CTRL,
  type GaussianWorkerData,
  type TrainWorkerMessage,
} from './trainProtocol.js';
import { followKernels } from './workers.js';

const port = parentPort;
if (port === null) throw new Error('trainWorker: must run in a worker thread');

function sliceOf(w: number, k: number, rows: number): [number, number] {
  return [Math.floor((w * rows) / k), Math.floor(((w + 1) * rows) / k)];
}

function runAutoencoder(cfg: AeWorkerData): void {
  const { index, workers: k, d, nVal, batch, hyper } = cfg;
  const b = cfg.buffers;
  const ctrl = new Int32Array(b.ctrl);
  const data = new Float32Array(b.data);
  const trainIdx = new Int32Array(b.trainIdx);
  const val = new Float32Array(b.val);
  const valOut = new Float64Array(b.valOut);
  const params = new Float32Array(b.params);
  const layout = aeLayout(cfg.sizes, cfg.activation, cfg.outputActivation, cfg.leakySlope);
  const np = layout.nParams;
  const myGrads = new Float32Array(b.grads, index * np * 4, np);
  const losses = new Float64Array(b.losses);
  const noisy = new Float32Array(b.noisy);
  const maskAll = new Float32Array(b.mask);
  const L = layout.sizes.length - 1;
  const ws = aeWorkspace(layout, Math.max(batch, Math.min(256, nVal)));
  const xb = new Float32Array(batch * d);
  const useNoise = cfg.inputNoise > 0;
  const useDropout = cfg.dropout > 0;
  // offset of hidden layer l's mask rows in the shared mask (layer-major, `batch` rows per layer)
  const maskOff: number[] = [];
  let mo = 0;
  for (let l = 0; l < L - 1; l++) {
    maskOff.push(mo);
    mo += batch * (layout.sizes[l + 1] as number);
  }

  // the kernels of the calling thread: the same arithmetic as `Autoencoder.fit` there
  followKernels(cfg.kernels);
  const wasm = getAutoencoderKernels().name === 'wasm';
  const localParams = new Float32Array(np);
  const zeroM = new Float32Array(np);
  const zeroV = new Float32Array(np);
  const gradOnly: AeStepHyper = { ...hyper, optimizer: 'sgd', learningRate: 0, momentum: 0, clipNorm: 0 };
  const score = getAutoencoderKernels().scoreBatch;

  /** This worker's share of a command. */
  const work = (cmd: number, a: number, rows: number): void => {
    if (cmd === CMD.STEP) {
      const [s, e] = sliceOf(index, k, rows);
      const r = e - s;
      if (r === 0) return;
      for (let q = 0; q < r; q++) {
        const i = trainIdx[a + s + q] as number;
        xb.set(data.subarray(i * d, i * d + d), q * d);
      }
      if (useDropout) {
        for (let l = 0; l < L - 1; l++) {
          const nout = layout.sizes[l + 1] as number;
          const off = (maskOff[l] as number) + s * nout;
          ws.mask.set(maskAll.subarray(off, off + r * nout), ws.actOff[l] as number);
        }
      }
      const input = useNoise ? noisy : xb;
      const inOff = useNoise ? s * d : 0;
      if (wasm) {
        // the fused WebAssembly step with SGD at learning rate 0 computes the gradient and leaves the
        // (private copy of the) parameters unchanged
        localParams.set(params);
        losses[index] = wasmAeTrainStep(
          layout,
          localParams,
          myGrads,
          zeroM,
          zeroV,
          gradOnly,
          1,
          input,
          inOff,
          xb,
          0,
          r,
          ws,
          useDropout,
        );
      } else {
        losses[index] = aeGradients(
          layout,
          params,
          myGrads,
          input,
          inOff,
          xb,
          0,
          r,
          ws,
          useDropout,
          hyper.weightDecay,
        );
      }
    } else if (cmd === CMD.VAL) {
      const [s, e] = sliceOf(index, k, nVal);
      const chunk = ws.capacity;
      for (let r0 = s; r0 < e; r0 += chunk) {
        const rows2 = Math.min(chunk, e - r0);
        score(layout, params, val, r0 * d, rows2, ws, valOut, r0, null, 0);
      }
    }
  };

  if (index !== 0) {
    // helper: wait for each new command, do its share, report
    let gen = 0;
    for (;;) {
      Atomics.wait(ctrl, CTRL.GEN, gen);
      gen = Atomics.load(ctrl, CTRL.GEN);
      const cmd = Atomics.load(ctrl, CTRL.CMD);
      if (cmd === CMD.EXIT) break;
      try {
        work(cmd, Atomics.load(ctrl, CTRL.A), Atomics.load(ctrl, CTRL.B));
      } catch (err) {
        Atomics.store(ctrl, CTRL.ERROR, 1);
        post({ type: 'error', name: errName(err), message: errMessage(err) });
      }
      Atomics.add(ctrl, CTRL.DONE, 1);
      Atomics.notify(ctrl, CTRL.DONE);
    }
    return;
  }

  // coordinator
  const dispatch = (cmd: number, a: number, rows: number): void => {
    Atomics.store(ctrl, CTRL.CMD, cmd);
    Atomics.store(ctrl, CTRL.A, a);
    Atomics.store(ctrl, CTRL.B, rows);
    Atomics.store(ctrl, CTRL.DONE, 0);
    Atomics.add(ctrl, CTRL.GEN, 1);
    Atomics.notify(ctrl, CTRL.GEN);
    if (cmd === CMD.EXIT) return;
    work(cmd, a, rows);
    for (;;) {
      const done = Atomics.load(ctrl, CTRL.DONE);
      if (done >= k - 1) break;
      Atomics.wait(ctrl, CTRL.DONE, done);
    }
    if (Atomics.load(ctrl, CTRL.ERROR) !== 0) throw new Error(`${cfg.api}: a helper thread failed`);
  };

  try {
    const rng = new Rng(cfg.seed);
    const n = cfg.n;
    const nTrain = trainIdx.length;
    // the same draws, in the same order, as Autoencoder.fit
    if (nVal > 0) {
      const perm = rng.permutation(n);
      for (let q = 0; q < nVal; q++) {
        const i = perm[q] as number;
        val.set(data.subarray(i * d, i * d + d), q * d);
      }
      trainIdx.set(perm.subarray(nVal));
    } else {
      for (let i = 0; i < n; i++) trainIdx[i] = i;
    }
    const { sizes, wOff } = layout;
    for (let l = 0; l < L; l++) {
      const fanIn = sizes[l] as number;
      const fanOut = sizes[l + 1] as number;
      const w = params.subarray(wOff[l] as number, (wOff[l] as number) + fanIn * fanOut);
      if (cfg.init === 'he') rng.fillNormal(w, 0, Math.sqrt(2 / fanIn));
      else {
        const lim = Math.sqrt(6 / (fanIn + fanOut));
        rng.fillUniform(w, -lim, lim);
      }
    }
    const gsum = new Float32Array(np);
    const m = new Float32Array(np);
    const v = new Float32Array(np);
    const slots: Float32Array[] = [];
    for (let w = 0; w < k; w++) slots.push(new Float32Array(b.grads, w * np * 4, np));
    const keep = 1 - cfg.dropout;
    let best: Float32Array | null = null;
    let bestLoss = Number.POSITIVE_INFINITY;
    let sinceBest = 0;
    let step = 0;
    for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      const t0 = performance.now();
      rng.shuffle(trainIdx);
      let lossSum = 0;
      for (let b0 = 0; b0 < nTrain; b0 += batch) {
        if (Atomics.load(ctrl, CTRL.ABORT) !== 0) throw new AbortError(cfg.api);
        const rows = Math.min(batch, nTrain - b0);
        if (useNoise) {
          const sd = cfg.inputNoise;
          for (let r = 0; r < rows; r++) {
            const i = trainIdx[b0 + r] as number;
            for (let j = 0; j < d; j++) {
              noisy[r * d + j] = (data[i * d + j] as number) + sd * rng.normal();
            }
          }
        }
        if (useDropout) {
          const inv = 1 / keep;
          for (let l = 0; l < L - 1; l++) {
            const o = maskOff[l] as number;
            const end = o + rows * (sizes[l + 1] as number);
            for (let q = o; q < end; q++) maskAll[q] = rng.uniform() < keep ? inv : 0;
          }
        }
        dispatch(CMD.STEP, b0, rows);
        // reduce in worker order: the same seed and worker count give the same sum
        let loss = 0;
        for (let i = 0; i < np; i++) {
          let g = 0;
          for (let w = 0; w < k; w++) {
            const [s, e] = sliceOf(w, k, rows);
            if (e > s) g += ((e - s) / rows) * ((slots[w] as Float32Array)[i] as number);
          }
          gsum[i] = g;
        }
        for (let w = 0; w < k; w++) {
          const [s, e] = sliceOf(w, k, rows);
          if (e > s) loss += ((e - s) / rows) * (losses[w] as number);
        }
        step++;
        if (hyper.clipNorm > 0) clipGradients(gsum, np, hyper.clipNorm);
        if (hyper.optimizer === 'adam') {
          adamUpdate(
            params,
            gsum,
            m,
            v,
            np,
            hyper.learningRate,
            hyper.beta1,
            hyper.beta2,
            hyper.epsilon,
            step,
          );
        } else {
          sgdUpdate(params, gsum, m, np, hyper.learningRate, hyper.momentum);
        }
        if (!Number.isFinite(loss)) {
          throw new ValueError(
            message(
              cfg.api,
              `training diverged at epoch ${epoch} (the loss is not finite)`,
              'a finite loss; lower learningRate, set clipNorm, or standardise the inputs',
              String(loss),
            ),
          );
        }
        lossSum += loss * rows;
      }
      const seconds = (performance.now() - t0) / 1000;
      let done = epoch >= cfg.epochs;
      let valLoss: number | undefined;
      if (nVal > 0) {
        dispatch(CMD.VAL, 0, 0);
        let s = 0;
        for (let i = 0; i < nVal; i++) s += valOut[i] as number;
        const vl = s / nVal;
        valLoss = vl;
        if (vl < bestLoss - cfg.minDelta) {
          bestLoss = vl;
          sinceBest = 0;
          if (cfg.restoreBest) {
            if (best === null) best = params.slice();
            else best.set(params);
          }
        } else {
          sinceBest++;
          if (cfg.patience > 0 && sinceBest >= cfg.patience) done = true;
        }
      }
      const progress: TrainWorkerMessage = {
        type: 'progress',
        epoch,
        epochs: cfg.epochs,
        loss: lossSum / nTrain,
        samplesPerSecond: seconds > 0 ? nTrain / seconds : Number.POSITIVE_INFINITY,
        ...(valLoss === undefined ? {} : { valLoss }),
      };
      post(progress);
      if (done) {
        if (best !== null && cfg.restoreBest) params.set(best);
        post({ type: 'done', epochs: epoch });
        break;
      }
    }
  } catch (err) {
    post({ type: 'error', name: errName(err), message: errMessage(err) });
  } finally {
    dispatch(CMD.EXIT, 0, 0);
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
function errName(e: unknown): string {
  return e instanceof Error ? e.name : 'Error';
}
function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const cfg = workerData as AeWorkerData | GaussianWorkerData;
if (cfg.task === 'autoencoder') runAutoencoder(cfg);
else runGaussian(cfg);
