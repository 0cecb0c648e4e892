import { residentReference } from './residentReference.js';
import { requireWasmRuntime } from './runtime.js';
import { StagingPlan, stagingSlot } from './staging.js';

const stagingFor = stagingSlot();

/** Query rows copied into WebAssembly memory per kernel call. */
const CHUNK = 4096;
/** Scratch sizes of the WebAssembly kernel (its QUERY_BLOCK and REF_BLOCK). */
const QB = 32;
const RB = 512;

/**
 * {@link kernelLogSum} in WebAssembly (agrees with the TypeScript kernel to rounding: the GEMM sums in a
 * different order). The reference rows stay resident between calls with the same arrays (see
 * `residentReference`); queries are copied in blocks of 4,096 rows.
 *
 * @example
 * ```ts
 * wasmKernelLogSum(q, 0, rows, x, xn, m, d, 1 / (2 * h * h), false, out, 0);
 * ```
 */
export function wasmKernelLogSum(
  q: Float64Array,
  qOff: number,
  rows: number,
  x: Float64Array,
  xn: Float64Array,
  m: number,
  d: number,
  c: number,
  excludeCopy: boolean,
  out: Float64Array,
  outOff: number,
): void {
  if (rows <= 0) return;
  const rt = requireWasmRuntime();
  const { px, pxn } = residentReference(rt, x, xn, m, d);
  const chunk = Math.min(rows, CHUNK);
  const plan = new StagingPlan();
  const oQ = plan.take(8 * chunk * d);
  const oQn = plan.take(8 * QB);
  const oG = plan.take(8 * QB * RB);
  const oMn = plan.take(8 * QB);
  const oSm = plan.take(8 * QB);
  const oSkip = plan.take(4 * QB);
  const oOut = plan.take(8 * chunk);
  const base = stagingFor(rt).ensure(plan.bytes);
  for (let s = 0; s < rows; s += chunk) {
    const n = Math.min(chunk, rows - s);
    const from = qOff + s * d;
    rt.heap.f64().set(q.subarray(from, from + n * d), (base + oQ) >> 3);
    rt.exports.kernelLogSumF64(
      base + oQ,
      n,
      px,
      pxn,
      m,
      d,
      c,
      +excludeCopy,
      base + oQn,
      base + oG,
      base + oMn,
      base + oSm,
      base + oSkip,
      base + oOut,
    );
    const o = (base + oOut) >> 3;
    out.set(rt.heap.f64().subarray(o, o + n), outOff + s);
  }
}
