/**
 * The protocol between {@link trainAutoencoderParallel} / {@link fitGaussianParallel} and their worker
 * threads: the slots of the shared control array, the command codes, the worker data and the messages.
 *
 * @module
 */
import type { Activation, AeStepHyper, GaussianDensityOptions } from '@nexus/ebm-energies';
import type { KernelChoice } from './workers.js';

/**
 * Slots of the shared `Int32Array` the threads synchronise on: `GEN` (bumped for every command; helpers
 * `Atomics.wait` on it), `DONE` (helpers that finished the command; the coordinator waits on it), `CMD`,
 * `A`, `B` (the command and its arguments), `ABORT` (set by the main thread), `ERROR` (set by a helper
 * that failed) and `LEN` (the array's length).
 *
 * @example
 * ```ts
 * const ctrl = new Int32Array(new SharedArrayBuffer(CTRL.LEN * 4));
 * Atomics.store(ctrl, CTRL.ABORT, 1);
 * ```
 */
export const CTRL: {
  readonly GEN: 0;
  readonly DONE: 1;
  readonly CMD: 2;
  readonly A: 3;
  readonly B: 4;
  readonly ABORT: 5;
  readonly ERROR: 6;
  readonly LEN: 8;
} = Object.freeze({ GEN: 0, DONE: 1, CMD: 2, A: 3, B: 4, ABORT: 5, ERROR: 6, LEN: 8 } as const);

/**
 * Command codes: `STEP` (gradients of the minibatch at `A` with `B` rows), `VAL` (validation energies),
 * `EXIT`.
 *
 * @example
 * ```ts
 * Atomics.store(ctrl, CTRL.CMD, CMD.STEP);
 * ```
 */
export const CMD: { readonly STEP: 1; readonly VAL: 2; readonly EXIT: 3 } = Object.freeze({
  STEP: 1,
  VAL: 2,
  EXIT: 3,
} as const);

/**
 * What the main thread sends each autoencoder worker: the network, the optimiser, the schedule and the
 * shared buffers (data, shuffled indices, validation rows and energies, parameters, one gradient slot and
 * one loss per worker, noisy inputs, dropout masks).
 *
 * @example
 * ```ts
 * startWorker('trainWorker', { ...base, index: 0 } satisfies AeWorkerData, 'trainAutoencoderParallel');
 * ```
 */
export interface AeWorkerData {
  readonly task: 'autoencoder';
  readonly index: number;
  readonly workers: number;
  readonly n: number;
  readonly d: number;
  readonly nVal: number;
  readonly batch: number;
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly outputActivation: Activation;
  readonly leakySlope: number;
  readonly init: 'he' | 'xavier';
  readonly hyper: AeStepHyper;
  readonly epochs: number;
  readonly inputNoise: number;
  readonly dropout: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBest: boolean;
  readonly seed: number;
  readonly api: string;
  /** The calling thread's kernels, which the workers use too. */
  readonly kernels: KernelChoice;
  readonly buffers: {
    readonly ctrl: SharedArrayBuffer;
    readonly data: SharedArrayBuffer;
    readonly trainIdx: SharedArrayBuffer;
    readonly val: SharedArrayBuffer;
    readonly valOut: SharedArrayBuffer;
    readonly params: SharedArrayBuffer;
    readonly grads: SharedArrayBuffer;
    readonly losses: SharedArrayBuffer;
    readonly noisy: SharedArrayBuffer;
    readonly mask: SharedArrayBuffer;
  };
}

/**
 * What the main thread sends each Gaussian worker: the shared rows and the block `[start, end)` to fit.
 *
 * @example
 * ```ts
 * const wd: GaussianWorkerData = { task: 'gaussian', data, d: 4, start: 0, end: 500, options: {} };
 * ```
 */
export interface GaussianWorkerData {
  readonly task: 'gaussian';
  readonly data: SharedArrayBuffer;
  readonly d: number;
  readonly start: number;
  readonly end: number;
  readonly options: GaussianDensityOptions;
  readonly kernels: KernelChoice;
}

/**
 * Messages from the workers to the main thread: epoch progress and completion (autoencoder), a fitted
 * block's JSON (Gaussian), or an error.
 *
 * @example
 * ```ts
 * worker.on('message', (m: TrainWorkerMessage) => { if (m.type === 'error') console.error(m.message); });
 * ```
 */
export type TrainWorkerMessage =
  | {
      readonly type: 'progress';
      readonly epoch: number;
      readonly epochs: number;
      readonly loss: number;
      readonly valLoss?: number;
      readonly samplesPerSecond: number;
    }
  | { readonly type: 'done'; readonly epochs: number }
  | { readonly type: 'model'; readonly json: string }
  | { readonly type: 'error'; readonly name: string; readonly message: string };
