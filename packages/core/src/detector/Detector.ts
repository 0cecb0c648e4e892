import {
  describeValue,
  InputTypeError,
  ModelFormatError,
  message,
  NotFittedError,
  ParameterError,
  ValueError,
} from '../errors.js';
import type { Matrix } from '../matrix/Matrix.js';
import { type MatrixLike, toMatrix } from '../matrix/toMatrix.js';
import type { EnergyModel, FitOptions } from '../model/EnergyModel.js';
import { readArray, readFloat64Array, readInt, readObject, readString } from '../model/jsonReaders.js';
import { MAX_ARRAY_LENGTH } from '../model/limits.js';
import { checkModelJSON, parseModelJSON } from '../model/modelJson.js';
import { loadModel } from '../model/registry.js';
import { Rng } from '../random/Rng.js';
import { loadScaler } from '../scale/loadScaler.js';
import { CalibrationSet } from './CalibrationSet.js';
import { conformalRank, minCalibrationRows } from './minCalibrationRows.js';

/**
 * What a {@link Detector} needs from a scaler: `transform` (and optionally `fit`, which `Detector.fit` calls
 * on the training rows) and `toJSON` for persistence. The scalers of `@nexus/ebm-core` satisfy it.
 */
export interface Transformer {
  /** Maps rows to scaled rows (same row count). */
  transform(X: MatrixLike): Matrix;
  /** Learns the scaling from training rows; called by `Detector.fit` when present. */
  fit?(X: MatrixLike): unknown;
  /** JSON that the transformer loader given to `Detector.fromJSON` (or registered) can read back. */
  toJSON(): unknown;
}

/**
 * Rebuilds a {@link Transformer} from its JSON.
 */
export type TransformerLoader = (json: unknown) => Transformer;

// The library's scalers save as `{ kind: 'scaler', type, … }` and load with `loadScaler`.
const transformerRegistry: Map<string, TransformerLoader> = new Map([
  ['scaler', (json: unknown) => loadScaler(json)],
]);

/**
 * Registers a loader for transformer (scaler) JSON whose `kind` field is `kind`, so that
 * `Detector.fromJSON` can restore detectors that use it.
 *
 * @example
 * ```ts
 * class Log1pTransformer implements Transformer {
 *   transform(X: MatrixLike): Matrix {
 *     const m = toMatrix(X).clone();
 *     for (let i = 0; i < m.data.length; i++) m.data[i] = Math.log1p(m.data[i] as number);
 *     return m;
 *   }
 *   toJSON(): unknown { return { kind: 'log1p' }; } // the library's scalers save as kind 'scaler'
 * }
 * registerTransformer('log1p', () => new Log1pTransformer());
 * Detector.fromJSON(savedText); // restores detectors whose scaler JSON has kind 'log1p'
 * ```
 */
export function registerTransformer(kind: string, load: TransformerLoader): void {
  if (typeof kind !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(kind)) {
    throw new ParameterError(
      message('registerTransformer', 'invalid kind', 'an identifier like "standard"', describeValue(kind)),
    );
  }
  if (typeof load !== 'function') {
    throw new InputTypeError(
      message('registerTransformer', 'load must be a function', 'a function', describeValue(load)),
    );
  }
  transformerRegistry.set(kind, load);
}

/**
 * Options of the {@link Detector} constructor.
 */
export interface DetectorOptions {
  /** The energy model (fitted or not: `Detector.fit` fits it). */
  readonly model: EnergyModel;
  /** Optional scaler applied before the model. */
  readonly scaler?: Transformer;
  /** Fraction of training rows held back to calibrate p-values and the threshold (default 0.2; 0 = reuse training rows). */
  readonly calibrationFraction?: number;
  /** Target false-alarm rate that sets the threshold after fitting (default 0.01). */
  readonly falseAlarmRate?: number;
  /**
   * Which rows `fit` holds back for calibration: `'random'` (a seeded random share, the default: rows of a
   * matrix carry no time) or `'latest'` (the last rows, for rows in time order: calibrating on the most
   * recent data is what later data resemble most).
   */
  readonly holdout?: 'random' | 'latest';
  /**
   * Accept a coarser threshold when there are too few calibration rows for `falseAlarmRate` (fewer than
   * {@link minCalibrationRows}): the threshold is then the largest calibration energy, whose false-alarm
   * rate is 1/(n + 1) > `falseAlarmRate` ({@link Detector.effectiveFalseAlarmRate}). Default false: such a
   * rate is an error (a detector that can never flag is a silent wrong answer).
   */
  readonly allowCoarseThreshold?: boolean;
}

