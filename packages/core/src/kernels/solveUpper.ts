/**
 * Back substitution in place: solves `U·X = B` for X, where U is the n×n upper-triangular row-major
 * matrix in `u` (its strict lower triangle is ignored) and B is n×nrhs row-major starting at `bOff`;
 * X overwrites B. Allocates nothing; checks nothing.
 *
 * Cost: n²·nrhs flops.
 *
 * @example
 * ```ts
 * const b = new Float64Array([4, 4]);
 * solveUpper(new Float64Array([2, 1, 0, 2]), 2, b, 0, 1); // b = [1, 2]
 * ```
 */
export function solveUpper(u: Float64Array, n: number, b: Float64Array, bOff: number, nrhs: number): void {
  for (let i = n - 1; i >= 0; i--) {
    const ui = i * n;
    const bi = bOff + i * nrhs;
    for (let k = i + 1; k < n; k++) {
      const uik = u[ui + k] as number;
      if (uik === 0) continue;
      const bk = bOff + k * nrhs;
      for (let r = 0; r < nrhs; r++) b[bi + r] = (b[bi + r] as number) - uik * (b[bk + r] as number);
    }
    const inv = 1 / (u[ui + i] as number);
    for (let r = 0; r < nrhs; r++) b[bi + r] = (b[bi + r] as number) * inv;
  }
}
