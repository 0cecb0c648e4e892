/**
 * `pnpm bench parallel [--json] [--rows N] [--workers K] [--reps R] [--train-rows N] [--epochs E]
 * [--train-reps T] [--skip-score] [--skip-train] [--skip-rbm]`: speed-up of worker threads over one thread
 * on this machine, measured in the same run.
 *
 * - Scoring N × 32 rows (default 1,000,000) with an autoencoder and a full-covariance Gaussian:
 *   `ScoringPool.energy` with K workers (default 2; the pool is started before timing, the rows live in a
 *   SharedArrayBuffer) against `model.energy` on the main thread; results must be identical.
 * - W1 autoencoder training: 100,000 × 64 rows of rank-8 data plus noise, a 64-32-8-32-64 ReLU autoencoder,
 *   Adam lr 1e-3, batch 256, 5 epochs: `trainAutoencoderParallel` with K workers (wall time including the
 *   start of the workers, and again without the start-up cost measured on a trivial fit) against
 *   `Autoencoder.fit` on the main thread, each the median of T runs (default 3, alternating); also the
 *   steady state: the median per-epoch throughput of epochs 2… as both report it in their progress (no
 *   start-up, warm-up or validation). The difference is reported as the mean relative difference of the
 *   energies of 10,000 held-out rows.
 * - Both trainings again on a `TrainingPool` started (and warmed up by one fit) before timing, as the
 *   scoring figures use a started `ScoringPool`: no thread start-up in the timed fits.
 * - RBM training (the `rbm` bench's workload): 50,000 × 64 binary rows (noisy copies of 10 prototypes),
 *   32 hidden units, PCD-1, batch 100, learning rate 0.1, no momentum or weight decay, 5 epochs:
 *   `trainRbmParallel` with K workers against `RBM.fit`, medians of T runs as above; the agreement is the
 *   Spearman correlation of the free energies of 5,000 held-out rows (0–45 % of their bits flipped).
 * - Gaussian fit with per-worker statistics merged (`fitGaussianParallel`) against `fit`.
 *
 * Each figure line carries the machine's 1-minute load average: on a shared 2-core machine the speed-ups
 * are only meaningful when the load is below the core count.
 */
import { loadavg } from 'node:os';
import {
  fitGaussianParallel,
  ScoringPool,
  TrainingPool,
  trainAutoencoderParallel,
  trainRbmParallel,
} from '@nexus/ebm/node';
import { Matrix, type Progress, Rng } from '@nexus/ebm-core';
import {
  Autoencoder,
  type AutoencoderOptions,
  GaussianDensity,
  RBM,
  type RBMOptions,
} from '@nexus/ebm-energies';
import { binaryPrototypes } from './lib/binaryPrototypes.js';
import { type BenchContext, timeMedian } from './lib/report.js';

/** Rows z·B + noise with z of dimension `rank`, in a SharedArrayBuffer. */
function lowRank(n: number, d: number, rank: number, noise: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const B = new Float64Array(rank * d);
  rng.fillNormal(B, 0, 1 / Math.sqrt(rank));
  const x = new Float64Array(new SharedArrayBuffer(n * d * 8));
  const z = new Float64Array(rank);
  for (let r = 0; r < n; r++) {
    rng.fillNormal(z);
    for (let j = 0; j < d; j++) {
      let s = noise * rng.normal();
      for (let q = 0; q < rank; q++) s += (z[q] as number) * (B[q * d + j] as number);
      x[r * d + j] = s;
    }
  }
  return new Matrix(n, d, x);
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

async function timeAsync(fn: () => Promise<unknown>, reps: number): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    t.push((performance.now() - t0) / 1000);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)] as number;
}

