/**
 * `pnpm bench inne [--json] [--rows N] [--queries Q] [--cols D] [--reps R]`
 *
 * Fit and scoring speed of `IsolationNNE` at its defaults (200 sub-samples of 8 rows; raw units) on N × D
 * training rows (default 20,000 × 32, the correlated Gaussian rows of `pnpm bench knn`) and Q queries
 * (default 20,000), in queries/s, with `[cpu]` lines in CPU seconds of the process. Peers in the same run:
 * PyOD's `INNE` when a Python with pyod is found (not installable here: only npm and Debian packages are,
 * so its line is reported as missing), and a NumPy transcription of PyOD INNE's scoring loop (per
 * sub-sample: all query–centre squared distances as ‖x‖² − 2x·c + ‖c‖², the covering balls, the one of least
 * radius) on its own draw of the same sizes, one BLAS thread — the same work per query as PyOD, without
 * scikit-learn's input checks.
 */
import { getBackend } from '@nexus/ebm-core';
import { IsolationNNE } from '@nexus/ebm-energies';
import { makeData } from './knn.js';
import { runPython } from './lib/python.js';
import { type BenchContext, ratioOf, timeMedian } from './lib/report.js';

const NUMPY_PEER = `
import sys, json, time
import numpy as np
xp, qp, n, q, d, t, psi, reps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
X = np.fromfile(xp, dtype='<f8').reshape(n, d)
Q = np.fromfile(qp, dtype='<f8').reshape(q, d)
rng = np.random.RandomState(1)
def sqd(a, b):
    return np.maximum((a * a).sum(1)[:, None] - 2 * a @ b.T + (b * b).sum(1)[None, :], 0)
def fit():
    cs, rs, ratios = [], [], []
    for i in range(t):
        c = X[rng.choice(n, psi, replace=False)]
        dd = sqd(c, c)
        np.fill_diagonal(dd, np.inf)
        r = dd.min(1)
        nn = dd.argmin(1)
        cs.append(c); rs.append(r); ratios.append(1 - (r[nn] + 1e-16) / (r + 1e-16))
    return cs, rs, ratios
def score(model):
    cs, rs, ratios = model
    s = np.ones((t, q))
    for i in range(t):
        cover = np.where(sqd(Q, cs[i]) <= rs[i], rs[i], np.nan)
        hit = np.where(~np.isnan(cover).all(1))[0]
        s[i][hit] = ratios[i][np.nanargmin(cover[hit], 1)]
    return s.mean(0)
def median(f):
    ts, cs = [], []
    for _ in range(reps):
        t0 = time.perf_counter(); c0 = time.process_time(); f()
        cs.append(time.process_time() - c0); ts.append(time.perf_counter() - t0)
    ts.sort(); cs.sort(); return ts[len(ts) // 2], cs[len(cs) // 2]
t0 = time.perf_counter(); model = fit(); fit_s = time.perf_counter() - t0
sc, sc_cpu = median(lambda: score(model))
print(json.dumps({"fit": fit_s, "score": sc, "scoreCpu": sc_cpu, "version": np.__version__}))
`;

interface PeerResult {
  fit: number;
  score: number;
  scoreCpu: number;
  version: string;
}

export default async function inne(ctx: BenchContext): Promise<void> {
  const n = Number(ctx.flag('rows') ?? 20_000);
  const q = Number(ctx.flag('queries') ?? 20_000);
  const d = Number(ctx.flag('cols') ?? 32);
  const reps = Number(ctx.flag('reps') ?? 3);
  const backend = getBackend().name;
  const X = makeData(n, d, 1);
  const Q = makeData(q, d, 2);
  const shape = `${n}x${d}, ${q} queries`;
  const t0 = performance.now();
  const model = new IsolationNNE({ standardize: false }).fit(X, { seed: 1 });
  const fitS = (performance.now() - t0) / 1000;
  const cpuTimes: number[] = [];
  const scoreS = timeMedian(
    () => {
      const c0 = process.cpuUsage();
      model.energy(Q);
      const c = process.cpuUsage(c0);
      cpuTimes.push((c.user + c.system) / 1e6);
    },
    { reps, warmup: 1 },
  );
  const scoreCpu = cpuTimes.slice(1).sort((a, b) => a - b)[Math.floor(reps / 2)] as number;
  const t = model.subsamples;
  const psi = model.subsampleSizeUsed;
  ctx.report({
    bench: 'inne',
    name: `inne fit t=${t} psi=${psi} ${n}x${d}`,
    value: fitS,
    unit: 's',
    backend,
  });
  ctx.report({ bench: 'inne', name: `inne score ${shape}`, value: q / scoreS, unit: 'queries/s', backend });
  ctx.report({
    bench: 'inne',
    name: `inne score ${shape} [cpu]`,
    value: q / scoreCpu,
    unit: 'queries/s',
    backend,
  });

  runPython(ctx, { label: 'PyOD INNE', modules: ['pyod'], script: 'print("{}")' });
  ctx.log('inne: running the NumPy transcription of PyOD INNE (1 thread)…');
  const peer = runPython<PeerResult>(ctx, {
    label: "NumPy transcription of PyOD INNE's scoring",
    modules: ['numpy'],
    script: NUMPY_PEER,
    inputs: [X.data, Q.data],
    args: [n, q, d, t, psi, reps],
    threads: 1,
  });
  if (peer === undefined) return;
  const label = `NumPy ${peer.version} transcription of PyOD INNE (1 thread)`;
  ctx.report({
    bench: 'inne',
    name: `inne score ${shape}`,
    value: q / peer.score,
    unit: 'queries/s',
    peer: label,
    ratio: ratioOf(q / scoreS, q / peer.score, 'queries/s'),
  });
  ctx.report({
    bench: 'inne',
    name: `inne score ${shape} [cpu]`,
    value: q / peer.scoreCpu,
    unit: 'queries/s',
    peer: label,
    ratio: ratioOf(q / scoreCpu, q / peer.scoreCpu, 'queries/s'),
  });
}
