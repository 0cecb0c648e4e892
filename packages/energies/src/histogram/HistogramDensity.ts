import {
  BaseEnergyModel,
  type FitContext,
  Matrix,
  ModelFormatError,
  type ModelJSON,
  matrixRows,
  message,
  type RowSource,
  ShapeError,
  ValueError,
} from '@nexus/ebm-core';
import {
  checkDeclaredSize,
  checkedBlocks,
  checkOptionsObject,
  type ParamDeclaration,
  readFloat64Array,
  readInt,
} from '@nexus/ebm-core/extend';
import {
  HISTOGRAM_PARAMS,
  type HistogramDensityOptions,
  type HistogramDensityParams,
  MAX_BINS,
} from './histogramParams.js';

/** Tail distances (in bin widths) are capped here so that absurd inputs still give finite energies. */
const MAX_TAIL = 1e100;
/** The smallest normal double: narrower bins lose precision (subnormal arithmetic). */
const MIN_NORMAL = 2.2250738585072014e-308;

interface HistogramState {
  /** Training rows counted. */
  readonly n: number;
  /** Bins per feature. */
  readonly bins: number;
  /** Left edge of each feature's first bin. */
  readonly lo: Float64Array;
  /** Bin width of each feature (> 0). */
  readonly width: Float64Array;
  /** Row-major d × bins training counts. */
  readonly counts: Float64Array;
  /** Row-major d × bins `−log f`, f the smoothed density of the bin (derived from the counts). */
  readonly binEnergy: Float64Array;
}

function autoBins(n: number): number {
  return Math.max(5, Math.min(50, Math.round(Math.sqrt(n))));
}

/** `−log((c + α) / ((n + α·B)·w))` for every bin. */
function binEnergies(
  counts: Float64Array,
  width: Float64Array,
  n: number,
  bins: number,
  smoothing: number,
): Float64Array {
  const d = width.length;
  const out = new Float64Array(d * bins);
  const logTotal = Math.log(n + smoothing * bins);
  for (let j = 0; j < d; j++) {
    const base = logTotal + Math.log(width[j] as number);
    for (let b = 0; b < bins; b++) {
      const k = j * bins + b;
      out[k] = base - Math.log((counts[k] as number) + smoothing);
    }
  }
  return out;
}

/**
 * Energy of one value under feature j's histogram: the bin's `−log f` inside the training range; beyond
 * it, the edge bin's plus the distance from the edge in bin widths (an exponential tail, continuous at the
 * edge and rising with distance).
 */
function featureEnergy(s: HistogramState, j: number, x: number): number {
  const B = s.bins;
  const t = (x - (s.lo[j] as number)) / (s.width[j] as number);
  if (t < 0) return (s.binEnergy[j * B] as number) + Math.min(-t, MAX_TAIL);
  if (t > B) return (s.binEnergy[j * B + B - 1] as number) + Math.min(t - B, MAX_TAIL);
  const b = Math.min(B - 1, Math.floor(t));
  return s.binEnergy[j * B + b] as number;
}

/** The hyperparameters, as checked by the constructor (see {@link HISTOGRAM_PARAMS}). */
export interface HistogramDensity extends HistogramDensityParams {}

