/**
 * `pnpm bench parallel [--json] [--rows N] [--workers K] [--reps R] [--train-rows N] [--epochs E] [--skip-train]`:
 * speed-up of worker threads over one thread on this machine, measured in the same run.
 *
 * - Scoring N × 32 rows (default 1,000,000) with an autoencoder and a full-covariance Gaussian:
 *   `ScoringPool.energy` with K workers (default 2; the pool is started before timing, the rows live in a
 *   SharedArrayBuffer) against `model.energy` on the main thread; results must be identical.
 * - W1 autoencoder training: 100,000 × 64 rows of rank-8 data plus noise, a 64-32-8-32-64 ReLU autoencoder,
 *   Adam lr 1e-3, batch 256, 5 epochs: `trainAutoencoderParallel` with K workers (wall time including the
 *   start of the workers, and again without the start-up cost measured on a trivial fit) against
 *   `Autoencoder.fit` on the main thread; the difference is reported as the
 *   mean relative difference of the energies of 10,000 held-out rows.
 * - Gaussian fit with per-worker statistics merged (`fitGaussianParallel`) against `fit`.
 *
 * Each figure line carries the machine's 1-minute load average: on a shared 2-core machine the speed-ups
 * are only meaningful when the load is below the core count.
 */
import { loadavg } from 'node:os';
import { Matrix, Rng } from '../packages/core/src/index.js';
import { ScoringPool } from '../packages/ebm/src/parallel/ScoringPool.js';
import { fitGaussianParallel, trainAutoencoderParallel } from '../packages/ebm/src/parallel/trainParallel.js';
import { Autoencoder, type AutoencoderOptions, GaussianDensity } from '../packages/energies/src/index.js';
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

const load = (): number => Math.round((loadavg()[0] as number) * 100) / 100;

export default async function parallel(ctx: BenchContext): Promise<void> {
  const n = Number(ctx.flag('rows') ?? 1_000_000);
  const k = Number(ctx.flag('workers') ?? 2);
  const reps = Number(ctx.flag('reps') ?? 3);
  const trainRows = Number(ctx.flag('train-rows') ?? 100_000);
  const epochs = Number(ctx.flag('epochs') ?? 5);
  const d = 32;
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
      let one: Float64Array = new Float64Array(0);
      let par: Float64Array = new Float64Array(0);
      const t1 = timeMedian(
        () => {
          one = model.energy(X);
        },
        { reps, warmup: 1 },
      );
      await pool.energy(X); // warm-up
      const tk = await timeAsync(async () => {
        par = await pool.energy(X);
      }, reps);
      const diff = maxAbsDiff(one, par);
      const figure = `score ${name} ${n}x${d}`;
      ctx.report({
        bench: 'parallel',
        name: `${figure} ${k} workers`,
        value: n / tk,
        unit: 'rows/s',
        model: name,
        workers: k,
        maxAbsDiff: diff,
        loadavg: load(),
      });
      ctx.report({
        bench: 'parallel',
        name: `${figure} ${k} workers`,
        value: n / t1,
        unit: 'rows/s',
        peer: '1 thread',
        ratio: t1 / tk,
        model: name,
        workers: k,
        loadavg: load(),
      });
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
    ctx.report({
      bench: 'parallel',
      name: `fit gaussian ${n}x${d} ${k} workers`,
      value: n / tk,
      unit: 'rows/s',
      model: 'gaussian',
      workers: k,
      maxRelDiff: rel,
      loadavg: load(),
    });
    ctx.report({
      bench: 'parallel',
      name: `fit gaussian ${n}x${d} ${k} workers`,
      value: n / t1,
      unit: 'rows/s',
      peer: '1 thread',
      ratio: t1 / tk,
      model: 'gaussian',
      workers: k,
      loadavg: load(),
    });
  }
  if (ctx.args.includes('--skip-train')) return;

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
  let t0 = performance.now();
  await fitGaussianParallel(tiny, {}, { workers: k });
  const startup = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const one = new Autoencoder(opts).fit(train);
  const t1 = (performance.now() - t0) / 1000;
  const l1 = load();
  t0 = performance.now();
  const par = await trainAutoencoderParallel(train, opts, { workers: k });
  const tk = (performance.now() - t0) / 1000;
  const e1 = one.energy(held);
  const ek = par.energy(held);
  let rel = 0;
  let m1 = 0;
  for (let i = 0; i < e1.length; i++) {
    rel += Math.abs((ek[i] as number) - (e1[i] as number)) / (e1[i] as number);
    m1 += e1[i] as number;
  }
  ctx.report({
    bench: 'parallel',
    name: `train autoencoder W1 ${k} workers`,
    value: (trainRows * epochs) / tk,
    unit: 'samples/s',
    model: 'autoencoder',
    workers: k,
    seconds: Math.round(tk * 100) / 100,
    startupSeconds: Math.round(startup * 100) / 100,
    meanRelEnergyDiff: rel / e1.length,
    heldOutMeanEnergy: m1 / e1.length,
    loadavg: load(),
  });
  ctx.report({
    bench: 'parallel',
    name: `train autoencoder W1 ${k} workers`,
    value: (trainRows * epochs) / t1,
    unit: 'samples/s',
    peer: '1 thread',
    ratio: t1 / tk,
    model: 'autoencoder',
    workers: k,
    seconds: Math.round(t1 * 100) / 100,
    loadavg: l1,
  });
  ctx.report({
    bench: 'parallel',
    name: `train autoencoder W1 ${k} workers, start-up excluded`,
    value: (trainRows * epochs) / (tk - startup),
    unit: 'samples/s',
    peer: '1 thread',
    ratio: t1 / (tk - startup),
    model: 'autoencoder',
    workers: k,
    loadavg: load(),
  });
}
