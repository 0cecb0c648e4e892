import {
  AbortError,
  describeValue,
  InputTypeError,
  ModelFormatError,
  message,
  NotFittedError,
  ParameterError,
  ShapeError,
  UnsupportedError,
} from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';
import type { RowSource } from '../matrix/RowSource.js';
import { checkFiniteRows, type MatrixLike, toMatrix, toVector } from '../matrix/toMatrix.js';
import { Rng } from '../random/Rng.js';
import type { EnergyModel, FitOptions, ModelJSON, Progress } from './EnergyModel.js';
import { readInt, readObject, readOptionalStringArray } from './jsonReaders.js';
import { MAX_FEATURES } from './limits.js';

/**
 * What {@link BaseEnergyModel} hands to a subclass's `fitImpl`: the seeded generator, progress reporting
 * and cancellation.
 *
 * @example
 * ```ts
 * protected fitImpl(X: Matrix, ctx: FitContext): MyState {
 *   for (let epoch = 1; epoch <= this.epochs; epoch++) {
 *     const loss = step(X, ctx.rng);
 *     ctx.report({ epoch, epochs: this.epochs, loss }); // calls onProgress, then throws AbortError if aborted
 *   }
 *   return state;
 * }
 * ```
 */
export interface FitContext {
  /** The generator every random choice of this fit draws from, seeded with {@link FitContext.seed}. */
  readonly rng: Rng;
  /** The resolved seed: `options.seed ?? constructor seed ?? 0`. */
  readonly seed: number;
  /** Feature names given to `fit`, if any (one per column, already checked). */
  readonly featureNames: readonly string[] | undefined;
  /** The public API name for error messages, e.g. `GaussianMixture.fit`. */
  readonly api: string;
  /** Calls the caller's `onProgress` (if any), then {@link FitContext.checkAborted}. */
  report(p: Progress): void;
  /** Throws `AbortError` when the caller's `AbortSignal` has fired. */
  checkAborted(): void;
  /** Resolves after yielding to the event loop (for `fitAsync` implementations between epochs). */
  yieldToEventLoop(): Promise<void>;
}

/**
 * Checks an optional constructor seed: `undefined` or a finite number.
 *
 * @example
 * ```ts
 * checkSeed('MyModel', 42); // 42
 * ```
 */
export function checkSeed(api: string, seed: unknown): number | undefined {
  if (seed === undefined) return undefined;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new ParameterError(
      message(api, 'seed must be a finite number', 'a finite number', describeValue(seed)),
    );
  }
  return seed;
}

/**
 * Energies are computed from finite, checked rows, so a NaN can only come from an intermediate overflow
 * (∞ − ∞ or ∞ · 0 when a far-out row drives some term past the floating-point range). Such a row lies
 * beyond every bound the model can express; it is reported as +Infinity — flagged by any threshold — never
 * as a NaN that would silently pass every comparison.
 */
function overflowToInfinity(e: Float64Array): Float64Array {
  for (let i = 0; i < e.length; i++) if (Number.isNaN(e[i] as number)) e[i] = Number.POSITIVE_INFINITY;
  return e;
}

/**
 * Base class of every energy: does the boundary work once so that subclasses only write the maths.
 *
 * - `fit(X, options)` converts and checks `X` with `toMatrix`, checks the `AbortSignal`, resolves the seed
 *   (`options.seed ?? constructor seed ?? 0`), clears any earlier state, calls {@link BaseEnergyModel.fitImpl}
 *   and stores what it returns.
 * - `energy(X)` throws `NotFittedError` before fit, checks that `X` has `nFeatures` columns (a `ShapeError`
 *   naming both counts), then calls {@link BaseEnergyModel.energyImpl}. A NaN it returns for a (checked,
 *   finite) row is an intermediate overflow (∞ − ∞, ∞ · 0) and becomes +Infinity: the documented overflow,
 *   which every threshold flags, instead of a NaN that compares false with every threshold.
 * - `contributions(X)` works when the subclass implements `contributionsImpl` (see `hasContributions`).
 * - `toJSON()` gives `{ kind, version, config, state }`: `config` is {@link BaseEnergyModel.configToJSON} plus
 *   `seed` (when set); `state` is {@link BaseEnergyModel.stateToJSON} plus `nFeatures` and `featureNames`.
 *   A loader rebuilds the model with its constructor and {@link BaseEnergyModel.restore}.
 *
 * Subclass constructors check their hyperparameters and throw `ParameterError`.
 *
 * @typeParam State - the learned state, kept in one private field.
 *
 * @example
 * ```ts
 * class MeanDistance extends BaseEnergyModel<Float64Array> {
 *   readonly kind = 'mean-distance';
 *   readonly formatVersion = 1;
 *   protected fitImpl(X: Matrix): Float64Array { return columnMeans(X); }
 *   protected energyImpl(X: Matrix, mean: Float64Array): Float64Array { return squaredDistances(X, mean); }
 *   protected configToJSON() { return {}; }
 *   protected stateToJSON(mean: Float64Array) { return { mean: Array.from(mean) }; }
 * }
 * ```
 */
