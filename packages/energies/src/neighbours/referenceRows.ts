/**
 * The training rows the neighbour energies ({@link KnnDensity}, {@link KernelDensity}) keep: a seeded
 * subsample of at most `maxRows` rows, standardised with the training mean and standard deviation, with
 * their squared norms, and how they are saved and read back.
 *
 * @module
 */

import { type Matrix, ModelFormatError, message, type Rng } from '@nexus/ebm-core';
import { checkDeclaredSize, readFloat64Array, readInt } from '@nexus/ebm-core/extend';
import { rowSquaredNorms } from '@nexus/ebm-core/kernels';
import { columnStats } from '../trainingRows/standardize.js';

/** The reference rows of a fitted neighbour energy. */
export interface ReferenceRows {
  /** Training rows seen by fit (before the subsample). */
  readonly seen: number;
  /** Rows kept (m ≤ maxRows). */
  readonly m: number;
  /** Row-major m × d kept rows, standardised when `mean`/`std` are set. */
  readonly rows: Float64Array;
  /** Squared norms of the kept rows (derived, never saved). */
  readonly norms: Float64Array;
  /** Column means and standard deviations of the training rows, or null without standardisation. */
  readonly mean: Float64Array | null;
  readonly std: Float64Array | null;
}

/**
 * Default cap on the rows a neighbour energy keeps: scoring costs O(maxRows · d) per query and a saved
 * model holds maxRows · d numbers (20,000 × 32 ≈ 13 MB of JSON).
 */
export const DEFAULT_MAX_ROWS = 20_000;
/** Largest `maxRows` accepted. */
export const MAX_REFERENCE_ROWS = 1_000_000;

/**
 * Keeps at most `maxRows` rows of X (a uniform sample without replacement drawn from `rng`, in row order)
 * and standardises them with the mean and standard deviation of **all** rows of X when `standardize`.
 *
 * Complexity: O(n·d).
 *
 * @example
 * ```ts
 * const ref = fitReference(X, 20_000, true, ctx.rng);
 * ```
 */
export function fitReference(X: Matrix, maxRows: number, standardize: boolean, rng: Rng): ReferenceRows {
  const { rows: n, cols: d, data } = X;
  const stats = standardize ? columnStats(data, n, d) : null;
  const keep = n > maxRows ? rng.sample(n, maxRows).sort() : null;
  const m = keep === null ? n : maxRows;
  const rows = new Float64Array(m * d);
  gatherRows(data, d, keep, m, stats, rows, 0);
  return withNorms({ seen: n, m, rows, mean: stats?.mean ?? null, std: stats?.std ?? null }, d);
}

/**
 * Copies `m` rows of `data` (d columns) — rows `keep[0 … m − 1]`, or rows 0 … m − 1 when `keep` is null —
 * into `out` from row `at` on, standardised with `stats` when given.
 *
 * @example
 * ```ts
 * gatherRows(X.data, d, rng.sample(n, 8).sort(), 8, stats, centres, s * 8);
 * ```
 */
export function gatherRows(
  data: Float64Array,
  d: number,
  keep: ArrayLike<number> | null,
  m: number,
  stats: { readonly mean: Float64Array; readonly std: Float64Array } | null,
  out: Float64Array,
  at: number,
): void {
  for (let t = 0; t < m; t++) {
    const i = keep === null ? t : (keep[t] as number);
    const dst = (at + t) * d;
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j] as number;
      out[dst + j] = stats === null ? v : (v - (stats.mean[j] as number)) / (stats.std[j] as number);
    }
  }
}

function withNorms(r: Omit<ReferenceRows, 'norms'>, d: number): ReferenceRows {
  const norms = new Float64Array(r.m);
  rowSquaredNorms(r.rows, 0, r.m, d, norms, 0);
  return { ...r, norms };
}

/**
 * Query rows in the reference's units: X standardised like the training rows (a new array), or X's own
 * data without standardisation.
 *
 * @example
 * ```ts
 * const q = queryRows(X, ref);
 * ```
 */
export function queryRows(X: Matrix, ref: Pick<ReferenceRows, 'mean' | 'std'>): Float64Array {
  const { mean, std } = ref;
  if (mean === null || std === null) return X.data;
  const d = X.cols;
  const out = new Float64Array(X.rows * d);
  for (let k = 0; k < out.length; k++) {
    const j = k % d;
    out[k] = ((X.data[k] as number) - (mean[j] as number)) / (std[j] as number);
  }
  return out;
}

