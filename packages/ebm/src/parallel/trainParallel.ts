import type { Worker } from 'node:worker_threads';
import {
  AbortError,
  EbmError,
  type MatrixLike,
  message,
  ParameterError,
  type Progress,
  toMatrix,
} from '@nexus/ebm-core';
import {
  Autoencoder,
  type AutoencoderOptions,
  GaussianDensity,
  type GaussianDensityOptions,
} from '@nexus/ebm-energies';
import { aeLayout, planAutoencoder } from '@nexus/ebm-energies/training';
import type { TrainingPool } from './TrainingPool.js';
import { resolveWorkers, runTraining } from './trainCommon.js';
import {
  type AeWorkerData,
  CTRL,
  type GaussianWorkerData,
  type TrainWorkerMessage,
} from './trainProtocol.js';
import { checkNames, checkWorkers, workerError } from './workerChecks.js';
import { currentKernels, startWorker } from './workers.js';

/**
 * Options of the data-parallel trainers.
 */
export interface ParallelFitOptions {
  /** Worker threads (default: the machine's available parallelism). */
  readonly workers?: number;
  /** Seed (default: the model options' seed, else 0), as in `fit`. */
  readonly seed?: number;
  /** Feature names stored with the model. */
  readonly featureNames?: readonly string[];
  /** Called after every epoch (autoencoder, RBM) with the same fields as `fit`'s progress. */
  readonly onProgress?: (p: Progress) => void;
  /**
   * Threads started beforehand and reused across fits (autoencoder, RBM; the worker count is the pool's
   * size). Without it, each fit starts and stops its own threads.
   */
  readonly pool?: TrainingPool;
  /** Stops training (the promise rejects with `AbortError`). */
  readonly signal?: AbortSignal;
}

/**
 * Trains an {@link Autoencoder} data-parallel on worker threads and resolves to the fitted model.
 *
 * Every minibatch is split into contiguous slices, one per worker; each worker computes the gradient of
 * its slice with the autoencoder's kernels (`aeGradients`; with the WebAssembly kernels on buffers, and
 * a copy of the rows, that stay resident in each worker's WebAssembly memory for the whole fit) into its
 * own shared slot. Then each worker sums **its own range of the
 * parameters** over the slots **in worker order** (weighted by slice size), clips (the squared norm's
 * partial sums are added in worker order) and applies the optimiser to that range of the shared
 * parameters. Threads meet at a barrier on a `SharedArrayBuffer` that spins briefly on `Atomics.load`
 * before sleeping in `Atomics.wait` (no message per step). The coordinator runs `Autoencoder.fit`'s
 * schedule (`AeSchedule`: validation split, initialisation, shuffles, noise, dropout) with the same seed, so:
 * - the same seed and the same worker count give a bit-identical model;
 * - with one worker the model is bit-identical to `new Autoencoder(options).fit(X, { seed })` with the
 *   TypeScript kernels (noise, dropout and clipping included) and with the WebAssembly kernels (whose
 *   gradient and optimiser functions the workers call on resident buffers), except that with `clipNorm`
 *   and the WebAssembly kernels the norm is computed in TypeScript: equal to float32 rounding;
 * - the workers use the calling thread's kernel backend and autoencoder kernel set;
 * - with k workers the gradients are summed in a different order (float32), so the weights drift from
 *   the one-thread model by rounding: energies agree to about 1e-3 relative after a few epochs (tested:
 *   mean relative difference < 2 %; rank correlation > 0.99 on held-out rows).
 *
 * @example
 * ```ts
 * const ae = await trainAutoencoderParallel(X, { hiddenSizes: [32, 8], activation: 'relu', epochs: 5 }, { workers: 2, seed: 1 });
 * ae.energy(test);
 * ```
 */
