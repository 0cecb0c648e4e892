import { averagePrecision, formatReasons, type Matrix, rocAuc } from '@nexus/ebm-core';
import {
  authFeaturizer,
  cloudTrailFeaturizer,
  type FeaturePipeline,
  type FormattedLogs,
  formatCloudTrail,
  formatGithubAudit,
  formatLanl,
  githubAuditFeaturizer,
  parseLines,
  SCENARIO_CHANNEL,
  SCENARIOS,
  type ScenarioName,
  simulate,
} from '@nexus/ebm-features';
import {
  DEFAULT_CALIBRATION_FRACTION,
  DEFAULT_WARMUP_SECONDS,
  featurizeWithHoldout,
} from '../pipeline/holdout.js';
import type { PipelineIncident } from '../pipeline/incidents.js';
import type { ModelName } from '../pipeline/models.js';
import { lineParser, Pipeline, type PipelineFormat, sampleRows } from '../pipeline/Pipeline.js';
import { fitDetector } from '../pipeline/trainPipeline.js';
import { CliError, type CliIO, type Command, intOpt, numberOpt, type ParsedArgs } from './command.js';
import { type IncidentFigures, type IncidentStream, incidentFigures } from './incidentFigures.js';
import { progressBar } from './progress.js';

/** The energies the demo trains unless told otherwise (the four whose figures docs/benchmarks.md shows). */
const DEMO_MODELS: readonly ModelName[] = ['autoencoder', 'rbm', 'gaussian', 'mixture'];

/**
 * One figure of the demo: a model's ROC-AUC or average precision on one scenario or overall, an incident
 * figure, or its observed false-alarm rate (the share of normal test events flagged) on one stream or overall.
 */
export interface DemoFigure {
  /** Energy name. */
  readonly model: ModelName;
  /** A scenario name, a stream (`lanl`, `cloudtrail`, `github-audit`) or `overall`. */
  readonly dataset: string;
  /**
   * `roc_auc` or `average_precision` (events), `false_alarm_rate` (normal test events flagged ÷ normal test
   * events), or an incident figure (see {@link DemoIncidentUnit}).
   */
  readonly unit: 'roc_auc' | 'average_precision' | 'false_alarm_rate' | DemoIncidentUnit;
  /** The value. */
  readonly value: number;
}

/**
 * Incident-level figures of the demo, per stream and overall (the streams pooled into one queue, ranked by
 * incident score): `top10_recall`, the share of injected incidents among the 10 highest-scoring incidents
 * of their day; `top10_ceiling`, the most any ranking could reach for it (a day with more than 10 injected
 * incidents cannot have them all in its top 10); `flagged_recall`, the share with at least one flagged event; `incidents_per_day` and
 * `flagged_per_day` at the threshold; `incidents_per_day_at_90` and `events_per_day_at_90`, how far down the
 * ranked incidents (or the ranked events, threshold ignored) an analyst works per day to find 90 % of the
 * injected incidents.
 *
 * @example
 * ```ts
 * const u: DemoIncidentUnit = 'top10_recall';
 * ```
 */
export type DemoIncidentUnit =
  | 'top10_recall'
  | 'top10_ceiling'
  | 'flagged_recall'
  | 'incidents_per_day'
  | 'flagged_per_day'
  | 'incidents_per_day_at_90'
  | 'events_per_day_at_90';

/** Incident figures and their units, in table order. */
const INCIDENT_UNITS: readonly [
  DemoIncidentUnit,
  Exclude<keyof IncidentFigures, 'topOfDayRecallByScenario'>,
  string,
][] = [
  ['top10_recall', 'topOfDayRecall', 'injected incidents in the top 10 of their day'],
  ['top10_ceiling', 'topOfDayCeiling', '… the most any ranking could reach'],
  ['flagged_recall', 'flaggedRecall', 'injected incidents with a flagged event'],
  ['incidents_per_day', 'incidentsPerDay', 'incidents per day (threshold)'],
  ['flagged_per_day', 'flaggedPerDay', 'flagged events per day (threshold)'],
  ['incidents_per_day_at_90', 'incidentsPerDayAtRecall', 'incidents per day for 90 % of injected'],
  ['events_per_day_at_90', 'eventsPerDayAtRecall', 'events per day for 90 % of injected'],
];

