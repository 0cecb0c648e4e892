/**
 * The training schedule of an {@link Autoencoder}: the sizes a fit derives from its hyperparameters and
 * data, every random draw it makes (in one order), early stopping, and the divergence error. `Autoencoder.fit`
 * (both kernel paths) and the data-parallel trainer's coordinator both run it, so the same seed gives the
 * same draws everywhere.
 *
 * @module
 */
import { message, type Rng, ValueError } from '@nexus/ebm-core';
import type { AutoencoderParams } from './autoencoderParams.js';
import type { AeLayout, AeStepHyper } from './kernels.js';

/**
 * The default encoder widths for `d` features: `[⌈d/2⌉, bottleneck]` with bottleneck `⌈d/8⌉` clamped to
 * `1 … max(1, d−1)`; a single layer when both coincide.
 *
 * @example
 * ```ts
 * defaultHiddenSizes(64); // [32, 8]
 * defaultHiddenSizes(3); // [2, 1]
 * ```
 */
export function defaultHiddenSizes(d: number): number[] {
  const bottleneck = Math.max(1, Math.min(Math.ceil(d / 8), d - 1));
  const first = Math.max(bottleneck, Math.ceil(d / 2));
  return first === bottleneck ? [bottleneck] : [first, bottleneck];
}

/** Row visits an `epochs: 'auto'` fit aims at. */
const AUTO_EPOCH_VISITS = 50_000;

/**
 * The epoch limit `epochs: 'auto'` gives a fit on `n` rows: clamp(round(50,000 / n), 10, 30) — about 50,000
 * row visits, at least 10 and at most 30 passes. Chosen with dropout 0.2 among six candidate defaults by a
 * rule fixed before any run (mean ROC-AUC over the 21 shared sets on selection seeds 100–102; see
 * docs/choosing-an-energy.md).
 *
 * @example
 * ```ts
 * autoEpochs(1000); // 30
 * autoEpochs(3000); // 17
 * autoEpochs(20_000); // 10
 * ```
 */
export function autoEpochs(n: number): number {
  return Math.max(10, Math.min(30, Math.round(AUTO_EPOCH_VISITS / Math.max(n, 1))));
}

/**
 * What a fit derives before its first draw: the layer widths, the epoch limit, the validation and training
 * row counts and the minibatch size.
 */
export interface AePlan {
  /** Layer widths: input, encoder, mirrored decoder, output. */
  readonly sizes: readonly number[];
  /** Most epochs (`epochs`, with `'auto'` resolved by {@link autoEpochs}). */
  readonly epochs: number;
  /** Rows held out for validation (0 when the split would leave either side empty). */
  readonly nVal: number;
  /** Rows trained on. */
  readonly nTrain: number;
  /** Rows per minibatch (at most `nTrain`). */
  readonly batch: number;
}

/**
 * The {@link AePlan} of a fit on `n` rows of `d` features.
 *
 * @example
 * ```ts
 * planAutoencoder(Autoencoder.params.resolve({ batchSize: 32 }), 100, 8); // { sizes: [8, 4, 1, 4, 8], epochs: 30, nVal: 10, nTrain: 90, batch: 32 }
 * ```
 */
export function planAutoencoder(p: AutoencoderParams, n: number, d: number): AePlan {
  const enc = p.hiddenSizes === undefined ? defaultHiddenSizes(d) : p.hiddenSizes.slice();
  const sizes = [d, ...enc, ...enc.slice(0, -1).reverse(), d];
  let nVal = Math.floor(n * p.validationFraction);
  if (!(nVal >= 1 && n - nVal >= 1)) nVal = 0;
  const nTrain = n - nVal;
  const epochs = p.epochs === 'auto' ? autoEpochs(n) : p.epochs;
  return { sizes, epochs, nVal, nTrain, batch: Math.min(p.batchSize, nTrain) };
}

/**
 * The optimiser's hyperparameters of a training step.
 *
 * @example
 * ```ts
 * const hyper = stepHyper(model); // { optimizer: 'adam', learningRate: 0.001, … }
 * ```
 */
export function stepHyper(p: AutoencoderParams): AeStepHyper {
  return {
    optimizer: p.optimizer,
    learningRate: p.learningRate,
    beta1: p.beta1,
    beta2: p.beta2,
    epsilon: p.epsilon,
    momentum: p.momentum,
    weightDecay: p.weightDecay,
    clipNorm: p.clipNorm,
  };
}

/**
 * Every random draw of an autoencoder fit, from the fit's generator, in this order: the validation split
 * (one permutation of the rows, when there is a validation set) and the initial weights (constructor);
 * then per epoch a shuffle of the training rows ({@link AeSchedule.startEpoch}) and per minibatch the
 * input noise, then the dropout masks ({@link AeSchedule.drawBatch}).
 *
 * @example
 * ```ts
 * const s = new AeSchedule(params, plan, layout, rng);
 * for (let epoch = 1; epoch <= plan.epochs; epoch++) {
 *   s.startEpoch();
 *   for (let b0 = 0; b0 < plan.nTrain; b0 += plan.batch) { s.drawBatch(data, d, b0, rows, noisy, mask, maskOffsets); … }
 * }
 * ```
 */
export class AeSchedule {
  /** The training rows (indices into the data), in this epoch's order. */
  readonly trainIdx: Int32Array;
  /** The validation rows (indices into the data). */
  readonly valIdx: Int32Array;
  /** The initial weights (zero biases); training updates them in place. */
  readonly params: Float32Array;
  private readonly rng: Rng;
  private readonly p: AutoencoderParams;
  private readonly hidden: readonly number[];

