import { describeValue, message, ParameterError, ValueError } from '../errors.js';
import { checkOpenUnit, quantileSorted, sortedEnergies } from './sortedEnergies.js';

/**
 * Options of {@link evtThreshold}.
 */
export interface EvtOptions {
  /** Target false-alarm rate q: the probability that a normal sample exceeds the threshold, in (0, 1). */
  readonly risk: number;
  /**
   * Level of the initial threshold t whose excesses are modelled, in (0, 1); default 0.98. The share of
   * peaks (1 − initialQuantile) must exceed `risk`, and at least 10 training energies must lie above t.
   */
  readonly initialQuantile?: number;
}

/**
 * A peaks-over-threshold fit and the threshold it implies.
 */
export interface EvtThreshold {
  /** z_q: flag an energy strictly above it; the expected false-alarm rate is `risk`. */
  readonly threshold: number;
  /** Fitted shape ξ of the generalised Pareto tail (0: exponential, > 0: heavy, < 0: bounded). */
  readonly xi: number;
  /** Fitted scale σ > 0 of the generalised Pareto tail. */
  readonly sigma: number;
  /** The initial threshold t (the `initialQuantile`-quantile of the training energies). */
  readonly t: number;
  /** N_t: how many training energies lie strictly above t (the peaks). */
  readonly nPeaks: number;
  /** n: how many training energies were given. */
  readonly n: number;
}

/** Fewest peaks a fit accepts. */
const MIN_PEAKS = 10;
/** Grid points on the negative side of θ = 0 before the golden-section refinement. */
const GRID = 40;

/**
 * Per-peak profile log-likelihood of the generalised Pareto distribution at θ = ξ/σ: for fixed θ the
 * likelihood is maximised by ξ(θ) = mean(log(1 + θ·yᵢ)) and σ = ξ/θ, leaving
 * ℓ(θ) = log(θ/ξ(θ)) − ξ(θ) − 1; θ = 0 is the exponential limit −log(mean y) − 1.
 */
function profile(y: Float64Array, theta: number, meanY: number): number {
  if (theta === 0) return -Math.log(meanY) - 1;
  const xi = shape(y, theta);
  if (xi === 0) return -Math.log(meanY) - 1;
  return Math.log(theta / xi) - xi - 1;
}

/** ξ(θ) = mean(log(1 + θ·yᵢ)), increasing in θ. */
function shape(y: Float64Array, theta: number): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Math.log1p(theta * (y[i] as number));
  return s / y.length;
}

/** Maximises the profile likelihood over θ ∈ [lo, hi] (lo < 0 < hi or hi = 0) by a grid then golden section. */
function maximiseProfile(y: Float64Array, meanY: number, lo: number, hi: number): number {
  // A signed logarithmic grid: the negative side spans six decades towards 0, then θ = 0 itself.
  const grid: number[] = [];
  for (let k = 0; k < GRID; k++) grid.push(lo * 10 ** ((-6 * k) / (GRID - 1)));
  grid.push(0);
  if (hi > 0) {
    // Grimshaw's upper bound grows like 1/min Y, so this side spans from it down to θ·mean Y = 1e-4 (at
    // least six decades), about seven points a decade.
    const decades = Math.max(6, Math.log10((hi * meanY) / 1e-4));
    const m = Math.ceil(decades * 7) + 1;
    for (let k = m - 1; k >= 0; k--) grid.push(hi * 10 ** ((-decades * k) / (m - 1)));
  }
  let best = 0;
  let bestL = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < grid.length; k++) {
    const l = profile(y, grid[k] as number, meanY);
    if (l > bestL) {
      bestL = l;
      best = k;
    }
  }
  let a = grid[Math.max(0, best - 1)] as number;
  let b = grid[Math.min(grid.length - 1, best + 1)] as number;
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = profile(y, c, meanY);
  let fd = profile(y, d, meanY);
  for (let it = 0; it < 100 && b - a > 1e-12 * (Math.abs(a) + Math.abs(b)); it++) {
    if (fc >= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = profile(y, c, meanY);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = profile(y, d, meanY);
    }
  }
  const theta = fc >= fd ? c : d;
  const fBest = Math.max(fc, fd);
  return fBest >= bestL ? theta : (grid[best] as number);
}

