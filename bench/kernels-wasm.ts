/**
 * `pnpm bench kernels-wasm`: Float32 and Float64 GEMM throughput of the WebAssembly SIMD backend against
 * the TypeScript kernels measured in the same run (single-threaded), on the four shapes of the
 * foundation issue (m×k×n: C is m×n, the reduction depth is k), plus Cholesky. Each `wasm` figure is
 * followed by a peer line for the TypeScript backend whose `ratio` is wasm ÷ ts.
 * `--quick` uses fewer repetitions.
 */
import { getWasmBackend, Rng } from '../packages/core/src/index.js';
import { type KernelBackend, tsBackend } from '../packages/core/src/kernels/backend.js';
import type { BenchContext } from './lib/report.js';
import { timeMedian } from './lib/report.js';

const SHAPES: readonly (readonly [number, number, number])[] = [
  [256, 64, 32],
  [256, 32, 64],
  [4096, 64, 64],
  [512, 512, 512],
];

function gflops(
  ctx: BenchContext,
  backend: KernelBackend,
  f32: boolean,
  m: number,
  k: number,
  n: number,
  reps: number,
): number {
  const rng = new Rng(7);
  const make = (len: number) => {
    const v = f32 ? new Float32Array(len) : new Float64Array(len);
    for (let i = 0; i < len; i++) v[i] = rng.normal();
    return v;
  };
  const a = make(m * k);
  const b = make(k * n);
  const c = make(m * n);
  const flops = 2 * m * n * k;
  // Enough calls per timed sample that each sample lasts ≳ 20 ms.
  const inner = Math.max(1, Math.round(2e7 / flops));
  const run = f32
    ? () => {
        for (let r = 0; r < inner; r++)
          backend.gemmF32(
            false,
            false,
            m,
            n,
            k,
            1,
            a as Float32Array,
            0,
            k,
            b as Float32Array,
            0,
            n,
            0,
            c as Float32Array,
            0,
            n,
          );
      }
    : () => {
        for (let r = 0; r < inner; r++)
          backend.gemm(
            false,
            false,
            m,
            n,
            k,
            1,
            a as Float64Array,
            0,
            k,
            b as Float64Array,
            0,
            n,
            0,
            c as Float64Array,
            0,
            n,
          );
      };
  const s = timeMedian(run, { reps, warmup: 2 });
  ctx.log(
    `  ${backend.name} ${f32 ? 'f32' : 'f64'} ${m}x${k}x${n}: ${((s / inner) * 1e3).toFixed(3)} ms/call`,
  );
  return (flops * inner) / s / 1e9;
}

export default function kernelsWasm(ctx: BenchContext): void {
  const wasm = getWasmBackend();
  if (wasm === undefined) {
    ctx.log('kernels-wasm: WebAssembly SIMD is not available here; nothing to measure');
    return;
  }
  const reps = ctx.args.includes('--quick') ? 3 : 7;
  for (const f32 of [true, false]) {
    for (const [m, k, n] of SHAPES) {
      const name = `gemm ${m}x${k}x${n} ${f32 ? 'f32' : 'f64'}`;
      const ours = gflops(ctx, wasm, f32, m, k, n, reps);
      const peer = gflops(ctx, tsBackend, f32, m, k, n, reps);
      ctx.report({ bench: 'kernels', name, value: ours, unit: 'GFLOP/s', backend: 'wasm' });
      ctx.report({
        bench: 'kernels',
        name,
        value: peer,
        unit: 'GFLOP/s',
        backend: 'ts',
        peer: 'ts backend',
        ratio: ours / peer,
      });
    }
  }
  for (const n of [64, 256]) {
    const rng = new Rng(11);
    const x = new Float64Array(2 * n * n);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal();
    const spd = new Float64Array(n * n);
    tsBackend.gemm(true, false, n, n, 2 * n, 1, x, 0, n, x, 0, n, 0, spd, 0, n);
    const l = new Float64Array(n * n);
    const inner = Math.max(1, Math.round(2e7 / (n * n * n)));
    const time = (be: KernelBackend) =>
      timeMedian(
        () => {
          for (let r = 0; r < inner; r++) be.cholesky(spd, n, l, 0);
        },
        { reps, warmup: 2 },
      ) / inner;
    const tw = time(wasm);
    const tt = time(tsBackend);
    const name = `cholesky ${n}x${n} f64`;
    ctx.report({ bench: 'kernels', name, value: tw * 1e3, unit: 'ms', backend: 'wasm' });
    ctx.report({
      bench: 'kernels',
      name,
      value: tt * 1e3,
      unit: 'ms',
      backend: 'ts',
      peer: 'ts backend',
      ratio: tt / tw,
    });
  }
}
