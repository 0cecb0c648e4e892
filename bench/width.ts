/**
 * `pnpm bench width [--json] [--quick] [--energies gaussian,mixture,…] [--d 32,128,512,2048]
 * [--n 1000,20000,200000] [--budget S] [--max-elements E] [--reps R] [--no-threads] [--svg PATH]`:
 * how fitting and scoring every energy scale with the width d and the row count n, each cell beside its
 * scikit-learn / PyTorch / numpy equivalent measured in the same run on the same rows (seconds; the peer's
 * line carries `ratio` = peer ÷ ours, > 1 when we are faster).
 *
 * Data: n × d rows of rank-16 structure plus independent noise (z·B + 0.5·ε, seeded), so every covariance
 * is positive definite; the RBM reads them binarised (x > 0). Models, ours and the peer's alike:
 * - gaussian: a full-covariance Gaussian with 1e-6 on the diagonal — `GaussianDensity()` and scikit-learn's
 *   `GaussianMixture(n_components=1, covariance_type='full', reg_covar=1e-6)` (energies compared on 5 rows);
 * - mixture: 4 full-covariance components, 1e-3 on the diagonal, exactly 5 EM iterations after a k-means
 *   start (tolerance 0) — `GaussianMixture` on both sides. The k-means starts differ by design and are
 *   reported, not equalised: ours is k-means++ then Lloyd until no row changes cluster (at most 30
 *   iterations), scikit-learn's `KMeans(n_init=1)` Lloyd until the centres move less than 1e-4 of the data's
 *   variance (at most 300); the fit lines carry both sides' Lloyd and EM iterations (the peer's Lloyd count
 *   from an identical, untimed `KMeans` run). scikit-learn also runs one more E-step after the last
 *   iteration;
 * - histogram: 10 equal-width bins per feature — `HistogramDensity` and the same energy in vectorised numpy;
 * - autoencoder: the library defaults (d-⌈d/2⌉-⌈d/8⌉-⌈d/2⌉-d, tanh, Adam 1e-3, batch 64, standardised inputs)
 *   without a validation split, one epoch over min(n, R) rows (R chosen so an epoch is ~2 GFLOP), against
 *   the same network in PyTorch; scoring every row;
 * - rbm: a Bernoulli RBM with the library's min(128, max(8, d)) hidden units, PCD-1, batch 64, learning
 *   rate 0.1, no momentum or weight decay, one epoch over min(n, R) rows, against scikit-learn's
 *   `BernoulliRBM`; scoring = free energy (numpy's formula for the peer).
 * Ours runs one thread (WebAssembly backend unless EBM_BACKEND=ts); peers get one BLAS/OpenMP thread.
 * Every single-thread figure comes twice: wall-clock seconds, and CPU seconds of the measuring process
 * (name ending in `[cpu]`, `clock: "cpu"`; the steadier one when other processes load the machine).
 * Where n ≥ 20,000, scoring is also timed on 2 threads: ours with a started `ScoringPool` of 2 workers
 * (rows in a SharedArrayBuffer; energies must equal the one-thread ones), the peer with 2 BLAS threads;
 * and the pool's speed-up over one thread is its own line. Every energy is fitted and scored once on a
 * small matrix before the timed cells (compiled code is what is measured).
 *
 * Cells whose data would exceed `--max-elements` values (default 2²⁷, about 1 GB as Float64 per copy)
 * are skipped, as are phases whose predicted time (from the cost per unit of work of the same energy at
 * the same width and a smaller n, on either side) exceeds `--budget` seconds (default 60; 20 with `--quick`); each skip prints a line with `skipped` and
 * the reason. `--quick`: d ∈ {32, 512}, n ∈ {1,000, 20,000}, budget 20 s. Repetitions (medians, on both
 * sides): 5 after 2 untimed calls where a phase is predicted under 0.5 s (or, at a width's first cell, its
 * matrix has at most 2²⁰ values), 3 after 1 under 5 s (1 with `--quick`), else 1; `--reps R` fixes them. `--svg PATH` writes a plot of time against d (ours
 * and the peer, at the largest n every energy reached) from this run's figures.
 */
