import { residentReference } from './residentReference.js';
import { requireWasmRuntime } from './runtime.js';
import { StagingPlan, stagingSlot } from './staging.js';

const stagingFor = stagingSlot();

/** Query rows copied into WebAssembly memory per kernel call. */
const CHUNK = 2048;
/** Scratch sizes of the WebAssembly kernel (its QUERY_BLOCK and REF_BLOCK). */
const QB = 32;
const RB = 512;

/**
 * {@link knnSelect} in WebAssembly: the same candidates, exact distances and order (the GEMM distances
 * that choose candidates are computed by the WebAssembly f64 GEMM, so a near-tie at rounding level can
 * resolve differently from the TypeScript kernel). The reference rows stay resident between calls with
 * the same arrays (see `residentReference`); queries are copied in blocks of 2,048 rows.
 *
 * @example
 * ```ts
 * wasmKnnSelect(q, 0, rows, x, xn, m, d, k, false, outD, outI, 0);
 * ```
 */
export function wasmKnnSelect(
  q: Float64Array,
  qOff: number,
  rows: number,
  x: Float64Array,
  xn: Float64Array,
  m: number,
  d: number,
  k: number,
  excludeCopy: boolean,
  outD: Float64Array,
  outI: Int32Array,
  outOff: number,
): void {
  if (rows <= 0 || k <= 0) return;
  const rt = requireWasmRuntime();
  const { px, pxn } = residentReference(rt, x, xn, m, d);
  const chunk = Math.min(rows, CHUNK);
  const plan = new StagingPlan();
  const oQ = plan.take(8 * chunk * d);
  const oQn = plan.take(8 * QB);
  const oG = plan.take(8 * QB * RB);
  const oHd = plan.take(8 * QB * k);
  const oHi = plan.take(4 * QB * k);
  const oSkip = plan.take(4 * QB);
  const oD = plan.take(8 * chunk * k);
  const oI = plan.take(4 * chunk * k);
  const base = stagingFor(rt).ensure(plan.bytes);
  for (let s = 0; s < rows; s += chunk) {
    const n = Math.min(chunk, rows - s);
    const from = qOff + s * d;
    rt.heap.f64().set(q.subarray(from, from + n * d), (base + oQ) >> 3);
    rt.exports.knnSelectF64(
      base + oQ,
      n,
      px,
      pxn,
      m,
      d,
      k,
      +excludeCopy,
      base + oQn,
      base + oG,
      base + oHd,
      base + oHi,
      base + oSkip,
      base + oD,
      base + oI,
    );
    const od = (base + oD) >> 3;
    outD.set(rt.heap.f64().subarray(od, od + n * k), outOff + s * k);
    const oi = (base + oI) >> 2;
    outI.set(new Int32Array(rt.heap.memory.buffer, 0).subarray(oi, oi + n * k), outOff + s * k);
  }
}
