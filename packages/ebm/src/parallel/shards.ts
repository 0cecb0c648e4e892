/**
 * Training beyond one machine: the honest options for data split into shards (files, partitions, hosts).
 *
 * - Gaussian: exact — fit each shard, then `GaussianDensity.merge` (sufficient statistics; see
 *   {@link fitGaussianParallel} for threads). Nothing here is needed beyond `merge`.
 * - Gaussian mixture: {@link fitMixtureSharded} runs EM where every iteration's E-step is computed shard by
 *   shard and the M-step on the summed statistics — each iteration is the one-machine EM iteration (to
 *   rounding) on the union; only the initialisation uses a sample.
 * - Autoencoder: no exact merge exists. Either train on a sample that fits one machine (data-parallel
 *   threads there: {@link trainAutoencoderParallel}), or {@link averageAutoencoders}: average the weights of
 *   shard models trained from the same initialisation — an approximation (one round of federated averaging)
 *   that is reasonable when shards are alike and short-trained, and degrades when they differ.
 *
 * @module
 */

import {
  InputTypeError,
  Matrix,
  type MatrixLike,
  message,
  ParameterError,
  ShapeError,
  toMatrix,
  ValueError,
} from '@nexus/ebm-core';
import { hasBrand } from '@nexus/ebm-core/extend';
import { Autoencoder, GaussianMixture, type GaussianMixtureOptions } from '@nexus/ebm-energies';

function componentModels(gm: GaussianMixture): GaussianMixture[] {
  const json = gm.toJSON();
  const k = gm.nComponents;
  const d = gm.nFeatures;
  const full = gm.covariance === 'full';
  const s = json.state as { means: number[]; covariances: number[] };
  const size = full ? d * d : d;
  const out: GaussianMixture[] = [];
  for (let c = 0; c < k; c++) {
    out.push(
      GaussianMixture.fromJSON({
        kind: 'mixture',
        version: json.version,
        config: { ...json.config, nComponents: 1, nInit: 1 },
        state: {
          weights: [1],
          means: s.means.slice(c * d, (c + 1) * d),
          covariances: s.covariances.slice(c * size, (c + 1) * size),
          converged: true,
          nIter: 0,
          logLikelihood: 0,
          nFeatures: d,
        },
      }),
    );
  }
  return out;
}

/** Log responsibilities (n×k) and per-row log-likelihood of X under the mixture described by `parts`. */
function responsibilities(
  X: Matrix,
  weights: Float64Array,
  parts: readonly GaussianMixture[],
): { r: Float64Array; ll: number } {
  const k = parts.length;
  const n = X.rows;
  const lp = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const e = (parts[c] as GaussianMixture).energy(X);
    const lw = Math.log(weights[c] as number);
    for (let i = 0; i < n; i++) lp[i * k + c] = lw - (e[i] as number);
  }
  let ll = 0;
  for (let i = 0; i < n; i++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) m = Math.max(m, lp[i * k + c] as number);
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp((lp[i * k + c] as number) - m);
    const lse = m + Math.log(s);
    ll += lse;
    for (let c = 0; c < k; c++) lp[i * k + c] = Math.exp((lp[i * k + c] as number) - lse);
  }
  return { r: lp, ll };
}

/**
 * Fits a {@link GaussianMixture} on data split into shards without putting the shards together: EM whose
 * E-step statistics (Σr, Σr·x, then Σr·(x−μ)(x−μ)ᵀ with the new means) are computed shard by shard and
 * summed in shard order, so every iteration equals the one-machine EM iteration on the union up to
 * rounding (and the result does not depend on how the rows are split, to about 1e-9). The shards are
 * visited twice per iteration; in a real deployment each visit is a job on the machine holding the shard,
 * returning only k·d + k·d² numbers. The starting point is a mixture fitted on a sample of `initRows` rows
 * taken evenly from the shards (`options.seed` drives it), which is the one non-exact step.
 *
 * @example
 * ```ts
 * const gm = fitMixtureSharded([mondayRows, tuesdayRows], { nComponents: 3, seed: 1 });
 * ```
 */
