/**
 * Shared machinery of the Shapley explainers: the energy function a value function calls, the players
 * (single columns or groups of columns), and the batched evaluation of v(S) = Σ_b w_b · f(x_S, b_S̄) for
 * many coalitions S at once — one energy call over all coalitions × background rows.
 *
 * @module
 */

import { describeValue, InputTypeError, message, ParameterError, ShapeError, ValueError } from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';
import { type MatrixLike, toMatrix } from '../matrix/toMatrix.js';
import type { EnergyModel } from '../model/EnergyModel.js';

/**
 * A batch energy function: one energy per row of `X`, row i independent of the other rows. Any
 * {@link EnergyModel} can stand in for one (its `energy` method is called).
 *
 * @example
 * ```ts
 * const f: EnergyFunction = (X) => { const e = new Float64Array(X.rows); // … fill …
 *   return e; };
 * ```
 */
export type EnergyFunction = (X: Matrix) => Float64Array;

/**
 * Groups of columns explained together (each group is one player of the Shapley game), e.g. all one-hot
 * columns of one raw field. The groups must partition the columns: every column in exactly one group.
 */
export type FeatureGroups = readonly (readonly number[])[];

/**
 * Players of the game, flattened: player p owns columns `cols[start[p] … start[p+1])`.
 */
export interface Players {
  readonly count: number;
  readonly start: Int32Array;
  readonly cols: Int32Array;
}

/**
 * Resolves a model or a function into an {@link EnergyFunction} (checking that it is one of them).
 *
 * @example
 * ```ts
 * const f = energyFunctionOf('kernelShap', model); // (X) => model.energy(X)
 * ```
 */
export function energyFunctionOf(api: string, model: EnergyModel | EnergyFunction): EnergyFunction {
  if (typeof model === 'function') return model;
  if (model !== null && typeof model === 'object' && typeof model.energy === 'function') {
    return (X: Matrix) => model.energy(X);
  }
  throw new InputTypeError(
    message(
      api,
      'model is not an energy model',
      'an EnergyModel or a function (X: Matrix) => Float64Array',
      describeValue(model),
    ),
  );
}

/**
 * Calls `f` and checks its answer: one finite number per row (else `ShapeError` / `ValueError`).
 *
 * @example
 * ```ts
 * const e = callEnergy('kernelShap', f, batch);
 * ```
 */
export function callEnergy(api: string, f: EnergyFunction, X: Matrix): Float64Array {
  const e = f(X);
  if (e === null || typeof e !== 'object' || typeof (e as ArrayLike<number>).length !== 'number') {
    throw new InputTypeError(
      message(api, 'energy function returned no array', 'a Float64Array', describeValue(e)),
    );
  }
  if (e.length !== X.rows) {
    throw new ShapeError(
      message(api, 'energy function returned the wrong number of energies', `${X.rows}`, `${e.length}`),
    );
  }
  for (let i = 0; i < e.length; i++) {
    const v = e[i] as number;
    if (v - v !== 0) {
      throw new ValueError(
        message(
          api,
          `energy function returned a non-finite energy at row ${i}`,
          'a finite number',
          String(v),
        ),
      );
    }
  }
  return e;
}

/**
 * One player per column, or the given groups after checking that they partition `d` columns.
 *
 * @example
 * ```ts
 * makePlayers('kernelShap', 4, [[0, 1], [2], [3]]).count; // 3
 * ```
 */
export function makePlayers(api: string, d: number, groups: FeatureGroups | undefined): Players {
  if (groups === undefined) {
    const start = new Int32Array(d + 1);
    const cols = new Int32Array(d);
    for (let j = 0; j < d; j++) {
      start[j + 1] = j + 1;
      cols[j] = j;
    }
    return { count: d, start, cols };
  }
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new ParameterError(
      message(
        api,
        'groups must be a non-empty array of column-index arrays',
        'number[][]',
        describeValue(groups),
      ),
    );
  }
  const seen = new Int32Array(d).fill(-1);
  const start = new Int32Array(groups.length + 1);
  const cols = new Int32Array(d);
  let n = 0;
  for (let g = 0; g < groups.length; g++) {
    const grp = groups[g];
    if (!Array.isArray(grp) || grp.length === 0) {
      throw new ParameterError(
        message(
          api,
          `group ${g} must be a non-empty array of column indices`,
          'number[]',
          describeValue(grp),
        ),
      );
    }
    for (const c of grp as readonly unknown[]) {
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= d) {
        throw new ParameterError(
          message(api, `group ${g} has an invalid column index`, `an integer in [0, ${d})`, describeValue(c)),
        );
      }
      if (seen[c] !== -1) {
        throw new ParameterError(
          message(
            api,
            `column ${c} is in groups ${seen[c]} and ${g}`,
            'each column in exactly one group',
            'a repeat',
          ),
        );
      }
      seen[c] = g;
      cols[n++] = c;
    }
    start[g + 1] = n;
  }
  if (n !== d) {
    const missing = seen.indexOf(-1);
    throw new ParameterError(
      message(api, `groups do not cover column ${missing}`, `all ${d} columns covered`, `${n} covered`),
    );
  }
  return { count: groups.length, start, cols };
}

