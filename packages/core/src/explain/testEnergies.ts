/**
 * Small energies written against the `EnergyModel` contract, used by the explanation tests (and handy as
 * examples of a user's own model). Not exported from the package index.
 *
 * @module
 */

import { Matrix } from '../matrix/Matrix.js';
import { type MatrixLike, toMatrix, toVector } from '../matrix/toMatrix.js';
import type { EnergyModel, ModelJSON } from '../model/EnergyModel.js';

/**
 * An energy given by a function of one row, with an optional exact per-feature split. Counts its
 * `energy` calls and rows so tests can check batching.
 *
 * @example
 * ```ts
 * const m = new FunctionEnergy(3, (x) => x[0] * x[1] + x[2] ** 2);
 * m.energy([[1, 2, 3]]); // Float64Array [11]
 * ```
 */
export class FunctionEnergy implements EnergyModel {
  /** Persistence tag. */
  readonly kind: string = 'test-function';
  /** Number of features. */
  readonly nFeatures: number;
  /** No names. */
  readonly featureNames: readonly string[] | undefined = undefined;
  /** Whether a per-feature split was given. */
  readonly hasContributions: boolean;
  /** Always fitted. */
  readonly fitted: boolean = true;
  /** Number of `energy` calls so far. */
  calls = 0;
  /** Rows seen by `energy` so far. */
  rows = 0;
  private readonly fn: (x: Float64Array) => number;
  private readonly split: ((x: Float64Array, out: Float64Array) => void) | undefined;

  /**
   * @param nFeatures - number of columns.
   * @param fn - the energy of one row.
   * @param split - optional exact split of `fn` into per-feature terms (writes d numbers into `out`).
   */
  constructor(
    nFeatures: number,
    fn: (x: Float64Array) => number,
    split?: (x: Float64Array, out: Float64Array) => void,
  ) {
    this.nFeatures = nFeatures;
    this.fn = fn;
    this.split = split;
    this.hasContributions = split !== undefined;
  }

  /** No-op: the function is fixed. */
  fit(): this {
    return this;
  }

  /** One energy per row. */
  energy(X: MatrixLike): Float64Array {
    const m = toMatrix(X, { api: 'FunctionEnergy.energy', cols: this.nFeatures });
    this.calls++;
    this.rows += m.rows;
    const out = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) out[i] = this.fn(m.row(i));
    return out;
  }

  /** Energy of one row. */
  energyOne(x: ArrayLike<number>): number {
    return this.fn(toVector(x, { api: 'FunctionEnergy.energyOne', cols: this.nFeatures }));
  }

  /** The exact per-feature split, when given. */
  contributions(X: MatrixLike): Matrix {
    const split = this.split;
    if (split === undefined) throw new TypeError('FunctionEnergy.contributions: no split given');
    const m = toMatrix(X, { api: 'FunctionEnergy.contributions', cols: this.nFeatures });
    const out = new Matrix(m.rows, m.cols);
    for (let i = 0; i < m.rows; i++) split(m.row(i), out.row(i));
    return out;
  }

  /** Minimal JSON. */
  toJSON(): ModelJSON {
    return { kind: this.kind, version: 1, config: {}, state: {} };
  }
}

/**
 * A random nonlinear energy with interactions, built from coefficients: quadratic terms, pairwise
 * products, a tanh of three neighbouring features and a log-sum-exp over all features (interactions of
 * every order).
 *
 * @example
 * ```ts
 * const f = nonlinearEnergy(4, [0.5, 1, 2, 0.1, -1, 0.3, 0.7, 1.5]);
 * ```
 */
export function nonlinearEnergy(d: number, coef: readonly number[]): (x: Float64Array) => number {
  const c = (k: number): number => coef[k % coef.length] as number;
  return (x: Float64Array): number => {
    let e = 0;
    let lse = 0;
    for (let i = 0; i < d; i++) {
      const xi = x[i] as number;
      const xn = x[(i + 1) % d] as number;
      const xm = x[(i + 2) % d] as number;
      e +=
        Math.abs(c(i)) * (xi - c(i + 1)) ** 2 +
        c(i + 2) * xi * xn +
        c(i + 3) * Math.tanh(xi * xn * xm + c(i + 4));
      lse += Math.exp(0.5 * Math.tanh(c(i + 5) * xi));
    }
    // A term in which every feature interacts with every other.
    return e + 2 * Math.log(lse);
  };
}
