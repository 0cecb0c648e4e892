/**
 * `pnpm bench autoencoder [--json] [--n 100000] [--epochs 5] [--peer-epochs 1] [--tfjs-rows n] [--reps 3]`: trains the
 * 64-32-8-32-64 ReLU autoencoder (Glorot-uniform weights as in TensorFlow.js, Adam, learning rate 1e-3,
 * batch 256, linear output, no standardisation,
 * no validation split) on n × 64 rows of rank-8 data plus noise, and scores every row (per-row mean squared
 * reconstruction error, batches of 256), in samples per second on one thread. Peers, measured in the same
 * run on the same data, network, optimiser and batch: TensorFlow.js 4.22 on its CPU and WebAssembly
 * backends (one thread), and PyTorch with `torch.set_num_threads(1)` through the Python that bench/lib/python.ts
 * finds ($EBM_PYTHON, python3, /usr/bin/python3, …; a loud line when none has torch). Peers train for
 * `--peer-epochs` epochs, TensorFlow.js on the first `--tfjs-rows` rows (default all; throughput is per sample,
 * so fewer epochs or rows only shorten the run). Figures are given per CPU second of the measuring process
 * (`[cpu]`, robust when other processes load the machine) and per wall-clock second (`[wall]`).
 * Ours is measured once per kernel backend (`--backend ts|wasm`, default both where WebAssembly SIMD is
 * available), each figure carrying `backend: "ts"|"wasm"` and followed by its peer ratios.
 * Targets: training ≥ 3× TensorFlow.js WebAssembly and ≥ 0.5× PyTorch (wasm backend: ≥ 1.5×
 * PyTorch); scoring ≥ 4× TensorFlow.js WebAssembly (wasm backend: ≥ 0.5× PyTorch).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { getBackend, type KernelBackend, Matrix, Rng, setBackend } from '@nexus/ebm-core';
import { getWasmBackend, tsBackend } from '@nexus/ebm-core/kernels';
import { Autoencoder } from '@nexus/ebm-energies';
import { runPython } from './lib/python.js';
import { medianRate, now, type Rate, rate } from './lib/rate.js';
import { type BenchContext, ratioOf } from './lib/report.js';

const D = 64;
const RANK = 8;
const HIDDEN = [32, 8, 32];
const BATCH = 256;
const LR = 1e-3;

const TORCH_SCRIPT = `
import json, sys, time
import numpy as np
try:
    import torch
except Exception as e:
    print(json.dumps({"error": "torch not importable: " + str(e)})); sys.exit(0)
torch.set_num_threads(1)
torch.manual_seed(0)
path, n, d, epochs, reps, batch, lr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
x = torch.from_numpy(np.fromfile(path, dtype='<f4').reshape(n, d).copy())
net = torch.nn.Sequential(torch.nn.Linear(d, 32), torch.nn.ReLU(), torch.nn.Linear(32, 8), torch.nn.ReLU(),
                          torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, d))
opt = torch.optim.Adam(net.parameters(), lr=lr)
t0 = time.perf_counter(); c0 = time.process_time()
for ep in range(epochs):
    perm = torch.randperm(n)
    total = 0.0
    for b in range(0, n, batch):
        xb = x[perm[b:b + batch]]
        opt.zero_grad()
        loss = ((net(xb) - xb) ** 2).mean()
        loss.backward()
        opt.step()
        total += float(loss) * xb.shape[0]
train_s = time.perf_counter() - t0; train_c = time.process_time() - c0
def score():
    with torch.no_grad():
        out = torch.empty(n)
        for b in range(0, n, batch):
            xb = x[b:b + batch]
            out[b:b + batch] = ((net(xb) - xb) ** 2).mean(1)
        return out
score()
ts, cs = [], []
for _ in range(reps):
    t0 = time.perf_counter(); c0 = time.process_time(); score(); ts.append(time.perf_counter() - t0); cs.append(time.process_time() - c0)
ts.sort(); cs.sort()
print(json.dumps({"version": torch.__version__, "train": {"wall": n * epochs / train_s, "cpu": n * epochs / train_c},
                  "score": {"wall": n / ts[len(ts) // 2], "cpu": n / cs[len(cs) // 2]}, "loss": total / n}))
`;

/** Rank-8 data plus noise: z (n×8) · A (8×64) + 0.1·ε, with a seeded A. */
function lowRankData(n: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const a = rng.fillNormal(new Float64Array(RANK * D), 0, 1 / Math.sqrt(RANK));
  const z = new Float64Array(RANK);
  const X = new Matrix(n, D);
  for (let i = 0; i < n; i++) {
    rng.fillNormal(z);
    for (let j = 0; j < D; j++) {
      let s = 0;
      for (let k = 0; k < RANK; k++) s += (z[k] as number) * (a[k * D + j] as number);
      X.data[i * D + j] = s + 0.1 * rng.normal();
    }
  }
  return X;
}

