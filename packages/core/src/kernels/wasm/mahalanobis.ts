import { requireWasmRuntime, type WasmRuntime } from './runtime.js';
import { Staging, StagingPlan } from './staging.js';

let staging: Staging | undefined;

function stagingFor(rt: WasmRuntime): Staging {
  staging ??= new Staging(rt.heap);
  return staging;
}

/** Rows copied into WebAssembly memory per kernel call (bounds the staging area at 4,096·d·8 bytes). */
const CHUNK = 4096;

/**
 * Squared Mahalanobis distances of `rows` rows `x[(r0 + r)·d …]` for a lower-triangular precision factor:
 * `out[outOff + r] = ‖W (x_r − μ)‖²` with `μ = mean[meanOff …]` and `W = w[wOff …]` (d×d, row-major, only
 * the lower triangle read), in Float64 with f64x2 lanes inside WebAssembly — the scoring loop of the
 * Gaussian energies. `mean` and `W` are copied in once per call and the rows in blocks of 4,096. A row's
 * value does not depend on the rows scored with it; it agrees with the TypeScript kernel to rounding
 * (the inner products are summed in two lanes).
 *
 * Complexity: O(rows · d²/2).
 *
 * @example
 * ```ts
 * wasmMahalanobisRows(x, 0, n, d, mean, 0, precisionFactor, 0, out, 0);
 * ```
 */
export function wasmMahalanobisRows(
  x: Float64Array,
  r0: number,
  rows: number,
  d: number,
  mean: Float64Array,
  meanOff: number,
  w: Float64Array,
  wOff: number,
  out: Float64Array,
  outOff: number,
): void {
  if (rows <= 0) return;
  const rt = requireWasmRuntime();
  const chunk = Math.min(rows, CHUNK);
  const plan = new StagingPlan();
  const oMean = plan.take(8 * d);
  const oW = plan.take(8 * d * d);
  const oY = plan.take(8 * 4 * d);
  const oX = plan.take(8 * chunk * d);
  const oOut = plan.take(8 * chunk);
  const base = stagingFor(rt).ensure(plan.bytes);
  const f64 = rt.heap.f64();
  f64.set(mean.subarray(meanOff, meanOff + d), (base + oMean) >> 3);
  f64.set(w.subarray(wOff, wOff + d * d), (base + oW) >> 3);
  for (let s = 0; s < rows; s += chunk) {
    const n = Math.min(chunk, rows - s);
    const from = (r0 + s) * d;
    f64.set(x.subarray(from, from + n * d), (base + oX) >> 3);
    rt.exports.mahalanobisF64(base + oX, n, d, base + oMean, base + oW, base + oY, base + oOut);
    const o = (base + oOut) >> 3;
    out.set(f64.subarray(o, o + n), outOff + s);
  }
}
