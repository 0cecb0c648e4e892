/** Rows centred per block (the scratch is RB·d values). */
const RB = 32;

/** Centred rows of the current block (grown on demand, never shrunk; one per thread). */
let centred = new Float64Array(0);

/** Rows of W per block: about 128 KiB of W, at least 1. */
function rowsOfW(d: number): number {
  return Math.max(1, Math.floor(16384 / Math.max(d, 1)));
}

/**
 * Squared Mahalanobis distances for a lower-triangular precision factor: `out[outOff + r] = ‖W (x_r − μ)‖²`
 * for rows `r0 … r0+rows−1` of the row-major `x` (d columns), with `μ = mean[meanOff …]` and `W = w[wOff …]`
 * (d×d row-major, `Σ⁻¹ = WᵀW`; only the lower triangle is read) — the scoring loop of the Gaussian energies.
 *
 * A register-blocked triangular product fused with the row norms, the form `(X − μ)·Wᵀ` takes when both
 * operands run contiguously along k (nothing to pack): four rows share each load of W, each coordinate
 * `(W y)_i = Σ_{k ≤ i} W_ik y_k` is squared as soon as it is complete. Rows are centred RB at a time (four
 * when W is small enough to stay in cache whole); W is walked in blocks of about 128 KiB that stay in cache while the block's rows stream past, each row's sum
 * carried in `out` between blocks (so the order of every row's additions does not depend on the blocks).
 * A row's value depends only on that row (the same operations in the same order whatever the batch).
 * Allocates only when d grows past every earlier call's; checks nothing.
 *
 * Cost: about rows·d² flops.
 *
 * @example
 * ```ts
 * const out = new Float64Array(1);
 * mahalanobisRows(new Float64Array([3, 4]), 0, 1, 2, new Float64Array([1, 1]), 0,
 *   new Float64Array([1, 0, 0, 0.5]), 0, out, 0); // out[0] = 2² + (0.5·3)² = 6.25
 * ```
 */
export function mahalanobisRows(
  x: Float64Array,
  r0: number,
  rows: number,
  d: number,
  mean: Float64Array,
  meanOff: number,
  w: Float64Array,
  wOff: number,
  out: Float64Array,
  outOff: number,
): void {
  if (rows <= 0) return;
  if (centred.length < RB * d) centred = new Float64Array(RB * d);
  const y = centred;
  const ib = rowsOfW(d);
  // When W fits one block, four rows at a time suffice (centred just before they are used).
  const rb = ib >= d ? 4 : RB;
  for (let b0 = 0; b0 < rows; b0 += rb) {
    const m = Math.min(rb, rows - b0);
    centre(x, (r0 + b0) * d, m, d, mean, meanOff, y);
    const o = outOff + b0;
    for (let i0 = 0; i0 < d; i0 += ib) {
      const i1 = Math.min(d, i0 + ib);
      let r = 0;
      for (; r + 3 < m; r += 4) {
        const y0 = r * d;
        const y1 = y0 + d;
        const y2 = y1 + d;
        const y3 = y2 + d;
        // Each row's running sum: 0 at the first block of W, then carried in `out`.
        let a0 = i0 === 0 ? 0 : (out[o + r] as number);
        let a1 = i0 === 0 ? 0 : (out[o + r + 1] as number);
        let a2 = i0 === 0 ? 0 : (out[o + r + 2] as number);
        let a3 = i0 === 0 ? 0 : (out[o + r + 3] as number);
        for (let i = i0; i < i1; i++) {
          const wi = wOff + i * d;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let k = 0; k <= i; k++) {
            const wv = w[wi + k] as number;
            s0 += wv * (y[y0 + k] as number);
            s1 += wv * (y[y1 + k] as number);
            s2 += wv * (y[y2 + k] as number);
            s3 += wv * (y[y3 + k] as number);
          }
          a0 += s0 * s0;
          a1 += s1 * s1;
          a2 += s2 * s2;
          a3 += s3 * s3;
        }
        out[o + r] = a0;
        out[o + r + 1] = a1;
        out[o + r + 2] = a2;
        out[o + r + 3] = a3;
      }
      for (; r < m; r++) {
        const y0 = r * d;
        let a0 = i0 === 0 ? 0 : (out[o + r] as number);
        for (let i = i0; i < i1; i++) {
          const wi = wOff + i * d;
          let s0 = 0;
          for (let k = 0; k <= i; k++) s0 += (w[wi + k] as number) * (y[y0 + k] as number);
          a0 += s0 * s0;
        }
        out[o + r] = a0;
      }
    }
  }
}

/** y[i·d + j] = x[src + i·d + j] − mean[meanOff + j] for i < m; four rows per pass over j when m is 4. */
function centre(
  x: Float64Array,
  src: number,
  m: number,
  d: number,
  mean: Float64Array,
  meanOff: number,
  y: Float64Array,
): void {
  if (m === 4) {
    const d2 = 2 * d;
    const d3 = 3 * d;
    for (let j = 0; j < d; j++) {
      const mj = mean[meanOff + j] as number;
      const s = src + j;
      y[j] = (x[s] as number) - mj;
      y[d + j] = (x[s + d] as number) - mj;
      y[d2 + j] = (x[s + d2] as number) - mj;
      y[d3 + j] = (x[s + d3] as number) - mj;
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const from = src + i * d;
    const to = i * d;
    for (let j = 0; j < d; j++) y[to + j] = (x[from + j] as number) - (mean[meanOff + j] as number);
  }
}