/**
 * A label-free threshold from extreme-value theory (peaks over threshold, as in SPOT: Siffer et al.,
 * "Anomaly Detection in Streams with Extreme Value Theory", KDD 2017). Above a high initial threshold t
 * (the `initialQuantile`-quantile of the training energies), the excesses Y = X − t of the N_t peaks
 * follow, by the Pickands–Balkema–de Haan theorem, a generalised Pareto distribution
 * P(Y > y) = (1 + ξy/σ)^(−1/ξ) (exp(−y/σ) when ξ = 0). ξ and σ are fitted by maximum likelihood through
 * the one-dimensional profile likelihood in θ = ξ/σ (for fixed θ the best ξ is mean(log(1 + θY)), the
 * reduction behind Grimshaw's trick), maximised over a grid then by golden section on
 * θ ∈ (−1/max Y, 2(Ȳ − min Y)/(Ȳ·min Y)] (Grimshaw's bound) with ξ ≥ −1, where the likelihood is bounded;
 * θ = 0 is the exponential case. The threshold for a false-alarm rate q is then
 * z_q = t + (σ/ξ)·((q·n/N_t)^(−ξ) − 1), or t − σ·log(q·n/N_t) when ξ = 0 (computed with expm1, so ξ ≈ 0
 * is stable). Only the top 1 − initialQuantile of the data is modelled, so the threshold can lie beyond
 * every training energy: it extrapolates the tail instead of reading a far quantile from few points.
 *
 * Complexity: O(n) validation and radix sort of a copy, then O(N_t) per likelihood evaluation, a few
 * hundred evaluations (bisection for the ξ = −1 bound, the grid, the golden section): milliseconds for
 * N_t in the thousands.
 *
 * @param trainEnergies - energies of (mostly) normal training data, finite numbers.
 * @param options - `risk` (the target false-alarm rate q) and optionally `initialQuantile` (default 0.98).
 * @returns the threshold and the fitted tail: `{ threshold, xi, sigma, t, nPeaks, n }`.
 * @throws ParameterError if risk or initialQuantile is not in (0, 1) or risk ≥ N_t/n; ValueError for NaN or
 *   ±Infinity energies or fewer than 10 peaks; ShapeError if energies are empty; InputTypeError for a
 *   non-array.
 *
 * @example
 * ```ts
 * const rng = new Rng(1);
 * const train = Float64Array.from({ length: 100_000 }, () => -Math.log(1 - rng.uniform())); // Exp(1)
 * const fit = evtThreshold(train, { risk: 1e-4 });
 * // fit.xi ≈ 0, fit.sigma ≈ 1, fit.threshold ≈ −log(1e-4) ≈ 9.2
 * ```
 */
export function evtThreshold(trainEnergies: ArrayLike<number>, options: EvtOptions): EvtThreshold {
  const api = 'evtThreshold';
  if (options === null || typeof options !== 'object') {
    throw new ParameterError(
      message(api, 'options must be an object', '{ risk, initialQuantile? }', describeValue(options)),
    );
  }
  const risk = options.risk;
  checkOpenUnit(risk, api, 'risk');
  const q0 = options.initialQuantile ?? 0.98;
  checkOpenUnit(q0, api, 'initialQuantile');
  const x = sortedEnergies(trainEnergies, api);
  const n = x.length;
  const t = quantileSorted(x, q0);
  let first = n;
  while (first > 0 && (x[first - 1] as number) > t) first--;
  const nPeaks = n - first;
  if (nPeaks < MIN_PEAKS) {
    throw new ValueError(
      message(
        api,
        `too few energies above the initial threshold ${t} (give more data, lower initialQuantile, or break ties)`,
        `at least ${MIN_PEAKS} peaks`,
        `${nPeaks} of ${n}`,
      ),
    );
  }
  if (risk >= nPeaks / n) {
    throw new ParameterError(
      message(
        api,
        'risk must be below the share of peaks over the initial threshold (lower initialQuantile)',
        `risk < ${nPeaks}/${n} = ${nPeaks / n}`,
        String(risk),
      ),
    );
  }
  const y = new Float64Array(nPeaks);
  let sum = 0;
  for (let i = 0; i < nPeaks; i++) {
    const v = (x[first + i] as number) - t;
    y[i] = v;
    sum += v;
  }
  const meanY = sum / nPeaks;
  const minY = y[0] as number;
  const maxY = y[nPeaks - 1] as number;
  // Lower end: ξ(θ) rises from −∞ at θ = −1/max Y to 0 at θ = 0; bisect for ξ(θ) = −1.
  let a = -1 / maxY;
  let b = 0;
  for (let it = 0; it < 200 && b - a > 1e-15 / maxY; it++) {
    const m = (a + b) / 2;
    if (shape(y, m) < -1) a = m;
    else b = m;
  }
  const lo = b;
  const hi = (2 * (meanY - minY)) / (meanY * minY);
  const theta = maximiseProfile(y, meanY, lo, Number.isFinite(hi) && hi > 0 ? hi : 0);
  let xi = theta === 0 ? 0 : shape(y, theta);
  const sigma = xi === 0 ? meanY : xi / theta;
  if (!(Math.abs(xi) > 0)) xi = 0;
  const logR = Math.log((risk * n) / nPeaks);
  const threshold = xi === 0 ? t - sigma * logR : t + (sigma / xi) * Math.expm1(-xi * logR);
  return { threshold, xi, sigma, t, nPeaks, n };
}
