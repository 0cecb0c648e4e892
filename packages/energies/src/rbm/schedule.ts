/**
 * The training schedule of an {@link RBM}: the sizes a fit derives from its hyperparameters and data, the
 * training rows it prepares, every random draw it makes (in one order) and the divergence error.
 * `RBM.fit` (both kernel paths) and the data-parallel trainer's coordinator both run it, so the same seed
 * gives the same draws everywhere.
 *
 * @module
 */
import { message, type Rng, ValueError } from '@nexus/ebm-core';
import { columnMeans } from '@nexus/ebm-core/kernels';
import { columnStats, toFloat32 } from '../trainingRows/standardize.js';
import { seedXoshiro } from './kernels.js';
import type { RBMParams } from './rbmParams.js';

/** Rows of the per-epoch reconstruction monitor (the first rows of the training data). */
const MONITOR_ROWS = 1024;

/**
 * What a fit derives before its first draw.
 */
export interface RbmPlan {
  /** Training rows. */
  readonly n: number;
  /** Hidden units. */
  readonly h: number;
  /** Rows per minibatch (at most n). */
  readonly batch: number;
  /** Rows of the workspace: a minibatch or the monitor, whichever is larger. */
  readonly capacity: number;
  /** Rows of the per-epoch reconstruction monitor. */
  readonly monitorRows: number;
}

/**
 * The {@link RbmPlan} of a fit on `n` rows of `d` features: `nHidden` or `min(128, max(8, d))` hidden
 * units, minibatches of `min(batchSize, n)` rows, a monitor of up to 1024 rows.
 *
 * @example
 * ```ts
 * planRbm(RBM.params.resolve({ batchSize: 100 }), 5000, 20); // { n: 5000, h: 20, batch: 100, capacity: 1024, monitorRows: 1024 }
 * ```
 */
export function planRbm(p: RBMParams, n: number, d: number): RbmPlan {
  const batch = Math.min(p.batchSize, n);
  const capacity = Math.max(batch, Math.min(MONITOR_ROWS, n));
  const h = p.nHidden ?? Math.min(128, Math.max(8, d));
  return { n, h, batch, capacity, monitorRows: Math.min(n, capacity) };
}

/**
 * The training rows of an RBM fit: the column means (which also start the visible biases), the
 * standardisation (with `standardize`) and the rows in Float32, standardised.
 *
 * @example
 * ```ts
 * const { colMean, mean, std, data } = rbmRows(X.data, X.rows, X.cols, model.standardize);
 * ```
 */
export interface RbmRows {
  /** Column means of the raw rows. */
  readonly colMean: Float64Array;
  /** The standardisation's means and deviations (null without `standardize`). */
  readonly mean: Float64Array | null;
  readonly std: Float64Array | null;
  /** The rows in Float32 (standardised with `standardize`). */
  readonly data: Float32Array;
}

/**
 * Prepares the {@link RbmRows} of `n × d` raw rows (into `out` when given, e.g. shared memory).
 *
 * @example
 * ```ts
 * const rows = rbmRows(X.data, X.rows, X.cols, true);
 * ```
 */
export function rbmRows(
  x: Float64Array,
  n: number,
  d: number,
  standardize: boolean,
  out: Float32Array = new Float32Array(n * d),
): RbmRows {
  let colMean: Float64Array;
  let std: Float64Array | null = null;
  if (standardize) ({ mean: colMean, std } = columnStats(x, n, d));
  else {
    colMean = new Float64Array(d);
    columnMeans(x, n, d, colMean, null);
  }
  const mean = standardize ? colMean : null;
  toFloat32(x, 0, n, d, mean, std, out);
  return { colMean, mean, std, data: out };
}

/**
 * Every random draw of an RBM fit, from the fit's generator, in this order: the initial weights
 * (N(0, 0.01²); the visible biases start at the data — no draw), one xoshiro128** sampler state per worker
 * (constructor), then a shuffle of the row order per epoch ({@link RbmSchedule.startEpoch}).
 *
 * @example
 * ```ts
 * const s = new RbmSchedule(params, plan, rows, rng);
 * for (let epoch = 1; epoch <= params.epochs; epoch++) { s.startEpoch(); … s.order … }
 * ```
 */
export class RbmSchedule {
  /** W (d×h), b (d), c (h) in one vector, initialised; training updates it in place. */
  readonly params: Float32Array;
  /** One sampler state per worker (`seedXoshiro` words). */
  readonly samplers: readonly Uint32Array[];
  /** The row order, reshuffled by {@link RbmSchedule.startEpoch}. */
  readonly order: Int32Array;
  private readonly rng: Rng;

  /**
   * Draws the initial weights and the samplers.
   *
   * @param into - arrays to fill instead of allocating (shared memory of the parallel trainer):
   *   `params` of length `d·h + d + h` (zeroed), `order` of length n.
   * @param workers - how many sampler states to draw (one per worker).
   */
  constructor(
    p: RBMParams,
    plan: RbmPlan,
    rows: Pick<RbmRows, 'colMean' | 'mean'>,
    rng: Rng,
    into: { readonly params?: Float32Array; readonly order?: Int32Array } = {},
    workers = 1,
  ) {
    this.rng = rng;
    const d = rows.colMean.length;
    const h = plan.h;
    const params = into.params ?? new Float32Array(d * h + d + h);
    rng.fillNormal(params.subarray(0, d * h), 0, 0.01);
    const bOff = d * h;
    for (let i = 0; i < d; i++) {
      const mu = rows.colMean[i] as number;
      if (p.visible === 'gaussian') {
        // Standardised data have mean 0; otherwise start the visible means at the data means.
        params[bOff + i] = rows.mean === null ? mu : 0;
      } else {
        // Hinton's practical guide: b_i = log(p_i / (1 − p_i)) for the fraction p_i of rows with unit i on.
        const q = Math.min(1 - 1e-3, Math.max(1e-3, mu));
        params[bOff + i] = Math.log(q / (1 - q));
      }
    }
    this.params = params;
    this.samplers = Array.from({ length: workers }, () => seedXoshiro(() => rng.int(4294967296)));
    const order = into.order ?? new Int32Array(plan.n);
    for (let i = 0; i < order.length; i++) order[i] = i;
    this.order = order;
  }

  /** Shuffles the row order for the next epoch. */
  startEpoch(): void {
    this.rng.shuffle(this.order);
  }
}

/**
 * The error of a fit whose reconstruction error stopped being finite.
 *
 * @example
 * ```ts
 * if (!Number.isFinite(loss)) throw reconstructionDivergedError(ctx.api, epoch, loss);
 * ```
 */
export function reconstructionDivergedError(api: string, epoch: number, loss: number): ValueError {
  return new ValueError(
    message(
      api,
      `training diverged at epoch ${epoch} (the reconstruction error is not finite)`,
      'a finite error; lower learningRate or standardise the inputs',
      String(loss),
    ),
  );
}