import { writeFileSync } from 'node:fs';
import { ScoringPool } from '@nexus/ebm/node';
import { type EnergyModel, getBackend, Matrix, type Progress, Rng } from '@nexus/ebm-core';
import { Autoencoder, GaussianDensity, GaussianMixture, HistogramDensity, RBM } from '@nexus/ebm-energies';
import { runPython } from './lib/python.js';
import { type BenchContext, type Figure, ratioOf, timeMedian } from './lib/report.js';
import { widthSvg } from './lib/widthPlot.js';

const ENERGIES = ['gaussian', 'mixture', 'histogram', 'autoencoder', 'rbm'] as const;
type Energy = (typeof ENERGIES)[number];
type Phase = 'fit' | 'score';

const RANK = 16;
const MIX_K = 4;
const MIX_ITER = 5;
const BATCH = 64;
/** Rows below which 2-thread scoring is not timed (a few milliseconds of work, below the pool's use). */
const POOL_MIN_ROWS = 20_000;

/** Rows of rank-16 structure plus noise, in a SharedArrayBuffer (the scoring pool reads it in place). */
function makeRows(n: number, d: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const b = rng.fillNormal(new Float64Array(RANK * d), 0, 1 / Math.sqrt(RANK));
  const x = new Float64Array(new SharedArrayBuffer(n * d * 8));
  const z = new Float64Array(RANK);
  for (let r = 0; r < n; r++) {
    rng.fillNormal(z);
    const o = r * d;
    for (let j = 0; j < d; j++) x[o + j] = 0.5 * rng.normal();
    for (let q = 0; q < RANK; q++) {
      const zq = z[q] as number;
      const bq = q * d;
      for (let j = 0; j < d; j++) x[o + j] = (x[o + j] as number) + zq * (b[bq + j] as number);
    }
  }
  return new Matrix(n, d, x);
}

function binarised(X: Matrix): Matrix {
  const out = new Float64Array(new SharedArrayBuffer(X.data.length * 8));
  for (let i = 0; i < out.length; i++) out[i] = (X.data[i] as number) > 0 ? 1 : 0;
  return new Matrix(X.rows, X.cols, out);
}

function aeSizes(d: number): number[] {
  const h1 = Math.max(1, Math.min(d - 1, Math.ceil(d / 2)));
  const h2 = Math.max(1, Math.min(d - 1, Math.ceil(d / 8)));
  return h1 === h2 ? [d, h1, d] : [d, h1, h2, h1, d];
}

function aeMacs(d: number): number {
  const s = aeSizes(d);
  let m = 0;
  for (let l = 0; l + 1 < s.length; l++) m += (s[l] as number) * (s[l + 1] as number);
  return m;
}

function rbmHidden(d: number): number {
  return Math.min(128, Math.max(8, d));
}

/** Training rows for one measured epoch of the networks: about 2 GFLOP of work, 512 … 20,000 rows. */
function trainRows(e: Energy, n: number, d: number): number {
  const flopsPerRow = e === 'autoencoder' ? 6 * aeMacs(d) : 8 * d * rbmHidden(d);
  return Math.min(n, Math.max(512, Math.min(20_000, Math.round(2e9 / flopsPerRow))));
}

/**
 * Arithmetic of a phase in flops (multiply and add counted apart), for the GFLOP/s beside each of our
 * times: what the peer's BLAS-backed code would do with the triangles and symmetry used (our kernels
 * multiply only the lower triangle of the precision factor and of the co-moment); undefined where the
 * work is not arithmetic (histogram).
 */
function flops(e: Energy, phase: Phase, n: number, d: number): number | undefined {
  const factor = (2 * d * d * d) / 3; // Cholesky and triangular inverse
  switch (e) {
    case 'gaussian':
      return phase === 'fit' ? n * d * d + factor : n * d * d;
    case 'mixture':
      return phase === 'fit' ? MIX_ITER * MIX_K * (2 * n * d * d + factor) : MIX_K * n * d * d;
    case 'histogram':
      return undefined;
    case 'autoencoder':
      return (phase === 'fit' ? 6 * trainRows(e, n, d) : 2 * n) * aeMacs(d);
    case 'rbm':
      return (phase === 'fit' ? 8 * trainRows(e, n, d) : 2 * n) * d * rbmHidden(d);
  }
}

