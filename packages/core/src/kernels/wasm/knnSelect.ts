import { residentPackedF32 } from './residentReference.js';
import { requireWasmRuntime } from './runtime.js';
import { StagingPlan, stagingSlot } from './staging.js';

const stagingFor = stagingSlot();

/** Query rows copied into WebAssembly memory per kernel call. */
const CHUNK = 2048;

/**
 * {@link knnSelect} in WebAssembly, with the same answer to the last bit: the k nearest by the f64
 * distance `Σ (q_j − x_j)²`, ties by index. Candidates are chosen in single precision (an f32 SIMD
 * distance block of 4 queries × 8 reference rows, compared in registers against a per-query threshold
 * widened by a proven bound on the f32 error), then the candidates' distances are recomputed in f64 —
 * see packages/core/assembly/knnSelect.ts and docs/kernels.md ("Nearest neighbours"). Rows whose norms
 * are too large for single precision (‖q‖ + max‖x‖ > 10¹⁵) are searched by exact f64 brute force. The
 * reference rows and their packed f32 copy stay resident between calls with the same arrays (see
 * `residentReference`); queries are copied in blocks of 2,048 rows.
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
  if (m <= 0) {
    outD.fill(Number.POSITIVE_INFINITY, outOff, outOff + rows * k);
    outI.fill(-1, outOff, outOff + rows * k);
    return;
  }
  const rt = requireWasmRuntime();
  const { px, ppx, ppxn, r2 } = residentPackedF32(rt, x, xn, m, d);
  const chunk = Math.min(rows, CHUNK);
  const plan = new StagingPlan();
  const oQ = plan.take(8 * chunk * d);
  const oS = plan.take(rt.exports.knnScratchBytes(d, k));
  const oD = plan.take(8 * chunk * k);
  const oI = plan.take(4 * chunk * k);
  const base = stagingFor(rt).ensure(plan.bytes);
  for (let s = 0; s < rows; s += chunk) {
    const n = Math.min(chunk, rows - s);
    const from = qOff + s * d;
    rt.heap.f64().set(q.subarray(from, from + n * d), (base + oQ) >> 3);
    rt.exports.knnSelectF32(
      base + oQ,
      n,
      px,
      m,
      d,
      k,
      +excludeCopy,
      ppx,
      ppxn,
      r2,
      base + oS,
      base + oD,
      base + oI,
    );
    const od = (base + oD) >> 3;
    outD.set(rt.heap.f64().subarray(od, od + n * k), outOff + s * k);
    const oi = (base + oI) >> 2;
    outI.set(new Int32Array(rt.heap.memory.buffer, 0).subarray(oi, oi + n * k), outOff + s * k);
  }
}
