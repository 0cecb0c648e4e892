/**
 * `pnpm bench rbm [--json] [--n 50000] [--epochs 5] [--reps 5]`: trains a Bernoulli RBM with 32 hidden
 * units by persistent contrastive divergence (k = 1, batch 100, learning rate 0.1, no momentum or weight
 * decay — scikit-learn's algorithm) on n × 64 binary rows (noisy copies of 10 seeded prototypes), then
 * computes the free energy of every row; both in samples per second on one thread. Peers, in the same
 * run on the same data (as float64, numpy's default, and as float32): scikit-learn's `BernoulliRBM` (same hyperparameters) and the free energy
 * in numpy (`−X·b − Σ logaddexp(0, X·Wᵀ + c)`, sklearn's own formula), through the Python that
 * bench/lib/python.ts finds, with one BLAS thread (a loud line when no interpreter has scikit-learn). Figures are given per CPU second of the measuring process (`[cpu]`, robust when other processes
 * load the machine) and per wall-clock second (`[wall]`). Ours is measured once per kernel backend
 * (`--backend ts|wasm`, default both where WebAssembly SIMD is available), each figure carrying
 * `backend: "ts"|"wasm"` and followed by its peer ratios. Targets: training ≥ 0.4× scikit-learn
 * (wasm backend: ≥ 1.5×), scoring ≥ 1× numpy.
 */
import { getBackend, type KernelBackend, type Matrix, setBackend } from '@nexus/ebm-core';
import { getWasmBackend, tsBackend } from '@nexus/ebm-core/kernels';
import { RBM } from '@nexus/ebm-energies';
import { binaryPrototypes } from './lib/binaryPrototypes.js';
import { runPython } from './lib/python.js';
import { medianRate, now, type Rate, rate } from './lib/rate.js';
import { type BenchContext, ratioOf } from './lib/report.js';

const D = 64;
const H = 32;
const BATCH = 100;
const LR = 0.1;

const SKLEARN_SCRIPT = `
import json, sys, time
import numpy as np
try:
    import sklearn
    from sklearn.neural_network import BernoulliRBM
except Exception as e:
    print(json.dumps({"error": "scikit-learn not importable: " + str(e)})); sys.exit(0)
path, n, d, h, batch, epochs, reps, lr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), float(sys.argv[8])
X32 = np.fromfile(path, dtype='<f4').reshape(n, d)
out = {"version": sklearn.__version__, "numpy": np.__version__}
for name, X in (("float64", X32.astype(np.float64)), ("float32", X32)):
    rbm = BernoulliRBM(n_components=h, batch_size=batch, n_iter=epochs, learning_rate=lr, random_state=0)
    t0 = time.perf_counter(); c0 = time.process_time()
    rbm.fit(X)
    train_s = time.perf_counter() - t0; train_c = time.process_time() - c0
    W, b, c = rbm.components_, rbm.intercept_visible_, rbm.intercept_hidden_
    def fe():
        return -(X @ b) - np.logaddexp(0, X @ W.T + c).sum(axis=1)
    fe()
    ts, cs = [], []
    for _ in range(reps):
        t0 = time.perf_counter(); c0 = time.process_time(); fe(); ts.append(time.perf_counter() - t0); cs.append(time.process_time() - c0)
    ts.sort(); cs.sort()
    out[name] = {"train": {"wall": n * epochs / train_s, "cpu": n * epochs / train_c},
                 "score": {"wall": n / ts[len(ts) // 2], "cpu": n / cs[len(cs) // 2]},
                 "meanFreeEnergy": float(fe().mean())}
print(json.dumps(out))
`;

interface PeerRun {
  train: Rate;
  score: Rate;
  meanFreeEnergy: number;
}

interface SklearnResult {
  version: string;
  numpy: string;
  float64: PeerRun;
  float32: PeerRun;
}

function sklearnPeer(X: Matrix, epochs: number, reps: number, ctx: BenchContext): SklearnResult | undefined {
  return runPython<SklearnResult>(ctx, {
    label: 'scikit-learn BernoulliRBM',
    modules: ['sklearn', 'numpy'],
    script: SKLEARN_SCRIPT,
    inputs: [Float32Array.from(X.data)],
    args: [X.rows, D, H, BATCH, epochs, reps, LR],
  });
}