/** Work units of a phase, for predicting its time from an earlier cell's seconds per unit. */
function units(e: Energy, phase: Phase, n: number, d: number): number {
  switch (e) {
    case 'gaussian':
      return phase === 'fit' ? n * d * d + d * d * d : n * d * d;
    case 'mixture':
      return phase === 'fit' ? MIX_ITER * MIX_K * (2 * n * d * d + d * d * d) : MIX_K * n * d * d;
    case 'histogram':
      return n * d;
    case 'autoencoder':
      return (phase === 'fit' ? trainRows(e, n, d) * 3 : n) * aeMacs(d);
    case 'rbm':
      return (phase === 'fit' ? trainRows(e, n, d) * 4 : n) * d * rbmHidden(d);
  }
}

function createModel(e: Energy, n: number, d: number): EnergyModel {
  switch (e) {
    case 'gaussian':
      return new GaussianDensity({ covariance: 'full', regularization: 1e-6 });
    case 'mixture':
      return new GaussianMixture({
        nComponents: MIX_K,
        regularization: 1e-3,
        maxIter: MIX_ITER,
        tolerance: 0,
        seed: 1,
      });
    case 'histogram':
      return new HistogramDensity();
    case 'autoencoder':
      return new Autoencoder({ epochs: 1, validationFraction: 0, seed: 1 });
    case 'rbm':
      return new RBM({
        epochs: 1,
        nHidden: rbmHidden(d),
        batchSize: BATCH,
        learningRate: 0.1,
        momentum: 0,
        weightDecay: 0,
        seed: 1,
      });
  }
  throw new Error(`bench width: unknown energy ${e} (${n}×${d})`);
}

const SKLEARN_PEER = `
import json, sys, time, warnings
import numpy as np
from threadpoolctl import threadpool_limits
warnings.filterwarnings('ignore')
path, n, d, tasks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
X = np.fromfile(path, dtype='<f8').reshape(n, d)
def med(f, reps, warmup=0):
    # [median wall seconds, median CPU seconds of the process]
    for _ in range(warmup): f()
    ts, cs = [], []
    for _ in range(reps):
        t0 = time.perf_counter(); c0 = time.process_time(); f()
        ts.append(time.perf_counter() - t0); cs.append(time.process_time() - c0)
    ts.sort(); cs.sort(); return [ts[len(ts) // 2], cs[len(cs) // 2]]
out = {}
import sklearn
out['version'] = sklearn.__version__
out['numpy'] = np.__version__
for t in tasks:
    e, reps, warm = t['energy'], t['reps'], t['warmup']
    with threadpool_limits(1):
        if e == 'gaussian':
            from sklearn.mixture import GaussianMixture
            m = GaussianMixture(n_components=1, covariance_type='full', reg_covar=1e-6, random_state=0)
            if t['fit']: out['gaussian.fit'] = med(lambda: m.fit(X), reps, warm)
            else: m.fit(X)
            score = lambda: m.score_samples(X)
            out['gaussian.energies'] = (-m.score_samples(X[:5])).tolist()
        elif e == 'mixture':
            from sklearn.mixture import GaussianMixture
            m = GaussianMixture(n_components=t['k'], covariance_type='full', reg_covar=1e-3, max_iter=t['iter'], tol=0, n_init=1, random_state=0)
            if t['fit']: out['mixture.fit'] = med(lambda: m.fit(X), reps, warm)
            else: m.fit(X)
            # GaussianMixture's k-means start is KMeans(k, n_init=1, random_state=<its RandomState(0)>):
            # the same run, repeated untimed, tells its Lloyd iterations.
            from sklearn.cluster import KMeans
            out['mixture.iterations'] = [int(KMeans(n_clusters=t['k'], n_init=1, random_state=0).fit(X).n_iter_), int(m.n_iter_)]
            score = lambda: m.score_samples(X)
        elif e == 'histogram':
            B = 10
            st = {}
            def hfit():
                lo = X.min(0); w = (X.max(0) - lo) / B
                idx = np.clip(((X - lo) / w).astype(np.int64), 0, B - 1)
                cnt = np.stack([np.bincount(idx[:, j], minlength=B) for j in range(d)])
                st.update(lo=lo, w=w, be=np.log(n + B) + np.log(w)[:, None] - np.log(cnt + 1.0))
            if t['fit']: out['histogram.fit'] = med(hfit, reps, warm)
            else: hfit()
            cols = np.arange(d)
            def score():
                idx = np.clip(((X - st['lo']) / st['w']).astype(np.int64), 0, B - 1)
                return st['be'][cols, idx].sum(1)
        elif e == 'rbm':
            from sklearn.neural_network import BernoulliRBM
            Xb = (X > 0).astype(np.float64)
            rows = t['rows']
            m = BernoulliRBM(n_components=t['h'], learning_rate=0.1, batch_size=t['batch'], n_iter=1, random_state=0)
            if t['fit']: out['rbm.fit'] = med(lambda: m.fit(Xb[:rows]), reps, warm)
            else: m.fit(Xb[:rows])
            W, b, c = m.components_, m.intercept_visible_, m.intercept_hidden_
            score = lambda: -Xb @ b - np.logaddexp(0, Xb @ W.T + c).sum(1)
    if t['score']:
        for threads in t['threads']:
            with threadpool_limits(threads):
                score()
                out[e + '.score.' + str(threads)] = med(score, t['scoreReps'])
print(json.dumps(out))
`;

