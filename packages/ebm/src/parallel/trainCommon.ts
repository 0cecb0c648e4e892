/**
 * What the data-parallel trainers share on the calling thread: the start, supervision and shutdown of a
 * group of training workers, on a pool's threads or fresh ones.
 *
 * @module
 */
import type { Worker } from 'node:worker_threads';
import { EbmError, message, ParameterError, type Progress } from '@nexus/ebm-core';
import type { TrainingPool } from './TrainingPool.js';
import { CTRL, type TrainWorkerMessage } from './trainProtocol.js';
import { checkWorkers, workerError } from './workerChecks.js';
import { startWorker } from './workers.js';

/**
 * Starts `k` training workers (`trainWorker`, with `dataFor(w)` as worker w's data), forwards their
 * progress to `onProgress`, and resolves when the coordinator reports `done`. Rejects with the first
 * error a worker reports (rebuilt by {@link workerError}), when a worker exits abnormally, or when
 * `onProgress` throws. An abort of `signal` sets `ABORT` in the shared control array, which the
 * coordinator checks before every step. On the way out, `ABORT` is set (stopping a coordinator still
 * running after a failure elsewhere) and every worker is terminated.
 *
 * @example
 * ```ts
 * await runTrainingWorkers(api, 2, ctrl, (w) => ({ ...base, index: w }), parallel);
 * ```
 */
export async function runTrainingWorkers(
  api: string,
  k: number,
  ctrl: Int32Array,
  dataFor: (w: number) => unknown,
  parallel: { readonly onProgress?: (p: Progress) => void; readonly signal?: AbortSignal },
): Promise<void> {
  const workers: Worker[] = [];
  const onAbort = (): void => {
    Atomics.store(ctrl, CTRL.ABORT, 1);
  };
  parallel.signal?.addEventListener('abort', onAbort);
  try {
    await new Promise<void>((resolve, reject) => {
      for (let w = 0; w < k; w++) {
        const worker = startWorker('trainWorker', dataFor(w), api);
        workers.push(worker);
        worker.on('message', (msg: TrainWorkerMessage) => {
          if (msg.type === 'progress') {
            const p: Progress = {
              epoch: msg.epoch,
              epochs: msg.epochs,
              loss: msg.loss,
              samplesPerSecond: msg.samplesPerSecond,
              ...(msg.valLoss === undefined ? {} : { valLoss: msg.valLoss }),
            };
            try {
              parallel.onProgress?.(p);
            } catch (e) {
              onAbort();
              reject(e);
            }
          } else if (msg.type === 'done') resolve();
          else if (msg.type === 'error') reject(workerError(api, msg.name, msg.message));
        });
        worker.once('error', reject);
        worker.once('exit', (code) => {
          if (code !== 0) reject(new EbmError(`${api}: a worker exited with code ${code}`));
        });
      }
    });
  } finally {
    parallel.signal?.removeEventListener('abort', onAbort);
    onAbort();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * The worker count of a fit: the pool's size when a pool is given (a `workers` option must then agree
 * with it), else the checked `workers` option.
 *
 * @example
 * ```ts
 * const k = resolveWorkers('trainRbmParallel', parallel);
 * ```
 */
export function resolveWorkers(
  api: string,
  parallel: { readonly workers?: number; readonly pool?: TrainingPool },
): number {
  const pool = parallel.pool;
  if (pool === undefined) return checkWorkers(api, parallel.workers);
  if (parallel.workers !== undefined && parallel.workers !== pool.size) {
    throw new ParameterError(
      message(
        api,
        'workers does not match the pool',
        `${pool.size} (the pool's size) or no workers option`,
        String(parallel.workers),
      ),
    );
  }
  return pool.size;
}

/**
 * Runs a training job on the given pool's threads, or on `k` freshly started ones
 * ({@link runTrainingWorkers}).
 *
 * @example
 * ```ts
 * await runTraining(api, k, ctrl, (w) => ({ ...base, index: w }), parallel);
 * ```
 */
export function runTraining(
  api: string,
  k: number,
  ctrl: Int32Array,
  dataFor: (w: number) => unknown,
  parallel: {
    readonly onProgress?: (p: Progress) => void;
    readonly signal?: AbortSignal;
    readonly pool?: TrainingPool;
  },
): Promise<void> {
  return parallel.pool === undefined
    ? runTrainingWorkers(api, k, ctrl, dataFor, parallel)
    : parallel.pool.run(api, ctrl, dataFor, parallel);
}
