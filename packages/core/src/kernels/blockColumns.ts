/**
 * Columns per GEMM when a kernel covers a triangle (the rows of W in {@link mahalanobisRows}, the columns
 * of the co-moment in {@link comoment}): narrow enough that little of each diagonal block's zero half is
 * multiplied, wide enough for the GEMM to run at speed. The WebAssembly kernels use the same rule.
 *
 * @example
 * ```ts
 * blockColumns(128); // 32
 * ```
 */
export function blockColumns(d: number): number {
  return d <= 256 ? 32 : 64;
}