/** Spearman rank correlation (no ties expected in continuous energies). */
function spearman(a: Float64Array, b: Float64Array): number {
  const rank = (x: Float64Array): Float64Array => {
    const idx = Array.from(x, (_, i) => i).sort((p, q) => (x[p] as number) - (x[q] as number));
    const r = new Float64Array(x.length);
    idx.forEach((i, k) => {
      r[i] = k;
    });
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const n = a.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += ((ra[i] as number) - (rb[i] as number)) ** 2;
  return 1 - (6 * s) / (n * (n * n - 1));
}

/** Times `one` and `par` alternately `reps` times; returns the medians (seconds) and the last results. */
async function timePair<A, B>(
  one: () => A,
  par: () => Promise<B>,
  reps: number,
): Promise<{ t1: number; tk: number; a: A; b: B; load1: number; loadk: number }> {
  const t1s: number[] = [];
  const tks: number[] = [];
  let a: A | undefined;
  let b: B | undefined;
  let load1 = 0;
  let loadk = 0;
  for (let r = 0; r < reps; r++) {
    let t0 = performance.now();
    a = one();
    t1s.push((performance.now() - t0) / 1000);
    load1 = Math.max(load1, load());
    t0 = performance.now();
    b = await par();
    tks.push((performance.now() - t0) / 1000);
    loadk = Math.max(loadk, load());
  }
  const med = (t: number[]): number => t.sort((x, y) => x - y)[Math.floor(t.length / 2)] as number;
  return { t1: med(t1s), tk: med(tks), a: a as A, b: b as B, load1, loadk };
}

/**
 * Fits on a `TrainingPool` started (and warmed up by one fit) before timing, against one thread, timed
 * alternately `reps` times (medians), as the scoring figures time a started `ScoringPool`.
 */
async function poolFigure(
  ctx: BenchContext,
  name: string,
  k: number,
  reps: number,
  job: {
    samples: number;
    one: () => unknown;
    onPool: (pool: TrainingPool) => Promise<unknown>;
    model: string;
  },
): Promise<void> {
  const pool = await TrainingPool.create({ workers: k });
  try {
    await job.onPool(pool); // warm-up
    const { t1, tk, loadk } = await timePair(job.one, () => job.onPool(pool), reps);
    reportAgainstOneThread(ctx, name, job.samples / tk, job.samples / t1, {
      model: job.model,
      workers: k,
      seconds: Math.round(tk * 1000) / 1000,
      reps,
      loadavg: loadk,
    });
  } finally {
    await pool.close();
  }
}

/**
 * Reports a parallel throughput and the one-thread figure beside it as the benchmarks' JSON lines do
 * (../shared/DESIGN.md): our line without `peer`, then the peer's line carrying the peer's value and
 * `ratio` = ours ÷ peer.
 */
function reportAgainstOneThread(
  ctx: BenchContext,
  name: string,
  ours: number,
  oneThread: number,
  extra: Record<string, unknown>,
  sides: {
    readonly unit?: string;
    readonly oursOnly?: Record<string, unknown>;
    readonly oneThreadOnly?: Record<string, unknown>;
  } = {},
): void {
  const unit = sides.unit ?? 'samples/s';
  ctx.report({ bench: 'parallel', name, value: ours, unit, ...extra, ...sides.oursOnly });
  ctx.report({
    bench: 'parallel',
    name,
    value: oneThread,
    unit,
    peer: '1 thread',
    ratio: ours / oneThread,
    ...extra,
    ...sides.oneThreadOnly,
  });
}

/**
 * A progress callback that collects the samples/s of every epoch after the first (JIT and worker warm-up)
 * into `into`, as `fit` reports them: the training loop's steady state, without start-up or validation.
 */
function steady(into: number[]): (p: Progress) => void {
  return (p) => {
    if (p.epoch > 1 && p.samplesPerSecond !== undefined) into.push(p.samplesPerSecond);
  };
}

/** Median of a non-empty list (NaN for an empty one). */
function median(t: number[]): number {
  if (t.length === 0) return Number.NaN;
  return t.sort((x, y) => x - y)[Math.floor(t.length / 2)] as number;
}

const load = (): number => Math.round((loadavg()[0] as number) * 100) / 100;

export default async function parallel(ctx: BenchContext): Promise<void> {
  const n = Number(ctx.flag('rows') ?? 1_000_000);
  const k = Number(ctx.flag('workers') ?? 2);
  const reps = Number(ctx.flag('reps') ?? 3);
  const trainRows = Number(ctx.flag('train-rows') ?? 100_000);
  const epochs = Number(ctx.flag('epochs') ?? 5);
  const trainReps = Number(ctx.flag('train-reps') ?? 3);
  const d = 32;
  if (!ctx.args.includes('--skip-score')) await scoring(ctx, n, d, k, reps);
  if (ctx.args.includes('--skip-train')) return;
  await trainAutoencoder(ctx, trainRows, epochs, k, trainReps);
  if (!ctx.args.includes('--skip-rbm')) await trainRbm(ctx, k, trainReps);
}

async function scoring(ctx: BenchContext, n: number, d: number, k: number, reps: number): Promise<void> {
  ctx.log(`generating ${n} × ${d} rows (load average ${load()})`);
  const X = lowRank(n, d, 6, 0.3, 1);
  const fitRows = new Matrix(20_000, d, X.data.slice(0, 20_000 * d));
  const models = [
    {
      name: 'autoencoder',
      model: new Autoencoder({ epochs: 2, seed: 1, activation: 'relu' }).fit(fitRows),
    },
    { name: 'gaussian', model: new GaussianDensity().fit(fitRows) },
  ];
  for (const { name, model } of models) {
    const pool = await ScoringPool.create(model, { workers: k, minParallelRows: 0 });
    try {
      // warm-up, then one thread and the pool alternately (so a change in the machine's state between
      // two phases cannot pass for a speed-up or a slow-down)
      model.energy(X);
      await pool.energy(X);
      const {
        t1,
        tk,
        a: one,
        b: par,
      } = await timePair(
        () => model.energy(X),
        () => pool.energy(X),
        reps,
      );
      const diff = maxAbsDiff(one, par);
      const figure = `score ${name} ${n}x${d}`;
      reportAgainstOneThread(
        ctx,
        `${figure} ${k} workers`,
        n / tk,
        n / t1,
        { model: name, workers: k, loadavg: load() },
        { unit: 'rows/s', oursOnly: { maxAbsDiff: diff } },
      );
    } finally {
      await pool.close();
    }
  }

  ctx.log(`Gaussian fit on ${n} × ${d} (load average ${load()})`);
  {
    let g1: GaussianDensity | undefined;
    let gk: GaussianDensity | undefined;
    const t1 = timeMedian(
      () => {
        g1 = new GaussianDensity().fit(X);
      },
      { reps: 1, warmup: 0 },
    );
    const tk = await timeAsync(async () => {
      gk = await fitGaussianParallel(X, {}, { workers: k });
    }, 1);
    const probe = new Matrix(1000, d, X.data.slice(0, 1000 * d));
    const e1 = (g1 as GaussianDensity).energy(probe);
    const ek = (gk as GaussianDensity).energy(probe);
    let rel = 0;
    for (let i = 0; i < e1.length; i++)
      rel = Math.max(rel, Math.abs((e1[i] as number) - (ek[i] as number)) / (1 + Math.abs(e1[i] as number)));
    reportAgainstOneThread(
      ctx,
      `fit gaussian ${n}x${d} ${k} workers`,
      n / tk,
      n / t1,
      { model: 'gaussian', workers: k, loadavg: load() },
      { unit: 'rows/s', oursOnly: { maxRelDiff: rel } },
    );
  }
}

async function trainAutoencoder(
  ctx: BenchContext,
  trainRows: number,
  epochs: number,
  k: number,
  reps: number,
): Promise<void> {
  ctx.log(
    `W1: ${trainRows} × 64 low-rank rows, 64-32-8-32-64 relu, ${epochs} epochs (load average ${load()})`,
  );
  const W = lowRank(trainRows + 10_000, 64, 8, 0.1, 2);
  const train = new Matrix(trainRows, 64, W.data.subarray(0, trainRows * 64));
  const held = new Matrix(10_000, 64, W.data.subarray(trainRows * 64));
  const opts: AutoencoderOptions = {
    hiddenSizes: [32, 8],
    activation: 'relu',
    optimizer: 'adam',
    learningRate: 1e-3,
    batchSize: 256,
    epochs,
    patience: 0,
    seed: 1,
  };
  // the fixed cost of starting k training workers (from TypeScript source here, through tsx: far more than
  // from the bundled dist), measured on a trivial fit so it can be reported apart from the training itself
  const tiny = new Matrix(
    4 * k,
    2,
    Float64Array.from({ length: 8 * k }, (_, i) => (i * 7) % 5),
  );
  // per-epoch throughput of the training loop after the first epoch (JIT and worker warm-up)
  const rate1: number[] = [];
  const ratek: number[] = [];
  const startups: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await fitGaussianParallel(tiny, {}, { workers: k });
    startups.push((performance.now() - t0) / 1000);
  }
  const startup = startups.sort((x, y) => x - y)[Math.floor(reps / 2)] as number;
  const {
    t1,
    tk,
    a: one,
    b: par,
    load1: l1,
    loadk,
  } = await timePair(
    () => new Autoencoder(opts).fit(train, { onProgress: steady(rate1) }),
    () => trainAutoencoderParallel(train, opts, { workers: k, onProgress: steady(ratek) }),
    reps,
  );
  const e1 = one.energy(held);
  const ek = par.energy(held);
  let rel = 0;
  let m1 = 0;
  for (let i = 0; i < e1.length; i++) {
    rel += Math.abs((ek[i] as number) - (e1[i] as number)) / (e1[i] as number);
    m1 += e1[i] as number;
  }
  const samples = trainRows * epochs;
  reportAgainstOneThread(
    ctx,
    `train autoencoder W1 ${k} workers`,
    samples / tk,
    samples / t1,
    { model: 'autoencoder', workers: k },
    {
      oursOnly: {
        seconds: Math.round(tk * 100) / 100,
        startupSeconds: Math.round(startup * 100) / 100,
        meanRelEnergyDiff: rel / e1.length,
        heldOutMeanEnergy: m1 / e1.length,
        reps,
        loadavg: loadk,
      },
      oneThreadOnly: { seconds: Math.round(t1 * 100) / 100, loadavg: l1 },
    },
  );
  reportAgainstOneThread(
    ctx,
    `train autoencoder W1 ${k} workers, start-up excluded`,
    samples / (tk - startup),
    samples / t1,
    { model: 'autoencoder', workers: k },
    {
      oursOnly: { startupSeconds: Math.round(startup * 100) / 100, loadavg: loadk },
      oneThreadOnly: { loadavg: l1 },
    },
  );
  await poolFigure(ctx, `train autoencoder W1 ${k} workers, TrainingPool started beforehand`, k, reps, {
    samples: trainRows * epochs,
    one: () => new Autoencoder(opts).fit(train),
    onPool: (pool) => trainAutoencoderParallel(train, opts, { pool }),
    model: 'autoencoder',
  });
  reportAgainstOneThread(
    ctx,
    `train autoencoder W1 ${k} workers, epochs 2-${epochs} (steady state)`,
    median(ratek),
    median(rate1),
    { model: 'autoencoder', workers: k, loadavg: loadk },
  );
}