/**
 * Options of {@link Detector.fit}.
 */
export interface DetectorFitOptions extends FitOptions {
  /**
   * Calibration rows held back by the caller (for example the most recent events, featurized as a later
   * scoring run would see them). When given, every row of `X` trains and these rows calibrate;
   * `calibrationFraction` and `holdout` are not used.
   */
  readonly calibrationRows?: MatrixLike;
}

/**
 * Tagged, versioned JSON of a {@link Detector}.
 */
export interface DetectorJSON {
  /** Always `"detector"`. */
  readonly kind: 'detector';
  /** Format version: 2 (what this library writes); files of version 1 still load. */
  readonly version: number;
  /** The model's JSON (see `loadModel`). */
  readonly model: unknown;
  /** The scaler's JSON, or null. */
  readonly scaler: unknown;
  /** The flag threshold; null means "never flag" (an unreachable false-alarm target). */
  readonly threshold: number | null;
  /**
   * Held-back calibration energies, ascending: every one (at most 65,536 of them), or the bounded set's
   * grid quantiles followed by its exact upper tail.
   */
  readonly calibration: number[];
  /** How many calibration energies were counted (version 2; version 1 files: the array's length). */
  readonly calibrationCount?: number;
  /** How many of the kept energies form the exact upper tail (version 2; the count when all are kept). */
  readonly calibrationTail?: number;
  /** Configured options (`holdout` and `allowCoarseThreshold` may be absent in files of older versions). */
  readonly config: {
    readonly calibrationFraction: number;
    readonly falseAlarmRate: number;
    readonly holdout?: 'random' | 'latest';
    readonly allowCoarseThreshold?: boolean;
  };
}

/**
 * Options of {@link Detector.fromJSON}.
 *
 * @example
 * ```ts
 * Detector.fromJSON(text, { loadScaler: (json) => MyScaler.fromJSON(json) });
 * ```
 */
export interface DetectorFromJSONOptions {
  /** Loads the scaler's JSON; default: the loader registered for its `kind` with {@link registerTransformer}. */
  readonly loadScaler?: TransformerLoader;
}

function checkFraction(
  api: string,
  name: string,
  v: unknown,
  lo: number,
  hi: number,
  openLo: boolean,
): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (openLo ? v <= lo : v < lo) || v >= hi) {
    throw new ParameterError(
      message(
        api,
        `${name} is out of range`,
        `a number in ${openLo ? '(' : '['}${lo}, ${hi})`,
        describeValue(v),
      ),
    );
  }
  return v;
}

/**
 * Joins an optional scaler, an energy model and a threshold into one detector.
 *
 * - `score(X)` gives energies (higher = more anomalous), `predict(X)` flags rows whose energy is above the
 *   threshold (1 = anomaly), `pValue(X)` gives conformal p-values `(1 + #{c ≥ e}) / (n + 1)` against the
 *   held-back calibration energies `c` (small = unusual; valid when test and calibration rows are
 *   exchangeable).
 * - The threshold changes without refitting: {@link Detector.setThreshold} or
 *   {@link Detector.setFalseAlarmRate}. With a false-alarm rate α, `predict(X)[i] === 1` exactly when
 *   `pValue(X)[i] ≤ α`, so the false-alarm rate on clean data is at most α.
 *
 * @example
 * ```ts
 * const det = new Detector({ model: new GaussianDensity(), falseAlarmRate: 0.01 }).fit(train, { seed: 1 });
 * det.predict(test);          // Uint8Array of 0/1
 * det.pValue(test);           // Float64Array in (0, 1]
 * det.setFalseAlarmRate(0.001);
 * const again = Detector.fromJSON(JSON.stringify(det.toJSON()));
 * ```
 */