/**
 * The demo's log streams: authentication and SSH (LANL format), CloudTrail, the GitHub audit log.
 */
export type DemoStream = 'lanl' | 'cloudtrail' | 'github-audit';

/** Each stream's format, writer, featurizer and the channel its scenarios come from. */
const STREAMS: readonly {
  readonly name: DemoStream;
  readonly label: string;
  readonly channel: 'auth' | 'cloud' | 'github';
  readonly write: (sim: ReturnType<typeof simulate>) => FormattedLogs;
  readonly featurizer: (seed: number) => FeaturePipeline<object>;
}[] = [
  {
    name: 'lanl',
    label: 'auth',
    channel: 'auth',
    write: formatLanl,
    featurizer: (seed) => authFeaturizer({ seed }) as unknown as FeaturePipeline<object>,
  },
  {
    name: 'cloudtrail',
    label: 'cloud',
    channel: 'cloud',
    write: formatCloudTrail,
    featurizer: (seed) => cloudTrailFeaturizer({ seed }) as unknown as FeaturePipeline<object>,
  },
  {
    name: 'github-audit',
    label: 'github',
    channel: 'github',
    write: formatGithubAudit,
    featurizer: (seed) => githubAuditFeaturizer({ seed }) as unknown as FeaturePipeline<object>,
  },
];

/**
 * One of the most anomalous test events (smallest p-value, then highest energy) with its reasons.
 */
export interface DemoTopEvent {
  /** Stream the event came from. */
  readonly stream: DemoStream;
  /** Line number in that stream's test file. */
  readonly line: number;
  /** Its raw log line. */
  readonly text: string;
  /** Its energy under the explained model. */
  readonly energy: number;
  /** Its conformal p-value. */
  readonly pValue: number;
  /** The injected scenario (`normal` when none). */
  readonly label: string;
  /** Readable reasons, strongest first. */
  readonly reasons: string;
}

/**
 * What {@link runDemo} measured.
 */
export interface DemoReport {
  /** Every figure. */
  readonly figures: readonly DemoFigure[];
  /** The model with the best overall ROC-AUC (whose top events are listed). */
  readonly best: ModelName;
  /** The most anomalous test events under the best model (smallest p-value, then highest energy). */
  readonly top: readonly DemoTopEvent[];
  /** Training and test event counts per stream, and anomalous test events. */
  readonly counts: Readonly<Record<DemoStream, { train: number; test: number; anomalous: number }>>;
  /** Wall time in seconds. */
  readonly seconds: number;
}

/**
 * Options of {@link runDemo}.
 */
export interface DemoOptions {
  /** Seed of the simulation and the models (default 1). */
  readonly seed?: number;
  /** Simulated people (default 60). */
  readonly users?: number;
  /** Simulated days (default 14). */
  readonly days?: number;
  /** Leading days used for training (default 10). */
  readonly trainDays?: number;
  /** Energies to train (default all four). */
  readonly models?: readonly ModelName[];
  /** Warm-up of training in seconds, as `trainPipeline`'s `warmupSeconds` (default {@link DEFAULT_WARMUP_SECONDS}). */
  readonly warmupSeconds?: number;
  /** Hide progress bars. */
  readonly quiet?: boolean;
}

interface Stream {
  readonly name: DemoStream;
  readonly channel: 'auth' | 'cloud' | 'github';
  readonly testLines: readonly string[];
  readonly labels: readonly (ScenarioName | null)[];
  readonly testEvents: readonly object[];
  /** Per test event: its time (seconds) and the injected incident it belongs to. */
  readonly times: readonly number[];
  readonly injected: readonly (number | null)[];
  readonly featurizer: FeaturePipeline<object>;
  /** Rows that fit the model (the earlier training events after the warm-up). */
  readonly Xtrain: Matrix;
  /** Training events of the warm-up (the featurizer learned from them; the model did not). */
  readonly warmupEvents: number;
  /** Rows of the held-back most recent training events, featurized as a later scoring run would. */
  readonly Xcal: Matrix;
  readonly Xtest: Matrix;
  readonly trainCount: number;
}

