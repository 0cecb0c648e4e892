/**
 * `pnpm bench rbm-wasm [--json] [flags of rbm]`: the RBM benchmark of bench/rbm.ts (same data,
 * hyperparameters and scikit-learn/numpy peers, measured in the same run) with contrastive divergence,
 * free energy and reconstruction error running in the WebAssembly SIMD kernels (`wasmRbmCdStep`,
 * `wasmRbmFreeEnergy`, `wasmRbmReconstructionError`). Our figures carry `backend: "wasm"`; peer lines
 * keep their ratios (ours ÷ peer). Issue 9 target: training ≥ 1.5× scikit-learn's BernoulliRBM.
 *
 * `--backends [--n 50000] [--epochs 5]` instead trains (PCD-1, 64 visible × 32 hidden, batch 100,
 * learning rate 0.1, no momentum or decay) and scores the same RBM with the TypeScript kernels and then
 * the WebAssembly ones (no external peers), on two clocks (`cpu`, `wall`), each wasm line followed by a
 * ts peer line whose ratio is wasm ÷ ts.
 */
import {
  getWasmBackend,
  Matrix,
  Rng,
  setBackend,
  wasmRbmCdStep,
  wasmRbmFreeEnergy,
  wasmRbmReconstructionError,
} from '../packages/core/src/index.js';
import { RBM } from '../packages/energies/src/index.js';
import { setRbmKernels } from '../packages/energies/src/rbm/kernels.js';
import { type BenchContext, type Figure, ratioOf } from './lib/report.js';
import rbmBench from './rbm.js';

function useWasm(on: boolean): void {
  const wasm = getWasmBackend();
  if (on && wasm !== undefined) {
    setBackend(wasm);
    setRbmKernels({
      name: 'wasm',
      cdStep: wasmRbmCdStep,
      freeEnergy: wasmRbmFreeEnergy,
      reconstructionError: wasmRbmReconstructionError,
    });
  } else {
    setBackend('ts');
    setRbmKernels('ts');
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

/** Noisy copies (10 % of bits flipped) of 10 seeded binary prototypes, as in bench/rbm.ts. */
function binaryData(n: number, d: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const protos = Array.from({ length: 10 }, () =>
    Float64Array.from({ length: d }, () => (rng.uniform() < 0.5 ? 1 : 0)),
  );
  const X = new Matrix(n, d);
  for (let i = 0; i < n; i++) {
    const p = protos[rng.int(protos.length)] as Float64Array;
    for (let j = 0; j < d; j++)
      X.data[i * d + j] = rng.uniform() < 0.1 ? 1 - (p[j] as number) : (p[j] as number);
  }
  return X;
}

function backends(ctx: BenchContext): void {
  const n = Number(ctx.flag('n') ?? 50_000);
  const epochs = Number(ctx.flag('epochs') ?? 5);
  const X = binaryData(n, 64, 7);
  const rates = {} as Record<'ts' | 'wasm', { train: Clocks; score: Clocks }>;
  for (const backend of ['ts', 'wasm'] as const) {
    useWasm(backend === 'wasm');
    const rbm = new RBM({
      visible: 'bernoulli',
      nHidden: 32,
      method: 'pcd',
      k: 1,
      learningRate: 0.1,
      momentum: 0,
      weightDecay: 0,
      batchSize: 100,
      epochs,
      seed: 1,
    });
    const t = timed(() => rbm.fit(X));
    let e = rbm.energy(X);
    const s = [timed(() => rbm.energy(X)), timed(() => rbm.energy(X)), timed(() => (e = rbm.energy(X)))];
    const mid = (k: keyof Clocks): number => s.map((c) => c[k]).sort((a, b) => a - b)[1] as number;
    rates[backend] = {
      train: { wall: (n * epochs) / t.wall, cpu: (n * epochs) / t.cpu },
      score: { wall: n / mid('wall'), cpu: n / mid('cpu') },
    };
    ctx.log(`  ${backend}: mean free energy ${(e.reduce((a, b) => a + b, 0) / n).toFixed(4)}`);
  }
  useWasm(false);
  for (const clock of ['cpu', 'wall'] as const) {
    for (const what of ['train', 'score'] as const) {
      const name = `rbm ${what} pcd 64x32 b100 [${clock}]`;
      const v = rates.wasm[what][clock];
      const p = rates.ts[what][clock];
      ctx.report({ bench: 'rbm', name, value: v, unit: 'samples/s', backend: 'wasm', clock });
      ctx.report({
        bench: 'rbm',
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

export default async function rbmWasm(ctx: BenchContext): Promise<void> {
  if (getWasmBackend() === undefined) {
    ctx.log('rbm-wasm: WebAssembly SIMD is not available here; nothing to measure');
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
    await rbmBench(wrapped);
  } finally {
    useWasm(false);
  }
}