export function fitMixtureSharded(
  shards: readonly MatrixLike[],
  options: GaussianMixtureOptions = {},
  initRows = 5000,
): GaussianMixture {
  const api = 'fitMixtureSharded';
  if (!Array.isArray(shards) || shards.length === 0) {
    throw new InputTypeError(
      message(api, 'shards must be a non-empty array', 'one matrix per shard', 'none'),
    );
  }
  const ms = shards.map((s, i) => toMatrix(s, { api: `${api} (shard ${i})` }));
  const d = (ms[0] as Matrix).cols;
  for (const [i, m] of ms.entries()) {
    if (m.cols !== d)
      throw new ShapeError(message(api, `shard ${i} has a different width`, String(d), String(m.cols)));
  }
  const total = ms.reduce((s, m) => s + m.rows, 0);
  if (!Number.isInteger(initRows) || initRows < 1) {
    throw new ParameterError(message(api, 'initRows must be a positive integer', '≥ 1', String(initRows)));
  }
  // initial model from an even sample of every shard
  const take = Math.min(total, initRows);
  const sample = new Matrix(take, d);
  let q = 0;
  for (const m of ms) {
    const want = Math.round((m.rows / total) * take);
    for (let t = 0; t < want && q < take; t++) {
      const i = Math.floor((t * m.rows) / want);
      sample.data.set(m.data.subarray(i * d, (i + 1) * d), q * d);
      q++;
    }
  }
  let gm = new GaussianMixture({ ...options, maxIter: Math.min(options.maxIter ?? 100, 20) }).fit(
    new Matrix(q, d, sample.data.subarray(0, q * d)),
  );
  const k = gm.nComponents;
  const full = gm.covariance === 'full';
  const reg = gm.regularization;
  const tol = gm.tolerance;
  const maxIter = options.maxIter ?? 100;
  const base = gm.toJSON();
  let prev = Number.NEGATIVE_INFINITY;
  let converged = false;
  let iter = 0;
  let meanLl = 0;
  for (iter = 1; iter <= maxIter; iter++) {
    const parts = componentModels(gm);
    const w = gm.weights;
    // pass 1: Σr, Σr·x and the log-likelihood, shard by shard
    const resp = new Float64Array(k);
    const sum = new Float64Array(k * d);
    let ll = 0;
    const rs: Float64Array[] = [];
    for (const m of ms) {
      const { r, ll: l } = responsibilities(m, w, parts);
      rs.push(r);
      ll += l;
      for (let i = 0; i < m.rows; i++) {
        for (let c = 0; c < k; c++) {
          const ric = r[i * k + c] as number;
          resp[c] = (resp[c] as number) + ric;
          for (let j = 0; j < d; j++)
            sum[c * d + j] = (sum[c * d + j] as number) + ric * (m.data[i * d + j] as number);
        }
      }
    }
    meanLl = ll / total;
    const means = new Float64Array(k * d);
    const weights = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      const nc = Math.max(resp[c] as number, 10 * Number.EPSILON);
      weights[c] = nc / total;
      for (let j = 0; j < d; j++) means[c * d + j] = (sum[c * d + j] as number) / nc;
    }
    // pass 2: centred second moments around the new means
    const size = full ? d * d : d;
    const cov = new Float64Array(k * size);
    const y = new Float64Array(d);
    ms.forEach((m, s) => {
      const r = rs[s] as Float64Array;
      for (let i = 0; i < m.rows; i++) {
        for (let c = 0; c < k; c++) {
          const ric = r[i * k + c] as number;
          for (let j = 0; j < d; j++) y[j] = (m.data[i * d + j] as number) - (means[c * d + j] as number);
          if (full) {
            for (let a = 0; a < d; a++) {
              const ya = ric * (y[a] as number);
              for (let b = 0; b < d; b++)
                cov[c * size + a * d + b] = (cov[c * size + a * d + b] as number) + ya * (y[b] as number);
            }
          } else {
            for (let a = 0; a < d; a++)
              cov[c * size + a] = (cov[c * size + a] as number) + ric * (y[a] as number) ** 2;
          }
        }
      }
    });
    for (let c = 0; c < k; c++) {
      const nc = Math.max(resp[c] as number, 10 * Number.EPSILON);
      for (let t = 0; t < size; t++) cov[c * size + t] = (cov[c * size + t] as number) / nc;
      for (let a = 0; a < d; a++) {
        const at = full ? c * size + a * d + a : c * size + a;
        cov[at] = (cov[at] as number) + reg;
      }
    }
    if (!Number.isFinite(meanLl)) {
      throw new ValueError(
        message(api, 'EM diverged (the log-likelihood is not finite)', 'a finite value', String(meanLl)),
      );
    }
    gm = GaussianMixture.fromJSON({
      ...base,
      state: {
        weights: Array.from(weights),
        means: Array.from(means),
        covariances: Array.from(cov),
        converged: false,
        nIter: iter,
        logLikelihood: meanLl,
        nFeatures: d,
      },
    });
    if (Math.abs(meanLl - prev) < tol) {
      converged = true;
      break;
    }
    prev = meanLl;
  }
  const json = gm.toJSON();
  return GaussianMixture.fromJSON({
    ...json,
    state: { ...json.state, converged, nIter: Math.min(iter, maxIter), logLikelihood: meanLl },
  });
}

