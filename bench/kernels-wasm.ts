/**
 * `pnpm bench kernels-wasm [--json] [--quick]`: Float32 and Float64 GEMM throughput (GFLOP/s, single
 * thread) of the WebAssembly SIMD backend against the TypeScript kernels measured in the same run, on the
 * four shapes of the foundation issue written m×k×n (C is m×n, the reduction depth is k), plus Cholesky.
 * Each figure is measured on two clocks — `wall` (elapsed) and `cpu` (this process's CPU time, which is
 * what to read on a shared, loaded machine) — and each `wasm` figure is followed by a `ts` peer line whose
 * `ratio` is wasm ÷ ts. Target: ≥ 15 GFLOP/s for Float32 GEMM with WebAssembly.
 */
import { type KernelBackend, Rng } from '@nexus/ebm-core';
import { getWasmBackend, tsBackend } from '@nexus/ebm-core/kernels';
import { type BenchContext, ratioOf } from './lib/report.js';

const SHAPES: readonly (readonly [number, number, number])[] = [
  [256, 64, 32],
  [256, 32, 64],
  [4096, 64, 64],
  [512, 512, 512],
];

interface Clocks {
  wall: number;
  cpu: number;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Median seconds per call on both clocks; each of `reps` samples runs enough calls to last ≈ 30 ms. */
function measure(fn: () => void, reps: number): Clocks {
  fn();
  fn();
  const t0 = performance.now();
  fn();
  const once = Math.max((performance.now() - t0) / 1000, 1e-7);
  const inner = Math.max(1, Math.round(0.03 / once));
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let s = 0; s < reps; s++) {
    const w0 = performance.now();
    const c0 = cpuSeconds();
    for (let r = 0; r < inner; r++) fn();
    cpus.push((cpuSeconds() - c0) / inner);
    walls.push((performance.now() - w0) / 1000 / inner);
  }
  const mid = (a: number[]): number => a.sort((x, y) => x - y)[Math.floor(a.length / 2)] as number;
  return { wall: mid(walls), cpu: mid(cpus) };
}

function gemmCall(backend: KernelBackend, f32: boolean, m: number, k: number, n: number): () => void {
  const rng = new Rng(7);
  if (f32) {
    const a = rng.fillNormal(new Float32Array(m * k));
    const b = rng.fillNormal(new Float32Array(k * n));
    const c = new Float32Array(m * n);
    return () => backend.gemmF32(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
  }
  const a = rng.fillNormal(new Float64Array(m * k));
  const b = rng.fillNormal(new Float64Array(k * n));
  const c = new Float64Array(m * n);
  return () => backend.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
}

function choleskyCall(backend: KernelBackend, n: number): () => void {
  const rng = new Rng(11);
  const x = rng.fillNormal(new Float64Array(2 * n * n));
  const spd = new Float64Array(n * n);
  tsBackend.gemm(true, false, n, n, 2 * n, 1, x, 0, n, x, 0, n, 0, spd, 0, n);
  const l = new Float64Array(n * n);
  return () => {
    backend.cholesky(spd, n, l, 0);
  };
}

export default function kernelsWasm(ctx: BenchContext): void {
  const wasm = getWasmBackend();
  if (wasm === undefined) {
    ctx.log('kernels-wasm: WebAssembly SIMD is not available here; nothing to measure');
    return;
  }
  const reps = ctx.args.includes('--quick') ? 3 : 7;
  const pair = (name: string, unit: string, work: number, make: (b: KernelBackend) => () => void): void => {
    const ours = measure(make(wasm), reps);
    const peer = measure(make(tsBackend), reps);
    for (const clock of ['cpu', 'wall'] as const) {
      const v = unit === 'ms' ? ours[clock] * 1e3 : work / ours[clock] / 1e9;
      const p = unit === 'ms' ? peer[clock] * 1e3 : work / peer[clock] / 1e9;
      const fig = `${name} [${clock}]`;
      ctx.report({ bench: 'kernels', name: fig, value: v, unit, backend: 'wasm', clock });
      ctx.report({
        bench: 'kernels',
        name: fig,
        value: p,
        unit,
        backend: 'ts',
        peer: 'ts backend',
        clock,
        ratio: ratioOf(v, p, unit),
      });
    }
  };
  for (const f32 of [true, false]) {
    for (const [m, k, n] of SHAPES) {
      pair(`gemm ${m}x${k}x${n} ${f32 ? 'f32' : 'f64'}`, 'GFLOP/s', 2 * m * n * k, (b) =>
        gemmCall(b, f32, m, k, n),
      );
    }
  }
  for (const n of [64, 256]) pair(`cholesky ${n}x${n} f64`, 'ms', 0, (b) => choleskyCall(b, n));
}
