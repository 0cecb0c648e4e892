/**
 * The kernels of {@link IsolationNNE}: the hyperspheres of the sub-samples (radii and isolation scores) and
 * the scoring of query rows against them.
 *
 * @module
 */

/** Query rows scored together against one sub-sample's centres (which then stay in cache). */
const BLOCK = 256;

/**
 * The hyperspheres of every sub-sample, derived from the centres (never saved): sub-sample s holds
 * positions s·ψ … s·ψ + ψ − 1.
 */
export interface InneBalls {
  /** Squared radius τ(c)² of each centre: squared distance to its nearest other centre of its sub-sample. */
  readonly radius2: Float64Array;
  /** Isolation score of each ball: 1 − τ(η_c)/τ(c) (or of the squares), 0 when τ(c) = 0. */
  readonly score: Float64Array;
  /** Per sub-sample, the positions 0 … ψ − 1 by ascending radius (ties: the earlier position first). */
  readonly order: Int32Array;
}

/** Σ_j (a_j − b_j)² of two rows of `x` (this exact order of operations everywhere, so ties are consistent). */
function squaredDistance(x: Float64Array, a: number, b: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const v = (x[a + j] as number) - (x[b + j] as number);
    s += v * v;
  }
  return s;
}

/**
 * The hyperspheres of t sub-samples of ψ centres each: τ(c) = distance from c to its nearest other centre of
 * its sub-sample η_c (ties: the earlier position), score 1 − τ(η_c)/τ(c) (with `squared`,
 * 1 − τ(η_c)²/τ(c)²). A centre with an exact copy in its
 * sub-sample has τ(c) = 0, and so has its copy η_c: its ball covers only copies of c and scores 0 (the
 * limit PyOD reaches by adding machine epsilon to both radii). Returns null when a squared distance is not
 * finite (rows too large to square).
 *
 * Complexity: O(t·ψ²·d).
 *
 * @example
 * ```ts
 * const balls = inneBalls(centres, 200, 8, d);
 * ```
 */
export function inneBalls(
  centres: Float64Array,
  t: number,
  psi: number,
  d: number,
  squared = false,
): InneBalls | null {
  const radius2 = new Float64Array(t * psi);
  const score = new Float64Array(t * psi);
  const order = new Int32Array(t * psi);
  const nn = new Int32Array(psi);
  const pos = Array.from({ length: psi }, (_, i) => i);
  for (let s = 0; s < t; s++) {
    const base = s * psi;
    for (let a = 0; a < psi; a++) {
      let best = Number.POSITIVE_INFINITY;
      let near = -1;
      for (let b = 0; b < psi; b++) {
        if (b === a) continue;
        const v = squaredDistance(centres, (base + a) * d, (base + b) * d, d);
        if (!Number.isFinite(v)) return null;
        if (v < best) {
          best = v;
          near = b;
        }
      }
      radius2[base + a] = best;
      nn[a] = near;
    }
    for (let a = 0; a < psi; a++) {
      const r2 = radius2[base + a] as number;
      const r2nn = radius2[base + (nn[a] as number)] as number;
      score[base + a] = r2 === 0 ? 0 : squared ? 1 - r2nn / r2 : 1 - Math.sqrt(r2nn) / Math.sqrt(r2);
    }
    const sorted = pos
      .slice()
      .sort((a, b) => (radius2[base + a] as number) - (radius2[base + b] as number) || a - b);
    for (let k = 0; k < psi; k++) order[base + k] = sorted[k] as number;
  }
  return { radius2, score, order };
}

/**
 * iNNE energies of the rows of `q` (already in the centres' units; row-major, d columns): per sub-sample,
 * the score of the smallest ball that covers the row (‖x − c‖² ≤ τ(c)²; equal radii: the earlier
 * position), 1 when none does; the mean over the t sub-samples. Queries are taken in blocks so that one
 * sub-sample's centres stay in cache; a distance stops accumulating once it exceeds the radius (partial sums
 * of squares only grow, so the decision is the full sum's).
 *
 * Complexity: O(n·t·ψ·d).
 *
 * @example
 * ```ts
 * const e = inneScores(q, n, d, centres, balls, 200, 8);
 * ```
 */
export function inneScores(
  q: Float64Array,
  n: number,
  d: number,
  centres: Float64Array,
  balls: InneBalls,
  t: number,
  psi: number,
): Float64Array {
  const { radius2, score, order } = balls;
  const out = new Float64Array(n);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    for (let s = 0; s < t; s++) {
      const base = s * psi;
      for (let i = i0; i < i1; i++) {
        const qo = i * d;
        let sc = 1;
        for (let k = 0; k < psi; k++) {
          const c = base + (order[base + k] as number);
          const r2 = radius2[c] as number;
          const co = c * d;
          // the squares are added in column order (as a plain loop would), checked every 4 columns
          let acc = 0;
          let j = 0;
          for (; j + 4 <= d && acc <= r2; j += 4) {
            const v0 = (q[qo + j] as number) - (centres[co + j] as number);
            const v1 = (q[qo + j + 1] as number) - (centres[co + j + 1] as number);
            const v2 = (q[qo + j + 2] as number) - (centres[co + j + 2] as number);
            const v3 = (q[qo + j + 3] as number) - (centres[co + j + 3] as number);
            acc += v0 * v0;
            acc += v1 * v1;
            acc += v2 * v2;
            acc += v3 * v3;
          }
          for (; j < d && acc <= r2; j++) {
            const v = (q[qo + j] as number) - (centres[co + j] as number);
            acc += v * v;
          }
          if (acc <= r2) {
            sc = score[c] as number;
            break;
          }
        }
        out[i] = (out[i] as number) + sc;
      }
    }
    for (let i = i0; i < i1; i++) out[i] = (out[i] as number) / t;
  }
  return out;
}
