import type { Matrix } from '../matrix/Matrix.js';
import type { MatrixLike } from '../matrix/toMatrix.js';

/**
 * The kinds of scaler: z-score (`standard`), median/IQR (`robust`) and `minmax`.
 */
export type ScalerType = 'standard' | 'robust' | 'minmax';

/**
 * The saved form of a fitted scaler: `transform(x)[j] = (x[j] − center[j]) / scale[j]`.
 */
export interface ScalerJSON {
  readonly kind: 'scaler';
  readonly type: ScalerType;
  readonly version: 1;
  /** Value subtracted from each column. */
  readonly center: number[];
  /** Positive divisor of each column (1 for a constant column). */
  readonly scale: number[];
}

/**
 * A per-column affine scaler `(x − center) / scale`, fitted on training data only and then applied
 * unchanged to new data. Constant columns get scale 1 (they are centred, never divided by zero).
 *
 * @example
 * ```ts
 * const s: Scaler = new StandardScaler().fit(train);
 * const z = s.transform(test);
 * const back = s.inverseTransform(z);
 * const saved = JSON.stringify(s.toJSON());
 * ```
 */
export interface Scaler {
  /** Which scaler this is (also its `type` in {@link ScalerJSON}). */
  readonly type: ScalerType;
  /** Number of columns seen by `fit`; throws {@link NotFittedError} before `fit`. */
  readonly nFeatures: number;
  /** Whether `fit` (or {@link loadScaler}) has set the parameters. */
  readonly isFitted: boolean;
  /** Learns the per-column center and scale from `X`, replacing earlier state. */
  fit(X: MatrixLike): this;
  /** `(x − center) / scale` for every row of `X`, as a new matrix. */
  transform(X: MatrixLike): Matrix;
  /** `fit(X)` then `transform(X)`. */
  fitTransform(X: MatrixLike): Matrix;
  /** `z · scale + center`: undoes {@link Scaler.transform}. */
  inverseTransform(X: MatrixLike): Matrix;
  /** The fitted parameters in a JSON-safe form. */
  toJSON(): ScalerJSON;
}