export async function trainAutoencoderParallel(
  X: MatrixLike,
  options: AutoencoderOptions = {},
  parallel: ParallelFitOptions = {},
): Promise<Autoencoder> {
  const api = 'trainAutoencoderParallel';
  const proto = new Autoencoder(options); // checks the hyperparameters
  const k = resolveWorkers(api, parallel);
  if (parallel.signal?.aborted) throw new AbortError(api);
  const m = toMatrix(X, { api });
  checkNames(api, parallel.featureNames, m.cols);
  const n = m.rows;
  const d = m.cols;
  const seed = parallel.seed ?? options.seed ?? 0;
  // Standardisation and the Float32 copy are prepared by the workers, each on its share of the columns
  // (statistics) and then of the rows (conversion), with the arithmetic of Autoencoder.fit's helpers, so
  // the statistics and data are bit-identical to one thread's; the rows only need to be in shared memory.
  let source: SharedArrayBuffer;
  if (m.data.buffer instanceof SharedArrayBuffer && m.data.byteOffset === 0 && m.data.length === n * d) {
    source = m.data.buffer;
  } else {
    source = new SharedArrayBuffer(n * d * 8);
    new Float64Array(source).set(m.data);
  }
  const statsBuf = new SharedArrayBuffer(2 * d * 8);
  const dataBuf = new SharedArrayBuffer(n * d * 4);
  const params = Autoencoder.params.values(proto);
  const { sizes, nVal, nTrain, batch } = planAutoencoder(params, n, d);
  const np = aeLayout(sizes, params.activation, params.outputActivation, params.leakySlope).nParams;
  let maskLen = 0;
  for (let l = 1; l < sizes.length - 1; l++) maskLen += batch * (sizes[l] as number);
  const buffers = {
    ctrl: new SharedArrayBuffer(CTRL.LEN * 4),
    source,
    stats: statsBuf,
    data: dataBuf,
    trainIdx: new SharedArrayBuffer(nTrain * 4),
    val: new SharedArrayBuffer(nVal * d * 4),
    valOut: new SharedArrayBuffer(nVal * 8),
    params: new SharedArrayBuffer(np * 4),
    grads: new SharedArrayBuffer(k * np * 4),
    losses: new SharedArrayBuffer(k * 8),
    norms: new SharedArrayBuffer(k * 8),
    noisy: new SharedArrayBuffer(params.inputNoise > 0 ? batch * d * 4 : 0),
    mask: new SharedArrayBuffer(params.dropout > 0 ? maskLen * 4 : 0),
  };
  const base: Omit<AeWorkerData, 'index'> = {
    task: 'autoencoder',
    workers: k,
    n,
    d,
    params,
    seed,
    api,
    kernels: currentKernels(),
    buffers,
  };
  const ctrl = new Int32Array(buffers.ctrl);
  await runTraining(api, k, ctrl, (w) => ({ ...base, index: w }) satisfies AeWorkerData, parallel);
  const stats = new Float64Array(statsBuf);
  const mean = params.standardize ? stats.slice(0, d) : null;
  const std = params.standardize ? stats.slice(d) : null;
  const config = Autoencoder.params.toJSON(proto);
  if (options.seed !== undefined) config.seed = options.seed;
  const state: Record<string, unknown> = {
    sizes,
    params: Array.from(new Float32Array(buffers.params)),
    nFeatures: d,
  };
  if (mean !== null && std !== null) {
    state.mean = Array.from(mean);
    state.std = Array.from(std);
  }
  if (parallel.featureNames !== undefined) state.featureNames = parallel.featureNames.slice();
  return Autoencoder.fromJSON({ kind: 'autoencoder', version: 1, config, state });
}

/**
 * Fits a {@link GaussianDensity} on worker threads: each worker fits its block of rows, and the blocks'
 * sufficient statistics (count, mean, co-moment, and the Ledoit–Wolf moments) are merged in block order
 * with `GaussianDensity.merge` (Chan et al.'s pairwise update). Exact up to floating-point rounding: the
 * merged model matches `new GaussianDensity(options).fit(X)` to about 1e-12 relative, and the same
 * worker count always gives the same model. The same merge serves shards fitted on different machines.
 *
 * @example
 * ```ts
 * const g = await fitGaussianParallel(X, { covariance: 'ledoit-wolf' }, { workers: 2 });
 * ```
 */
export async function fitGaussianParallel(
  X: MatrixLike,
  options: GaussianDensityOptions = {},
  parallel: ParallelFitOptions = {},
): Promise<GaussianDensity> {
  const api = 'fitGaussianParallel';
  new GaussianDensity(options); // checks the options
  if (parallel.pool !== undefined) {
    throw new ParameterError(
      message(api, 'a training pool is not supported here', 'no pool option', 'a TrainingPool'),
    );
  }
  const requested = checkWorkers(api, parallel.workers);
  if (parallel.signal?.aborted) throw new AbortError(api);
  const m = toMatrix(X, { api });
  checkNames(api, parallel.featureNames, m.cols);
  // every block needs at least two rows for a covariance
  const k = Math.max(1, Math.min(requested, Math.floor(m.rows / 2)));
  const buf = new SharedArrayBuffer(m.data.byteLength);
  new Float64Array(buf).set(m.data);
  const workers: Worker[] = [];
  let parts: GaussianDensity[];
  try {
    parts = await Promise.all(
      Array.from({ length: k }, (_, w) => {
        const wd: GaussianWorkerData = {
          task: 'gaussian',
          data: buf,
          d: m.cols,
          start: Math.floor((w * m.rows) / k),
          end: Math.floor(((w + 1) * m.rows) / k),
          options,
          kernels: currentKernels(),
        };
        const worker = startWorker('trainWorker', wd, api);
        workers.push(worker);
        return new Promise<GaussianDensity>((resolve, reject) => {
          worker.on('message', (msg: TrainWorkerMessage) => {
            if (msg.type === 'model') resolve(GaussianDensity.fromJSON(JSON.parse(msg.json)));
            else if (msg.type === 'error') reject(workerError(api, msg.name, msg.message));
          });
          worker.once('error', reject);
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const [first, ...rest] = parts;
  if (first === undefined) throw new EbmError(`${api}: no block was fitted`);
  for (const p of rest) first.merge(p);
  if (parallel.featureNames === undefined) return first;
  const json = first.toJSON();
  return GaussianDensity.fromJSON({
    ...json,
    state: { ...json.state, featureNames: parallel.featureNames.slice() },
  });
}
