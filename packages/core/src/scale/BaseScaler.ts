import { message, NotFittedError, ShapeError, ValueError } from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';
import { type MatrixLike, toMatrix } from '../matrix/toMatrix.js';
import type { Scaler, ScalerJSON, ScalerType } from './Scaler.js';

interface ScalerState {
  readonly center: Float64Array;
  readonly scale: Float64Array;
}

/**
 * Shared machinery of the per-column scalers: subclasses only compute `center` and `scale` from the
 * training matrix. Validation (via {@link toMatrix}), the fitted check, feature-count checks,
 * transforms and serialisation live here.
 *
 * @example
 * ```ts
 * class MyScaler extends BaseScaler { … }
 * ```
 */
export abstract class BaseScaler implements Scaler {
  /** Which scaler this is. */
  abstract readonly type: ScalerType;
  /** Class name used in error messages. */
  protected abstract readonly label: string;
  private state: ScalerState | null = null;

  /**
   * Computes the column parameters from validated training data (at least one row, all finite).
   * Must write a positive scale for every column (1 for a constant column).
   */
  protected abstract computeParams(x: Matrix, center: Float64Array, scale: Float64Array): void;

  /**
   * Number of columns seen by `fit`.
   *
   * @example
   * ```ts
   * new StandardScaler().fit([[1, 2]]).nFeatures; // 2
   * ```
   */
  get nFeatures(): number {
    return this.fitted(`${this.label}.nFeatures`).center.length;
  }

  /**
   * Whether the scaler has parameters (from `fit` or {@link loadScaler}).
   *
   * @example
   * ```ts
   * new StandardScaler().isFitted; // false
   * ```
   */
  get isFitted(): boolean {
    return this.state !== null;
  }

  /**
   * A copy of the fitted per-column centers.
   *
   * @example
   * ```ts
   * new StandardScaler().fit([[1], [3]]).center; // Float64Array [2]
   * ```
   */
  get center(): Float64Array {
    return this.fitted(`${this.label}.center`).center.slice();
  }

  /**
   * A copy of the fitted per-column scales (all positive; 1 for constant columns).
   *
   * @example
   * ```ts
   * new StandardScaler().fit([[1], [3]]).scale; // Float64Array [1]
   * ```
   */
  get scale(): Float64Array {
    return this.fitted(`${this.label}.scale`).scale.slice();
  }

  /**
   * Learns the per-column center and scale from training data, replacing earlier state. Empty input,
   * ragged rows and non-finite values are rejected by {@link toMatrix}.
   *
   * @example
   * ```ts
   * const s = new StandardScaler().fit([[1, 10], [3, 10]]);
   * ```
   */
  fit(X: MatrixLike): this {
    const api = `${this.label}.fit`;
    const x = toMatrix(X, { api });
    const center = new Float64Array(x.cols);
    const scale = new Float64Array(x.cols);
    this.computeParams(x, center, scale);
    return this.setFitted(api, center, scale);
  }

  /**
   * Installs computed parameters after checking them (finite centers, positive finite scales); for
   * subclasses that fit in other ways than {@link BaseScaler.fit}.
   */
  protected setFitted(api: string, center: Float64Array, scale: Float64Array): this {
    for (let j = 0; j < center.length; j++) {
      const c = center[j] as number;
      const s = scale[j] as number;
      if (!Number.isFinite(c) || !Number.isFinite(s) || !(s > 0)) {
        throw new ValueError(
          message(
            api,
            `column ${j} overflows the float range`,
            'values whose spread is finite',
            `center ${c}, scale ${s}`,
          ),
        );
      }
    }
    this.state = { center, scale };
    return this;
  }

  /**
   * `(x − center) / scale` for every row, as a new matrix. Throws {@link NotFittedError} before `fit`
   * and {@link ShapeError} when the column count differs from the training data.
   *
   * @example
   * ```ts
   * new StandardScaler().fit([[1], [3]]).transform([[2]]).get(0, 0); // 0
   * ```
   */
  transform(X: MatrixLike): Matrix {
    const api = `${this.label}.transform`;
    const { center, scale } = this.fitted(api);
    const x = toMatrix(X, { api, cols: center.length, allowEmpty: true });
    const out = new Matrix(x.rows, x.cols);
    const n = x.cols;
    const src = x.data;
    const dst = out.data;
    for (let i = 0; i < x.rows; i++) {
      const r = i * n;
      for (let j = 0; j < n; j++)
        dst[r + j] = ((src[r + j] as number) - (center[j] as number)) / (scale[j] as number);
    }
    checkOutput(api, out);
    return out;
  }

