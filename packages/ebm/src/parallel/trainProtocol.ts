/**
 * The protocol between {@link trainAutoencoderParallel} / {@link fitGaussianParallel} and their worker
 * threads: the slots of the shared control array, the command codes, the worker data and the messages.
 *
 * @module
 */
import type { Activation, AeStepHyper, GaussianDensityOptions } from '@nexus/ebm-energies';

/** Slots of the shared control array. */
export const CTRL_GEN = 0;
/** Helpers that finished the current command. */
export const CTRL_DONE = 1;
/** Command code. */
export const CTRL_CMD = 2;
/** First argument (batch start). */
export const CTRL_A = 3;
/** Second argument (batch rows). */
export const CTRL_B = 4;
/** Set by the main thread to abort. */
export const CTRL_ABORT = 5;
/** Set by a helper that failed. */
export const CTRL_ERROR = 6;
/** Length of the control array. */
export const CTRL_LEN = 8;

/** Command: gradients of a minibatch. */
export const CMD_STEP = 1;
/** Command: validation energies. */
export const CMD_VAL = 2;
/** Command: leave. */
export const CMD_EXIT = 3;

/** What the main thread sends each autoencoder worker. */
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

/** What the main thread sends each Gaussian worker. */
export interface GaussianWorkerData {
  readonly task: 'gaussian';
  readonly data: SharedArrayBuffer;
  readonly d: number;
  readonly start: number;
  readonly end: number;
  readonly options: GaussianDensityOptions;
}

/** Messages from the workers to the main thread. */
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
