/**
 * `pnpm bench autoencoder-wasm [--json] [flags of autoencoder]`: the W1 autoencoder benchmark of
 * bench/autoencoder.ts (same data, network, optimiser, batch and peers — TensorFlow.js, PyTorch —
 * measured in the same run) with the autoencoder's training step and scoring running in the WebAssembly
 * SIMD kernels (`wasmAeTrainStep`, `wasmAeScoreBatch`) and the generic kernel backend set to
 * WebAssembly. Our figures carry `backend: "wasm"`; peer lines keep their ratios (ours ÷ peer). Issue 9
 * targets: training ≥ 1.5× PyTorch on one thread, scoring ≥ 0.5× PyTorch.
 *
 * `--backends [--n 100000] [--epochs 5]` instead trains and scores the same model with the TypeScript
 * kernels and then the WebAssembly ones (no external peers), on two clocks (`cpu`: this process's CPU
 * time, the figure to read on a loaded machine; `wall`), each wasm line followed by a ts peer line whose
 * ratio is wasm ÷ ts.
 */
import {
  getWasmBackend,
  Matrix,
  Rng,
  setBackend,
  wasmAeScoreBatch,
  wasmAeTrainStep,
} from '../packages/core/src/index.js';
import { setAutoencoderKernels } from '../packages/energies/src/autoencoder/kernels.js';
import { Autoencoder } from '../packages/energies/src/index.js';
import autoencoderBench from './autoencoder.js';
import { type BenchContext, type Figure, ratioOf } from './lib/report.js';

function useWasm(on: boolean): void {
  const wasm = getWasmBackend();
  if (on && wasm !== undefined) {
    setBackend(wasm);
    setAutoencoderKernels({ name: 'wasm', trainStep: wasmAeTrainStep, scoreBatch: wasmAeScoreBatch });
  } else {
    setBackend('ts');
    setAutoencoderKernels('ts');
  }
}

interface Clocks {
  wall: number;
  cpu: number;
}

function timed(fn: () => void): Clocks {
  const u0 = process.cpuUsage();
  const w0 = performance.now();
  fn();
  const u = process.cpuUsage(u0);
  return { wall: (performance.now() - w0) / 1000, cpu: (u.user + u.system) / 1e6 };
}

/** Rank-8 data plus noise, as in bench/autoencoder.ts. */
function lowRankData(n: number, d: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const a = rng.fillNormal(new Float64Array(8 * d), 0, 1 / Math.sqrt(8));
  const z = new Float64Array(8);
  const X = new Matrix(n, d);
  for (let i = 0; i < n; i++) {
    rng.fillNormal(z);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < 8; k++) s += (z[k] as number) * (a[k * d + j] as number);
      X.data[i * d + j] = s + 0.1 * rng.normal();
    }
  }
  return X;
}

function backends(ctx: BenchContext): void {
  const n = Number(ctx.flag('n') ?? 100_000);
  const epochs = Number(ctx.flag('epochs') ?? 5);
  const X = lowRankData(n, 64, 42);
  const rates: Record<'ts' | 'wasm', { train: Clocks; score: Clocks }> = {
    ts: { train: { wall: 0, cpu: 0 }, score: { wall: 0, cpu: 0 } },
    wasm: { train: { wall: 0, cpu: 0 }, score: { wall: 0, cpu: 0 } },
  };
  for (const backend of ['ts', 'wasm'] as const) {
    useWasm(backend === 'wasm');
    const ae = new Autoencoder({
      hiddenSizes: [32, 8],
      activation: 'relu',
      init: 'he',
      optimizer: 'adam',
      learningRate: 1e-3,
      batchSize: 256,
      epochs,
      validationFraction: 0,
      patience: 0,
      standardize: false,
      seed: 1,
    });
    const t = timed(() => ae.fit(X));
    let e = ae.energy(X);
    const s = [timed(() => ae.energy(X)), timed(() => ae.energy(X)), timed(() => (e = ae.energy(X)))];
    const mid = (k: keyof Clocks): number => s.map((c) => c[k]).sort((a, b) => a - b)[1] as number;
    rates[backend] = {
      train: { wall: (n * epochs) / t.wall, cpu: (n * epochs) / t.cpu },
      score: { wall: n / mid('wall'), cpu: n / mid('cpu') },
    };
    ctx.log(`  ${backend}: mean energy ${(e.reduce((a, b) => a + b, 0) / n).toFixed(5)}`);
  }
  useWasm(false);
  for (const clock of ['cpu', 'wall'] as const) {
    for (const what of ['train', 'score'] as const) {
      const name = `autoencoder ${what} 64-32-8-32-64 b256 [${clock}]`;
      const v = rates.wasm[what][clock];
      const p = rates.ts[what][clock];
      ctx.report({ bench: 'autoencoder', name, value: v, unit: 'samples/s', backend: 'wasm', clock });
      ctx.report({
        bench: 'autoencoder',
        name,
        value: p,
        unit: 'samples/s',
        backend: 'ts',
        peer: 'ts backend',
        clock,
        ratio: ratioOf(v, p, 'samples/s'),
      });
    }
  }
}

export default async function autoencoderWasm(ctx: BenchContext): Promise<void> {
  if (getWasmBackend() === undefined) {
    ctx.log('autoencoder-wasm: WebAssembly SIMD is not available here; nothing to measure');
    return;
  }
  if (ctx.args.includes('--backends')) {
    backends(ctx);
    return;
  }
  useWasm(true);
  const wrapped: BenchContext = {
    ...ctx,
    report(f: Figure): void {
      ctx.report(f.peer === undefined ? { ...f, backend: 'wasm' } : f);
    },
  };
  try {
    await autoencoderBench(wrapped);
  } finally {
    useWasm(false);
  }
}