export abstract class BaseEnergyModel<State> implements EnergyModel {
  /** Persistence tag, e.g. `"gaussian"`. */
  abstract readonly kind: string;
  /** Format version written by `toJSON` (and accepted by the loader). */
  abstract readonly formatVersion: number;
  /** The constructor's seed, if any. */
  protected readonly seed: number | undefined;

  private learned: State | undefined = undefined;
  private nFeat = 0;
  private names: readonly string[] | undefined = undefined;

  /** @param seed - default seed of `fit` (a finite number); `options.seed` overrides it. */
  constructor(seed?: number) {
    this.seed = checkSeed(new.target.name, seed);
  }

  /** The class name used in error messages, e.g. `GaussianDensity`. */
  protected get apiName(): string {
    return this.constructor.name;
  }

  /** Fits on a checked matrix and returns the learned state. Must not touch earlier state. */
  protected abstract fitImpl(X: Matrix, ctx: FitContext): State;
  /** Energies of a checked matrix with `nFeatures` columns. */
  protected abstract energyImpl(X: Matrix, state: State): Float64Array;
  /** Hyperparameters as plain JSON (what the constructor needs). */
  protected abstract configToJSON(): Record<string, unknown>;
  /** Learned state as plain JSON (numbers, strings, arrays, objects). */
  protected abstract stateToJSON(state: State): Record<string, unknown>;
  /** Exact per-feature split of the energy; rows sum to `energyImpl`. Optional. */
  protected contributionsImpl?(X: Matrix, state: State): Matrix;
  /**
   * Optional, for a model whose scoring pass reads every input value anyway (e.g. converting the rows
   * inside WebAssembly) and can tell in the same pass whether one was ±∞ or NaN: the energies of X (shape
   * checked, values not), or `null` when X holds a non-finite value — then `energy` scans X and throws
   * the usual error naming the first one. Return `undefined` to have X scanned first, as without this
   * method. The energies must equal `energyImpl`'s bit for bit.
   */
  protected energyImplUnchecked?(X: Matrix, state: State): Float64Array | null | undefined;
  /**
   * Fits on rows read in passes ({@link RowSource}) in memory that does not grow with the row count;
   * returns the learned state. Optional: models that implement it are {@link BaseEnergyModel.streamable}.
   */
  protected fitStreamImpl?(rows: RowSource, ctx: FitContext): State;
  /**
   * The async fit; by default runs {@link BaseEnergyModel.fitImpl}. Models with epochs may override it and
   * `await ctx.yieldToEventLoop()` between epochs.
   */
  protected fitImplAsync(X: Matrix, ctx: FitContext): Promise<State> {
    return Promise.resolve(this.fitImpl(X, ctx));
  }

  /** Whether the model has been fitted (or loaded). */
  get fitted(): boolean {
    return this.learned !== undefined;
  }

  /** Number of features seen in `fit`; throws `NotFittedError` before fit. */
  get nFeatures(): number {
    if (this.learned === undefined) throw new NotFittedError(`${this.apiName}.nFeatures`);
    return this.nFeat;
  }

  /** Feature names given to `fit`, if any. */
  get featureNames(): readonly string[] | undefined {
    return this.names;
  }

