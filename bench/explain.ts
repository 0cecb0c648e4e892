/**
 * `pnpm bench explain [--json] [--events N]`: KernelSHAP with its default settings.
 *
 * - Speed: one event of 32 features explained against a background of 100 rows, with the Gaussian and the
 *   autoencoder energies; median milliseconds per event (the explainer — background summary and base
 *   value — is built once, as in use; its set-up time is reported separately).
 * - Accuracy: on 10-feature problems, the largest error of the default settings against exact Shapley
 *   values (enumeration over the full 100-row background), relative to |energy(x) − mean background
 *   energy|, over flagged events (energy above the 99th percentile of the training energies).
 *
 * No peer: Python's shap is not installed here.
 */
import { exactShapley, getBackend, KernelExplainer, Matrix, Rng } from '@nexus/ebm-core';
import { Autoencoder, GaussianDensity } from '@nexus/ebm-energies';
import type { BenchContext } from './lib/report.js';

interface Problem {
  train: Matrix;
  background: Matrix;
  events: Matrix;
}

/** Correlated data from a few latent factors, plus events with 1–3 features pushed 4–7σ away. */
function makeProblem(d: number, seed: number, nEvents: number): Problem {
  const rng = new Rng(seed);
  const k = Math.max(2, Math.round(d / 5));
  const A = new Float64Array(d * k);
  rng.fillNormal(A, 0, 1);
  const row = (out: Float64Array, o: number): void => {
    const z = new Float64Array(k);
    rng.fillNormal(z);
    for (let j = 0; j < d; j++) {
      let s = 0.3 * rng.normal();
      for (let t = 0; t < k; t++) s += (A[j * k + t] as number) * (z[t] as number);
      out[o + j] = s / Math.sqrt(k);
    }
  };
  const n = 2000;
  const train = new Matrix(n, d);
  for (let i = 0; i < n; i++) row(train.data, i * d);
  const background = train.selectRows(rng.sample(n, 100));
  const events = new Matrix(nEvents, d);
  for (let i = 0; i < nEvents; i++) {
    row(events.data, i * d);
    const m = 1 + rng.int(3);
    for (let t = 0; t < m; t++) {
      const j = rng.int(d);
      events.data[i * d + j] =
        (events.data[i * d + j] as number) + (rng.uniform() < 0.5 ? -1 : 1) * (4 + 3 * rng.uniform());
    }
  }
  return { train, background, events };
}

function flagged(model: { energy(X: Matrix): Float64Array }, p: Problem): Matrix {
  const e = Array.from(model.energy(p.train)).sort((a, b) => a - b);
  const q = e[Math.floor(0.99 * (e.length - 1))] as number;
  const ev = model.energy(p.events);
  const keep: number[] = [];
  for (let i = 0; i < ev.length; i++) if ((ev[i] as number) > q) keep.push(i);
  // Every event when none is flagged (so the figures still exist; the log line says how many were used).
  return keep.length > 0 ? p.events.selectRows(keep) : p.events;
}

function models(train: Matrix): { name: string; model: GaussianDensity | Autoencoder }[] {
  const g = new GaussianDensity();
  g.fit(train);
  const ae = new Autoencoder({ epochs: 40, seed: 1 });
  ae.fit(train, { seed: 1 });
  return [
    { name: 'gaussian', model: g },
    { name: 'autoencoder', model: ae },
  ];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export default function run(ctx: BenchContext): void {
  const nEvents = Number(ctx.flag('events') ?? '30');
  if (!Number.isInteger(nEvents) || nEvents < 1) {
    throw new RangeError(
      `bench explain: --events must be a positive integer (expected e.g. 30, got ${ctx.flag('events')})`,
    );
  }

  // Speed: d = 32, background 100 rows, default settings.
  const p32 = makeProblem(32, 32, nEvents);
  for (const { name, model } of models(p32.train)) {
    const events = flagged(model, p32);
    const t0 = performance.now();
    const explainer = new KernelExplainer(model, p32.background);
    const setup = performance.now() - t0;
    explainer.explain(events.row(0)); // warm-up
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < events.rows; i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      explainer.explain(events.row(i));
      times.push(performance.now() - t);
      const dc = process.cpuUsage(c);
      cpu.push((dc.user + dc.system) / 1000);
    }
    ctx.log(
      `${name}: d=32, ${events.rows} flagged events, background ${explainer.background.rows} of 100 rows, ${explainer.nSamples} coalitions`,
    );
    ctx.report({
      bench: 'explain',
      name: `kernelshap d=32 bg=100 ${name} per event`,
      value: median(times),
      unit: 'ms',
      backend: getBackend().name,
      model: name,
    });
    // CPU time of this process: less sensitive than wall time when the machine is shared.
    ctx.report({
      bench: 'explain',
      name: `kernelshap d=32 bg=100 ${name} per event (cpu)`,
      value: median(cpu),
      unit: 'ms',
      backend: getBackend().name,
      model: name,
      clock: 'cpu',
    });
    // Sampling error at d = 32 (exact values are out of reach): default coalitions against 16× as many,
    // over the same background summary, relative to |energy − base|.
    const reference = new KernelExplainer(model, p32.background, { nSamples: 16 * explainer.nSamples });
    let worst = 0;
    for (let i = 0; i < Math.min(5, events.rows); i++) {
      const a = explainer.explain(events.row(i));
      const b = reference.explain(events.row(i));
      let err = 0;
      for (let j = 0; j < 32; j++)
        err = Math.max(err, Math.abs((a.values[j] as number) - (b.values[j] as number)));
      worst = Math.max(worst, err / Math.abs(b.energy - b.base));
    }
    ctx.report({
      bench: 'explain',
      name: `kernelshap d=32 ${name} sampling error vs 16x coalitions`,
      value: worst,
      unit: 'relative_error',
      model: name,
    });
    ctx.report({
      bench: 'explain',
      name: `kernelshap d=32 bg=100 ${name} explainer setup`,
      value: setup,
      unit: 'ms',
      backend: getBackend().name,
      model: name,
    });
  }

  // Accuracy: d = 10, default settings against exact Shapley values over the full background.
  const p10 = makeProblem(10, 10, nEvents);
  for (const { name, model } of models(p10.train)) {
    const events = flagged(model, p10);
    const explainer = new KernelExplainer(model, p10.background);
    const errs: number[] = [];
    for (let i = 0; i < events.rows; i++) {
      const x = events.row(i);
      const ex = exactShapley(model, x, p10.background);
      const ks = explainer.explain(x);
      let err = 0;
      for (let j = 0; j < 10; j++)
        err = Math.max(err, Math.abs((ks.values[j] as number) - (ex.values[j] as number)));
      errs.push(err / Math.abs(ex.energy - ex.base));
    }
    ctx.log(
      `${name}: d=10, ${events.rows} flagged events, background ${explainer.background.rows} of 100 rows`,
    );
    ctx.report({
      bench: 'explain',
      name: `kernelshap d=10 ${name} max relative error`,
      value: Math.max(...errs),
      unit: 'relative_error',
      model: name,
    });
    ctx.report({
      bench: 'explain',
      name: `kernelshap d=10 ${name} median relative error`,
      value: median(errs),
      unit: 'relative_error',
      model: name,
    });
  }
}