interface PeerResult {
  train: Rate;
  score: Rate;
  loss?: number;
}

async function tfjsPeer(
  backend: 'cpu' | 'wasm',
  x32: Float32Array,
  n: number,
  epochs: number,
  reps: number,
  ctx: BenchContext,
): Promise<PeerResult | undefined> {
  try {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    const tfl = await import('@tensorflow/tfjs-layers');
    if (backend === 'wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const require = createRequire(import.meta.url);
      const file = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
      wasm.setWasmPaths(`${dirname(file)}/`);
      const setThreads = (wasm as { setThreadsCount?: (n: number) => void }).setThreadsCount;
      if (setThreads !== undefined) setThreads(1);
    }
    if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not initialise`);
    await tf.ready();
    const model = tfl.sequential();
    model.add(tfl.layers.dense({ inputShape: [D], units: 32, activation: 'relu' }));
    model.add(tfl.layers.dense({ units: 8, activation: 'relu' }));
    model.add(tfl.layers.dense({ units: 32, activation: 'relu' }));
    model.add(tfl.layers.dense({ units: D }));
    model.compile({ optimizer: tf.train.adam(LR), loss: 'meanSquaredError' });
    const x = tf.tensor2d(x32, [n, D]);
    // Warm up (kernel compilation, first-call set-up) on two batches before timing.
    const warm = tf.tensor2d(x32.subarray(0, 2 * BATCH * D), [2 * BATCH, D]);
    await model.fit(warm, warm, { batchSize: BATCH, epochs: 1, verbose: 0 });
    warm.dispose();
    const t0 = now();
    const hist = await model.fit(x, x, { batchSize: BATCH, epochs, shuffle: true, verbose: 0 });
    const train = rate(n * epochs, t0);
    const losses = hist.history.loss as number[];
    const score = (): void => {
      const e = tf.tidy(() => {
        const y = model.predict(x, { batchSize: BATCH }) as import('@tensorflow/tfjs-core').Tensor;
        return tf.mean(tf.square(tf.sub(y, x)), 1);
      });
      e.dataSync();
      e.dispose();
    };
    const scored = medianRate(score, n, reps);
    x.dispose();
    model.dispose();
    const out: PeerResult = { train, score: scored };
    const last = losses[losses.length - 1];
    if (last !== undefined) out.loss = last;
    return out;
  } catch (e) {
    ctx.log(`TensorFlow.js ${backend} peer skipped: ${(e as Error).message}`);
    return undefined;
  }
}

function torchPeer(
  x32: Float32Array,
  n: number,
  epochs: number,
  reps: number,
  ctx: BenchContext,
): (PeerResult & { version: string }) | undefined {
  return runPython<PeerResult & { version: string; loss: number }>(ctx, {
    label: 'PyTorch autoencoder',
    modules: ['torch', 'numpy'],
    script: TORCH_SCRIPT,
    inputs: [x32],
    args: [n, D, epochs, reps, BATCH, LR],
  });
}

export default async function bench(ctx: BenchContext): Promise<void> {
  const n = Number(ctx.flag('n') ?? 100_000);
  const epochs = Number(ctx.flag('epochs') ?? 5);
  const peerEpochs = Number(ctx.flag('peer-epochs') ?? 1);
  const tfRows = Math.min(n, Number(ctx.flag('tfjs-rows') ?? n));
  const reps = Number(ctx.flag('reps') ?? 3);
  ctx.log(
    `data: ${n} × ${D} rank-${RANK} rows plus noise; network ${[D, ...HIDDEN, D].join('-')} ReLU, Adam ${LR}, batch ${BATCH}`,
  );
  const X = lowRankData(n, 42);
  const x32 = Float32Array.from(X.data);
  const trainName = `autoencoder train ${[D, ...HIDDEN, D].join('-')} b${BATCH}`;
  const scoreName = `autoencoder score ${[D, ...HIDDEN, D].join('-')}`;

  const initial = getBackend();
  const backends = selectBackends(ctx.flag('backend'));
  const ours: { backend: KernelBackend['name']; train: Rate; score: Rate }[] = [];
  try {
    for (const backend of backends) {
      setBackend(backend);
      const ae = new Autoencoder({
        hiddenSizes: [32, 8],
        activation: 'relu',
        init: 'xavier',
        optimizer: 'adam',
        learningRate: LR,
        batchSize: BATCH,
        epochs,
        validationFraction: 0,
        patience: 0,
        standardize: false,
        seed: 1,
      });
      let lastLoss = Number.NaN;
      ctx.log(`ours (${backend.name} backend):`);
      const t0 = now();
      ae.fit(X, {
        onProgress: (p) => {
          lastLoss = p.loss ?? Number.NaN;
          ctx.log(
            `  epoch ${p.epoch}/${p.epochs}: loss ${p.loss?.toFixed(5)}, ${Math.round(p.samplesPerSecond ?? 0)} samples/s`,
          );
        },
      });
      const train = rate(n * epochs, t0);
      const score = medianRate(() => ae.energy(X), n, reps);
      ours.push({ backend: backend.name, train, score });
      ctx.log(`ours (${backend.name}): final training loss ${lastLoss.toFixed(5)}`);
    }
  } finally {
    setBackend(initial);
  }

  const peers: [string, PeerResult | undefined][] = [];
  const tfData = x32.subarray(0, tfRows * D);
  peers.push(['tfjs-cpu', await tfjsPeer('cpu', tfData, tfRows, peerEpochs, reps, ctx)]);
  peers.push(['tfjs-wasm', await tfjsPeer('wasm', tfData, tfRows, peerEpochs, reps, ctx)]);
  const torch = torchPeer(x32, n, epochs, reps, ctx);
  peers.push([torch === undefined ? 'pytorch' : `pytorch-${torch.version}`, torch]);

  for (const [peer, r] of peers) {
    if (r?.loss !== undefined) ctx.log(`${peer}: final training loss ${r.loss.toFixed(5)}`);
  }
  for (const clock of ['cpu', 'wall'] as const) {
    for (const [what, base] of [
      ['train', trainName],
      ['score', scoreName],
    ] as const) {
      const name = `${base} [${clock}]`;
      for (const o of ours) {
        const value = o[what][clock];
        ctx.report({ bench: 'autoencoder', name, value, unit: 'samples/s', backend: o.backend, clock });
        for (const [peer, r] of peers) {
          if (r === undefined) continue;
          const pv = r[what][clock];
          ctx.report({
            bench: 'autoencoder',
            name,
            value: pv,
            unit: 'samples/s',
            backend: o.backend,
            peer,
            clock,
            ratio: ratioOf(value, pv, 'samples/s'),
          });
        }
      }
    }
  }
  const wasm = peers.find(([p]) => p === 'tfjs-wasm')?.[1];
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  for (const clock of ['cpu', 'wall'] as const) {
    for (const o of ours) {
      const t = o.train[clock];
      const sc = o.score[clock];
      const tag = `[${clock}] ${o.backend}:`;
      if (wasm !== undefined) {
        ctx.log(
          `${tag} target training ≥ 3× tfjs-wasm: ${(t / wasm.train[clock]).toFixed(2)}× (${verdict(t >= 3 * wasm.train[clock])})`,
        );
        ctx.log(
          `${tag} target scoring ≥ 4× tfjs-wasm: ${(sc / wasm.score[clock]).toFixed(2)}× (${verdict(sc >= 4 * wasm.score[clock])})`,
        );
      }
      if (torch !== undefined) {
        const tr = t / torch.train[clock];
        const sr = sc / torch.score[clock];
        const goal = o.backend === 'wasm' ? 1.5 : 0.5;
        ctx.log(`${tag} target training ≥ ${goal}× PyTorch: ${tr.toFixed(2)}× (${verdict(tr >= goal)})`);
        if (o.backend === 'wasm') {
          ctx.log(`${tag} target scoring ≥ 0.5× PyTorch: ${sr.toFixed(2)}× (${verdict(sr >= 0.5)})`);
        }
      }
    }
  }
}

/**
 * The backends to measure: `--backend ts` or `--backend wasm` alone, else the TypeScript one and, where
 * WebAssembly SIMD is available, the WebAssembly one.
 */
function selectBackends(flag: string | undefined): KernelBackend[] {
  const wasm = getWasmBackend();
  if (flag === 'ts') return [tsBackend];
  if (flag === 'wasm') {
    if (wasm === undefined) throw new Error('--backend wasm: WebAssembly SIMD is not available here');
    return [wasm];
  }
  if (flag !== undefined) throw new Error(`--backend: expected ts or wasm, got ${JSON.stringify(flag)}`);
  return wasm === undefined ? [tsBackend] : [tsBackend, wasm];
}
