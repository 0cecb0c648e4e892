import { requireWasmRuntime } from './runtime.js';
import { chunkRows, StagingPlan, stagingSlot } from './staging.js';

const stagingFor = stagingSlot();

/**
 * The WebAssembly version of `clusterSums` (same arguments, same result bit for bit): for r in order,
 * `sums[sOff + labels[lOff + r]·d + t] += weight[wOff + r] · x_{r0+r, t}`, two columns per f64x2. The k×d
 * sums are copied in and out once per call, the rows, labels and weights in
 * chunks of up to 8,192 rows.
 *
 * Complexity: O(rows · d).
 *
 * @example
 * ```ts
 * wasmClusterSums(x, 0, n, d, labels, 0, weights, 0, sums, 0, k);
 * ```
 */
export function wasmClusterSums(
  x: Float64Array,
  r0: number,
  rows: number,
  d: number,
  labels: Int32Array,
  lOff: number,
  weight: Float64Array,
  wOff: number,
  sums: Float64Array,
  sOff: number,
  k: number,
): void {
  if (rows <= 0 || d <= 0 || k <= 0) return;
  const rt = requireWasmRuntime();
  const chunk = Math.min(rows, chunkRows(d, 1 << 21, 64, 8192));
  const plan = new StagingPlan();
  const oS = plan.take(8 * k * d);
  const oX = plan.take(8 * chunk * d);
  const oW = plan.take(8 * chunk);
  const oL = plan.take(4 * chunk);
  const base = stagingFor(rt).ensure(plan.bytes);
  const f64 = rt.heap.f64();
  const i32 = new Int32Array(f64.buffer);
  f64.set(sums.subarray(sOff, sOff + k * d), (base + oS) >> 3);
  for (let s = 0; s < rows; s += chunk) {
    const n = Math.min(chunk, rows - s);
    const from = (r0 + s) * d;
    f64.set(x.subarray(from, from + n * d), (base + oX) >> 3);
    f64.set(weight.subarray(wOff + s, wOff + s + n), (base + oW) >> 3);
    i32.set(labels.subarray(lOff + s, lOff + s + n), (base + oL) >> 2);
    rt.exports.clusterSumsF64(base + oX, n, d, base + oL, base + oW, k, base + oS);
  }
  sums.set(f64.subarray((base + oS) >> 3, ((base + oS) >> 3) + k * d), sOff);
}