export class Detector {
  /** The energy model. */
  readonly model: EnergyModel;
  /** The scaler, if any. */
  readonly scaler: Transformer | undefined;
  /** Fraction of training rows held back for calibration. */
  readonly calibrationFraction: number;
  /** Which rows `fit` holds back (see {@link DetectorOptions.holdout}). */
  readonly holdout: 'random' | 'latest';
  /** Whether a coarser threshold is accepted when calibration rows are too few (see {@link DetectorOptions.allowCoarseThreshold}). */
  readonly allowCoarseThreshold: boolean;
  private far: number;
  private coarse = false;
  private thr: number | undefined = undefined;
  private cal: CalibrationSet | undefined = undefined;
  /** The rate the threshold delivers when a bounded set puts it between grid quantiles (else undefined). */
  private gridRate: number | undefined = undefined;
  private ties = false;
  /** The threshold's rank from the top among the calibration energies, when it was set from a rate. */
  private rank: number | undefined = undefined;

  /** @param options - the model, optional scaler, calibration fraction and false-alarm rate. */
  constructor(options: DetectorOptions) {
    const api = 'Detector';
    if (options === null || typeof options !== 'object') {
      throw new InputTypeError(
        message(api, 'options must be an object', '{ model, … }', describeValue(options)),
      );
    }
    const m = options.model as Partial<EnergyModel> | undefined;
    if (
      m === null ||
      typeof m !== 'object' ||
      typeof m.energy !== 'function' ||
      typeof m.fit !== 'function'
    ) {
      throw new InputTypeError(
        message(api, 'model must be an EnergyModel', 'an EnergyModel', describeValue(m)),
      );
    }
    const s = options.scaler as Partial<Transformer> | undefined;
    if (s !== undefined && (s === null || typeof s !== 'object' || typeof s.transform !== 'function')) {
      throw new InputTypeError(
        message(api, 'scaler must have a transform method', 'a Transformer', describeValue(s)),
      );
    }
    this.model = options.model;
    this.scaler = options.scaler;
    this.calibrationFraction = checkFraction(
      api,
      'calibrationFraction',
      options.calibrationFraction ?? 0.2,
      0,
      1,
      false,
    );
    this.far = checkFraction(api, 'falseAlarmRate', options.falseAlarmRate ?? 0.01, 0, 1, true);
    const h = options.holdout ?? 'random';
    if (h !== 'random' && h !== 'latest') {
      throw new ParameterError(message(api, 'unknown holdout', "'random' | 'latest'", describeValue(h)));
    }
    this.holdout = h;
    const c = options.allowCoarseThreshold ?? false;
    if (typeof c !== 'boolean') {
      throw new ParameterError(
        message(api, 'allowCoarseThreshold must be a boolean', 'true or false', describeValue(c)),
      );
    }
    this.allowCoarseThreshold = c;
  }

  /** The current threshold (energy above it = anomaly); `Infinity` = never flag. Throws before fit/calibrate. */
  get threshold(): number {
    if (this.thr === undefined) throw new NotFittedError('Detector.threshold');
    return this.thr;
  }

  /** The false-alarm rate the threshold was last set from (or the configured one). */
  get falseAlarmRate(): number {
    return this.far;
  }

  /**
   * Whether the threshold is coarser than {@link Detector.falseAlarmRate}: too few calibration rows, accepted
   * with `allowCoarseThreshold` (false before fit, and after {@link Detector.setThreshold}).
   */
  get coarseThreshold(): boolean {
    return this.coarse;
  }

  /**
   * Whether calibration energies tie with the threshold, so that fewer of them lie above it than its
   * position says and the threshold delivers a lower rate ({@link Detector.effectiveFalseAlarmRate}) than
   * requested. Energies that take few distinct values (an average of many bounded scores, counts) do this.
   */
  get thresholdTies(): boolean {
    return this.rank !== undefined && this.ties;
  }

  /**
   * The false-alarm rate the threshold delivers on data like the calibration rows: the requested rate;
   * 1/(n + 1) when the threshold is coarse (n calibration rows); k/(n + 1) for its rank k when a bounded set
   * keeps a quantile above the requested position or calibration energies tie with the threshold.
   */
  get effectiveFalseAlarmRate(): number {
    if (this.coarse) return 1 / ((this.cal?.count ?? 0) + 1);
    return this.gridRate ?? this.far;
  }

  /**
   * The threshold's rank k from the top among the {@link Detector.calibrationCount} n calibration energies:
   * it is their k-th largest, k = ⌊α(n + 1)⌋ for rate α (1 for a coarse threshold; the kept quantile's rank
   * when a bounded set rounds the position up). Undefined before fit/calibrate and for a threshold set by
   * value. When later normal events are exchangeable with the calibration rows, the number of m of them
   * above the threshold is Beta-Binomial(m, k, n + 1 − k): pass `{ calibration: n, rank: k, events: m }`
   * to `falseAlarmRange` for the range that sampling alone explains.
   */
  get thresholdRank(): number | undefined {
    return this.rank;
  }