const TORCH_PEER = `
import json, sys, time
import numpy as np
import torch
path, n, d, tasks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
torch.manual_seed(0)
X = np.fromfile(path, dtype='<f8').reshape(n, d)
mu = X.mean(0); sd = X.std(0); sd[sd == 0] = 1
x = torch.from_numpy(((X - mu) / sd).astype(np.float32))
out = {'version': torch.__version__}
def med(f, reps, warmup=0):
    # [median wall seconds, median CPU seconds of the process]
    for _ in range(warmup): f()
    ts, cs = [], []
    for _ in range(reps):
        t0 = time.perf_counter(); c0 = time.process_time(); f()
        ts.append(time.perf_counter() - t0); cs.append(time.process_time() - c0)
    ts.sort(); cs.sort(); return [ts[len(ts) // 2], cs[len(cs) // 2]]
for t in tasks:
    sizes, rows, batch, reps, warm = t['sizes'], t['rows'], t['batch'], t['reps'], t['warmup']
    layers = []
    for l in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[l], sizes[l + 1]))
        if l < len(sizes) - 2: layers.append(torch.nn.Tanh())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    def epoch():
        torch.set_num_threads(1)
        perm = torch.randperm(rows)
        for b in range(0, rows, batch):
            xb = x[perm[b:b + batch]]
            opt.zero_grad()
            loss = ((net(xb) - xb) ** 2).mean()
            loss.backward()
            opt.step()
    if t['fit']: out['autoencoder.fit'] = med(epoch, reps, warm)
    else: epoch()
    def score():
        with torch.no_grad():
            e = torch.empty(n)
            for b in range(0, n, 1024):
                xb = x[b:b + 1024]
                e[b:b + 1024] = ((net(xb) - xb) ** 2).mean(1)
            return e
    if t['score']:
        for threads in t['threads']:
            torch.set_num_threads(threads)
            score()
            out['autoencoder.score.' + str(threads)] = med(score, t['scoreReps'])
print(json.dumps(out))
`;

/** Median wall-clock and CPU seconds of a phase. */
interface Clocks {
  readonly wall: number;
  readonly cpu: number;
}

/** Iterations a mixture fit ran: Lloyd iterations of its k-means start and EM iterations. */
interface Iterations {
  readonly kmeans: number;
  readonly em: number;
}

interface Timed {
  fit?: Clocks;
  iterations?: Iterations;
  score?: Clocks;
  score2?: number;
  energies?: Float64Array;
}