  /**
   * Draws the validation split and the initial weights.
   *
   * @param into - arrays to fill instead of allocating (shared memory of the parallel trainer):
   *   `trainIdx` of length `plan.nTrain`, `params` of length `layout.nParams` (zeroed).
   */
  constructor(
    p: AutoencoderParams,
    plan: AePlan,
    layout: AeLayout,
    rng: Rng,
    into: { readonly trainIdx?: Int32Array; readonly params?: Float32Array } = {},
  ) {
    this.p = p;
    this.rng = rng;
    const n = plan.nVal + plan.nTrain;
    const trainIdx = into.trainIdx ?? new Int32Array(plan.nTrain);
    if (plan.nVal > 0) {
      const perm = rng.permutation(n);
      this.valIdx = perm.slice(0, plan.nVal);
      trainIdx.set(perm.subarray(plan.nVal));
    } else {
      this.valIdx = new Int32Array(0);
      for (let i = 0; i < n; i++) trainIdx[i] = i;
    }
    this.trainIdx = trainIdx;
    this.params = into.params ?? new Float32Array(layout.nParams);
    initWeights(layout, p.init, rng, this.params);
    this.hidden = Array.from(layout.sizes.subarray(1, -1));
  }

  /** Shuffles the training rows for the next epoch. */
  startEpoch(): void {
    this.rng.shuffle(this.trainIdx);
  }

  /**
   * Draws the minibatch of training rows `trainIdx[b0 … b0+rows)`: with input noise, `noisy[k]` = the
   * clean value + noise·N(0, 1) for the `rows × d` values in row order; then with dropout, the mask of
   * every hidden layer l (`rows × width_l` values from `mask[maskOffsets[l]]`): 1/keep with probability
   * keep, else 0.
   */
  drawBatch(
    data: Float32Array,
    d: number,
    b0: number,
    rows: number,
    noisy: Float32Array | null,
    mask: Float32Array | null,
    maskOffsets: readonly number[],
  ): void {
    const { rng, p, trainIdx } = this;
    if (noisy !== null) {
      const sd = p.inputNoise;
      for (let r = 0; r < rows; r++) {
        const i = (trainIdx[b0 + r] as number) * d;
        for (let j = 0; j < d; j++) noisy[r * d + j] = (data[i + j] as number) + sd * rng.normal();
      }
    }
    if (mask !== null) {
      const keep = 1 - p.dropout;
      const inv = 1 / keep;
      for (let l = 0; l < this.hidden.length; l++) {
        const o = maskOffsets[l] as number;
        const end = o + rows * (this.hidden[l] as number);
        for (let k = o; k < end; k++) mask[k] = rng.uniform() < keep ? inv : 0;
      }
    }
  }
}

/** Seeded He (normal) or Xavier (uniform) weights; biases stay zero. */
function initWeights(layout: AeLayout, scheme: 'he' | 'xavier', rng: Rng, params: Float32Array): void {
  const { sizes, wOff } = layout;
  for (let l = 0; l < sizes.length - 1; l++) {
    const fanIn = sizes[l] as number;
    const fanOut = sizes[l + 1] as number;
    const w = params.subarray(wOff[l] as number, (wOff[l] as number) + fanIn * fanOut);
    if (scheme === 'he') rng.fillNormal(w, 0, Math.sqrt(2 / fanIn));
    else {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      rng.fillUniform(w, -a, a);
    }
  }
}

/**
 * Early stopping on the validation loss: keeps the best epoch's weights (with `restoreBest`) and says when
 * `patience` epochs have passed without an improvement larger than `minDelta`.
 *
 * @example
 * ```ts
 * const stop = new EarlyStopping(params);
 * if (stop.update(valLoss, weights)) break;
 * stop.restore(weights);
 * ```
 */
export class EarlyStopping {
  private readonly p: Pick<AutoencoderParams, 'patience' | 'minDelta' | 'restoreBest'>;
  private best: Float32Array | null = null;
  private bestLoss = Number.POSITIVE_INFINITY;
  private sinceBest = 0;

  /** @param p - `patience` (0 = never stop early), `minDelta` and `restoreBest`. */
  constructor(p: Pick<AutoencoderParams, 'patience' | 'minDelta' | 'restoreBest'>) {
    this.p = p;
  }

  /** Records an epoch's validation loss (and its weights when they are the best so far); true = stop. */
  update(valLoss: number, params: Float32Array): boolean {
    if (valLoss < this.bestLoss - this.p.minDelta) {
      this.bestLoss = valLoss;
      this.sinceBest = 0;
      if (this.p.restoreBest) {
        if (this.best === null) this.best = params.slice();
        else this.best.set(params);
      }
      return false;
    }
    this.sinceBest++;
    return this.p.patience > 0 && this.sinceBest >= this.p.patience;
  }

  /** Puts the best epoch's weights back into `params` (with `restoreBest`, once an epoch was recorded). */
  restore(params: Float32Array): void {
    if (this.best !== null && this.p.restoreBest) params.set(this.best);
  }
}

/**
 * The error of a fit whose loss stopped being finite.
 *
 * @example
 * ```ts
 * if (!Number.isFinite(loss)) throw divergedError(ctx.api, epoch, loss);
 * ```
 */
export function divergedError(api: string, epoch: number, loss: number): ValueError {
  return new ValueError(
    message(
      api,
      `training diverged at epoch ${epoch} (the loss is not finite)`,
      'a finite loss; lower learningRate, set clipNorm, or standardise the inputs',
      String(loss),
    ),
  );
}