  /**
   * Whether {@link BaseEnergyModel.fitStream} can fit this model on rows read in passes (the subclass
   * implements `fitStreamImpl`; a subclass may narrow it by its hyperparameters).
   */
  get streamable(): boolean {
    return typeof this.fitStreamImpl === 'function';
  }

  /** Whether `contributions` is available (the subclass implements `contributionsImpl`). */
  get hasContributions(): boolean {
    return typeof this.contributionsImpl === 'function';
  }

  /**
   * Releases what a learned state holds outside the JavaScript heap (e.g. WebAssembly memory); called
   * when fitting replaces the state and by {@link BaseEnergyModel.dispose}. The default does nothing.
   */
  protected releaseState(_state: State): void {}

  /**
   * Releases memory the model keeps outside the JavaScript heap between calls (WebAssembly buffers
   * cached for scoring). The model stays fitted and usable: the next call allocates again. A
   * FinalizationRegistry frees such memory anyway when the model is collected; `dispose` frees it now.
   *
   * @example
   * ```ts
   * const ae = new Autoencoder().fit(X);
   * ae.energy(X);
   * ae.dispose(); // WebAssembly scoring buffers released; ae.energy(X) still works
   * ```
   */
  dispose(): void {
    if (this.learned !== undefined) this.releaseState(this.learned);
  }

  /** The learned state; throws `NotFittedError` naming `api` before fit. */
  protected stateFor(api: string): State {
    if (this.learned === undefined) throw new NotFittedError(`${this.apiName}.${api}`);
    return this.learned;
  }

  private prepareFit(X: MatrixLike, options: FitOptions, method: string): { m: Matrix; ctx: FitContext } {
    const api = `${this.apiName}.${method}`;
    checkFitOptions(api, options);
    const m = toMatrix(X, { api });
    return { m, ctx: this.startFit(api, m.cols, options) };
  }

