/**
 * Columns per GEMM when {@link comoment} covers the lower triangle of the co-moment: narrow enough that
 * little of each diagonal block's upper half is multiplied, wide enough for the GEMM to run at speed. The
 * WebAssembly kernel uses the same rule.
 *
 * @example
 * ```ts
 * blockColumns(128); // 32
 * ```
 */
export function blockColumns(d: number): number {
  return d <= 256 ? 32 : 64;
}
