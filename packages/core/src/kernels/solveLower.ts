/**
 * Forward substitution in place: solves `L·X = B` for X, where L is the n×n lower-triangular row-major
 * matrix in `l` (its strict upper triangle is ignored) and B is n×nrhs row-major starting at `bOff`;
 * X overwrites B. Allocates nothing; checks nothing (a zero diagonal gives ±Infinity or NaN).
 *
 * Cost: n²·nrhs flops.
 *
 * @example
 * ```ts
 * const b = new Float64Array([2, 5]);
 * solveLower(new Float64Array([2, 0, 1, 2]), 2, b, 0, 1); // b = [1, 2]
 * ```
 */
export function solveLower(l: Float64Array, n: number, b: Float64Array, bOff: number, nrhs: number): void {
  for (let i = 0; i < n; i++) {
    const li = i * n;
    const bi = bOff + i * nrhs;
    for (let k = 0; k < i; k++) {
      const lik = l[li + k] as number;
      if (lik === 0) continue;
      const bk = bOff + k * nrhs;
      for (let r = 0; r < nrhs; r++) b[bi + r] = (b[bi + r] as number) - lik * (b[bk + r] as number);
    }
    const inv = 1 / (l[li + i] as number);
    for (let r = 0; r < nrhs; r++) b[bi + r] = (b[bi + r] as number) * inv;
  }
}
