import { requireWasmRuntime } from './runtime.js';
import { chunkRows, StagingPlan, stagingSlot } from './staging.js';

const stagingFor = stagingSlot();

/**
 * Rows copied into WebAssembly memory per kernel call: a multiple of 256 (the kernels' row block), about
 * 4 Mi values (32 MB) per chunk, between 256 and 4,096 rows.
 */
function mahalanobisChunk(d: number): number {
  return chunkRows(d, 1 << 22, 256, 4096, 256);
}

/**
 * Squared Mahalanobis distances of `rows` rows `x[(r0 + r)·d …]` for a lower-triangular precision factor:
 * `out[outOff + r] = ‖W (x_r − μ)‖²` with `μ = mean[meanOff …]` and `W = w[wOff …]` (d×d, row-major, only
 * the lower triangle read), in Float64 inside WebAssembly with the algorithm of the TypeScript kernel
 * (`mahalanobisRows`: a register-blocked triangular product fused with the row norms, four rows × two rows
 * of W per tile, W walked in cache-sized blocks). `mean` and `W` are copied in once per call and the rows
 * in chunks of up to 4,096. A row's value does not depend on the rows scored with it; it agrees with the
 * TypeScript kernel to rounding (the inner products are summed in two lanes).
 *
 * Complexity: O(rows · d²).
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
  mahalanobisStaged(x, r0, rows, d, mean, meanOff, w, wOff, out, outOff, false);
}

/**
 * {@link wasmMahalanobisRows} that also checks the rows for ±∞ and NaN, each chunk right after it is
 * copied into WebAssembly memory (a SIMD scan of memory the kernel reads next) — so the caller need not
 * scan them in JavaScript first. Returns false at the first chunk holding a non-finite value (`out` is then
 * incomplete); the values written are those of {@link wasmMahalanobisRows}, bit for bit.
 *
 * @example
 * ```ts
 * if (!wasmMahalanobisRowsChecked(x, 0, n, d, mean, 0, w, 0, out, 0)) findTheBadValue(x);
 * ```
 */
export function wasmMahalanobisRowsChecked(
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
): boolean {
  return mahalanobisStaged(x, r0, rows, d, mean, meanOff, w, wOff, out, outOff, true);
}

/** Largest k·d² (values of the k precision factors) staged at once by {@link wasmMahalanobisRowsMulti}. */
const MULTI_W_VALUES = 1 << 22;

/**
 * {@link wasmMahalanobisRows} for k components at once (a mixture's E-step and scoring): component c's
 * mean at `means[c·d …]`, its factor at `precision[c·d² …]`, its distances written to
 * `out[c·rows … c·rows + rows − 1]`. Each chunk of rows is copied into WebAssembly memory once for all
 * components (not once per component); every value equals `wasmMahalanobisRows`'s for that component,
 * bit for bit. Above 2²² values of factors (k·d²) the components are scored one after another.
 *
 * @example
 * ```ts
 * wasmMahalanobisRowsMulti(x, 0, n, d, k, means, precision, out); // out: k × n
 * ```
 */
export function wasmMahalanobisRowsMulti(
  x: Float64Array,
  r0: number,
  rows: number,
  d: number,
  k: number,
  means: Float64Array,
  precision: Float64Array,
  out: Float64Array,
): void {
  if (rows <= 0 || d <= 0 || k <= 0) return;
  if (k * d * d > MULTI_W_VALUES) {
    for (let c = 0; c < k; c++)
      mahalanobisStaged(x, r0, rows, d, means, c * d, precision, c * d * d, out, c * rows, false);
    return;
  }
  const rt = requireWasmRuntime();
  const ex = rt.exports;
  const chunk = Math.min(rows, mahalanobisChunk(d));
  const plan = new StagingPlan();
  const oMean = plan.take(8 * k * d);
  const oW = plan.take(8 * k * d * d);
  const oScratch = plan.take(ex.mahalanobisScratchBytes(d));
  const oX = plan.take(8 * chunk * d);
  const oOut = plan.take(8 * chunk);
  const base = stagingFor(rt).ensure(plan.bytes);
  const f64 = rt.heap.f64();
  f64.set(means.subarray(0, k * d), (base + oMean) >> 3);
  f64.set(precision.subarray(0, k * d * d), (base + oW) >> 3);
  for (let s = 0; s < rows; s += chunk) {
    const n = Math.min(chunk, rows - s);
    const from = (r0 + s) * d;
    f64.set(x.subarray(from, from + n * d), (base + oX) >> 3);
    for (let c = 0; c < k; c++) {
      const mean = base + oMean + 8 * c * d;
      const w = base + oW + 8 * c * d * d;
      ex.mahalanobisF64(base + oX, n, d, mean, w, base + oScratch, base + oOut);
      const o = (base + oOut) >> 3;
      out.set(f64.subarray(o, o + n), c * rows + s);
    }
  }
}

