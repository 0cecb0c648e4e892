import { type Matrix, message, ValueError } from '@nexus/ebm-core';

/**
 * Throws a `ValueError` naming the first value (in row-major order) outside [0, 1], the range of an RBM's
 * Bernoulli visible units; NaN counts as outside. Shared by `RBM.fit`, `RBM.energy` and the data-parallel
 * trainer so that all three reject the same inputs with the same message.
 *
 * Complexity: O(rows × cols).
 *
 * @example
 * ```ts
 * checkBernoulliRange(toMatrix([[0, 1], [0.5, 2]]), 'RBM.fit'); // ValueError: … row 1, column 1 …
 * ```
 */
export function checkBernoulliRange(X: Matrix, api: string): void {
  const x = X.data;
  for (let k = 0; k < x.length; k++) {
    const v = x[k] as number;
    if (!(v >= 0 && v <= 1)) {
      const i = Math.floor(k / X.cols);
      throw new ValueError(
        message(
          api,
          `value at row ${i}, column ${k - i * X.cols} is outside the range of Bernoulli visible units`,
          "a value in [0, 1] (or visible: 'gaussian')",
          String(v),
        ),
      );
    }
  }
}
