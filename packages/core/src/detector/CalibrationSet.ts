/**
 * The calibration energies a {@link Detector} keeps, bounded: every energy of a small set, and for a large
 * one (more than {@link CALIBRATION_BOUNDS}.keepAll) only a fixed set of order statistics — the whole upper
 * tail that the false-alarm rates near the detector's need, plus evenly spaced quantiles below it. So a
 * pipeline trained on ten million events saves a few hundred thousand numbers instead of two million,
 * while thresholds stay exact for the rates in reach of the tail and p-values stay exact in the tail.
 *
 * Layout for n energies c₍₀₎ ≤ … ≤ c₍ₙ₋₁₎ (positions are 0-based order statistics):
 * - the tail: the T largest, positions n − T … n − 1, with T = min(n, max(tailFloor, ⌈tailFactor·α·(n + 1)⌉))
 *   for the detector's false-alarm rate α when calibrating;
 * - the grid: G positions p_k = round(k·(m − 1)/(G − 1)), k = 0 … G − 1, over the m = n − T positions
 *   below the tail (so the smallest energy and the one just below the tail are both kept).
 * When m ≤ G the set is kept whole. The grid positions are implied by (n, T, G), so a saved set is the kept
 * energies (ascending), n and T.
 *
 * Guarantees (see `CalibrationSet.prop.test.ts`): the threshold for a rate α equals the full set's whenever
 * ⌊α(n + 1)⌋ ≤ T (every α ≤ tailFactor times the rate calibrated for); for larger rates it is the kept
 * order statistic at or above the full set's position (never more flags than the full set gives). The
 * count #{c ≥ e} — hence the conformal p-value — is exact when e is above the grid's last energy or at or
 * below the smallest, and otherwise interpolated between two grid neighbours, off by less than the grid
 * spacing: |p̂ − p| < ⌈(m − 1)/(G − 1)⌉ / (n + 1).
 *
 * @module
 */
import { ModelFormatError, message } from '../errors.js';

/** How a large calibration set is bounded (the defaults `Detector` uses). */
export interface CalibrationBounds {
  /** Sets of at most this many energies are kept whole. */
  readonly keepAll: number;
  /** Evenly spaced order statistics kept below the tail. */
  readonly grid: number;
  /** The tail covers every rate up to this factor times the calibrated rate … */
  readonly tailFactor: number;
  /** … and holds at least this many energies. */
  readonly tailFloor: number;
}

/**
 * The defaults: sets up to 65,536 energies are kept whole; above, the tail for rates up to 10× the
 * detector's (at least 1,000 energies) and 4,096 grid quantiles. At the default rate 0.01 a set of
 * 2,000,000 energies keeps 204,097.
 */
export const CALIBRATION_BOUNDS: CalibrationBounds = Object.freeze({
  keepAll: 65_536,
  grid: 4_096,
  tailFactor: 10,
  tailFloor: 1_000,
});

/** A sorted set of calibration energies, whole or bounded (see the module description). */
export class CalibrationSet {
  /** The kept energies, ascending: the grid's G, then the tail's T. */
  readonly kept: Float64Array;
  /** Calibration energies counted (n). */
  readonly count: number;
  /** Energies in the exact upper tail (T; equal to `count` when the set is whole). */
  readonly tail: number;

  private constructor(kept: Float64Array, count: number, tail: number) {
    this.kept = kept;
    this.count = count;
    this.tail = tail;
  }

  /** Grid points (G; 0 when whole). */
  get grid(): number {
    return this.kept.length - this.tail;
  }

  /** Whether every energy is kept. */
  get whole(): boolean {
    return this.tail === this.count;
  }

  /**
   * Keeps the set whole or bounds it for false-alarm rate `alpha`.
   *
   * @param sorted - every calibration energy, ascending and finite (not copied when kept whole).
   */
  static fromSorted(
    sorted: Float64Array,
    alpha: number,
    bounds: CalibrationBounds = CALIBRATION_BOUNDS,
  ): CalibrationSet {
    const n = sorted.length;
    if (n <= bounds.keepAll) return new CalibrationSet(sorted, n, n);
    const T = Math.min(n, Math.max(bounds.tailFloor, Math.ceil(bounds.tailFactor * alpha * (n + 1))));
    const m = n - T;
    const G = bounds.grid;
    if (m <= G) return new CalibrationSet(sorted, n, n);
    const kept = new Float64Array(G + T);
    for (let k = 0; k < G; k++) kept[k] = sorted[gridPosition(k, m, G)] as number;
    kept.set(sorted.subarray(m), G);
    return new CalibrationSet(kept, n, T);
  }

