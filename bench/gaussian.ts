/**
 * `pnpm bench gaussian [--json] [--rows N] [--cols D] [--reps R] [--peer-threads T]`: fit and score a
 * full-covariance Gaussian density on N × D (default 1,000,000 × 32) correlated Gaussian rows, in samples/s,
 * against scikit-learn's `GaussianMixture(n_components=1, covariance_type='full')` measured in the same run
 * on the same data (Python found by bench/lib/python.ts reads it from a temporary binary file). The peer's BLAS runs with
 * `--peer-threads` threads (default 1: our kernels are single-threaded). Figures are medians of `--reps`.
 * The same run times {@link HistogramDensity} (10 bins) against the same energy written in vectorised numpy
 * (min/max, bin indices, `bincount` per column; scoring gathers the bins' −log densities), whose energies
 * are compared with ours on 5 rows.
 */
import { getBackend, Matrix, Rng } from '@nexus/ebm-core';
import { GaussianDensity, GaussianMixture, HistogramDensity } from '@nexus/ebm-energies';
import { runPython } from './lib/python.js';
import { type BenchContext, ratioOf, timeMedian } from './lib/report.js';

function makeData(n: number, d: number): Matrix {
  const rng = new Rng(2024);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) a[i * d + j] = (i === j ? 1 : 0) + 0.2 * rng.normal();
  const z = new Float64Array(d);
  const out = new Matrix(n, d);
  const x = out.data;
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < d; k++) z[k] = rng.normal();
    const base = r * d;
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (z[k] as number) * (a[k * d + j] as number);
      x[base + j] = s + j;
    }
  }
  return out;
}

const PEER = `
import sys, json, time
import numpy as np
from sklearn.mixture import GaussianMixture
path, n, d, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(path, dtype='<f8').reshape(n, d)
def median(f):
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    ts.sort(); return ts[len(ts) // 2]
gm = GaussianMixture(n_components=1, covariance_type='full', random_state=0)
fit = median(lambda: gm.fit(X))
score = median(lambda: gm.score_samples(X))
e = -gm.score_samples(X[:5])
B = 10
state = {}
def hfit():
    lo = X.min(0); w = (X.max(0) - lo) / B
    idx = np.clip(((X - lo) / w).astype(np.int64), 0, B - 1)
    cnt = np.stack([np.bincount(idx[:, j], minlength=B) for j in range(d)])
    state.update(lo=lo, w=w, be=np.log(n + B) + np.log(w)[:, None] - np.log(cnt + 1.0))
def hscore(Y):
    idx = np.clip(((Y - state['lo']) / state['w']).astype(np.int64), 0, B - 1)
    return state['be'][np.arange(d), idx].sum(1)
hfit_s = median(hfit)
hscore_s = median(lambda: hscore(X))
import sklearn
print(json.dumps({"fit": fit, "score": score, "energies": e.tolist(), "version": sklearn.__version__,
                  "histFit": hfit_s, "histScore": hscore_s, "histEnergies": hscore(X[:5]).tolist(),
                  "numpy": np.__version__}))
`;

interface PeerResult {
  fit: number;
  score: number;
  energies: number[];
  version: string;
  histFit: number;
  histScore: number;
  histEnergies: number[];
  numpy: string;
}

export default function gaussian(ctx: BenchContext): void {
  const n = Number(ctx.flag('rows') ?? 1_000_000);
  const d = Number(ctx.flag('cols') ?? 32);
  const reps = Number(ctx.flag('reps') ?? 3);
  const threads = ctx.flag('peer-threads') ?? '1';
  const backend = getBackend().name;
  ctx.log(`gaussian: generating ${n} × ${d} rows…`);
  const X = makeData(n, d);
  const shape = `${n}x${d}`;

  const g = new GaussianDensity();
  const fitS = timeMedian(() => g.fit(X), { reps, warmup: 1 });
  let e: Float64Array = new Float64Array(0);
  const scoreS = timeMedian(
    () => {
      e = g.energy(X);
    },
    { reps, warmup: 1 },
  );
  const gm = new GaussianMixture({ nComponents: 1 });
  const gmFitS = timeMedian(() => gm.fit(X), { reps, warmup: 1 });
  const h = new HistogramDensity();
  const hFitS = timeMedian(() => h.fit(X), { reps, warmup: 1 });
  let he: Float64Array = new Float64Array(0);
  const hScoreS = timeMedian(
    () => {
      he = h.energy(X);
    },
    { reps, warmup: 1 },
  );

  const ours = [
    { name: `gaussian fit ${shape}`, value: n / fitS },
    { name: `gaussian score ${shape}`, value: n / scoreS },
    { name: `mixture(k=1) fit ${shape}`, value: n / gmFitS },
    { name: `histogram fit ${shape}`, value: n / hFitS },
    { name: `histogram score ${shape}`, value: n / hScoreS },
  ];
  for (const f of ours)
    ctx.report({ bench: 'gaussian', name: f.name, value: f.value, unit: 'samples/s', backend });

  ctx.log(`gaussian: running scikit-learn (${threads} BLAS thread(s))…`);
  const peer = runPython<PeerResult>(ctx, {
    label: 'scikit-learn GaussianMixture and numpy',
    modules: ['sklearn', 'numpy'],
    script: PEER,
    inputs: [X.data],
    args: [n, d, reps],
    threads: Number(threads),
  });
  if (peer === undefined) return;
  const maxDiff = (want: number[], got: Float64Array): number =>
    want.reduce((m, v, i) => Math.max(m, Math.abs(v - (got[i] as number)) / Math.max(1, Math.abs(v))), 0);
  ctx.log(
    `gaussian: scikit-learn ${peer.version}; max relative energy difference on 5 rows ${maxDiff(peer.energies, e).toExponential(2)}; histogram vs numpy ${peer.numpy} ${maxDiff(peer.histEnergies, he).toExponential(2)}`,
  );
  const label = `scikit-learn ${peer.version} GaussianMixture(n_components=1, full)`;
  const histLabel = `numpy ${peer.numpy} histogram energy (vectorised, same definition)`;
  const peers = [
    { name: `gaussian fit ${shape}`, value: n / peer.fit, label },
    { name: `gaussian score ${shape}`, value: n / peer.score, label },
    { name: `mixture(k=1) fit ${shape}`, value: n / peer.fit, label },
    { name: `histogram fit ${shape}`, value: n / peer.histFit, label: histLabel },
    { name: `histogram score ${shape}`, value: n / peer.histScore, label: histLabel },
  ];
  peers.forEach((p, i) => {
    const mine = ours[i]?.value as number;
    ctx.report({
      bench: 'gaussian',
      name: p.name,
      value: p.value,
      unit: 'samples/s',
      peer: p.label,
      ratio: ratioOf(mine, p.value, 'samples/s'),
      peerThreads: Number(threads),
    });
  });
}