/**
 * Σ_j log σ_j: what standardising adds to a negative log density in input units (0 without it).
 *
 * @example
 * ```ts
 * const e = energyInStandardUnits + logScale(ref);
 * ```
 */
export function logScale(ref: ReferenceRows): number {
  let s = 0;
  if (ref.std !== null) for (const v of ref.std) s += Math.log(v);
  return s;
}

/**
 * The saved form: `seen`, `rows` (the kept rows, standardised when standardising) and `mean`/`std`.
 *
 * @example
 * ```ts
 * const state = { ...referenceToJSON(ref), k: this.k };
 * ```
 */
export function referenceToJSON(ref: ReferenceRows): Record<string, unknown> {
  const s: Record<string, unknown> = { seen: ref.seen, kept: ref.m, rows: Array.from(ref.rows) };
  if (ref.mean !== null && ref.std !== null) {
    s.mean = Array.from(ref.mean);
    s.std = Array.from(ref.std);
  }
  return s;
}

/**
 * Reads the saved reference rows back (sizes checked before allocating; `std` must be positive;
 * standardisation fields present exactly when `standardize`).
 *
 * @example
 * ```ts
 * const ref = readReference(state, d, api, model.standardize);
 * ```
 */
export function readReference(
  s: Record<string, unknown>,
  d: number,
  api: string,
  standardize: boolean,
): ReferenceRows {
  const seen = readInt(s, 'seen', api, { min: 1, max: Number.MAX_SAFE_INTEGER });
  const m = readInt(s, 'kept', api, { min: 1, max: MAX_REFERENCE_ROWS });
  if (m > seen) {
    throw new ModelFormatError(message(api, 'more rows kept than seen', `≤ ${seen}`, `${m}`));
  }
  checkDeclaredSize(m * d, 'rows', api);
  const rows = readFloat64Array(s, 'rows', m * d, api);
  const { mean, std } = readStandardization(s, d, api, standardize);
  const ref = withNorms({ seen, m, rows, mean, std }, d);
  if (!ref.norms.every(Number.isFinite)) {
    throw new ModelFormatError(
      message(api, 'field "rows" holds values too large to square', 'values within ±1e150', 'larger values'),
    );
  }
  return ref;
}

/**
 * Reads the saved standardisation statistics (`mean`, `std`, d each): present exactly when `standardize`,
 * `std` positive; both null without standardisation. Shared by the neighbour energies' loaders.
 *
 * @example
 * ```ts
 * const { mean, std } = readStandardization(state, d, api, model.standardize);
 * ```
 */
export function readStandardization(
  s: Record<string, unknown>,
  d: number,
  api: string,
  standardize: boolean,
): { mean: Float64Array | null; std: Float64Array | null } {
  const has = Object.hasOwn(s, 'mean') || Object.hasOwn(s, 'std');
  if (has !== standardize) {
    throw new ModelFormatError(
      message(
        api,
        'standardisation statistics do not match the config',
        standardize ? 'fields "mean" and "std"' : 'no "mean" or "std" field',
        standardize ? 'a field missing' : 'a "mean" or "std" field',
      ),
    );
  }
  const mean = standardize ? readFloat64Array(s, 'mean', d, api) : null;
  const std = standardize ? readFloat64Array(s, 'std', d, api) : null;
  if (std?.some((v) => !(v > 0))) {
    throw new ModelFormatError(message(api, 'field "std" must be positive', 'values > 0', 'a value ≤ 0'));
  }
  return { mean, std };
}

/**
 * log of the volume of the unit ball in d dimensions, `(d/2)·log π − log Γ(d/2 + 1)` (Γ at integers and
 * half-integers, exactly as a sum of logs).
 *
 * @example
 * ```ts
 * logUnitBallVolume(2); // log π
 * ```
 */
export function logUnitBallVolume(d: number): number {
  // Γ(d/2 + 1): d even → (d/2)!; d odd → √π · Π_{i=0}^{(d−1)/2} (i + ½)
  let lg = 0;
  if (d % 2 === 0) for (let i = 2; i <= d / 2; i++) lg += Math.log(i);
  else {
    lg = 0.5 * Math.log(Math.PI);
    for (let i = 0; i <= (d - 1) / 2; i++) lg += Math.log(i + 0.5);
  }
  return (d / 2) * Math.log(Math.PI) - lg;
}
