/**
 * `pnpm bench kernels [--json] [--quick]`: GEMM throughput (GFLOP/s, single-threaded) of our TypeScript
 * kernels on the four shapes of the foundation issue, written m×k×n (C is m×n, the reduction depth is k),
 * beside two peers measured in the same run on the same data: ml-matrix's `mmul` (Float64) and the
 * TensorFlow.js CPU backend's `matMul` (float32 tensors, timed including `dataSync()`). Each of our f64
 * figures is followed by one line per peer whose `ratio` is ours ÷ peer (> 1: we are faster). Float32
 * figures (`gemmF32`, backend "ts") are reported too, for the WebAssembly issue to compare with.
 *
 * The candidates are timed interleaved (see {@link measureInterleaved}), so load from other processes
 * affects all of them alike and the ratios stay meaningful on a busy machine. `--clock cpu` times with the
 * process's CPU time instead of wall time (more stable when the machine is oversubscribed; it also counts
 * the engine's background threads, so it slightly understates everyone's throughput).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@nexus/ebm-core';
import { cholesky, gemm, gemmF32 } from '@nexus/ebm-core/kernels';
import { CholeskyDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import type { BenchContext } from './lib/report.js';
import { ratioOf } from './lib/report.js';

const SHAPES: readonly (readonly [number, number, number])[] = [
  [256, 64, 32],
  [256, 32, 64],
  [4096, 64, 64],
  [512, 512, 512],
];

/** Seconds on the chosen clock: wall time, or this process's CPU time (user + system). */
function clockSeconds(cpu: boolean): number {
  if (!cpu) return performance.now() / 1000;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Seconds per call of each function, measured interleaved: each is warmed up and calibrated to run about
 * `target` seconds per sample, then the samples rotate through the candidates `reps` times and the fastest
 * sample of each is kept (the least disturbed by other processes).
 */
function measureInterleaved(
  fns: readonly (() => void)[],
  reps: number,
  target: number,
  cpu: boolean,
): number[] {
  const inner = fns.map((fn) => {
    let calls = 0;
    const t0 = clockSeconds(cpu);
    // Warm-up (for the JIT) doubles as calibration: at least 5 calls and `target` seconds.
    while (calls < 5 || clockSeconds(cpu) - t0 < target) {
      fn();
      calls++;
    }
    const once = (clockSeconds(cpu) - t0) / calls;
    return Math.max(1, Math.round(target / once));
  });
  const best: number[] = fns.map(() => Number.POSITIVE_INFINITY);
  for (let r = 0; r < reps; r++) {
    fns.forEach((fn, i) => {
      const n = inner[i] as number;
      const t0 = clockSeconds(cpu);
      for (let c = 0; c < n; c++) fn();
      best[i] = Math.min(best[i] as number, (clockSeconds(cpu) - t0) / n);
    });
  }
  return best;
}

export default async function kernels(ctx: BenchContext): Promise<void> {
  const quick = ctx.args.includes('--quick');
  const reps = quick ? 3 : 9;
  const target = quick ? 0.03 : 0.08;
  const clock = ctx.flag('clock') ?? 'wall';
  if (clock !== 'wall' && clock !== 'cpu') {
    throw new RangeError(
      `bench kernels: unknown clock (expected "wall" or "cpu", got ${JSON.stringify(clock)})`,
    );
  }
  await tf.setBackend('cpu');
  await tf.ready();
  ctx.log(
    `kernels: tfjs backend ${tf.getBackend()}, ${reps} interleaved samples per figure, single-threaded`,
  );

  for (const [m, k, n] of SHAPES) {
    const rng = new Rng(7);
    const a = new Float64Array(m * k);
    const b = new Float64Array(k * n);
    for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    for (let i = 0; i < b.length; i++) b[i] = rng.normal();
    const c = new Float64Array(m * n);
    const flops = 2 * m * n * k;
    const shape = `${m}x${k}x${n}`;

    const A = new MlMatrix(m, k);
    const B = new MlMatrix(k, n);
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) A.set(i, j, a[i * k + j] as number);
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) B.set(i, j, b[i * n + j] as number);
    const a32 = Float32Array.from(a);
    const b32 = Float32Array.from(b);
    const c32 = new Float32Array(m * n);
    const ta = tf.tensor2d(a32, [m, k]);
    const tb = tf.tensor2d(b32, [k, n]);

    const secs = measureInterleaved(
      [
        () => gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n),
        () => A.mmul(B),
        () => {
          const tc = tf.matMul(ta, tb);
          tc.dataSync();
          tc.dispose();
        },
        () => gemmF32(false, false, m, n, k, 1, a32, 0, k, b32, 0, n, 0, c32, 0, n),
      ],
      reps,
      target,
      clock === 'cpu',
    );
    ta.dispose();
    tb.dispose();
    const [ours, ml, tfjs, ours32] = secs.map((s) => flops / s / 1e9) as [number, number, number, number];

    const name = `gemm ${shape} f64`;
    const unit = 'GFLOP/s';
    ctx.report({ bench: 'kernels', name, value: ours, unit, backend: 'ts' });
    ctx.report({
      bench: 'kernels',
      name,
      value: ml,
      unit,
      peer: 'ml-matrix',
      ratio: ratioOf(ours, ml, unit),
    });
    ctx.report({
      bench: 'kernels',
      name,
      value: tfjs,
      unit,
      peer: 'tfjs-cpu',
      ratio: ratioOf(ours, tfjs, unit),
    });
    ctx.report({ bench: 'kernels', name: `gemm ${shape} f32`, value: ours32, unit, backend: 'ts' });
  }

  // Cholesky of a 256×256 SPD matrix (A = BᵀB/n + I), ours against ml-matrix's CholeskyDecomposition.
  const n = 256;
  const rng = new Rng(11);
  const bm = new Float64Array(n * n);
  for (let i = 0; i < bm.length; i++) bm[i] = rng.normal();
  const spd = new Float64Array(n * n);
  gemm(true, false, n, n, n, 1 / n, bm, 0, n, bm, 0, n, 0, spd, 0, n);
  for (let i = 0; i < n; i++) spd[i * n + i] = (spd[i * n + i] as number) + 1;
  const l = new Float64Array(n * n);
  const mlSpd = new MlMatrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) mlSpd.set(i, j, spd[i * n + j] as number);
  const [oursChol, mlChol] = measureInterleaved(
    [
      () => {
        if (cholesky(spd, n, l, 0) !== -1) throw new Error('bench kernels: test matrix is not SPD');
      },
      () => new CholeskyDecomposition(mlSpd),
    ],
    reps,
    target,
    clock === 'cpu',
  ) as [number, number];
  const name = `cholesky ${n}x${n} f64`;
  ctx.report({ bench: 'kernels', name, value: oursChol * 1000, unit: 'ms', backend: 'ts' });
  ctx.report({
    bench: 'kernels',
    name,
    value: mlChol * 1000,
    unit: 'ms',
    peer: 'ml-matrix',
    ratio: ratioOf(oursChol, mlChol, 'ms'),
  });
}