function splitLogs(logs: FormattedLogs, testStart: number): number {
  const cut = logs.times.findIndex((t) => t >= testStart);
  return cut < 0 ? logs.times.length : cut;
}

/**
 * Featurizes one stream: parses the formatted lines (the same path as files on disk), fits the featurizer
 * on the training days and transforms the test days (continuing its first-seen and window state).
 */
function prepare(
  name: DemoStream,
  channel: Stream['channel'],
  logs: FormattedLogs,
  testStart: number,
  featurizer: FeaturePipeline<object>,
  warmupSeconds: number,
): Stream {
  const cut = splitLogs(logs, testStart);
  // One parser per input (parsers may keep state between lines); malformed lines would be a simulator bug.
  const train = parseLines(lineParser(name), logs.lines.slice(0, cut), { policy: 'throw' }).events;
  const testEvents = parseLines(lineParser(name), logs.lines.slice(cut), { policy: 'throw' }).events;
  if (testEvents.length !== logs.lines.length - cut) {
    throw new Error(
      `demo: ${name} test lines and events disagree (${logs.lines.length - cut} vs ${testEvents.length})`,
    );
  }
  const {
    fit: Xtrain,
    calibration: Xcal,
    warmupEvents,
  } = featurizeWithHoldout(featurizer, train, DEFAULT_CALIBRATION_FRACTION, warmupSeconds);
  const Xtest = featurizer.transform(testEvents);
  return {
    name,
    channel,
    testLines: logs.lines.slice(cut),
    labels: logs.labels.slice(cut),
    testEvents,
    times: logs.times.slice(cut),
    injected: logs.incidents.slice(cut),
    featurizer,
    Xtrain,
    warmupEvents,
    Xcal,
    Xtest,
    trainCount: train.length,
  };
}

/**
 * ROC-AUC and AP of `scores` restricted to the normal events plus the events of one scenario (so each
 * scenario is judged against the same normal background).
 */
function scenarioFigures(
  labels: readonly (string | null)[],
  scores: ArrayLike<number>,
  which: string | 'any',
): { auc: number; ap: number } | undefined {
  const y: number[] = [];
  const s: number[] = [];
  let pos = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l === null || l === undefined) {
      y.push(0);
      s.push(scores[i] as number);
    } else if (which === 'any' || l === which) {
      y.push(1);
      s.push(scores[i] as number);
      pos++;
    }
  }
  if (pos === 0 || pos === y.length) return undefined;
  return { auc: rocAuc(y, s), ap: averagePrecision(y, s) };
}

/**
 * Runs the whole demonstration in-process: simulates 14 days of an enterprise's authentication, SSH and
 * cloud activity (simulated data), trains each energy on the first days of normal activity, scores the
 * later days with injected red-team scenarios and measures ROC-AUC and average precision per model,
 * per scenario and overall; then explains the ten most anomalous events of the best model (smallest p-value, then highest energy).
 *
 * "Overall" pools the test events of both streams (authentication/SSH in LANL format and CloudTrail); each
 * stream has its own featurizer and detector, so events are ranked across streams by their conformal
 * p-value (−log p, ties broken by the stream's energy rank), which is comparable between detectors.
 *
 * @example
 * ```ts
 * const report = await runDemo({ seed: 1 }, { stdout: process.stdout, stderr: process.stderr, isTTY: false });
 * report.figures.find((f) => f.dataset === 'overall' && f.unit === 'roc_auc');
 * ```
 */
