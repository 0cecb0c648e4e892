import { requireWasmRuntime } from './runtime.js';
import { chunkRows, StagingPlan, stagingSlot } from './staging.js';

const stagingFor = stagingSlot();

/**
 * The WebAssembly version of `centreDistances` (same arguments, same result bit for bit):
 * `out[outOff + r·k + j] = Σ_t (x_{r0+r, t} − c_{j, t})²`, each sum formed term by term in column order —
 * two centres per f64x2 (one per lane, so every lane does the scalar sequence), four rows per load of the
 * centres. The centres are copied in once per call (transposed), the rows in chunks of up to 8,192.
 *
 * Complexity: O(rows · k · d).
 *
 * @example
 * ```ts
 * wasmCentreDistances(x, 0, n, d, centres, 0, k, out, 0);
 * ```
 */
export function wasmCentreDistances(
  x: Float64Array,
  r0: number,
  rows: number,
  d: number,
  c: Float64Array,
  cOff: number,
  k: number,
  out: Float64Array,
  outOff: number,
): void {
  if (rows <= 0 || k <= 0) return;
  if (d <= 0) {
    out.fill(0, outOff, outOff + rows * k);
    return;
  }
  const rt = requireWasmRuntime();
  const kp = k + (k & 1);
  const chunk = Math.min(rows, chunkRows(d, 1 << 21, 64, 8192));
  const plan = new StagingPlan();
  const oC = plan.take(8 * d * kp);
  const oX = plan.take(8 * chunk * d);
  const oOut = plan.take(8 * chunk * k);
  const base = stagingFor(rt).ensure(plan.bytes);
  const f64 = rt.heap.f64();
  const ic = (base + oC) >> 3;
  for (let t = 0; t < d; t++) {
    for (let j = 0; j < k; j++) f64[ic + t * kp + j] = c[cOff + j * d + t] as number;
    if (kp > k) f64[ic + t * kp + k] = 0;
  }
  for (let s = 0; s < rows; s += chunk) {
    const n = Math.min(chunk, rows - s);
    const from = (r0 + s) * d;
    f64.set(x.subarray(from, from + n * d), (base + oX) >> 3);
    rt.exports.centreDistancesF64(base + oX, n, d, base + oC, k, kp, base + oOut);
    const o = (base + oOut) >> 3;
    out.set(f64.subarray(o, o + n * k), outOff + s * k);
  }
}
