/**
 * `pnpm bench pool-start [--json] [--d 2048] [--workers 2]`: what starting a `ScoringPool` costs — wall
 * time of `ScoringPool.create` (sending the model to the workers and each loading it) and the process's
 * peak resident memory while it runs (`VmHWM` after resetting it through /proc/self/clear_refs; worker
 * threads live in the same process, so they are counted), and the resident memory once started — for
 * two models: a 4-component full-covariance `GaussianMixture` at width d (default 2,048: 16.8 M
 * parameters, 341 M characters of JSON; its parameters are made, not fitted — a random diagonally
 * dominant covariance per component —, then loaded with `loadModel` as a saved one would be) and a
 * `GaussianDensity` fitted on 2,000 × 32 rows. A pool that cannot start prints a `failed` line with the
 * reason. Each started pool scores 200 rows, which must equal the energies on the calling thread. The
 * time to make and load the mixture on the calling thread is reported too: each worker loads it again.
 * Linux only (reads /proc).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadModel } from '@nexus/ebm';
import { ScoringPool } from '@nexus/ebm/node';
import { type EnergyModel, Matrix, Rng } from '@nexus/ebm-core';
import { GaussianDensity, GaussianMixture } from '@nexus/ebm-energies';
import type { BenchContext } from './lib/report.js';

const K = 4;

function rows(n: number, d: number, seed: number): Matrix {
  const r = new Rng(seed);
  return new Matrix(n, d, r.fillNormal(new Float64Array(n * d), 0, 1));
}

/** A loaded 4-component mixture at width d with random means and diagonally dominant covariances. */
function mixture(d: number): EnergyModel {
  const template = new GaussianMixture({ nComponents: K, seed: 1 }).fit(rows(200, 4, 1)).toJSON();
  const r = new Rng(2);
  const means = Array.from({ length: K * d }, () => r.normal());
  const covariances = new Array<number>(K * d * d);
  for (let c = 0; c < K; c++) {
    const o = c * d * d;
    for (let i = 0; i < d; i++) {
      covariances[o + i * d + i] = 1 + r.uniform();
      for (let j = 0; j < i; j++) {
        const v = (r.uniform() - 0.5) / d; // row sums of |off-diagonal| < 0.5: positive definite
        covariances[o + i * d + j] = v;
        covariances[o + j * d + i] = v;
      }
    }
  }
  const state = { ...template.state, nFeatures: d, means, covariances };
  delete (state as Record<string, unknown>).featureNames;
  return loadModel({ ...template, state });
}

function statusKb(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m === null ? Number.NaN : Number(m[1]);
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function measure(ctx: BenchContext, label: string, model: EnergyModel, workers: number): Promise<void> {
  gc();
  const before = statusKb('VmRSS');
  writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current resident size
  const t0 = performance.now();
  let pool: ScoringPool;
  try {
    pool = await ScoringPool.create(model, { workers, minParallelRows: 0 });
  } catch (e) {
    const s = (performance.now() - t0) / 1000;
    ctx.log(
      `pool-start: ${label}: failed after ${s.toFixed(2)} s: ${e instanceof Error ? e.message : String(e)}`,
    );
    ctx.report({ bench: 'pool-start', name: `${label} failed`, value: s, unit: 's', workers });
    ctx.report({
      bench: 'pool-start',
      name: `${label} failed: peak resident memory`,
      value: Math.round(statusKb('VmHWM') / 1024),
      unit: 'MB',
      baseline: Math.round(before / 1024),
    });
    return;
  }
  const s = (performance.now() - t0) / 1000;
  const peak = statusKb('VmHWM');
  gc();
  const after = statusKb('VmRSS');
  ctx.report({ bench: 'pool-start', name: `${label} start`, value: s, unit: 's', workers });
  ctx.report({
    bench: 'pool-start',
    name: `${label} peak resident memory during start`,
    value: Math.round(peak / 1024),
    unit: 'MB',
    baseline: Math.round(before / 1024),
  });
  ctx.report({
    bench: 'pool-start',
    name: `${label} resident memory once started`,
    value: Math.round(after / 1024),
    unit: 'MB',
    baseline: Math.round(before / 1024),
  });
  const X = rows(200, model.nFeatures, 9);
  const par = await pool.energy(X);
  const one = model.energy(X);
  await pool.close();
  if (par.some((v, i) => !Object.is(v, one[i])))
    throw new Error(`pool-start: ${label}: pooled energies differ from the calling thread's`);
}

export default async function poolStart(ctx: BenchContext): Promise<void> {
  const d = Number(ctx.flag('d') ?? 2048);
  const workers = Number(ctx.flag('workers') ?? 2);
  if ((globalThis as { gc?: unknown }).gc === undefined)
    ctx.log('pool-start: run with NODE_OPTIONS=--expose-gc for steadier resident-memory figures');
  ctx.log(`pool-start: making a ${K}-component mixture at d = ${d}`);
  const t0 = performance.now();
  const big = mixture(d);
  // what each worker repeats at start-up besides the transfer: loading (checking, factorising) the model
  ctx.report({
    bench: 'pool-start',
    name: `mixture k=${K} d=${d} made and loaded on the calling thread`,
    value: (performance.now() - t0) / 1000,
    unit: 's',
  });
  await measure(ctx, `mixture k=${K} d=${d}`, big, workers);
  const small = new GaussianDensity().fit(rows(2000, 32, 3));
  await measure(ctx, 'gaussian d=32', small, workers);
}