export async function runDemo(options: DemoOptions, io: CliIO): Promise<DemoReport> {
  const start = performance.now();
  const seed = options.seed ?? 1;
  const quiet = options.quiet === true;
  const warmupSeconds = options.warmupSeconds ?? DEFAULT_WARMUP_SECONDS;
  const note = (s: string): void => {
    if (!quiet) io.stderr.write(`${s}\n`);
  };
  const sim = simulate({
    seed,
    users: options.users ?? 60,
    days: options.days ?? 14,
    trainDays: options.trainDays ?? 10,
  });
  note(
    `simulated ${sim.events.length} events (${sim.options.users} people, ${sim.options.days} days, training on the first ${sim.options.trainDays}; simulated data)`,
  );
  const prep = progressBar(io, 'featurizing', STREAMS.length, quiet);
  const streams: Stream[] = [];
  for (const def of STREAMS) {
    streams.push(
      prepare(def.name, def.channel, def.write(sim), sim.testStart, def.featurizer(seed), warmupSeconds),
    );
    prep.update(streams.length);
  }
  prep.finish(`${streams.map((st) => st.Xtrain.cols).join(' + ')} features`);
  const models = options.models ?? DEMO_MODELS;
  const figures: DemoFigure[] = [];
  const scored = new Map<ModelName, Scored[]>();
  let best: ModelName | undefined;
  let bestAuc = -1;
  for (const m of models) {
    const runs: Scored[] = [];
    for (const st of streams) {
      const def = STREAMS.find((x) => x.name === st.name);
      const bar = progressBar(io, `${m} ${def?.label ?? st.name}`, 1, quiet);
      const { detector } = fitDetector(st.Xtrain, {
        model: m,
        seed,
        calibrationRows: st.Xcal,
        // small simulations (few users) hold back few CloudTrail records; the report says when it is coarse
        allowCoarseThreshold: true,
        onProgress: (p) =>
          bar.update(
            p.epoch / Math.max(1, p.epochs),
            p.loss === undefined ? undefined : `loss ${p.loss.toFixed(4)}`,
          ),
      });
      bar.finish();
      const pipeline = new Pipeline({
        format: st.name as PipelineFormat,
        modelName: m,
        featurizer: st.featurizer,
        detector,
        trainedEvents: st.trainCount,
        warmupEvents: st.warmupEvents,
      });
      const s = pipeline.scoreRows(st.Xtest);
      // Incidents with their default linking fields and window; no reasons (only their scores count here).
      const incidents = pipeline.incidentsOfScored(st.testEvents, st.Xtest, s, { top: 0 });
      runs.push({ stream: st, pipeline, energy: s.energy, pValue: s.pValue, flag: s.flag, incidents });
    }
    scored.set(m, runs);
    // Per scenario, within the stream that carries it.
    for (const scn of SCENARIOS) {
      const run = runs.find((r) => r.stream.channel === SCENARIO_CHANNEL[scn]);
      if (run === undefined) continue;
      const f = scenarioFigures(run.stream.labels, run.energy, scn);
      if (f === undefined) continue;
      figures.push({ model: m, dataset: scn, unit: 'roc_auc', value: f.auc });
      figures.push({ model: m, dataset: scn, unit: 'average_precision', value: f.ap });
    }
    for (const run of runs) {
      const f = scenarioFigures(run.stream.labels, run.energy, 'any');
      if (f === undefined) continue;
      figures.push({ model: m, dataset: run.stream.name, unit: 'roc_auc', value: f.auc });
      figures.push({ model: m, dataset: run.stream.name, unit: 'average_precision', value: f.ap });
    }
    // Observed false-alarm rate: normal test events flagged at the requested rate, per stream and pooled.
    let normalAll = 0;
    let flaggedAll = 0;
    for (const run of runs) {
      let normal = 0;
      let flagged = 0;
      run.stream.labels.forEach((l, i) => {
        if (l !== null) return;
        normal++;
        flagged += run.flag[i] as number;
      });
      normalAll += normal;
      flaggedAll += flagged;
      if (normal > 0)
        figures.push({
          model: m,
          dataset: run.stream.name,
          unit: 'false_alarm_rate',
          value: flagged / normal,
        });
    }
    if (normalAll > 0)
      figures.push({ model: m, dataset: 'overall', unit: 'false_alarm_rate', value: flaggedAll / normalAll });
    const pooled = pooledScores(
      runs.map((r) => r.pValue),
      runs.map((r) => r.energy),
    );
    const f = scenarioFigures(
      runs.flatMap((r) => r.stream.labels),
      pooled,
      'any',
    );
    const testDays = sim.options.days - sim.options.trainDays;
    const asStream = (r: Scored, score: ArrayLike<number>): IncidentStream => ({
      incidents: r.incidents,
      injected: r.stream.injected,
      times: r.stream.times,
      score,
      flag: r.flag,
      labels: r.stream.labels,
    });
    const incidentSets: [string, IncidentStream[]][] = runs.map((r) => [
      r.stream.name,
      [asStream(r, pooledScores([r.pValue], [r.energy]))],
    ]);
    let off = 0;
    const pooledStreams = runs.map((r) => {
      const part = pooled.subarray(off, off + r.energy.length);
      off += r.energy.length;
      return asStream(r, part);
    });
    incidentSets.push(['overall', pooledStreams]);
    for (const [dataset, set] of incidentSets) {
      const fig = incidentFigures(set, sim.testStart, testDays, 10, 0.9);
      if (fig.injected === 0) continue;
      for (const [unit, key] of INCIDENT_UNITS) {
        const value = fig[key] as number;
        if (Number.isFinite(value)) figures.push({ model: m, dataset, unit, value });
      }
      // The pooled queue's top-10 recall by scenario, beside the scenario's event-level figures.
      if (dataset === 'overall')
        for (const [scn, value] of Object.entries(fig.topOfDayRecallByScenario))
          figures.push({ model: m, dataset: scn, unit: 'top10_recall', value });
    }
    if (f !== undefined) {
      figures.push({ model: m, dataset: 'overall', unit: 'roc_auc', value: f.auc });
      figures.push({ model: m, dataset: 'overall', unit: 'average_precision', value: f.ap });
      if (f.auc > bestAuc) {
        bestAuc = f.auc;
        best = m;
      }
    }
  }
  if (best === undefined)
    throw new Error('demo: no model could be evaluated (no anomalies in the test days)');
  const chosen = scored.get(best);
  if (chosen === undefined) throw new Error('demo: internal error (best model missing)');
  const top = topEvents(chosen, 10, seed);
  const counts = {} as Record<DemoStream, { train: number; test: number; anomalous: number }>;
  for (const st of streams) {
    counts[st.name] = {
      train: st.trainCount,
      test: st.testEvents.length,
      anomalous: st.labels.filter((l) => l !== null).length,
    };
  }
  return { figures, best, top, counts, seconds: (performance.now() - start) / 1000 };
}