/**
 * Histogram density energy: every feature gets its own equal-width histogram of the training rows and a
 * row's energy is the negative log of the product of its features' bin densities,
 *
 * `E(x) = Σ_j −log f_j(x_j)`, `f_j(v) = (c_jb + α) / ((n + α·B)·w_j)` for v in bin b of feature j,
 *
 * with B bins of width `w_j = (max_j − min_j) / B` over the training range, c_jb the training rows in the
 * bin and α the smoothing pseudo-count. Beyond the training range the density falls by a factor e per bin
 * width from the edge bin's, so a value far outside what was seen is penalised in proportion to how far
 * out it lies. A feature constant in training gets the range [c − ½, c + ½].
 *
 * This is the histogram-based outlier score (HBOS, Goldstein and Dengel 2012) written as an energy: it
 * ignores correlations between features (use {@link GaussianDensity} or {@link GaussianMixture} for those)
 * but it sees one rare value of one field — an unusual hour, a port, a byte count — even when every other
 * field is ordinary, and it is exact to explain: `contributions` returns each feature's term.
 *
 * Fit is O(n·d) and scoring O(d) per row; the fit is deterministic.
 *
 * @example
 * ```ts
 * const h = new HistogramDensity({ bins: 'auto' }).fit(train);
 * const e = h.energy(test);            // higher = rarer
 * const why = h.contributions(test);   // per-feature terms, rows sum to e
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor assigns every parameter (Object.assign)
export class HistogramDensity extends BaseEnergyModel<HistogramState> {
  /** The hyperparameters' declaration (constraints, defaults, docs). */
  static readonly params: ParamDeclaration<HistogramDensityOptions, HistogramDensityParams> =
    HISTOGRAM_PARAMS;
  readonly kind: string = 'histogram';
  readonly formatVersion: number = 1;

  /** @param options - bins per feature and smoothing. */
  constructor(options: HistogramDensityOptions = {}) {
    super(checkOptionsObject('HistogramDensity', options).seed);
    Object.assign(this, HISTOGRAM_PARAMS.resolve(options));
  }

  /**
   * Bins per feature of the fitted model (`'auto'` resolved). Throws `NotFittedError` before fit.
   *
   * @example
   * ```ts
   * new HistogramDensity({ bins: 'auto' }).fit(rows400).binsUsed; // 20 = round(√400)
   * ```
   */
  get binsUsed(): number {
    return this.stateFor('binsUsed').bins;
  }

  /**
   * Training rows the histograms count. Throws `NotFittedError` before fit.
   *
   * @example
   * ```ts
   * new HistogramDensity().fit([[1], [2], [3]]).count; // 3
   * ```
   */
  get count(): number {
    return this.stateFor('count').n;
  }

  protected fitImpl(X: Matrix, ctx: FitContext): HistogramState {
    return this.fitStreamImpl(matrixRows(X), ctx);
  }

  /**
   * Two passes: the row count and each feature's range, then the bin counts. Equals `fit` on the same
   * rows bit for bit, whatever the blocks.
   */
  protected override fitStreamImpl(rows: RowSource, ctx: FitContext): HistogramState {
    const d = rows.cols;
    const lo = new Float64Array(d).fill(Infinity);
    const hi = new Float64Array(d).fill(-Infinity);
    let n = 0;
    for (const { block } of checkedBlocks(rows, ctx.api)) {
      const data = block.data;
      for (let i = 0; i < block.rows; i++) {
        const r = i * d;
        for (let j = 0; j < d; j++) {
          const v = data[r + j] as number;
          if (v < (lo[j] as number)) lo[j] = v;
          if (v > (hi[j] as number)) hi[j] = v;
        }
      }
      n += block.rows;
    }
    if (n === 0) throw new ShapeError(message(ctx.api, 'no rows', 'at least one row', '0'));
    const B = this.bins === 'auto' ? autoBins(n) : this.bins;
    const width = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const a = lo[j] as number;
      const span = (hi[j] as number) - a;
      // A span that is zero, or too small to divide into bins of normal (not subnormal) floating-point
      // width that move the edge, is treated as a constant feature.
      const w = span / B;
      if (w >= MIN_NORMAL && a + w !== a) width[j] = w;
      else {
        lo[j] = a - 0.5;
        width[j] = 1 / B;
      }
    }
    const counts = new Float64Array(d * B);
    let seen = 0;
    for (const { block } of checkedBlocks(rows, ctx.api)) {
      const data = block.data;
      for (let i = 0; i < block.rows; i++) {
        const r = i * d;
        for (let j = 0; j < d; j++) {
          const t = ((data[r + j] as number) - (lo[j] as number)) / (width[j] as number);
          const b = Math.max(0, Math.min(B - 1, Math.floor(t)));
          counts[j * B + b] = (counts[j * B + b] as number) + 1;
        }
      }
      seen += block.rows;
    }
    if (seen !== n) {
      throw new ValueError(message(ctx.api, 'the rows changed between passes', `${n} rows`, `${seen}`));
    }
    const binEnergy = binEnergies(counts, width, n, B, this.smoothing);
    // The mean training energy from the counts (every training value lies in its range's bins).
    let total = 0;
    for (let k = 0; k < counts.length; k++) total += (counts[k] as number) * (binEnergy[k] as number);
    ctx.report({ epoch: 1, epochs: 1, loss: total / n });
    return { n, bins: B, lo, width, counts, binEnergy };
  }

  protected energyImpl(X: Matrix, state: HistogramState): Float64Array {
    const { rows: n, cols: d, data } = X;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = i * d;
      let e = 0;
      for (let j = 0; j < d; j++) e += featureEnergy(state, j, data[r + j] as number);
      out[i] = e;
    }
    return out;
  }

  protected override contributionsImpl(X: Matrix, state: HistogramState): Matrix {
    const { rows: n, cols: d, data } = X;
    const out = new Matrix(n, d);
    for (let k = 0; k < n * d; k++) out.data[k] = featureEnergy(state, k % d, data[k] as number);
    return out;
  }

  protected configToJSON(): Record<string, unknown> {
    return HISTOGRAM_PARAMS.toJSON(this);
  }

  protected stateToJSON(state: HistogramState): Record<string, unknown> {
    return {
      count: state.n,
      binsUsed: state.bins,
      lo: Array.from(state.lo),
      width: Array.from(state.width),
      counts: Array.from(state.counts),
    };
  }

  /**
   * Rebuilds a model from `toJSON()` output (normally called through `loadModel`). Counts must be
   * non-negative integers that sum to `count` for every feature; widths must be positive.
   *
   * @example
   * ```ts
   * const h = HistogramDensity.fromJSON(JSON.parse(text));
   * ```
   */
  static fromJSON(json: ModelJSON): HistogramDensity {
    const api = 'HistogramDensity.fromJSON';
    const model = new HistogramDensity(HISTOGRAM_PARAMS.fromJSON(json.config, api));
    return model.restore(json, api, (s, d) => {
      const n = readInt(s, 'count', api, { min: 1, max: Number.MAX_SAFE_INTEGER });
      const B = readInt(s, 'binsUsed', api, { min: 2, max: MAX_BINS });
      checkDeclaredSize(d * B, 'counts', api);
      const lo = readFloat64Array(s, 'lo', d, api);
      const width = readFloat64Array(s, 'width', d, api);
      const counts = readFloat64Array(s, 'counts', d * B, api);
      for (let j = 0; j < d; j++) {
        const w = width[j] as number;
        if (!(w > 0) || !Number.isFinite((lo[j] as number) + w * B)) {
          throw new ModelFormatError(
            message(
              api,
              `width[${j}] is not a usable bin width`,
              'a positive width with a finite range',
              `${w}`,
            ),
          );
        }
        let sum = 0;
        for (let b = 0; b < B; b++) {
          const v = counts[j * B + b] as number;
          if (!(v >= 0 && Number.isInteger(v))) {
            throw new ModelFormatError(
              message(api, `counts[${j * B + b}] is not a count`, 'a non-negative integer', `${v}`),
            );
          }
          sum += v;
        }
        if (sum !== n) {
          throw new ModelFormatError(
            message(api, `the counts of feature ${j} do not sum to count`, `${n}`, `${sum}`),
          );
        }
      }
      return { n, bins: B, lo, width, counts, binEnergy: binEnergies(counts, width, n, B, model.smoothing) };
    });
  }
}
