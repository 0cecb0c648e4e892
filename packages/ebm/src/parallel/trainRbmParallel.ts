import { AbortError, type MatrixLike, toMatrix } from '@nexus/ebm-core';
import { RBM, type RBMOptions } from '@nexus/ebm-energies';
import { checkBernoulliRange, planRbm, rbmRows, seedXoshiro } from '@nexus/ebm-energies/training';
import { resolveWorkers, runTraining } from './trainCommon.js';
import type { ParallelFitOptions } from './trainParallel.js';
import { CTRL, type RbmWorkerData } from './trainProtocol.js';
import { checkNames } from './workerChecks.js';
import { currentKernels } from './workers.js';

/**
 * Trains an {@link RBM} by data-parallel contrastive divergence (CD-k or persistent CD) on worker threads
 * and resolves to the fitted model.
 *
 * Every minibatch is split into contiguous slices, one per worker. Each worker runs the positive phase,
 * its Gibbs chain and its slice's gradient with the RBM kernels of the calling thread, sampling from its
 * own xoshiro128** state; with `method: 'pcd'` each worker advances its rows of the persistent chain
 * (chain row r always belongs to minibatch position r, as in `RBM.fit`). Each worker then sums its own
 * range of the parameters over the workers' gradients **in worker order** (weights = slice rows / batch
 * rows) and applies the momentum update with weight decay of `RBM.fit` to that range. Threads meet at a
 * spin-then-sleep barrier on a `SharedArrayBuffer`; no message is posted per step.
 *
 * Random draws: the coordinator runs `RBM.fit`'s schedule (`RbmSchedule`) with the same seed: initial
 * weights, the sampler states (the first is `fit`'s, then one per further worker), one shuffle per epoch.
 * So:
 * - the same seed and the same worker count give a bit-identical model;
 * - with one worker the model is bit-identical to `new RBM(options).fit(X, { seed })` (tested with the
 *   TypeScript and the WebAssembly kernels);
 * - with k workers the Gibbs chains draw from k streams and the gradient is summed in another order, so
 *   the model is another sample of the same stochastic training: not equal to the one-thread model, but
 *   its free energies on held-out rows rank the rows the same way (tested: Spearman correlation > 0.95
 *   with the one-thread model, Bernoulli and Gaussian units).
 *
 * Progress after every epoch reports the mean squared reconstruction error of (up to) the first 1024
 * rows, as `fit`.
 *
 * @example
 * ```ts
 * const rbm = await trainRbmParallel(binaryRows, { nHidden: 32, batchSize: 100, epochs: 5 }, { workers: 2, seed: 1 });
 * rbm.energy(test); // free energies
 * ```
 */
export async function trainRbmParallel(
  X: MatrixLike,
  options: RBMOptions = {},
  parallel: ParallelFitOptions = {},
): Promise<RBM> {
  const api = 'trainRbmParallel';
  const proto = new RBM(options); // checks the hyperparameters
  const k = resolveWorkers(api, parallel);
  if (parallel.signal?.aborted) throw new AbortError(api);
  const m = toMatrix(X, { api });
  checkNames(api, parallel.featureNames, m.cols);
  if (proto.visible !== 'gaussian') checkBernoulliRange(m, api);
  const n = m.rows;
  const d = m.cols;
  const seed = parallel.seed ?? options.seed ?? 0;
  const params = RBM.params.values(proto);
  const { h, batch } = planRbm(params, n, d);
  // standardisation and the Float32 rows, as RBM.fit prepares them
  const dataBuf = new SharedArrayBuffer(n * d * 4);
  const { colMean, std } = rbmRows(m.data, n, d, params.standardize, new Float32Array(dataBuf));
  const np = d * h + d + h;
  const persistent = params.method === 'pcd';
  // words of one sampler state, as the RBM kernels seed it
  const rngWords = seedXoshiro(() => 1).length;
  const buffers = {
    ctrl: new SharedArrayBuffer(CTRL.LEN * 4),
    data: dataBuf,
    order: new SharedArrayBuffer(n * 4),
    params: new SharedArrayBuffer(np * 4),
    grads: new SharedArrayBuffer(k * np * 4),
    chain: new SharedArrayBuffer(persistent ? batch * h * 4 : 0),
    rng: new SharedArrayBuffer(k * rngWords * 4),
  };
  const base: Omit<RbmWorkerData, 'index'> = {
    task: 'rbm',
    workers: k,
    n,
    d,
    params,
    rngWords,
    seed,
    api,
    colMean: Array.from(colMean),
    standardized: std !== null,
    kernels: currentKernels(),
    buffers,
  };
  const ctrl = new Int32Array(buffers.ctrl);
  await runTraining(api, k, ctrl, (w) => ({ ...base, index: w }) satisfies RbmWorkerData, parallel);
  const config = RBM.params.toJSON(proto);
  if (options.seed !== undefined) config.seed = options.seed;
  const state: Record<string, unknown> = {
    nHidden: h,
    params: Array.from(new Float32Array(buffers.params)),
    nFeatures: d,
  };
  if (std !== null) {
    state.mean = Array.from(colMean);
    state.std = Array.from(std);
  }
  if (parallel.featureNames !== undefined) state.featureNames = parallel.featureNames.slice();
  return RBM.fromJSON({ kind: 'rbm', version: 1, config, state });
}