/** One stream scored by one model. */
interface Scored {
  readonly stream: Stream;
  readonly pipeline: Pipeline;
  readonly energy: Float64Array;
  readonly pValue: Float64Array;
  readonly flag: Uint8Array;
  readonly incidents: readonly PipelineIncident[];
}

/**
 * Scores comparable across streams: −log p-value, with ties inside a stream broken by the energy's rank
 * (a fraction below one p-value step, so the order between different p-values never changes).
 */
function pooledScores(pValues: readonly Float64Array[], energies: readonly Float64Array[]): Float64Array {
  const n = pValues.reduce((a, p) => a + p.length, 0);
  const out = new Float64Array(n);
  let off = 0;
  for (let s = 0; s < pValues.length; s++) {
    const p = pValues[s] as Float64Array;
    const e = energies[s] as Float64Array;
    const order = Array.from(e.keys()).sort((a, b) => (e[a] as number) - (e[b] as number));
    const rank = new Float64Array(e.length);
    order.forEach((i, r) => {
      rank[i] = r / Math.max(1, e.length);
    });
    for (let i = 0; i < p.length; i++) {
      // The smallest step between distinct −log p values is larger than 1e-6 for calibration sets below 10⁵.
      out[off + i] = -Math.log(p[i] as number) + 1e-7 * (rank[i] as number);
    }
    off += p.length;
  }
  return out;
}