  /**
   * `fit(X)` then `transform(X)`.
   *
   * @example
   * ```ts
   * new MinMaxScaler().fitTransform([[0], [5], [10]]).data; // Float64Array [0, 0.5, 1]
   * ```
   */
  fitTransform(X: MatrixLike): Matrix {
    const x = toMatrix(X, { api: `${this.label}.fitTransform` });
    return this.fit(x).transform(x);
  }

  /**
   * `z · scale + center` for every row: undoes {@link BaseScaler.transform} (up to rounding).
   *
   * @example
   * ```ts
   * const s = new StandardScaler().fit([[1], [3]]);
   * s.inverseTransform(s.transform([[7]])).get(0, 0); // 7
   * ```
   */
  inverseTransform(X: MatrixLike): Matrix {
    const api = `${this.label}.inverseTransform`;
    const { center, scale } = this.fitted(api);
    const z = toMatrix(X, { api, cols: center.length, allowEmpty: true });
    const out = new Matrix(z.rows, z.cols);
    const n = z.cols;
    const src = z.data;
    const dst = out.data;
    for (let i = 0; i < z.rows; i++) {
      const r = i * n;
      for (let j = 0; j < n; j++)
        dst[r + j] = (src[r + j] as number) * (scale[j] as number) + (center[j] as number);
    }
    checkOutput(api, out);
    return out;
  }

  /**
   * The fitted parameters in a JSON-safe form; {@link loadScaler} restores them.
   *
   * @example
   * ```ts
   * JSON.stringify(new RobustScaler().fit([[1], [2], [3]]).toJSON());
   * ```
   */
  toJSON(): ScalerJSON {
    const { center, scale } = this.fitted(`${this.label}.toJSON`);
    return {
      kind: 'scaler',
      type: this.type,
      version: 1,
      center: Array.from(center),
      scale: Array.from(scale),
    };
  }

  /**
   * Installs saved parameters (what {@link loadScaler} does after validating a {@link ScalerJSON}).
   * Lengths must match, centers be finite and scales finite and positive, else a {@link ValueError}.
   *
   * @example
   * ```ts
   * new StandardScaler().restore(new Float64Array([2]), new Float64Array([0.5]));
   * ```
   */
  restore(center: Float64Array, scale: Float64Array): this {
    const api = `${this.label}.restore`;
    if (center.length !== scale.length || center.length === 0) {
      throw new ShapeError(
        message(
          api,
          'center and scale must be non-empty and of equal length',
          `${center.length}`,
          `${scale.length}`,
        ),
      );
    }
    for (let j = 0; j < center.length; j++) {
      const c = center[j] as number;
      const s = scale[j] as number;
      if (!Number.isFinite(c) || !Number.isFinite(s) || !(s > 0)) {
        throw new ValueError(
          message(api, `invalid parameters for column ${j}`, 'finite center, finite scale > 0', `${c}, ${s}`),
        );
      }
    }
    this.state = { center: center.slice(), scale: scale.slice() };
    return this;
  }

  private fitted(api: string): ScalerState {
    if (this.state === null) throw new NotFittedError(api);
    return this.state;
  }
}

function checkOutput(api: string, m: Matrix): void {
  const d = m.data;
  for (let k = 0; k < d.length; k++) {
    const v = d[k] as number;
    if (v - v !== 0) {
      const i = Math.floor(k / m.cols);
      throw new ValueError(
        message(api, `result overflows at row ${i}, column ${k - i * m.cols}`, 'a finite result', String(v)),
      );
    }
  }
}

/**
 * Whether column j of `x` holds a single value (the explicit constant-column test of the scalers).
 *
 * @example
 * ```ts
 * isConstantColumn(new Matrix(2, 1, new Float64Array([3, 3])), 0); // true
 * ```
 */
export function isConstantColumn(x: Matrix, j: number): boolean {
  const n = x.cols;
  const d = x.data;
  const first = d[j] as number;
  for (let k = j + n; k < d.length; k += n) if (d[k] !== first) return false;
  return true;
}

const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * The scale to use for a column whose spread (standard deviation, quantile range or range) is `spread`
 * and whose values have magnitude about `magnitude`: the spread itself, or 1 when the column is constant
 * in effect — a spread of zero, below the smallest normal double, or at the rounding level of the values
 * (under 10·ε·magnitude). Such a column is then only centred, never divided by (nearly) zero.
 *
 * @example
 * ```ts
 * scaleOrOne(0, 5); // 1
 * scaleOrOne(2, 5); // 2
 * ```
 */
export function scaleOrOne(spread: number, magnitude: number): number {
  if (spread === 0 || spread < MIN_NORMAL || spread < 10 * Number.EPSILON * magnitude) return 1;
  return spread; // NaN or Infinity pass through and are reported by fit
}