  /** The fit context for `cols` columns (options already checked); clears earlier state. */
  private startFit(api: string, cols: number, options: FitOptions): FitContext {
    const signal = options.signal;
    const seed = checkSeed(api, options.seed) ?? this.seed ?? 0;
    const names = options.featureNames;
    if (names !== undefined) {
      if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
        throw new InputTypeError(
          message(api, 'featureNames must be an array of strings', 'string[]', describeValue(names)),
        );
      }
      if (names.length !== cols) {
        throw new ShapeError(
          message(api, 'featureNames has the wrong length', `${cols} (one per column)`, `${names.length}`),
        );
      }
    }
    const onProgress = options.onProgress;
    const checkAborted = (): void => {
      if (signal?.aborted) throw new AbortError(api);
    };
    const ctx: FitContext = {
      rng: new Rng(seed),
      seed,
      featureNames: names === undefined ? undefined : names.slice(),
      api,
      report(p: Progress): void {
        if (onProgress !== undefined) onProgress(p);
        checkAborted();
      },
      checkAborted,
      yieldToEventLoop(): Promise<void> {
        return new Promise((resolve) => setTimeout(resolve, 0));
      },
    };
    // Clear earlier state before fitting: a failed fit leaves the model unfitted, never half old, half new.
    if (this.learned !== undefined) this.releaseState(this.learned);
    this.learned = undefined;
    this.nFeat = 0;
    this.names = undefined;
    return ctx;
  }

  private store(state: State, cols: number, ctx: FitContext): this {
    this.learned = state;
    this.nFeat = cols;
    this.names = ctx.featureNames;
    return this;
  }

  /**
   * Fits on X (rows = samples), replacing any earlier state; returns the model.
   *
   * @example
   * ```ts
   * model.fit(train, { seed: 1, onProgress: (p) => console.log(p.epoch, p.loss) });
   * ```
   */
  fit(X: MatrixLike, options: FitOptions = {}): this {
    const { m, ctx } = this.prepareFit(X, options, 'fit');
    return this.store(this.fitImpl(m, ctx), m.cols, ctx);
  }

  /**
   * Like {@link BaseEnergyModel.fit}, but returns a promise; models with epochs yield to the event loop
   * between epochs, so an `AbortSignal` fired from a timer or a UI is seen.
   *
   * @example
   * ```ts
   * await model.fitAsync(train, { signal: AbortSignal.timeout(10_000) });
   * ```
   */
  async fitAsync(X: MatrixLike, options: FitOptions = {}): Promise<this> {
    const { m, ctx } = this.prepareFit(X, options, 'fitAsync');
    const state = await this.fitImplAsync(m, ctx);
    return this.store(state, m.cols, ctx);
  }

  /**
   * Fits on rows read in passes — a {@link RowSource} such as a file of feature rows — in memory that does
   * not grow with the number of rows, replacing any earlier state; for models whose
   * {@link BaseEnergyModel.streamable} is true (`UnsupportedError` otherwise). The result equals `fit` on
   * the same rows in one matrix up to rounding (see each model for what it reads and how often).
   *
   * @example
   * ```ts
   * const g = new GaussianDensity().fitStream(matrixRows(X, 8192)); // = fit(X), up to rounding
   * ```
   */
  fitStream(rows: RowSource, options: FitOptions = {}): this {
    const api = `${this.apiName}.fitStream`;
    checkFitOptions(api, options);
    const impl = this.fitStreamImpl;
    if (!this.streamable || impl === undefined) {
      throw new UnsupportedError(
        message(
          api,
          `this ${this.kind} model cannot be fitted in passes`,
          'a streamable model (streamable: true)',
          'streamable: false',
        ),
      );
    }
    if (rows === null || typeof rows !== 'object' || typeof rows.blocks !== 'function') {
      throw new InputTypeError(
        message(api, 'rows must be a RowSource', '{ cols, blocks() }', describeValue(rows)),
      );
    }
    if (!Number.isInteger(rows.cols) || rows.cols < 1) {
      throw new ShapeError(
        message(api, 'rows.cols must be a positive integer', 'an integer ≥ 1', describeValue(rows.cols)),
      );
    }
    const ctx = this.startFit(api, rows.cols, options);
    return this.store(impl.call(this, rows, ctx), rows.cols, ctx);
  }

  /** Checks X against the fitted feature count; throws NotFittedError first if unfitted. */
  protected checkInput(X: MatrixLike, method: string): { m: Matrix; state: State } {
    const state = this.stateFor(method);
    const m = toMatrix(X, { api: `${this.apiName}.${method}`, cols: this.nFeat });
    return { m, state };
  }

  /**
   * Energies of every row (higher = more anomalous); row i does not depend on the other rows.
   *
   * @example
   * ```ts
   * const e = model.energy([[0, 1], [5, 5]]);
   * ```
   */
  energy(X: MatrixLike): Float64Array {
    const api = `${this.apiName}.energy`;
    return this.energyOfBlock(X, api, 0);
  }

  /**
   * {@link BaseEnergyModel.energy} of a block of rows of a larger batch: a non-finite value is reported
   * as `api: non-finite value at row i + rowOffset, column j` (a worker pool scores a batch block by block
   * and names rows of the whole batch). The values are checked by the model's own pass where it has one
   * (see `energyImplUnchecked`), else by a scan first.
   *
   * @example
   * ```ts
   * const e = model.energyOfBlock(block, 'ScoringPool.energy', firstRowOfBlock);
   * ```
   */
  energyOfBlock(X: MatrixLike, api: string, rowOffset: number): Float64Array {
    const state = this.stateFor('energy');
    const m = toMatrix(X, { api, cols: this.nFeat, checkFinite: false });
    if (this.energyImplUnchecked !== undefined) {
      // one pass: the model notices non-finite values while it reads the rows; only then are they scanned
      const e = this.energyImplUnchecked(m, state);
      if (e !== null && e !== undefined) return overflowToInfinity(e);
    }
    checkFiniteRows(m, api, 0, m.rows, rowOffset); // throws at the first non-finite value
    return overflowToInfinity(this.energyImpl(m, state));
  }

  /**
   * {@link BaseEnergyModel.energy} for a caller that has already checked every value of `X` for
   * finiteness (a worker pool checks each block in parallel and names rows of the whole batch): the
   * shape and fit are still checked, only the second scan of the values is skipped. Not for everyday use:
   * values that were not checked give +Infinity energies (as an overflow does) instead of an error.
   *
   * @example
   * ```ts
   * checkFiniteRows(m, 'ScoringPool.energy', 0, m.rows);
   * const e = model.energyOfCheckedRows(m);
   * ```
   */
  energyOfCheckedRows(X: Matrix): Float64Array {
    const state = this.stateFor('energy');
    const m = toMatrix(X, { api: `${this.apiName}.energy`, cols: this.nFeat, checkFinite: false });
    return overflowToInfinity(this.energyImpl(m, state));
  }

  /**
   * Energy of one sample.
   *
   * @example
   * ```ts
   * model.energyOne([0.5, 1.5]);
   * ```
   */
  energyOne(x: ArrayLike<number>): number {
    const state = this.stateFor('energyOne');
    const v = toVector(x, { api: `${this.apiName}.energyOne`, cols: this.nFeat });
    return overflowToInfinity(this.energyImpl(new Matrix(1, this.nFeat, v), state))[0] as number;
  }

  /**
   * Exact per-feature split of the energy: an n×nFeatures matrix whose rows sum to `energy(X)`.
   * Throws when the model has none (`hasContributions` is false).
   *
   * @example
   * ```ts
   * if (model.hasContributions) model.contributions(X).row(0);
   * ```
   */
  contributions(X: MatrixLike): Matrix {
    const api = `${this.apiName}.contributions`;
    if (this.contributionsImpl === undefined) {
      throw new UnsupportedError(
        message(
          api,
          'this model has no exact per-feature split',
          'a model with hasContributions = true',
          'false',
        ),
      );
    }
    const { m, state } = this.checkInput(X, 'contributions');
    return this.contributionsImpl(m, state);
  }

  /**
   * Tagged, versioned JSON: `{ kind, version, config, state }`.
   *
   * @example
   * ```ts
   * const text = JSON.stringify(model.toJSON());
   * const again = loadModel(text);
   * ```
   */
  toJSON(): ModelJSON {
    const state = this.stateFor('toJSON');
    const config: Record<string, unknown> = { ...this.configToJSON() };
    if (this.seed !== undefined) config.seed = this.seed;
    const s: Record<string, unknown> = { ...this.stateToJSON(state), nFeatures: this.nFeat };
    if (this.names !== undefined) s.featureNames = this.names.slice();
    return { kind: this.kind, version: this.formatVersion, config, state: s };
  }

  /**
   * Replaces the learned state (for incremental updates such as `partialFit` and `merge`), keeping or setting
   * the feature count and names. For use by subclasses only.
   *
   * @example
   * ```ts
   * this.adoptState(updated, this.nFeatures, this.featureNames);
   * ```
   */
  protected adoptState(state: State, nFeatures: number, featureNames: readonly string[] | undefined): void {
    this.learned = state;
    this.nFeat = nFeatures;
    this.names = featureNames === undefined ? undefined : featureNames.slice();
  }

  /**
   * Restores a saved model into this (freshly constructed) instance: reads `nFeatures` and `featureNames`
   * from `json.state`, checks the version, and calls `read` for the rest. For use in loaders.
   *
   * @example
   * ```ts
   * static fromJSON(json: ModelJSON): MeanDistance {
   *   return new MeanDistance().restore(json, 'MeanDistance.fromJSON', (s, d) => readFloat64Array(s, 'mean', d, api));
   * }
   * ```
   */
  protected restore(
    json: ModelJSON,
    api: string,
    read: (state: Record<string, unknown>, nFeatures: number) => State,
  ): this {
    if (json.kind !== this.kind) {
      throw new ModelFormatError(
        message(api, 'wrong kind', JSON.stringify(this.kind), JSON.stringify(json.kind)),
      );
    }
    if (json.version !== this.formatVersion) {
      throw new ModelFormatError(
        message(api, 'unsupported format version', `${this.formatVersion}`, describeValue(json.version)),
      );
    }
    const s = readObject(json as unknown as Record<string, unknown>, 'state', api);
    const d = readInt(s, 'nFeatures', api, { min: 1, max: MAX_FEATURES });
    const names = readOptionalStringArray(s, 'featureNames', d, api);
    const state = read(s, d);
    this.learned = state;
    this.nFeat = d;
    this.names = names;
    return this;
  }
}

function checkFitOptions(api: string, options: FitOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new InputTypeError(message(api, 'options must be an object', 'an object', describeValue(options)));
  }
  if (options.signal?.aborted) throw new AbortError(api);
}
