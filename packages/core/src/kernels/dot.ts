/**
 * Dot product `Σ x_i·y_i` over n elements (four independent partial sums). Allocates nothing; checks
 * nothing. Returns 0 for n = 0.
 *
 * @example
 * ```ts
 * dot(3, new Float64Array([1, 2, 3]), 0, new Float64Array([4, 5, 6]), 0); // 32
 * ```
 */
export function dot(n: number, x: Float64Array, xOff: number, y: Float64Array, yOff: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const xi = xOff + i;
    const yi = yOff + i;
    s0 += (x[xi] as number) * (y[yi] as number);
    s1 += (x[xi + 1] as number) * (y[yi + 1] as number);
    s2 += (x[xi + 2] as number) * (y[yi + 2] as number);
    s3 += (x[xi + 3] as number) * (y[yi + 3] as number);
  }
  for (; i < n; i++) s0 += (x[xOff + i] as number) * (y[yOff + i] as number);
  return s0 + s1 + (s2 + s3);
}
