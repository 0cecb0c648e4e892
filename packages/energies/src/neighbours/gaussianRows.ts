import { Matrix, Rng } from '@nexus/ebm-core';

/**
 * n × d standard-normal rows from a seed: the shared test data of the neighbour energies' suites (kNN,
 * KDE, iNNE).
 *
 * @example
 * ```ts
 * const X = gaussianRows(1, 300, 3);
 * ```
 */
export function gaussianRows(seed: number, n: number, d: number): Matrix {
  const rng = new Rng(seed);
  const X = new Matrix(n, d);
  for (let k = 0; k < X.data.length; k++) X.data[k] = rng.normal();
  return X;
}