function mahalanobisStaged(
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
  check: boolean,
): boolean {
  if (rows <= 0 || d <= 0) return true;
  const rt = requireWasmRuntime();
  const ex = rt.exports;
  const chunk = Math.min(rows, mahalanobisChunk(d));
  const plan = new StagingPlan();
  const oMean = plan.take(8 * d);
  const oW = plan.take(8 * d * d);
  const oScratch = plan.take(ex.mahalanobisScratchBytes(d));
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
    if (check && ex.allFiniteF64(base + oX, n * d) === 0) return false;
    ex.mahalanobisF64(base + oX, n, d, base + oMean, base + oW, base + oScratch, base + oOut);
    const o = (base + oOut) >> 3;
    out.set(f64.subarray(o, o + n), outOff + s);
  }
  return true;
}

/**
 * The WebAssembly version of `comoment` (same arguments, same algorithm: blocks of centred, √w-scaled
 * rows, the lower triangle by the f64x2 GEMM, mirrored): `c[cOff …] = Σ_r w_r·(x_r − μ)(x_r − μ)ᵀ` over
 * `rows` rows of x (d columns). The rows (and weights) are copied in chunks; the d×d result stays in
 * WebAssembly memory until the end. Agrees with the TypeScript kernel to rounding.
 *
 * @example
 * ```ts
 * wasmComoment(x, n, d, mean, 0, null, 0, 1, c, 0);
 * ```
 */
export function wasmComoment(
  x: Float64Array,
  rows: number,
  d: number,
  mean: Float64Array,
  meanOff: number,
  weight: Float64Array | null,
  wOff: number,
  wStride: number,
  c: Float64Array,
  cOff: number,
): void {
  if (d <= 0) return;
  const rt = requireWasmRuntime();
  const chunk = Math.max(1, Math.min(rows, mahalanobisChunk(d)));
  const plan = new StagingPlan();
  const oMean = plan.take(8 * d);
  const oC = plan.take(8 * d * d);
  const oY = plan.take(8 * 256 * d);
  const oX = plan.take(8 * chunk * d);
  const oW = plan.take(weight === null ? 0 : 8 * chunk);
  const base = stagingFor(rt).ensure(plan.bytes);
  let f64 = rt.heap.f64();
  f64.set(mean.subarray(meanOff, meanOff + d), (base + oMean) >> 3);
  f64.fill(0, (base + oC) >> 3, ((base + oC) >> 3) + d * d);
  for (let s = 0; s < rows; s += chunk) {
    const n = Math.min(chunk, rows - s);
    f64 = rt.heap.f64();
    f64.set(x.subarray(s * d, (s + n) * d), (base + oX) >> 3);
    if (weight !== null) {
      const iw = (base + oW) >> 3;
      for (let r = 0; r < n; r++) f64[iw + r] = weight[wOff + (s + r) * wStride] as number;
    }
    rt.exports.comomentF64(
      base + oX,
      n,
      d,
      base + oMean,
      weight === null ? 0 : base + oW,
      1,
      base + oY,
      base + oC,
    );
  }
  f64 = rt.heap.f64();
  const ic = (base + oC) >> 3;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const v = f64[ic + i * d + j] as number;
      c[cOff + i * d + j] = v;
      c[cOff + j * d + i] = v;
    }
  }
}
