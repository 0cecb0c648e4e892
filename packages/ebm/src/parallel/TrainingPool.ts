import type { Worker } from 'node:worker_threads';
import { EbmError, type Progress } from '@nexus/ebm-core';
import { CTRL, type PoolWorkerData, type TrainWorkerMessage } from './trainProtocol.js';
import { checkWorkers, workerError } from './workerChecks.js';
import { currentKernels, startWorker } from './workers.js';

/**
 * Options of {@link TrainingPool.create}.
 */
export interface TrainingPoolOptions {
  /** Worker threads (default: the machine's available parallelism). */
  readonly workers?: number;
}

/**
 * Training threads started once and reused by {@link trainAutoencoderParallel} and
 * {@link trainRbmParallel} (option `pool`): the start of the threads (loading the library and its
 * WebAssembly kernels — hundreds of milliseconds from TypeScript source) is paid once instead of per fit,
 * and later fits also find the threads' code already optimised. Fits on one pool run one after the other
 * (a fit waits for the previous one); the model is the same as with freshly started workers (same seed,
 * same worker count → bit-identical). Close the pool when done: its threads keep the process alive.
 *
 * @example
 * ```ts
 * const pool = await TrainingPool.create({ workers: 2 });
 * try {
 *   const ae = await trainAutoencoderParallel(X, { epochs: 5 }, { pool, seed: 1 });
 *   const rbm = await trainRbmParallel(B, { nHidden: 32 }, { pool, seed: 1 });
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export class TrainingPool {
  /** Number of threads (the worker count of every fit on this pool). */
  readonly size: number;
  private readonly workers: readonly Worker[];
  private queue: Promise<void> = Promise.resolve();
  private broken: Error | null = null;
  private closed = false;

  private constructor(workers: readonly Worker[]) {
    this.workers = workers;
    this.size = workers.length;
    for (const w of workers) {
      w.on('exit', (code) => {
        if (!this.closed) this.broken ??= new EbmError(`TrainingPool: a thread exited (code ${code})`);
      });
      w.on('error', (e: Error) => {
        this.broken ??= new EbmError(`TrainingPool: a thread failed: ${e.message}`);
      });
    }
  }

  /**
   * Starts the threads and resolves when every one has loaded the library and the kernels of the
   * calling thread.
   *
   * @example
   * ```ts
   * const pool = await TrainingPool.create({ workers: 2 });
   * ```
   */
  static async create(options: TrainingPoolOptions = {}): Promise<TrainingPool> {
    const api = 'TrainingPool.create';
    const k = checkWorkers(api, options.workers);
    const data: PoolWorkerData = { task: 'pool', kernels: currentKernels() };
    const workers: Worker[] = [];
    try {
      await Promise.all(
        Array.from({ length: k }, () => {
          const w = startWorker('trainWorker', data, api);
          workers.push(w);
          return new Promise<void>((resolve, reject) => {
            const onMessage = (m: TrainWorkerMessage): void => {
              if (m.type === 'ready') {
                w.off('message', onMessage);
                resolve();
              }
            };
            w.on('message', onMessage);
            w.once('error', reject);
            w.once('exit', (code) => reject(new EbmError(`${api}: a thread exited (code ${code})`)));
          });
        }),
      );
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    for (const w of workers) w.removeAllListeners('exit').removeAllListeners('error');
    return new TrainingPool(workers);
  }

  /**
   * Waits for a running fit to end, then stops the threads. Later fits on the pool reject.
   *
   * @example
   * ```ts
   * await pool.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /**
   * Runs one job on the pool's threads (`dataFor(w)` to thread w), after the previous one: resolves when
   * the coordinator reported `done` and every thread `finished`; rejects with the first error (and, if
   * `onProgress` throws, with that), once every thread has finished. Used by the trainers; not part of the
   * documented API.
   *
   * @example
   * ```ts
   * await pool.run(api, ctrl, (w) => ({ ...base, index: w }), parallel);
   * ```
   */
  run(
    api: string,
    ctrl: Int32Array,
    dataFor: (w: number) => unknown,
    parallel: { readonly onProgress?: (p: Progress) => void; readonly signal?: AbortSignal },
  ): Promise<void> {
    const job = this.queue.then(() => this.runNow(api, ctrl, dataFor, parallel));
    this.queue = job.then(
      () => undefined,
      () => undefined,
    );
    return job;
  }

  private runNow(
    api: string,
    ctrl: Int32Array,
    dataFor: (w: number) => unknown,
    parallel: { readonly onProgress?: (p: Progress) => void; readonly signal?: AbortSignal },
  ): Promise<void> {
    if (this.closed) return Promise.reject(new EbmError(`${api}: the training pool is closed`));
    if (this.broken !== null) return Promise.reject(this.broken);
    const k = this.size;
    const onAbort = (): void => {
      Atomics.store(ctrl, CTRL.ABORT, 1);
    };
    parallel.signal?.addEventListener('abort', onAbort);
    if (parallel.signal?.aborted) onAbort(); // aborted while the fit waited for the pool
    return new Promise<void>((resolve, reject) => {
      let finished = 0;
      let failure: Error | null = null;
      let done = false;
      const handlers: ((m: TrainWorkerMessage) => void)[] = [];
      const exitHandlers: ((code: number) => void)[] = [];
      const cleanup = (): void => {
        parallel.signal?.removeEventListener('abort', onAbort);
        this.workers.forEach((w, i) => {
          w.off('message', handlers[i] as (m: TrainWorkerMessage) => void);
          w.off('exit', exitHandlers[i] as (code: number) => void);
        });
      };
      const settle = (): void => {
        if (finished < k) return;
        cleanup();
        if (failure !== null) reject(failure);
        else if (done) resolve();
        else reject(new EbmError(`${api}: the training threads stopped without a result`));
      };
      for (const w of this.workers) {
        const onMessage = (msg: TrainWorkerMessage): void => {
          if (msg.type === 'progress') {
            try {
              parallel.onProgress?.({
                epoch: msg.epoch,
                epochs: msg.epochs,
                loss: msg.loss,
                samplesPerSecond: msg.samplesPerSecond,
                ...(msg.valLoss === undefined ? {} : { valLoss: msg.valLoss }),
              });
            } catch (e) {
              onAbort();
              failure ??= e instanceof Error ? e : new EbmError(`${api}: onProgress threw ${String(e)}`);
            }
          } else if (msg.type === 'done') done = true;
          else if (msg.type === 'error') failure ??= workerError(api, msg.name, msg.message);
          else if (msg.type === 'finished') {
            finished++;
            settle();
          }
        };
        const onExit = (code: number): void => {
          // a thread died mid-job: the pool cannot run another one
          this.broken ??= new EbmError(`${api}: a training thread exited (code ${code})`);
          onAbort();
          cleanup();
          reject(this.broken);
        };
        handlers.push(onMessage);
        exitHandlers.push(onExit);
        w.on('message', onMessage);
        w.on('exit', onExit);
      }
      this.workers.forEach((w, i) => {
        w.postMessage(dataFor(i));
      });
    });
  }
}
