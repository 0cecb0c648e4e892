// The browser scenario: what a security tool embedding @nexus/ebm does in a page — fit, score, explain,
// save and load each energy and a log pipeline. Bundled by esbuild, Vite and webpack (scripts/dist/bundle.ts)
// and run in headless Chromium (scripts/dist/browser.dist.test.ts); also run in Node by the same test as a
// reference. Plain JavaScript so every bundler takes it as is.
import {
  Autoencoder,
  EnsembleEnergy,
  explain,
  formatLanl,
  GaussianDensity,
  GaussianMixture,
  getBackend,
  HistogramDensity,
  loadModel,
  Pipeline,
  parseLines,
  parsers,
  RBM,
  Rng,
  rocAuc,
  sampleRows,
  simulate,
  toMatrix,
  trainPipeline,
} from '@nexus/ebm';

function rows(rng, n, shift) {
  return Array.from({ length: n }, () => {
    const a = rng.normal();
    return [a + shift, 0.5 * a + rng.normal() * 0.3 + shift, rng.normal() + shift, rng.uniform() + shift];
  });
}

function same(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Runs the scenario; returns plain JSON (what the page hands back to the test). */
export function runScenario() {
  const started = Date.now();
  const rng = new Rng(1);
  const train = toMatrix(rows(rng, 300, 0));
  const test = toMatrix([...rows(rng, 60, 0), ...rows(rng, 12, 4)]);
  const labels = Array.from({ length: 72 }, (_, i) => (i < 60 ? 0 : 1));
  const energies = {};
  const makers = {
    gaussian: () => new GaussianDensity(),
    mixture: () => new GaussianMixture({ nComponents: 2, seed: 1 }),
    histogram: () => new HistogramDensity(),
    autoencoder: () => new Autoencoder({ epochs: 20, seed: 1 }),
    rbm: () => new RBM({ epochs: 20, seed: 1, visible: 'gaussian' }),
    ensemble: () => new EnsembleEnergy({ members: [new GaussianDensity(), new HistogramDensity()] }),
  };
  for (const [name, make] of Object.entries(makers)) {
    const model = make().fit(train, { seed: 1 });
    const e = model.energy(test);
    const saved = JSON.stringify(model.toJSON());
    const back = loadModel(saved);
    const why = explain(model, test.selectRows([60, 61]), { background: sampleRows(train, 16, 1), seed: 1 });
    energies[name] = {
      kind: back.kind,
      auc: rocAuc(labels, e),
      finite: e.every(Number.isFinite),
      reloadedSame: same(back.energy(test), e),
      explainMethod: why.method,
      explainRows: why.attributions.rows,
      savedBytes: saved.length,
    };
  }
  const sim = simulate({ seed: 7, users: 20, days: 6, trainDays: 4 });
  const logs = formatLanl(sim);
  const cut = logs.times.findIndex((t) => t >= sim.testStart);
  const trainEvents = parseLines(parsers.lanl(), logs.lines.slice(0, cut)).events;
  const testEvents = parseLines(parsers.lanl(), logs.lines.slice(cut)).events;
  const pipeline = trainPipeline(trainEvents, { format: 'lanl', model: 'gaussian', seed: 7 });
  // saved before scoring: scoring advances the featurizer's per-entity state (first-seen, windows)
  const again = Pipeline.fromJSON(JSON.stringify(pipeline.toJSON()));
  const scores = pipeline.score(testEvents);
  const reloaded = again.score(testEvents);
  const X = again.featurize(testEvents.slice(0, 3));
  const reasons = again.explain(testEvents.slice(0, 3), X, { top: 2 });
  const pipelineResult = {
    trainEvents: trainEvents.length,
    testEvents: testEvents.length,
    flagged: scores.flag.reduce((a, b) => a + b, 0),
    reloadedSame: same(reloaded.energy, scores.energy),
    reasons: reasons.map((r) => r.length),
    auc: rocAuc(
      logs.labels.slice(cut).map((l) => (l === null ? 0 : 1)),
      scores.energy,
    ),
  };
  return { backend: getBackend().name, energies, pipeline: pipelineResult, ms: Date.now() - started };
}

if (typeof window !== 'undefined') window.ebmScenario = runScenario;