async function trainRbm(ctx: BenchContext, k: number, reps: number): Promise<void> {
  const n = 50_000;
  const D = 64;
  ctx.log(`RBM: ${n} × ${D} binary rows, 32 hidden, PCD-1, batch 100, 5 epochs (load average ${load()})`);
  // held-out rows: 0 %, 5 %, …, 45 % of their bits flipped, so their free energies have an order to agree on
  const all = binaryPrototypes(n + 5000, D, 7, (i) => (i < n ? 0.1 : ((i - n) % 10) * 0.05));
  const train = new Matrix(n, D, all.data.subarray(0, n * D));
  const held = new Matrix(5000, D, all.data.subarray(n * D));
  const opts: RBMOptions = {
    nHidden: 32,
    method: 'pcd',
    k: 1,
    batchSize: 100,
    learningRate: 0.1,
    momentum: 0,
    weightDecay: 0,
    epochs: 5,
    seed: 1,
  };
  const rate1: number[] = [];
  const ratek: number[] = [];
  const { t1, tk, a, b, load1, loadk } = await timePair(
    () => new RBM(opts).fit(train, { onProgress: steady(rate1) }),
    () => trainRbmParallel(train, opts, { workers: k, onProgress: steady(ratek) }),
    reps,
  );
  const rho = spearman(a.energy(held), b.energy(held));
  reportAgainstOneThread(
    ctx,
    `train rbm ${n}x${D} pcd ${k} workers`,
    (n * 5) / tk,
    (n * 5) / t1,
    { model: 'rbm', workers: k },
    {
      oursOnly: { seconds: Math.round(tk * 1000) / 1000, spearmanHeldOut: rho, reps, loadavg: loadk },
      oneThreadOnly: { seconds: Math.round(t1 * 1000) / 1000, loadavg: load1 },
    },
  );
  await poolFigure(ctx, `train rbm ${n}x${D} pcd ${k} workers, TrainingPool started beforehand`, k, reps, {
    samples: n * 5,
    one: () => new RBM(opts).fit(train),
    onPool: (pool) => trainRbmParallel(train, opts, { pool }),
    model: 'rbm',
  });
  reportAgainstOneThread(
    ctx,
    `train rbm ${n}x${D} pcd ${k} workers, epochs 2-5 (steady state)`,
    median(ratek),
    median(rate1),
    { model: 'rbm', workers: k, loadavg: loadk },
  );
}