/**
 * Averages the weights of autoencoders trained on different shards **from the same initialisation** (same
 * options, same seed): one round of federated averaging. The standardisation statistics are pooled from
 * the shards' means and variances, weighted by `rows` (default equal). This is an approximation, not a
 * merge: it works when the shards look alike and the shard models stay close to their common start
 * (tested: on i.i.d. shards the average reconstructs held-out rows about as well as the shard models);
 * on shards that differ, the averaged weights can be worse than either, and training on a sample of all
 * shards is the safer choice.
 *
 * @example
 * ```ts
 * const opts = { hiddenSizes: [16, 4], epochs: 5, seed: 7 };
 * const avg = averageAutoencoders([new Autoencoder(opts).fit(shardA), new Autoencoder(opts).fit(shardB)]);
 * ```
 */
export function averageAutoencoders(models: readonly Autoencoder[], rows?: readonly number[]): Autoencoder {
  const api = 'averageAutoencoders';
  if (!Array.isArray(models) || models.length === 0 || models.some((m) => !hasBrand(m, 'Autoencoder'))) {
    throw new InputTypeError(
      message(api, 'models must be a non-empty array of Autoencoder', 'Autoencoder[]', 'something else'),
    );
  }
  const w = rows === undefined ? models.map(() => 1) : rows.slice();
  if (w.length !== models.length || w.some((x) => !(x > 0))) {
    throw new ParameterError(
      message(api, 'rows must give one positive count per model', String(models.length), String(w.length)),
    );
  }
  const total = w.reduce((a, b) => a + b, 0);
  type State = { sizes: number[]; params: number[]; mean?: number[]; std?: number[]; nFeatures: number };
  const jsons = models.map((m) => m.toJSON());
  const states = jsons.map((j) => j.state as unknown as State);
  const first = states[0] as State;
  for (const [i, s] of states.entries()) {
    if (
      s.sizes.join(',') !== first.sizes.join(',') ||
      (s.mean === undefined) !== (first.mean === undefined)
    ) {
      throw new ShapeError(
        message(api, `model ${i} has another architecture`, first.sizes.join('-'), s.sizes.join('-')),
      );
    }
  }
  const params = new Float64Array(first.params.length);
  states.forEach((s, i) => {
    const f = (w[i] as number) / total;
    for (let t = 0; t < params.length; t++) params[t] = (params[t] as number) + f * (s.params[t] as number);
  });
  const state: Record<string, unknown> = {
    ...first,
    params: Array.from(Math.fround === undefined ? params : params.map(Math.fround)),
  };
  if (first.mean !== undefined && first.std !== undefined) {
    const d = first.nFeatures;
    const mean = new Float64Array(d);
    const variance = new Float64Array(d);
    states.forEach((s, i) => {
      const f = (w[i] as number) / total;
      for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + f * ((s.mean as number[])[j] as number);
    });
    states.forEach((s, i) => {
      const f = (w[i] as number) / total;
      for (let j = 0; j < d; j++) {
        const sd = (s.std as number[])[j] as number;
        const dm = ((s.mean as number[])[j] as number) - (mean[j] as number);
        variance[j] = (variance[j] as number) + f * (sd * sd + dm * dm);
      }
    });
    state.mean = Array.from(mean);
    state.std = Array.from(variance, (v) => Math.sqrt(v));
  }
  return Autoencoder.fromJSON({ ...(jsons[0] as ReturnType<Autoencoder['toJSON']>), state });
}
