/** Centred rows of the current group of four (grown on demand, never shrunk; one per thread). */
let centred = new Float64Array(0);

/**
 * Squared Mahalanobis distances for a lower-triangular precision factor: `out[outOff + r] = ‖W (x_r − μ)‖²`
 * for rows `r0 … r0+rows−1` of the row-major `x` (d columns), with `μ = mean[meanOff …]` and `W = w[wOff …]`
 * (d×d row-major, `Σ⁻¹ = WᵀW`; only the lower triangle is read) — the scoring loop of the Gaussian energies.
 * One fused loop per group of four rows: centre, multiply by the triangular `W` (only its d(d+1)/2
 * non-zeros, each loaded once per four rows) and sum squares. A row's value depends only on that row.
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
  if (centred.length < 4 * d) centred = new Float64Array(4 * d);
  const y = centred;
  const d2 = 2 * d;
  const d3 = 3 * d;
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const b = (r0 + r) * d;
    for (let j = 0; j < d; j++) {
      const m = mean[meanOff + j] as number;
      y[j] = (x[b + j] as number) - m;
      y[d + j] = (x[b + d + j] as number) - m;
      y[d2 + j] = (x[b + d2 + j] as number) - m;
      y[d3 + j] = (x[b + d3 + j] as number) - m;
    }
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let i = 0; i < d; i++) {
      const wi = wOff + i * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k <= i; k++) {
        const wv = w[wi + k] as number;
        s0 += wv * (y[k] as number);
        s1 += wv * (y[d + k] as number);
        s2 += wv * (y[d2 + k] as number);
        s3 += wv * (y[d3 + k] as number);
      }
      a0 += s0 * s0;
      a1 += s1 * s1;
      a2 += s2 * s2;
      a3 += s3 * s3;
    }
    out[outOff + r] = a0;
    out[outOff + r + 1] = a1;
    out[outOff + r + 2] = a2;
    out[outOff + r + 3] = a3;
  }
  for (; r < rows; r++) {
    const b = (r0 + r) * d;
    for (let j = 0; j < d; j++) y[j] = (x[b + j] as number) - (mean[meanOff + j] as number);
    let a0 = 0;
    for (let i = 0; i < d; i++) {
      const wi = wOff + i * d;
      let s0 = 0;
      for (let k = 0; k <= i; k++) s0 += (w[wi + k] as number) * (y[k] as number);
      a0 += s0 * s0;
    }
    out[outOff + r] = a0;
  }
}