  /**
   * A set as saved: `kept` ascending; a bounded one (count > kept) also names its tail. Throws
   * `ModelFormatError` naming `api` when the numbers cannot describe such a set.
   */
  static restore(kept: Float64Array, count: number, tail: number, api: string): CalibrationSet {
    const L = kept.length;
    if (count === L) {
      if (tail !== L) {
        throw new ModelFormatError(
          message(api, 'calibrationTail of a whole set must equal its length', `${L}`, `${tail}`),
        );
      }
      return new CalibrationSet(kept, count, tail);
    }
    const G = L - tail;
    if (!(count > L && tail >= 1 && G >= 2 && count - tail > G)) {
      throw new ModelFormatError(
        message(
          api,
          'calibrationCount and calibrationTail do not describe a bounded set',
          `calibrationCount > calibration.length, 1 ≤ calibrationTail ≤ length − 2 and calibrationCount − calibrationTail > length − calibrationTail (length ${L})`,
          `calibrationCount ${count}, calibrationTail ${tail}`,
        ),
      );
    }
    for (let i = 1; i < L; i++) {
      if (!((kept[i - 1] as number) <= (kept[i] as number))) {
        throw new ModelFormatError(
          message(
            api,
            `calibration[${i}] of a bounded set is out of order`,
            'ascending energies',
            `${kept[i]}`,
          ),
        );
      }
    }
    return new CalibrationSet(kept, count, tail);
  }

  /**
   * The energy at or above order-statistic position `i` (0 ≤ i < n): exactly c₍ᵢ₎ when kept, else the
   * kept grid energy at the smallest grid position ≥ i.
   */
  atOrAbove(i: number): { energy: number; position: number } {
    const n = this.count;
    const T = this.tail;
    const m = n - T;
    if (i >= m) return { energy: this.kept[this.grid + (i - m)] as number, position: i };
    const G = this.grid;
    // Smallest k with round(k·(m − 1)/(G − 1)) ≥ i: start from the real-valued solution and step.
    let k = Math.max(0, Math.min(G - 1, Math.floor((i * (G - 1)) / (m - 1)) - 1));
    while (gridPosition(k, m, G) < i) k++;
    return { energy: this.kept[k] as number, position: gridPosition(k, m, G) };
  }

  /**
   * #{c > e}: {@link CalibrationSet.countAtLeast} of the smallest double above `e` (exact in the tail and at
   * the ends). Below the requested rank when calibration energies tie at `e`.
   */
  countAbove(e: number): number {
    return e === Number.POSITIVE_INFINITY ? 0 : this.countAtLeast(nextUp(e));
  }

  /**
   * #{c ≥ e}: exact in the tail and at the ends, interpolated between grid neighbours elsewhere (see the
   * module description for the bound).
   */
  countAtLeast(e: number): number {
    const kept = this.kept;
    const L = kept.length;
    // First kept index with kept[s] ≥ e.
    let lo = 0;
    let hi = L;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((kept[mid] as number) < e) lo = mid + 1;
      else hi = mid;
    }
    const s = lo;
    const n = this.count;
    if (this.whole) return n - s;
    const G = this.grid;
    const m = n - this.tail;
    if (s >= G) return n - (m + (s - G)); // kept[s − 1] is the grid's last (position m − 1) or in the tail
    if (s === 0) return n;
    const pa = gridPosition(s - 1, m, G);
    const pb = gridPosition(s, m, G);
    const a = kept[s - 1] as number;
    const b = kept[s] as number;
    // c₍pa₎ < e ≤ c₍pb₎: the first position with c ≥ e lies in (pa, pb].
    const gap = pb - pa - 1;
    const frac = b > a ? (e - a) / (b - a) : 1;
    const first = pa + 1 + Math.round(Math.min(1, Math.max(0, frac)) * gap);
    return n - first;
  }
}

/** The smallest double above a finite `x`. */
function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] = (b[0] as bigint) + (x > 0 ? 1n : -1n);
  return f[0] as number;
}

/** Position of grid point k among the m positions below the tail. */
function gridPosition(k: number, m: number, G: number): number {
  return Math.round((k * (m - 1)) / (G - 1));
}