/**
 * Medians of wall-clock and process CPU seconds over `reps` calls after `warmup` untimed ones. CPU time
 * counts V8's compiler and GC threads too, as the peer's counts its BLAS threads; on a loaded machine it
 * is the steadier of the two.
 */
function clocks(fn: () => void, opts: { reps: number; warmup: number }): Clocks {
  for (let i = 0; i < opts.warmup; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < opts.reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  const mid = (a: number[]): number => a.sort((x, y) => x - y)[Math.floor(a.length / 2)] as number;
  return { wall: mid(wall), cpu: mid(cpu) };
}

/** Seconds per unit observed, per energy and phase, on each side (for predicting the next cells). */
type Rates = Map<string, number>;

function parseList(v: string | undefined, fallback: readonly number[]): number[] {
  if (v === undefined) return [...fallback];
  const out = v.split(',').map((s) => Number(s.trim()));
  if (out.some((x) => !Number.isInteger(x) || x < 1)) {
    throw new Error(`bench width: expected a comma-separated list of positive integers, got ${v}`);
  }
  return out;
}

export default async function width(ctx: BenchContext): Promise<void> {
  const quick = ctx.args.includes('--quick');
  const ds = parseList(ctx.flag('d'), quick ? [32, 512] : [32, 128, 512, 2048]);
  const ns = parseList(ctx.flag('n'), quick ? [1000, 20_000] : [1000, 20_000, 200_000]);
  const budget = Number(ctx.flag('budget') ?? (quick ? 20 : 60));
  const maxElements = Number(ctx.flag('max-elements') ?? 2 ** 27);
  const forcedReps = ctx.flag('reps') === undefined ? undefined : Number(ctx.flag('reps'));
  const threads2 = !ctx.args.includes('--no-threads');
  const energyList = (ctx.flag('energies') ?? ENERGIES.join(',')).split(',') as Energy[];
  for (const e of energyList) {
    if (!ENERGIES.includes(e))
      throw new Error(`bench width: unknown energy ${e} (expected ${ENERGIES.join(', ')})`);
  }
  const backend = getBackend().name;
  const started = performance.now();
  ctx.log(
    `width: d ∈ {${ds.join(', ')}}, n ∈ {${ns.join(', ')}}, energies ${energyList.join(', ')}; budget ${budget} s per phase; at most ${maxElements} values per matrix; backend ${backend}`,
  );
  // Warm-up: every energy fitted and scored once on a small matrix, so the timed cells measure compiled
  // code (the peers' interpreters need no such step).
  const small = makeRows(600, 24, 7);
  const smallB = binarised(small);
  for (const e of energyList)
    createModel(e, 600, 24)
      .fit(e === 'rbm' ? smallB : small)
      .energy(e === 'rbm' ? smallB : small);
  // The GEMM's rate in this run, the physical reference the cells' GFLOP/s are read against.
  for (const F of [Float64Array, Float32Array]) {
    const m = 512;
    const a = new F(m * m).fill(0.5);
    const b = new F(m * m).fill(0.25);
    const c = new F(m * m);
    const k = getBackend();
    const g = () =>
      F === Float64Array
        ? k.gemm(
            false,
            false,
            m,
            m,
            m,
            1,
            a as Float64Array,
            0,
            m,
            b as Float64Array,
            0,
            m,
            0,
            c as Float64Array,
            0,
            m,
          )
        : k.gemmF32(
            false,
            false,
            m,
            m,
            m,
            1,
            a as Float32Array,
            0,
            m,
            b as Float32Array,
            0,
            m,
            0,
            c as Float32Array,
            0,
            m,
          );
    const sec = timeMedian(g, { reps: 5, warmup: 2 });
    const precision = F === Float64Array ? 'f64' : 'f32';
    ctx.report({
      bench: 'width',
      name: `gemm 512x512x512 ${precision} (reference)`,
      value: (2 * m ** 3) / sec / 1e9,
      unit: 'GFLOP/s',
      backend,
    });
  }
  const ours: Rates = new Map();
  const peers: Rates = new Map();
  // Repetitions (median) and untimed warm-up calls: cheap phases are repeated, so that compiled code and
  // not the compiler is timed; a phase of unknown cost counts as cheap when its matrix is small.
  const timing = (predicted: number | undefined, n: number, d: number): { reps: number; warmup: number } => {
    if (forcedReps !== undefined) return { reps: forcedReps, warmup: forcedReps > 1 ? 1 : 0 };
    const cost = predicted ?? (n * d <= 2 ** 20 ? 0 : 10);
    if (cost < 0.5) return { reps: 5, warmup: 2 };
    if (cost < 5 && !quick) return { reps: 3, warmup: 1 };
    return { reps: 1, warmup: 0 };
  };
  // The cost per unit measured at the same width (the largest n so far): at another width the fixed costs
  // weigh differently, so a width's first cell runs unpredicted.
  const predict = (rates: Rates, e: Energy, phase: Phase, n: number, d: number): number | undefined => {
    const r = rates.get(`${e}.${phase}.${d}`);
    return r === undefined ? undefined : r * units(e, phase, n, d);
  };
  const skip = (e: Energy, phase: Phase, n: number, d: number, reason: string, threads = 1): void => {
    const name = `${e} ${phase} n=${n} d=${d}${threads === 1 ? '' : ` ${threads} threads`}`;
    ctx.log(`width: skipped ${name}: ${reason}`);
    const line = {
      bench: 'width',
      name,
      energy: e,
      phase,
      n,
      d,
      skipped: reason,
    };
    if (ctx.json) process.stdout.write(`${JSON.stringify(line)}\n`);
  };

  for (const n of ns) {
    for (const d of ds) {
      if (n * d > maxElements) {
        for (const e of energyList) skip(e, 'fit', n, d, `memory: n·d = ${n * d} values > ${maxElements}`);
        continue;
      }
      ctx.log(
        `width: cell n=${n} d=${d} (${((performance.now() - started) / 60_000).toFixed(1)} min so far)`,
      );
      const X = makeRows(n, d, 1000 + d);
      const Xb = energyList.includes('rbm') ? binarised(X) : X;
      const mine = new Map<Energy, Timed>();
      const sk: Record<string, unknown>[] = [];
      const torchTasks: Record<string, unknown>[] = [];
      for (const e of energyList) {
        const pf = predict(ours, e, 'fit', n, d);
        const ps = predict(ours, e, 'score', n, d);
        const qf = predict(peers, e, 'fit', n, d);
        const qs = predict(peers, e, 'score', n, d);
        const doFit = pf === undefined || (pf <= budget && (qf === undefined || qf <= budget));
        if (!doFit) {
          skip(e, 'fit', n, d, `time: predicted ${Math.max(pf ?? 0, qf ?? 0).toFixed(0)} s > ${budget} s`);
          skip(e, 'score', n, d, 'time: its fit was skipped');
          continue;
        }
        const doScore = ps === undefined || (ps <= budget && (qs === undefined || qs <= budget));
        const data = e === 'rbm' ? Xb : X;
        const rows = e === 'autoencoder' || e === 'rbm' ? trainRows(e, n, d) : n;
        const fitRows = rows === n ? data : new Matrix(rows, d, data.data.subarray(0, rows * d));
        let model = createModel(e, n, d);
        const t: Timed = {};
        const tf = timing(pf, n, d);
        const ts = timing(ps, n, d);
        let last: Progress | undefined;
        t.fit = clocks(() => {
          model = createModel(e, n, d);
          model.fit(fitRows, {
            onProgress: (p) => {
              last = p;
            },
          });
        }, tf);
        if (e === 'mixture' && last !== undefined) {
          const km = /k-means: (\d+) Lloyd/.exec(last.message ?? '');
          t.iterations = { kmeans: km === null ? Number.NaN : Number(km[1]), em: last.epoch };
        }
        ours.set(`${e}.fit.${d}`, t.fit.wall / units(e, 'fit', n, d));
        if (doScore) {
          let energies: Float64Array = new Float64Array(0);
          t.score = clocks(
            () => {
              energies = model.energy(data);
            },
            { reps: ts.reps, warmup: Math.max(1, ts.warmup) },
          );
          t.energies = energies;
          ours.set(`${e}.score.${d}`, t.score.wall / units(e, 'score', n, d));
          if (threads2 && n >= POOL_MIN_ROWS) {
            const pool = await ScoringPool.create(model, { workers: 2, minParallelRows: 0 }).catch(
              (err: unknown) => {
                // e.g. a worker that cannot load the model (before the pool sent models without JSON
                // text, a 4-component mixture at d = 2,048: 341M characters, above parseModelJSON's limit)
                skip(e, 'score', n, d, `the scoring pool did not start: ${String(err)}`, 2);
                return undefined;
              },
            );
            if (pool !== undefined) t.score2 = await poolTime(pool, data, energies, ts.reps);
          }
        } else {
          skip(e, 'score', n, d, `time: predicted ${Math.max(ps ?? 0, qs ?? 0).toFixed(0)} s > ${budget} s`);
        }
        mine.set(e, t);
        const task = {
          energy: e,
          fit: true,
          score: doScore,
          threads: threads2 && n >= POOL_MIN_ROWS ? [1, 2] : [1],
          reps: tf.reps,
          warmup: tf.warmup,
          scoreReps: ts.reps,
          rows,
          batch: BATCH,
          h: rbmHidden(d),
          k: MIX_K,
          iter: MIX_ITER,
          sizes: aeSizes(d),
        };
        if (e === 'autoencoder') torchTasks.push(task);
        else sk.push(task);
      }
      const peerOut: Record<string, unknown> = {};
      const peerLabel = new Map<Energy, string>();
      if (sk.length > 0) {
        const r = runPython<Record<string, unknown>>(ctx, {
          label: `scikit-learn / numpy (width n=${n} d=${d})`,
          modules: ['sklearn', 'numpy', 'threadpoolctl'],
          script: SKLEARN_PEER,
          inputs: [X.data],
          args: [n, d, JSON.stringify(sk)],
          timeoutSeconds: 20 * budget + 600,
        });
        if (r !== undefined) {
          Object.assign(peerOut, r);
          const v = `scikit-learn ${String(r.version)}`;
          peerLabel.set('gaussian', `${v} GaussianMixture(1, full)`);
          peerLabel.set(
            'mixture',
            `${v} GaussianMixture(${MIX_K}, full, ${MIX_ITER} EM iterations) (k-means start: KMeans n_init=1, Lloyd to tol 1e-4 or 300 iterations; ours: k-means++, Lloyd until no row moves or 30 iterations)`,
          );
          peerLabel.set(
            'histogram',
            `numpy ${String(r.numpy)} histogram energy (vectorised, same definition)`,
          );
          peerLabel.set('rbm', `${v} BernoulliRBM (score: numpy free energy)`);
        }
      }
      if (torchTasks.length > 0) {
        const r = runPython<Record<string, unknown>>(ctx, {
          label: `PyTorch autoencoder (width n=${n} d=${d})`,
          modules: ['torch', 'numpy'],
          script: TORCH_PEER,
          inputs: [X.data],
          args: [n, d, JSON.stringify(torchTasks)],
          timeoutSeconds: 20 * budget + 600,
        });
        if (r !== undefined) {
          Object.assign(peerOut, r);
          peerLabel.set('autoencoder', `PyTorch ${String(r.version)} (same network, Adam, batch ${BATCH})`);
        }
      }
      for (const [e, t] of mine) {
        const label = peerLabel.get(e);
        const clock = (key: string): Clocks | undefined => {
          const v = peerOut[key];
          return Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'number'
            ? { wall: v[0], cpu: v[1] }
            : undefined;
        };
        const extra = { energy: e, n, d };
        let fitExtra: Record<string, number | undefined> = {};
        // One figure per clock: wall (the headline) and CPU ("[cpu]" in the name); 2-thread lines are
        // wall-clock only (CPU time adds up both threads).
        const pair = (
          phase: Phase,
          threads: number,
          value: Clocks | undefined,
          peer: Clocks | undefined,
        ): void => {
          if (value === undefined) return;
          for (const c of threads === 1 ? (['wall', 'cpu'] as const) : (['wall'] as const)) {
            const v = value[c];
            const name = `${e} ${phase} n=${n} d=${d}${threads === 2 ? ' 2 threads' : ''}${c === 'cpu' ? ' [cpu]' : ''}`;
            const base: Figure = {
              bench: 'width',
              name,
              value: v,
              unit: 's',
              backend,
              ...extra,
              phase,
              threads,
              clock: c,
            };
            if (phase === 'fit') Object.assign(base, fitExtra);
            const f = flops(e, phase, n, d);
            ctx.report(f === undefined ? base : { ...base, gflops: Math.round(f / v / 1e7) / 100 });
            if (peer !== undefined && label !== undefined) {
              ctx.report({ ...base, value: peer[c], peer: label, ratio: ratioOf(v, peer[c], 's') });
              if (threads === 1 && c === 'wall')
                peers.set(`${e}.${phase}.${d}`, peer.wall / units(e, phase, n, d));
            }
          }
        };
        if (e === 'mixture') {
          const pi = peerOut['mixture.iterations'];
          const peerIt = Array.isArray(pi) ? { kmeans: Number(pi[0]), em: Number(pi[1]) } : undefined;
          ctx.log(
            `width: mixture n=${n} d=${d}: ours k-means++ then ${t.iterations?.kmeans} Lloyd iterations (until no row moves, at most 30), ${t.iterations?.em} EM iterations; peer ${peerIt?.kmeans} Lloyd iterations, ${peerIt?.em} EM iterations (plus a final E-step)`,
          );
          fitExtra = {
            kmeansIterations: t.iterations?.kmeans,
            emIterations: t.iterations?.em,
            peerKmeansIterations: peerIt?.kmeans,
            peerEmIterations: peerIt?.em,
          };
        } else fitExtra = {};
        pair('fit', 1, t.fit, clock(`${e}.fit`));
        pair('score', 1, t.score, clock(`${e}.score.1`));
        const p2 = clock(`${e}.score.2`);
        pair('score', 2, t.score2 === undefined ? undefined : { wall: t.score2, cpu: Number.NaN }, p2);
        if (t.score !== undefined && t.score2 !== undefined) {
          const name = `${e} score n=${n} d=${d} 2 threads`;
          ctx.report({
            bench: 'width',
            name,
            value: t.score2,
            unit: 's',
            backend,
            ...extra,
            phase: 'score',
            threads: 2,
            clock: 'wall',
            peer: 'ours, 1 thread',
            ratio: ratioOf(t.score2, t.score.wall, 's'),
          });
        }
        if (e === 'gaussian' && t.energies !== undefined) {
          const want = peerOut['gaussian.energies'];
          if (Array.isArray(want)) {
            let m = 0;
            want.forEach((v: number, i) => {
              m = Math.max(m, Math.abs(v - (t.energies?.[i] as number)) / Math.max(1, Math.abs(v)));
            });
            ctx.log(
              `width: gaussian n=${n} d=${d}: energies vs scikit-learn, max relative difference ${m.toExponential(2)}`,
            );
          }
        }
      }
    }
  }
  ctx.log(`width: done in ${((performance.now() - started) / 60_000).toFixed(1)} min`);
  const svg = ctx.flag('svg');
  if (svg !== undefined) {
    writeFileSync(svg, widthSvg(ctx.figures));
    ctx.log(`width: wrote ${svg}`);
  }
}

/** Median seconds of scoring `X` with a started pool (closed afterwards); its energies must equal `want`. */
async function poolTime(pool: ScoringPool, X: Matrix, want: Float64Array, reps: number): Promise<number> {
  try {
    let got = await pool.energy(X);
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      got = await pool.energy(X);
      times.push((performance.now() - t0) / 1000);
    }
    for (let i = 0; i < want.length; i++) {
      if (!Object.is(got[i], want[i])) {
        throw new Error(
          `bench width: the 2-worker energies differ from one thread's at row ${i} (${got[i]} vs ${want[i]})`,
        );
      }
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] as number;
  } finally {
    await pool.close();
  }
}