/**
 * Converts a background set with `toMatrix`, checking its column count when `d` is given.
 *
 * @example
 * ```ts
 * const bg = backgroundMatrix('kernelShap', [[0, 1], [2, 3]], 2);
 * ```
 */
export function backgroundMatrix(api: string, background: MatrixLike, d?: number): Matrix {
  const opts = d === undefined ? { api: `${api} (background)` } : { api: `${api} (background)`, cols: d };
  return toMatrix(background, opts);
}

/**
 * Largest number of matrix elements one batched energy call may hold (64 MB of doubles).
 *
 * @example
 * ```ts
 * const coalitionsPerCall = Math.floor(MAX_BATCH_ELEMENTS / (backgroundRows * d));
 * ```
 */
export const MAX_BATCH_ELEMENTS: number = 1 << 23;

/**
 * Evaluates v(S) = Σ_b w_b f(x_S, b_S̄) for `nCoal` coalitions given as 0/1 masks over players
 * (`masks[c * players.count + p]`), writing v into `out`. All coalitions × background rows go through one
 * energy call, plus (when `withFull`) one extra row holding x itself, whose energy is returned; the call is
 * split only when the batch would exceed {@link MAX_BATCH_ELEMENTS} elements.
 *
 * @example
 * ```ts
 * const v = new Float64Array(nCoal);
 * const fx = evaluateCoalitions('api', f, x, bg, w, players, masks, nCoal, v, true);
 * ```
 */
export function evaluateCoalitions(
  api: string,
  f: EnergyFunction,
  x: Float64Array,
  bg: Matrix,
  w: Float64Array,
  players: Players,
  masks: Uint8Array,
  nCoal: number,
  out: Float64Array,
  withFull: boolean,
  maxElements: number = MAX_BATCH_ELEMENTS,
): number {
  const d = bg.cols;
  const k = bg.rows;
  const P = players.count;
  const perCoal = k * d;
  const chunk = Math.max(1, Math.floor(maxElements / perCoal));
  const onCols = new Int32Array(d);
  let fx = Number.NaN;
  for (let c0 = 0; c0 < nCoal || (c0 === 0 && withFull); c0 += chunk) {
    const c1 = Math.min(nCoal, c0 + chunk);
    const extra = withFull && c0 === 0 ? 1 : 0;
    const rows = (c1 - c0) * k + extra;
    const M = new Matrix(rows, d);
    const data = M.data;
    for (let c = c0; c < c1; c++) {
      // Columns switched on (taken from x) by this coalition.
      let nOn = 0;
      const mo = c * P;
      for (let p = 0; p < P; p++) {
        if (masks[mo + p] === 1) {
          for (let t = players.start[p] as number; t < (players.start[p + 1] as number); t++) {
            onCols[nOn++] = players.cols[t] as number;
          }
        }
      }
      const base = (c - c0) * perCoal;
      data.set(bg.data, base);
      for (let b = 0; b < k; b++) {
        const ro = base + b * d;
        for (let t = 0; t < nOn; t++) {
          const j = onCols[t] as number;
          data[ro + j] = x[j] as number;
        }
      }
    }
    if (extra === 1) data.set(x, rows * d - d);
    const e = callEnergy(api, f, M);
    for (let c = c0; c < c1; c++) {
      const eo = (c - c0) * k;
      let s = 0;
      for (let b = 0; b < k; b++) s += (w[b] as number) * (e[eo + b] as number);
      out[c] = s;
    }
    if (extra === 1) fx = e[rows - 1] as number;
  }
  return fx;
}
