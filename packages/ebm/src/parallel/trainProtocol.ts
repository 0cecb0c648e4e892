/**
 * The protocol between {@link trainAutoencoderParallel} / {@link fitGaussianParallel} and their worker
 * threads: the slots of the shared control array, the command codes, the worker data and the messages.
 *
 * @module
 */
import type { AutoencoderParams, GaussianDensityOptions, RBMParams } from '@nexus/ebm-energies';
import type { KernelChoice } from './workers.js';

/**
 * Slots of the shared `Int32Array` the threads synchronise on: `ARRIVE` (arrivals at the {@link Barrier};
 * only ever increases), `STOP` (set by the coordinator to release every waiter for good), `CMD`, `A`, `B`
 * (the command and its arguments, written by the coordinator before it arrives at the barrier that
 * publishes them), `ABORT` (set by the main thread), `ERROR` (set by a helper that failed) and `LEN`
 * (the array's length).
 *
 * @example
 * ```ts
 * const ctrl = new Int32Array(new SharedArrayBuffer(CTRL.LEN * 4));
 * Atomics.store(ctrl, CTRL.ABORT, 1);
 * ```
 */
export const CTRL: {
  readonly ARRIVE: 0;
  readonly STOP: 1;
  readonly CMD: 2;
  readonly A: 3;
  readonly B: 4;
  readonly ABORT: 5;
  readonly ERROR: 6;
  readonly LEN: 8;
} = Object.freeze({ ARRIVE: 0, STOP: 1, CMD: 2, A: 3, B: 4, ABORT: 5, ERROR: 6, LEN: 8 } as const);

/**
 * Command codes: `STEP` (gradients of the minibatch at `A` with `B` rows, then the reduction and the
 * optimiser update of each worker's parameter range), `VAL` (validation energies), `SYNC` (nothing: the
 * barriers alone, so that every worker's last update is visible), `EXIT`.
 *
 * @example
 * ```ts
 * Atomics.store(ctrl, CTRL.CMD, CMD.STEP);
 * ```
 */
export const CMD: { readonly STEP: 1; readonly VAL: 2; readonly EXIT: 3; readonly SYNC: 4 } = Object.freeze({
  STEP: 1,
  VAL: 2,
  EXIT: 3,
  SYNC: 4,
} as const);

/**
 * What the main thread sends each autoencoder worker: the hyperparameters and the shared buffers (data, shuffled indices, validation rows and energies, parameters, one gradient slot,
 * one loss and one partial squared gradient norm per worker, noisy inputs, dropout masks).
 */
export interface AeWorkerData {
  readonly task: 'autoencoder';
  readonly index: number;
  readonly workers: number;
  readonly n: number;
  readonly d: number;
  /** The hyperparameters (the network, optimiser and schedule follow from them, n and d). */
  readonly params: AutoencoderParams;
  readonly seed: number;
  readonly api: string;
  /** The calling thread's kernels, which the workers use too. */
  readonly kernels: KernelChoice;
  readonly buffers: {
    readonly ctrl: SharedArrayBuffer;
    /**
     * The rows as Float64 (n × d). The workers prepare `data` from them before training: each computes
     * the column statistics of its share of the columns into `stats`, then converts its share of the
     * rows into `data` (the arithmetic of `columnStats` and `toFloat32`, so the result is bit-identical).
     */
    readonly source: SharedArrayBuffer;
    /** Column means then standard deviations (2·d Float64), written by the workers. */
    readonly stats: SharedArrayBuffer;
    readonly data: SharedArrayBuffer;
    readonly trainIdx: SharedArrayBuffer;
    readonly val: SharedArrayBuffer;
    readonly valOut: SharedArrayBuffer;
    readonly params: SharedArrayBuffer;
    readonly grads: SharedArrayBuffer;
    readonly losses: SharedArrayBuffer;
    readonly norms: SharedArrayBuffer;
    readonly noisy: SharedArrayBuffer;
    readonly mask: SharedArrayBuffer;
  };
}

/**
 * What the main thread sends each RBM worker ({@link trainRbmParallel}): the machine, the schedule and the
 * shared buffers (standardised rows, row order, parameters, one gradient slot per worker, the persistent
 * chain's hidden states, one sampler state (xoshiro128** words) per worker).
 */
export interface RbmWorkerData {
  readonly task: 'rbm';
  readonly index: number;
  readonly workers: number;
  readonly n: number;
  readonly d: number;
  /** The hyperparameters (sizes, sampling and the update follow from them, n and d). */
  readonly params: RBMParams;
  /** 32-bit words of one worker's sampler state (what `seedXoshiro` returns). */
  readonly rngWords: number;
  readonly seed: number;
  readonly api: string;
  /** Column means of the raw rows (initial visible biases). */
  readonly colMean: readonly number[];
  /** Whether the rows were standardised. */
  readonly standardized: boolean;
  /** The calling thread's kernels, which the workers use too. */
  readonly kernels: KernelChoice;
  readonly buffers: {
    readonly ctrl: SharedArrayBuffer;
    readonly data: SharedArrayBuffer;
    readonly order: SharedArrayBuffer;
    readonly params: SharedArrayBuffer;
    readonly grads: SharedArrayBuffer;
    readonly chain: SharedArrayBuffer;
    readonly rng: SharedArrayBuffer;
  };
}

/**
 * What the main thread sends each Gaussian worker: the shared rows and the block `[start, end)` to fit.
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
 * What a {@link TrainingPool} sends each of its threads at start: the kernels to load. Jobs
 * (`AeWorkerData`, `RbmWorkerData`) then come as messages, one at a time.
 */
export interface PoolWorkerData {
  readonly task: 'pool';
  readonly kernels: KernelChoice;
}

/**
 * Messages from the workers to the main thread: epoch progress and completion (autoencoder, RBM), a fitted
 * block's JSON (Gaussian), an error; from a pooled thread also `ready` (started) and `finished` (its part
 * of a job is over).
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
  | { readonly type: 'ready' }
  | { readonly type: 'finished' }
  | { readonly type: 'model'; readonly json: string }
  | { readonly type: 'error'; readonly name: string; readonly message: string };