function topEvents(runs: readonly Scored[], k: number, seed: number): DemoTopEvent[] {
  const pooled = pooledScores(
    runs.map((r) => r.pValue),
    runs.map((r) => r.energy),
  );
  const idx = Array.from(pooled.keys())
    .sort((a, b) => (pooled[b] as number) - (pooled[a] as number))
    .slice(0, k);
  const out: DemoTopEvent[] = [];
  for (const g of idx) {
    let i = g;
    let r = 0;
    while (i >= (runs[r] as Scored).energy.length) i -= (runs[r++] as Scored).energy.length;
    const run = runs[r] as Scored;
    const st = run.stream;
    const X = st.Xtest.selectRows([i]);
    const bg = sampleRows(st.Xtrain, 32, seed);
    const why = run.pipeline.explain([st.testEvents[i] as object], X, { top: 3, background: bg, seed });
    out.push({
      stream: st.name,
      line: i + 1,
      text: st.testLines[i] as string,
      energy: run.energy[i] as number,
      pValue: run.pValue[i] as number,
      label: st.labels[i] ?? 'normal',
      reasons: formatReasons(why[0] ?? []),
    });
  }
  return out;
}

function table(report: DemoReport): string {
  const lines: string[] = [];
  const models = [...new Set(report.figures.map((f) => f.model))];
  const datasets = [
    ...new Set(
      report.figures
        .filter((f) => f.unit === 'roc_auc' || f.unit === 'average_precision')
        .map((f) => f.dataset),
    ),
  ];
  const get = (m: string, d: string, u: string): string => {
    const f = report.figures.find((x) => x.model === m && x.dataset === d && x.unit === u);
    return f === undefined ? '—' : f.value.toFixed(3);
  };
  const w = Math.max(...datasets.map((d) => d.length), 10) + 2;
  const titles = {
    roc_auc: 'ROC-AUC',
    average_precision: 'average precision',
    top10_recall:
      'injected incidents in the top 10 incidents of their day (scenarios and overall: all streams in one queue)',
  } as const;
  for (const unit of ['roc_auc', 'average_precision', 'top10_recall'] as const) {
    lines.push('');
    if (unit === 'top10_recall') lines.push(titles[unit]);
    lines.push(
      `${(unit === 'top10_recall' ? '' : titles[unit]).padEnd(w)}${models.map((m) => m.padStart(12)).join('')}`,
    );
    for (const d of datasets)
      lines.push(`${d.padEnd(w)}${models.map((m) => get(m, d, unit).padStart(12)).join('')}`);
  }
  const rates = report.figures.filter((f) => f.unit === 'false_alarm_rate');
  if (rates.length > 0) {
    lines.push('');
    lines.push('normal test events flagged (observed false-alarm rate)');
    lines.push(`${''.padEnd(w)}${models.map((m) => m.padStart(12)).join('')}`);
    for (const d of [...new Set(rates.map((f) => f.dataset))]) {
      const cell = (m: string): string => {
        const f = rates.find((x) => x.model === m && x.dataset === d);
        return f === undefined ? '—' : `${(100 * f.value).toFixed(2)} %`;
      };
      lines.push(`${d.padEnd(w)}${models.map((m) => cell(m).padStart(12)).join('')}`);
    }
  }
  const incidentSets = [
    ...new Set(report.figures.filter((f) => f.unit === 'incidents_per_day').map((f) => f.dataset)),
  ];
  if (incidentSets.length > 0) {
    const wi = 46;
    lines.push('');
    lines.push(
      `${'incidents (flagged events per entity and hour)'.padEnd(wi)}${models.map((m) => m.padStart(12)).join('')}`,
    );
    for (const d of incidentSets) {
      lines.push(`${d}`);
      for (const [unit, , label] of INCIDENT_UNITS) {
        const cell = (m: string): string => {
          const f = report.figures.find((x) => x.model === m && x.dataset === d && x.unit === unit);
          if (f === undefined) return '—';
          return unit.endsWith('recall') || unit.endsWith('ceiling')
            ? f.value.toFixed(3)
            : f.value.toFixed(1);
        };
        lines.push(`  ${label.padEnd(wi - 2)}${models.map((m) => cell(m).padStart(12)).join('')}`);
      }
    }
  }
  lines.push('');
  lines.push(
    `Ten most anomalous test events under ${report.best} (smallest p-value, then highest energy; label = the injected scenario, for reference):`,
  );
  for (const t of report.top) {
    lines.push(
      `  [${t.label}] ${t.stream}:${t.line} energy ${t.energy.toFixed(2)} p ${t.pValue.toExponential(1)}`,
    );
    lines.push(`      ${t.text.length > 120 ? `${t.text.slice(0, 117)}…` : t.text}`);
    lines.push(`      why: ${t.reasons === '' ? '(no positive attribution)' : t.reasons}`);
  }
  const c = report.counts;
  lines.push('');
  lines.push(
    `auth+ssh (LANL format): ${c.lanl.train} training events, ${c.lanl.test} test events (${c.lanl.anomalous} anomalous); CloudTrail: ${c.cloudtrail.train} / ${c.cloudtrail.test} (${c.cloudtrail.anomalous}); GitHub audit log: ${c['github-audit'].train} / ${c['github-audit'].test} (${c['github-audit'].anomalous}).`,
  );
  lines.push(
    'Scenario figures compare that scenario against all normal events of its stream; "overall" pools the streams ranked by conformal p-value (events) or incident score (incidents). Data are simulated.',
  );
  lines.push(`done in ${report.seconds.toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}

/**
 * `ebm demo`: the one-command demonstration (see {@link runDemo}); prints a table, or JSON lines in the
 * benchmarks' format with `--json`.
 *
 * @example
 * ```sh
 * ebm demo --json
 * ```
 */
export const demoCommand: Command = {
  name: 'demo',
  summary:
    'Simulate an enterprise, train four energies, score later days and explain the top events (about a minute).',
  usage: 'ebm demo [--seed N] [--users N] [--warmup SECONDS] [--json] [--quiet]',
  options: {
    seed: {
      type: 'string',
      description: 'seed of the simulation and the models',
      valueName: 'N',
      defaultText: '1',
    },
    users: { type: 'string', description: 'number of simulated people', valueName: 'N', defaultText: '60' },
    warmup: {
      type: 'string',
      description: 'warm-up of training in seconds, as ebm train --warmup',
      valueName: 'SECONDS',
      defaultText: String(DEFAULT_WARMUP_SECONDS),
    },
    json: { type: 'boolean', description: 'print figures as JSON lines (benchmarks format)' },
    quiet: { type: 'boolean', short: 'q', description: 'no progress on stderr' },
  },
  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    const seed = intOpt(args, 'seed', 1, { cmd: 'demo', min: 0 });
    const users = intOpt(args, 'users', 60, { cmd: 'demo', min: 4, max: 2000 });
    const warmupSeconds = numberOpt(args, 'warmup', DEFAULT_WARMUP_SECONDS, { cmd: 'demo', min: 0 });
    const json = args.values.json === true;
    if (args.positionals.length > 0) {
      throw new CliError(
        `ebm demo: unexpected argument (expected none, got ${JSON.stringify(args.positionals[0])})`,
        2,
      );
    }
    const report = await runDemo({ seed, users, warmupSeconds, quiet: args.values.quiet === true }, io);
    if (json) {
      for (const f of report.figures) {
        io.stdout.write(
          `${JSON.stringify({ bench: 'demo', name: `demo ${f.model} ${f.dataset}`, value: Number(f.value.toFixed(4)), unit: f.unit, dataset: f.dataset, model: f.model, protocol: 'simulated-test-days' })}\n`,
        );
      }
      io.stdout.write(
        `${JSON.stringify({ bench: 'demo', name: 'demo wall time', value: Number(report.seconds.toFixed(1)), unit: 's' })}\n`,
      );
    } else {
      io.stdout.write(table(report));
    }
    return 0;
  },
};
