import { Matrix, Rng } from '@nexus/ebm-core';

/**
 * The RBM benchmarks' binary rows: noisy copies of 10 seeded random binary prototypes of `d` bits, row i
 * with a fraction `flipOf(i)` of its bits flipped (default 10 % for every row).
 *
 * @example
 * ```ts
 * const X = binaryPrototypes(50_000, 64, 7);
 * ```
 */
export function binaryPrototypes(
  n: number,
  d: number,
  seed: number,
  flipOf: (i: number) => number = () => 0.1,
): Matrix {
  const rng = new Rng(seed);
  const protos = Array.from({ length: 10 }, () =>
    Float64Array.from({ length: d }, () => (rng.uniform() < 0.5 ? 1 : 0)),
  );
  const X = new Matrix(n, d);
  for (let i = 0; i < n; i++) {
    const p = protos[rng.int(protos.length)] as Float64Array;
    const flip = flipOf(i);
    for (let j = 0; j < d; j++) {
      const bit = p[j] as number;
      X.data[i * d + j] = rng.uniform() < flip ? 1 - bit : bit;
    }
  }
  return X;
}
