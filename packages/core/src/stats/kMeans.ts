import { describeValue, message, ParameterError } from '../errors.js';
import { getBackend } from '../kernels/backend.js';
import { Matrix } from '../matrix/Matrix.js';
import { type MatrixLike, toMatrix } from '../matrix/toMatrix.js';
import { Rng } from '../random/Rng.js';
import { normaliseWeights } from './normaliseWeights.js';

/** Rows per call of the distance kernel (the scratch is DIST_BLOCK·k values). */
const DIST_BLOCK = 4096;

/**
 * Options of {@link kMeans}.
 */
export interface KMeansOptions {
  /** Seed of the k-means++ initialisation. Default 0. */
  readonly seed?: number;
  /**
   * The generator to draw the initialisation from, instead of a new one seeded with `seed` (a model's
   * fit passes its own, so that its draws stay one sequence).
   */
  readonly rng?: Rng;
  /** Cap on Lloyd iterations. Default 100. */
  readonly maxIter?: number;
  /** Weights of the rows (non-negative). Default: equal. */
  readonly weights?: ArrayLike<number>;
}

/**
 * What {@link kMeans} returns.
 */
export interface KMeansResult {
  /** The k centres (weighted means of their clusters), one per row. */
  readonly centres: Matrix;
  /** Share of the total row weight in each cluster (sums to 1): the centres' weights as a background. */
  readonly weights: Float64Array;
  /** Cluster index of every input row. */
  readonly labels: Int32Array;
  /** Weighted sum of squared distances of the rows to their centres (weights normalised to sum 1). */
  readonly inertia: number;
  /** Lloyd iterations run. */
  readonly iterations: number;
}

/**
 * Seeded, weighted k-means (k-means++ initialisation, then Lloyd iterations until no row changes
 * cluster). An empty cluster is re-seeded at the row farthest from its centre. The library's one k-means:
 * it summarises a KernelSHAP background into k weighted centres (which keep the background's mean
 * exactly), groups entities into peer groups, and initialises `GaussianMixture`'s components.
 * When k ≥ the number of rows, the rows themselves are the centres.
 *
 * Cost: O(iterations · n · k · d); the distances and the clusters' sums go through the kernel backend's
 * `centreDistances` and `clusterSums` (each summed term by term in a fixed order, so labels and centres
 * are the same in every backend).
 *
 * @example
 * ```ts
 * const { centres, weights } = kMeans(background, 10, { seed: 1 });
 * ```
 */
export function kMeans(X: MatrixLike, k: number, options: KMeansOptions = {}): KMeansResult {
  const api = 'kMeans';
  const m = toMatrix(X, { api });
  const n = m.rows;
  const d = m.cols;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new ParameterError(
      message(api, 'k must be a positive integer', 'an integer ≥ 1', describeValue(k)),
    );
  }
  const maxIter = options.maxIter ?? 100;
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new ParameterError(
      message(api, 'maxIter must be a positive integer', 'an integer ≥ 1', describeValue(maxIter)),
    );
  }
  const w = normaliseWeights(api, n, options.weights);
  const x = m.data;
  if (k >= n) {
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) labels[i] = i;
    return { centres: m.clone(), weights: w, labels, inertia: 0, iterations: 0 };
  }
  const rng = options.rng ?? new Rng(options.seed ?? 0);
  const c = new Float64Array(k * d);
  const dist = new Float64Array(n); // squared distance to the nearest centre so far
  // k-means++: first centre drawn by weight, the next ones by weight × squared distance.
  const pick = (score: Float64Array | null): number => {
    let total = 0;
    for (let i = 0; i < n; i++) total += (w[i] as number) * (score === null ? 1 : (score[i] as number));
    if (!(total > 0)) return rng.int(n);
    let r = rng.uniform() * total;
    for (let i = 0; i < n; i++) {
      r -= (w[i] as number) * (score === null ? 1 : (score[i] as number));
      if (r < 0) return i;
    }
    return n - 1;
  };
  // Distances in blocks of rows through the backend's kernel (each summed in column order: the same
  // numbers in every backend and for every block size).
  const { centreDistances: distances, clusterSums: sums } = getBackend();
  const block = Math.min(n, DIST_BLOCK);
  const g = new Float64Array(block * k);
  const first = pick(null);
  c.set(x.subarray(first * d, first * d + d), 0);
  distances(x, 0, n, d, c, 0, 1, dist, 0);
  for (let j = 1; j < k; j++) {
    const r = pick(dist);
    c.set(x.subarray(r * d, r * d + d), j * d);
    for (let i0 = 0; i0 < n; i0 += block) {
      const rows = Math.min(block, n - i0);
      distances(x, i0, rows, d, c, j * d, 1, g, 0);
      for (let i = 0; i < rows; i++) {
        const dd = g[i] as number;
        if (dd < (dist[i0 + i] as number)) dist[i0 + i] = dd;
      }
    }
  }
  const labels = new Int32Array(n).fill(-1);
  const mass = new Float64Array(k);
  let iterations = 0;
  let inertia = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    let changed = 0;
    inertia = 0;
    for (let i0 = 0; i0 < n; i0 += block) {
      const rows = Math.min(block, n - i0);
      distances(x, i0, rows, d, c, 0, k, g, 0);
      for (let r = 0; r < rows; r++) {
        const i = i0 + r;
        let best = 0;
        let bd = Number.POSITIVE_INFINITY;
        for (let j = 0; j < k; j++) {
          const dd = g[r * k + j] as number;
          if (dd < bd) {
            bd = dd;
            best = j;
          }
        }
        dist[i] = bd;
        inertia += (w[i] as number) * bd;
        if (labels[i] !== best) {
          labels[i] = best;
          changed++;
        }
      }
    }
    if (changed === 0 && it > 0) break;
    // Update: weighted means; an empty cluster takes the row farthest from its centre.
    c.fill(0);
    mass.fill(0);
    for (let i = 0; i < n; i++) {
      const j = labels[i] as number;
      mass[j] = (mass[j] as number) + (w[i] as number);
    }
    sums(x, 0, n, d, labels, 0, w, 0, c, 0, k);
    for (let j = 0; j < k; j++) {
      const mj = mass[j] as number;
      if (mj > 0) {
        for (let t = 0; t < d; t++) c[j * d + t] = (c[j * d + t] as number) / mj;
      } else {
        let far = 0;
        for (let i = 1; i < n; i++) if ((dist[i] as number) > (dist[far] as number)) far = i;
        c.set(x.subarray(far * d, far * d + d), j * d);
        dist[far] = 0;
      }
    }
  }
  // Final masses (and drop nothing: an empty cluster keeps weight 0).
  mass.fill(0);
  for (let i = 0; i < n; i++) {
    const j = labels[i] as number;
    mass[j] = (mass[j] as number) + (w[i] as number);
  }
  return { centres: new Matrix(k, d, c), weights: mass, labels, inertia, iterations };
}