  /**
   * A copy of the kept calibration energies, ascending (empty before fit/calibrate): every energy when
   * there are at most 65,536 of them, else the bounded set's order statistics (see
   * {@link Detector.calibrationCount}).
   */
  get calibrationEnergies(): Float64Array {
    return this.cal === undefined ? new Float64Array(0) : this.cal.kept.slice();
  }

  /**
   * How many calibration energies were counted (0 before fit/calibrate). Above 65,536 the detector keeps
   * only their upper tail — every energy the thresholds for rates up to 10× the calibrated one need, at
   * least 1,000 — and 4,096 evenly spaced quantiles below it: thresholds in that range and p-values in the
   * tail are exact, other p-values are interpolated (off by less than about 1/4,095).
   */
  get calibrationCount(): number {
    return this.cal?.count ?? 0;
  }

  /** Whether the detector is ready to predict (fitted or calibrated). */
  get fitted(): boolean {
    return this.thr !== undefined && this.model.fitted;
  }

  private transform(X: MatrixLike): MatrixLike {
    return this.scaler === undefined ? X : this.scaler.transform(X);
  }

  /**
   * Fits the scaler (when it has `fit`) and the model, holding back `calibrationFraction` of the rows (a
   * seeded random share, or the last rows with `holdout: 'latest'`) and calibrating on their energies;
   * then sets the threshold from the false-alarm rate. With `calibrationFraction` 0 the training energies
   * calibrate (optimistic); with `options.calibrationRows` those rows calibrate and all of `X` trains.
   * Too few calibration rows for the false-alarm rate ({@link minCalibrationRows}) is a `ValueError`
   * before anything is trained, unless `allowCoarseThreshold` is set.
   *
   * @example
   * ```ts
   * det.fit(train, { seed: 7 });
   * ```
   */
  fit(X: MatrixLike, options: DetectorFitOptions = {}): this {
    const api = 'Detector.fit';
    const m = toMatrix(X, { api });
    const n = m.rows;
    let trainRows: Matrix = m;
    let calRows: Matrix | undefined;
    const { calibrationRows, ...fitOptions } = options;
    if (calibrationRows !== undefined) {
      calRows = toMatrix(calibrationRows, { api: `${api} (calibrationRows)` });
      if (calRows.cols !== m.cols) {
        throw new ValueError(
          message(api, 'calibrationRows have the wrong width', `${m.cols} columns`, `${calRows.cols}`),
        );
      }
      this.checkCalibrationSize(api, calRows.rows, 'calibration rows given');
    } else if (this.calibrationFraction > 0) {
      const nCal = Math.round(this.calibrationFraction * n);
      if (nCal < 1 || n - nCal < 1) {
        throw new ValueError(
          message(
            api,
            `too few rows to hold back ${this.calibrationFraction} for calibration`,
            'at least one training and one calibration row',
            `${n} rows`,
          ),
        );
      }
      this.checkCalibrationSize(
        api,
        nCal,
        `rows held back (calibrationFraction ${this.calibrationFraction} of ${n} rows)`,
      );
      let calIdx: ArrayLike<number>;
      let trainIdx: ArrayLike<number>;
      if (this.holdout === 'latest') {
        trainIdx = Uint32Array.from({ length: n - nCal }, (_, i) => i);
        calIdx = Uint32Array.from({ length: nCal }, (_, i) => n - nCal + i);
      } else {
        const perm = new Rng(`detector:${options.seed ?? 0}`).permutation(n);
        calIdx = perm.subarray(0, nCal);
        trainIdx = perm.subarray(nCal);
      }
      calRows = m.selectRows(calIdx);
      trainRows = m.selectRows(trainIdx);
    } else {
      this.checkCalibrationSize(api, n, 'training rows (calibrationFraction 0)');
    }
    this.thr = undefined;
    this.cal = undefined;
    this.coarse = false;
    this.rank = undefined;
    this.ties = false;
    if (this.scaler?.fit !== undefined) this.scaler.fit(trainRows);
    this.model.fit(this.transform(trainRows), fitOptions);
    this.calibrate(calRows ?? trainRows);
    return this;
  }

