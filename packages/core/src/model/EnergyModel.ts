import type { Matrix } from '../matrix/Matrix.js';
import type { RowSource } from '../matrix/RowSource.js';
import type { MatrixLike } from '../matrix/toMatrix.js';

/** What a model reports while it fits (once per epoch or iteration). */
export interface Progress {
  /** Current epoch or iteration (1-based). */
  readonly epoch: number;
  /** Total epochs or the iteration cap. */
  readonly epochs: number;
  /** Training loss (or negative log-likelihood) for this epoch, when the model has one. */
  readonly loss?: number;
  /** Validation loss, when a validation split is used. */
  readonly valLoss?: number;
  /** Training throughput in samples per second. */
  readonly samplesPerSecond?: number;
  /** Free-form message. */
  readonly message?: string;
}

/** Options every `fit` accepts. */
export interface FitOptions {
  /** Seed for every random choice of this fit (overrides the constructor's seed). */
  readonly seed?: number;
  /** Called after every epoch or iteration. */
  readonly onProgress?: (p: Progress) => void;
  /** Cancels fitting: `fit` throws `AbortError` at the next epoch boundary. */
  readonly signal?: AbortSignal;
  /** Feature names (one per column), kept for explanations. */
  readonly featureNames?: readonly string[];
}

/** Tagged, versioned JSON of a fitted model, as `toJSON()` returns it and `loadModel` reads it. */
export interface ModelJSON {
  /** Persistence tag, e.g. `"autoencoder"`. */
  readonly kind: string;
  /** Format version of this kind. */
  readonly version: number;
  /** Hyperparameters (constructor options). */
  readonly config: Record<string, unknown>;
  /** Learned state: plain numbers and arrays only. */
  readonly state: Record<string, unknown>;
}

/**
 * The contract every energy satisfies — ours and any a user writes. Higher energy = more anomalous.
 *
 * @example
 * ```ts
 * const model: EnergyModel = new GaussianDensity();
 * model.fit(train);
 * const e = model.energy(test); // Float64Array, one energy per row
 * ```
 */
export interface EnergyModel {
  /** Persistence tag, e.g. `"gaussian"`. */
  readonly kind: string;
  /** Number of features seen in `fit`; throws `NotFittedError` before fit. */
  readonly nFeatures: number;
  /** Feature names given to `fit`, if any. */
  readonly featureNames: readonly string[] | undefined;
  /** Whether `contributions` is an exact per-feature split of the energy. */
  readonly hasContributions: boolean;
  /** Whether the model has been fitted (or loaded). */
  readonly fitted: boolean;
  /** Fits on X (rows = samples); replaces any earlier state; returns the model. */
  fit(X: MatrixLike, options?: FitOptions): this;
  /** Like `fit`, but yields to the event loop between epochs (optional; `BaseEnergyModel` provides it). */
  fitAsync?(X: MatrixLike, options?: FitOptions): Promise<this>;
  /**
   * Whether `fitStream` can fit the model on rows read in passes (optional; absent = false). Training in
   * bounded memory uses it, and a seeded sample of the rows for models without it.
   */
  readonly streamable?: boolean;
  /** Fits on rows read in passes ({@link RowSource}) in memory that does not grow with the rows (optional). */
  fitStream?(rows: RowSource, options?: FitOptions): this;
  /** Energies of every row; row i's energy does not depend on the other rows. */
  energy(X: MatrixLike): Float64Array;
  /** Energy of one sample. */
  energyOne(x: ArrayLike<number>): number;
  /** Exact per-feature split: rows sum to `energy` (up to a model-documented constant). */
  contributions?(X: MatrixLike): Matrix;
  /**
   * Energies of rows that were in the training set, scored as the model would score them had it not seen
   * them — for models that keep their training rows (neighbour densities), each row without its own copy
   * (leave-one-out). Optional: without it, training energies are `energy(X)`. Used wherever training
   * energies stand in for energies of new rows (the ensemble's normalisers).
   */
  trainingEnergy?(X: MatrixLike): Float64Array;
  /** Tagged, versioned JSON. */
  toJSON(): ModelJSON;
}
