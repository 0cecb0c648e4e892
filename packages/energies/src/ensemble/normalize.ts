/**
 * Putting energies of different models on one scale, using only their training energies: a member's
 * energy is mapped through the training energies' empirical distribution to a standard-normal quantile
 * (`quantile`) or to the empirical level itself, a rank in (0, 1) (`rank`), or centred on the training
 * median and divided by the training MAD (`robust-z`).
 * @module
 */

/** How a member's energies are normalised. */
export type EnsembleNormalization = 'quantile' | 'rank' | 'robust-z';

/** Learned normaliser of one member: knots of its training-energy distribution. */
export interface MemberNormalizer {
  /** Sorted training-energy values at the knots. */
  readonly values: Float64Array;
  /** Normal quantile (z) of each knot's empirical level. */
  readonly z: Float64Array;
  /** Energy units per z unit above the last knot (upper-tail spread). */
  readonly upperScale: number;
  /** Energy units per z unit below the first knot. */
  readonly lowerScale: number;
  /**
   * Whether the scale is bounded (`rank`: levels in (0, 1), approached exponentially beyond the knots)
   * rather than open with logarithmic tails.
   */
  readonly bounded?: boolean;
}

const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

function poly(coef: readonly number[], x: number): number {
  let s = 0;
  for (const c of coef) s = s * x + c;
  return s;
}

/**
 * The standard-normal quantile Φ⁻¹(p) for p in (0, 1) (Acklam's rational approximation, relative error
 * below 1.2e-9); ±Infinity at 0 and 1.
 *
 * @example
 * ```ts
 * normalQuantile(0.975); // ≈ 1.96
 * ```
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(C, q) / (poly(D, q) * q + 1);
  }
  if (p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    return -poly(C, q) / (poly(D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(A, r) * q) / (poly(B, r) * r + 1);
}

/** Value of the sorted array `s` at fractional position `pos` (linear interpolation). */
function at(s: Float64Array, pos: number): number {
  const i = Math.floor(pos);
  const f = pos - i;
  const a = s[i] as number;
  return f === 0 || i + 1 >= s.length ? a : a + f * ((s[i + 1] as number) - a);
}

/**
 * Learns a member's normaliser from its training energies: up to `maxKnots` knots of the empirical
 * distribution (mid-rank levels), and tail spreads from the 10th/90th percentiles (falling back to the
 * range, then to 1, when those are degenerate).
 *
 * @example
 * ```ts
 * const norm = fitNormalizer(new Float64Array([1, 2, 3, 4]), 'quantile');
 * ```
 */
export function fitNormalizer(
  energies: Float64Array,
  normalization: EnsembleNormalization,
  maxKnots = 257,
): MemberNormalizer {
  const s = Float64Array.from(energies).sort();
  const n = s.length;
  const med = at(s, (n - 1) / 2);
  if (normalization === 'robust-z') {
    const dev = Float64Array.from(s, (v) => Math.abs(v - med)).sort();
    let mad = 1.4826 * at(dev, (dev.length - 1) / 2);
    if (!(mad > 0)) mad = spreadFallback(s);
    return { values: Float64Array.of(med), z: Float64Array.of(0), upperScale: mad, lowerScale: mad };
  }
  const k = Math.max(1, Math.min(maxKnots, n));
  const values = new Float64Array(k);
  const z = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    const pos = k === 1 ? (n - 1) / 2 : (t * (n - 1)) / (k - 1);
    values[t] = at(s, pos);
    z[t] = normalization === 'rank' ? (pos + 0.5) / n : normalQuantile((pos + 0.5) / n);
  }
  const z90 = normalQuantile(0.9);
  let upper = (at(s, 0.9 * (n - 1)) - med) / z90;
  let lower = (med - at(s, 0.1 * (n - 1))) / z90;
  if (!(upper > 0)) upper = spreadFallback(s);
  if (!(lower > 0)) lower = spreadFallback(s);
  if (normalization === 'rank') return { values, z, upperScale: upper, lowerScale: lower, bounded: true };
  return { values, z, upperScale: upper, lowerScale: lower };
}

function spreadFallback(s: Float64Array): number {
  const range = (s[s.length - 1] as number) - (s[0] as number);
  return range > 0 ? range / 4 : 1;
}

/**
 * Maps one energy to the common scale. Inside the training range: the normal quantile of its
 * interpolated empirical level (`rank`: the level itself; ties take the middle level). Beyond it: the end
 * knot's z plus `log1p(excess / tailSpread)`, so order is kept without letting one member's extreme values
 * swamp the others (`rank`: the level approaches 1 or 0 exponentially, so it stays in (0, 1)). For `robust-z`: `(e − median) / MAD` with the same logarithmic damping beyond ±3.
 *
 * @example
 * ```ts
 * const z = normalizeEnergy(norm, 2.5);
 * ```
 */
export function normalizeEnergy(norm: MemberNormalizer, e: number): number {
  const v = norm.values;
  const z = norm.z;
  const k = v.length;
  if (k === 1) {
    const r =
      e >= (v[0] as number)
        ? (e - (v[0] as number)) / norm.upperScale
        : (e - (v[0] as number)) / norm.lowerScale;
    return damp(r, 3);
  }
  const first = v[0] as number;
  const last = v[k - 1] as number;
  if (norm.bounded === true) {
    // levels stay in (0, 1): beyond the knots they approach 1 (or 0) exponentially, keeping the order
    const top = z[k - 1] as number;
    if (e > last) return top + (1 - top) * -Math.expm1(-(e - last) / norm.upperScale);
    if (e < first) return (z[0] as number) * Math.exp(-(first - e) / norm.lowerScale);
  }
  if (e > last) return (z[k - 1] as number) + Math.log1p((e - last) / norm.upperScale);
  if (e < first) return (z[0] as number) - Math.log1p((first - e) / norm.lowerScale);
  // lo = first knot with value ≥ e; hi = last knot with value ≤ e.
  let a = 0;
  let b = k - 1;
  while (a < b) {
    const m = (a + b) >> 1;
    if ((v[m] as number) < e) a = m + 1;
    else b = m;
  }
  const lo = a;
  a = 0;
  b = k - 1;
  while (a < b) {
    const m = (a + b + 1) >> 1;
    if ((v[m] as number) > e) b = m - 1;
    else a = m;
  }
  const hi = a;
  if (lo <= hi) return ((z[lo] as number) + (z[hi] as number)) / 2;
  const v0 = v[hi] as number;
  const v1 = v[lo] as number;
  const f = (e - v0) / (v1 - v0);
  return (z[hi] as number) + f * ((z[lo] as number) - (z[hi] as number));
}

function damp(r: number, at: number): number {
  if (r > at) return at + Math.log1p(r - at);
  if (r < -at) return -at - Math.log1p(-r - at);
  return r;
}