  /** Refuses, before any training, a calibration set too small for the false-alarm rate. */
  private checkCalibrationSize(api: string, nCal: number, what: string): void {
    if (this.allowCoarseThreshold) return;
    const need = minCalibrationRows(this.far);
    if (nCal < need) throw new ValueError(tooFewMessage(api, this.far, need, `${nCal} ${what}`));
  }

  /**
   * Calibrates on clean rows (scaled and scored by the fitted model), then sets the threshold from the
   * false-alarm rate.
   *
   * @example
   * ```ts
   * det.calibrate(cleanHoldout);
   * ```
   */
  calibrate(X: MatrixLike): this {
    return this.calibrateEnergies(this.score(X));
  }

  /**
   * Calibrates on energies of clean rows computed elsewhere, then sets the threshold from the false-alarm rate.
   *
   * @example
   * ```ts
   * det.calibrateEnergies(model.energy(cleanHoldout));
   * ```
   */
  calibrateEnergies(energies: ArrayLike<number>): this {
    const api = 'Detector.calibrateEnergies';
    const c = CalibrationSet.fromSorted(sortedCalibration(energies, api), this.far);
    const before = this.cal;
    this.cal = c;
    try {
      this.applyRate(this.far, api);
    } catch (e) {
      this.cal = before;
      throw e;
    }
    return this;
  }

  /**
   * Sets the threshold directly (energy above it = anomaly); no refit.
   *
   * @example
   * ```ts
   * det.setThreshold(42.5);
   * ```
   */
  setThreshold(t: number): this {
    if (typeof t !== 'number' || Number.isNaN(t)) {
      throw new ParameterError(
        message('Detector.setThreshold', 'threshold must be a number', 'a number', describeValue(t)),
      );
    }
    this.thr = t;
    this.coarse = false;
    this.gridRate = undefined;
    this.rank = undefined;
    this.ties = false;
    return this;
  }

  /**
   * Sets the threshold from a target false-alarm rate α using the calibration energies: afterwards a row is
   * flagged exactly when its conformal p-value is ≤ α. When α·(n+1) < 1 no threshold can meet the target:
   * that is a `ValueError` naming the rows needed ({@link minCalibrationRows}), unless the detector was
   * built with `allowCoarseThreshold`, which sets the coarsest threshold the rows allow (the largest
   * calibration energy, a rate of 1/(n + 1); see {@link Detector.coarseThreshold}).
   *
   * @example
   * ```ts
   * det.setFalseAlarmRate(0.001);
   * ```
   */
  setFalseAlarmRate(alpha: number): this {
    return this.applyRate(alpha, 'Detector.setFalseAlarmRate');
  }

  private applyRate(alpha: number, api: string): this {
    checkFraction(api, 'falseAlarmRate', alpha, 0, 1, true);
    const c = this.cal;
    if (c === undefined) throw new NotFittedError(api);
    const n = c.count;
    // Flag e iff (1 + #{c ≥ e}) / (n + 1) ≤ α, i.e. #{c ≥ e} ≤ j with j = ⌊α(n+1)⌋ − 1, i.e. e > c_(n−j).
    const j = conformalRank(alpha, n);
    if (j < 0 && !this.allowCoarseThreshold) {
      throw new ValueError(tooFewMessage(api, alpha, minCalibrationRows(alpha), `${n} calibration energies`));
    }
    this.far = alpha;
    this.thr = this.placeAt(c, j).energy;
    return this;
  }

  /**
   * The kept calibration energy for conformal rank j (j < 0: the coarsest, the largest energy) — exact for a
   * whole set and for rates the tail of a bounded one reaches, otherwise the kept quantile at or above the
   * position (fewer flags) — recording whether it is coarse, the rate it delivers and its rank.
   */
  private placeAt(c: CalibrationSet, j: number): { energy: number; position: number } {
    const n = c.count;
    const at = c.atOrAbove(Math.max(0, n - Math.max(0, j) - 1));
    this.coarse = j < 0;
    // Only energies above the threshold are flagged: when calibration energies tie with it, fewer than its
    // position says lie above, and the delivered rank (and rate) is that count plus one.
    const rank = c.countAbove(at.energy) + 1;
    this.ties = rank < n - at.position;
    this.gridRate = j >= 0 && rank !== j + 1 ? rank / (n + 1) : undefined;
    this.rank = rank;
    return at;
  }

