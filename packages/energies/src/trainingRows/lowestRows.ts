/**
 * The row choice of the concentration steps behind every `trim` option (the Gaussian's and the kernel
 * density's): the rows of lowest energy, and whether two choices are the same.
 *
 * @module
 */

/**
 * Indices (ascending) of the `h` smallest energies; ties go to the lower row index.
 *
 * @example
 * ```ts
 * lowestRows(Float64Array.from([3, 1, 2, 1]), 2); // Int32Array [1, 3]
 * ```
 */
export function lowestRows(energy: Float64Array, h: number): Int32Array {
  const order = Array.from({ length: energy.length }, (_, i) => i);
  order.sort((a, b) => (energy[a] as number) - (energy[b] as number) || a - b);
  return Int32Array.from(order.slice(0, h)).sort();
}

/**
 * Whether two ascending index lists are equal.
 *
 * @example
 * ```ts
 * sameRows(Int32Array.from([1, 3]), Int32Array.from([1, 3])); // true
 * ```
 */
export function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