export default function bench(ctx: BenchContext): void {
  const n = Number(ctx.flag('n') ?? 50_000);
  const epochs = Number(ctx.flag('epochs') ?? 5);
  const reps = Number(ctx.flag('reps') ?? 5);
  ctx.log(
    `data: ${n} × ${D} binary rows; Bernoulli RBM, ${H} hidden, PCD-1, batch ${BATCH}, ${epochs} epochs`,
  );
  const X = binaryPrototypes(n, D, 7);

  const initial = getBackend();
  const ours: { backend: KernelBackend['name']; train: Rate; score: Rate }[] = [];
  try {
    for (const backend of selectBackends(ctx.flag('backend'))) {
      setBackend(backend);
      const rbm = new RBM({
        visible: 'bernoulli',
        nHidden: H,
        method: 'pcd',
        k: 1,
        learningRate: LR,
        momentum: 0,
        weightDecay: 0,
        batchSize: BATCH,
        epochs,
        seed: 1,
      });
      ctx.log(`ours (${backend.name} backend):`);
      const t0 = now();
      rbm.fit(X, {
        onProgress: (p) =>
          ctx.log(
            `  epoch ${p.epoch}/${p.epochs}: reconstruction error ${p.loss?.toFixed(4)}, ${Math.round(p.samplesPerSecond ?? 0)} samples/s`,
          ),
      });
      const train = rate(n * epochs, t0);
      let mean = 0;
      const score = medianRate(
        () => {
          const e = rbm.energy(X);
          mean = e.reduce((a, b) => a + b, 0) / n;
        },
        n,
        reps,
      );
      ours.push({ backend: backend.name, train, score });
      ctx.log(`ours (${backend.name}): mean free energy ${mean.toFixed(3)}`);
    }
  } finally {
    setBackend(initial);
  }

  const peer = sklearnPeer(X, epochs, reps, ctx);
  const trainName = `rbm train pcd ${D}x${H} b${BATCH}`;
  const scoreName = `rbm free energy ${D}x${H}`;
  const runs: [string, PeerRun][] =
    peer === undefined
      ? []
      : [
          ['float64', peer.float64],
          ['float32', peer.float32],
        ];
  for (const [dtype, r] of runs)
    ctx.log(`scikit-learn ${dtype}: mean free energy ${r.meanFreeEnergy.toFixed(3)}`);
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  for (const clock of ['cpu', 'wall'] as const) {
    for (const [what, base] of [
      ['train', trainName],
      ['score', scoreName],
    ] as const) {
      const name = `${base} [${clock}]`;
      for (const o of ours) {
        const value = o[what][clock];
        ctx.report({ bench: 'rbm', name, value, unit: 'samples/s', backend: o.backend, clock });
        for (const [dtype, r] of runs) {
          const pv = r[what][clock];
          const who = what === 'train' ? `sklearn-${peer?.version}` : `numpy-${peer?.numpy}`;
          ctx.report({
            bench: 'rbm',
            name,
            value: pv,
            unit: 'samples/s',
            backend: o.backend,
            peer: `${who} ${dtype}`,
            clock,
            ratio: ratioOf(value, pv, 'samples/s'),
          });
        }
      }
    }
    for (const o of ours) {
      const goal = o.backend === 'wasm' ? 1.5 : 0.4;
      for (const [dtype, r] of runs) {
        const t = o.train[clock] / r.train[clock];
        const sc = o.score[clock] / r.score[clock];
        ctx.log(
          `[${clock}] ${o.backend}: target training ≥ ${goal}× scikit-learn (${dtype}): ${t.toFixed(2)}× (${verdict(t >= goal)})`,
        );
        ctx.log(
          `[${clock}] ${o.backend}: target scoring ≥ 1× numpy (${dtype}): ${sc.toFixed(2)}× (${verdict(sc >= 1)})`,
        );
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