  /**
   * Energies of the rows (after the scaler); higher = more anomalous.
   *
   * @example
   * ```ts
   * det.score(test);
   * ```
   */
  score(X: MatrixLike): Float64Array {
    if (!this.model.fitted) throw new NotFittedError('Detector.score');
    return this.model.energy(this.transform(X));
  }

  /**
   * 1 where the energy is above the threshold (anomaly), else 0.
   *
   * @example
   * ```ts
   * const flags = det.predict(test);
   * ```
   */
  predict(X: MatrixLike): Uint8Array {
    const t = this.threshold;
    const e = this.score(X);
    const out = new Uint8Array(e.length);
    for (let i = 0; i < e.length; i++) out[i] = (e[i] as number) > t ? 1 : 0;
    return out;
  }

  /**
   * Conformal p-values `(1 + #{calibration energies ≥ e}) / (n + 1)`: small = unusual.
   *
   * @example
   * ```ts
   * det.pValue(test); // values in (0, 1]
   * ```
   */
  pValue(X: MatrixLike): Float64Array {
    if (this.cal === undefined) throw new NotFittedError('Detector.pValue');
    return this.pValueOfEnergies(this.score(X));
  }

  /**
   * Conformal p-values of energies already computed (by {@link Detector.score}): the rule of
   * {@link Detector.pValue} without scoring the rows again.
   *
   * @example
   * ```ts
   * const e = det.score(test);
   * const p = det.pValueOfEnergies(e);
   * ```
   */
  pValueOfEnergies(energies: ArrayLike<number>): Float64Array {
    const c = this.cal;
    if (c === undefined) throw new NotFittedError('Detector.pValueOfEnergies');
    const n = c.count;
    const out = new Float64Array(energies.length);
    for (let i = 0; i < out.length; i++) out[i] = (1 + c.countAtLeast(energies[i] as number)) / (n + 1);
    return out;
  }

  /**
   * Tagged, versioned JSON (model, scaler, threshold, calibration energies). Version 2: `calibration` holds
   * the kept energies, `calibrationCount` how many were counted and `calibrationTail` how many of the kept
   * ones form the exact upper tail (equal to the count when every energy is kept). Version 1 (every energy,
   * no count) still loads.
   *
   * @example
   * ```ts
   * const text = JSON.stringify(det.toJSON());
   * ```
   */
  toJSON(): DetectorJSON {
    if (this.cal === undefined || this.thr === undefined) throw new NotFittedError('Detector.toJSON');
    return {
      kind: 'detector',
      version: 2,
      model: this.model.toJSON(),
      scaler: this.scaler === undefined ? null : this.scaler.toJSON(),
      threshold: Number.isFinite(this.thr) ? this.thr : null,
      calibration: Array.from(this.cal.kept),
      calibrationCount: this.cal.count,
      calibrationTail: this.cal.tail,
      config: {
        calibrationFraction: this.calibrationFraction,
        falseAlarmRate: this.far,
        holdout: this.holdout,
        allowCoarseThreshold: this.allowCoarseThreshold,
      },
    };
  }

  /**
   * Restores a detector from `toJSON()` output (an object or JSON text); the model loads through the
   * registry (`loadModel`), the scaler through `options.loadScaler` or its registered loader. Hostile or
   * malformed input throws `ModelFormatError`.
   *
   * @example
   * ```ts
   * const det = Detector.fromJSON(text);
   * ```
   */
  static fromJSON(json: unknown, options: DetectorFromJSONOptions = {}): Detector {
    const api = 'Detector.fromJSON';
    const value = typeof json === 'string' ? parseModelJSON(json) : json;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ModelFormatError(
        message(api, 'detector JSON must be an object', '{kind: "detector", …}', describeValue(value)),
      );
    }
    const o = value as Record<string, unknown>;
    // checkModelJSON-style walk of the whole tree (forbidden keys, non-finite numbers, sizes).
    checkModelJSON({ kind: 'detector', version: 1, config: {}, state: o }, api);
    if (readString(o, 'kind', api) !== 'detector') {
      throw new ModelFormatError(message(api, 'wrong kind', '"detector"', JSON.stringify(o.kind)));
    }
    const version = readInt(o, 'version', api);
    if (version !== 1 && version !== 2) {
      throw new ModelFormatError(
        message(api, 'unsupported detector file version', '1 or 2 (this library writes 2)', `${version}`),
      );
    }
    const config = readObject(o, 'config', api);
    const model = loadModel(o.model);
    let scaler: Transformer | undefined;
    if (o.scaler !== null && o.scaler !== undefined) {
      let load = options.loadScaler;
      if (load === undefined) {
        const sj = o.scaler as Record<string, unknown>;
        const kind = typeof sj === 'object' && !Array.isArray(sj) ? sj.kind : undefined;
        load = typeof kind === 'string' ? transformerRegistry.get(kind) : undefined;
        if (load === undefined) {
          throw new ModelFormatError(
            message(
              api,
              'no loader for the scaler',
              'options.loadScaler or a registered transformer kind',
              describeValue(kind),
            ),
          );
        }
      }
      scaler = load(o.scaler);
    }
    let det: Detector;
    try {
      // `new this`: a subclass (the `Detector` of `@nexus/ebm`) restores instances of itself.
      det = new this({
        model,
        ...(scaler === undefined ? {} : { scaler }),
        calibrationFraction: config.calibrationFraction as number,
        falseAlarmRate: config.falseAlarmRate as number,
        ...(config.holdout === undefined ? {} : { holdout: config.holdout as 'random' | 'latest' }),
        ...(config.allowCoarseThreshold === undefined
          ? {}
          : { allowCoarseThreshold: config.allowCoarseThreshold as boolean }),
      });
    } catch (e) {
      throw new ModelFormatError(`${api}: invalid config: ${e instanceof Error ? e.message : String(e)}`);
    }
    const nKept = readArray(o, 'calibration', api, MAX_ARRAY_LENGTH).length;
    if (nKept === 0)
      throw new ModelFormatError(message(api, 'field "calibration" is empty', 'at least one energy', '0'));
    // The saved threshold is restored as saved (it may have been set by hand), so the calibration is
    // installed without recomputing it.
    const kept = readFloat64Array(o, 'calibration', nKept, api);
    if (version === 1) det.cal = CalibrationSet.restore(sortedCalibration(kept, api), nKept, nKept, api);
    else {
      const count = readInt(o, 'calibrationCount', api, { min: nKept, max: Number.MAX_SAFE_INTEGER });
      const tail = readInt(o, 'calibrationTail', api, { min: 1, max: nKept });
      det.cal = CalibrationSet.restore(
        count === nKept ? sortedCalibration(kept, api) : kept,
        count,
        tail,
        api,
      );
    }
    const j = conformalRank(det.far, det.cal.count);
    // where the saved rate puts the threshold (none when it is out of reach and no coarse one is allowed)
    const byRate = j >= 0 || det.allowCoarseThreshold ? det.placeAt(det.cal, j) : undefined;
    const t = o.threshold;
    // null: a file of an older version whose false-alarm rate was out of reach (it never flags).
    if (t === null) det.thr = Number.POSITIVE_INFINITY;
    else if (typeof t === 'number' && Number.isFinite(t)) {
      det.thr = t;
      // a threshold saved as the rate set it keeps its rank; one set by hand has none
      if (byRate === undefined || byRate.energy !== t) det.rank = undefined;
    } else
      throw new ModelFormatError(
        message(
          api,
          'field "threshold" must be a number or null',
          'a finite number or null',
          describeValue(t),
        ),
      );
    return det;
  }
}

function tooFewMessage(api: string, alpha: number, need: number, got: string): string {
  return message(
    api,
    `too few calibration rows for a false-alarm rate of ${alpha}: with n rows no p-value is below 1/(n + 1), so nothing could ever be flagged`,
    `at least ${need} calibration rows; add rows, raise the false-alarm rate or pass allowCoarseThreshold: true`,
    got,
  );
}

function sortedCalibration(energies: ArrayLike<number>, api: string): Float64Array {
  if (energies === null || typeof energies !== 'object' || typeof energies.length !== 'number') {
    throw new InputTypeError(
      message(api, 'energies must be an array of numbers', 'number[]', describeValue(energies)),
    );
  }
  if (energies.length === 0)
    throw new ValueError(message(api, 'no calibration energies', 'at least one', '0'));
  const c = new Float64Array(energies.length);
  for (let i = 0; i < c.length; i++) {
    const v = energies[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ValueError(message(api, `energy ${i} is not finite`, 'a finite number', describeValue(v)));
    }
    c[i] = v;
  }
  return c.sort();
}
