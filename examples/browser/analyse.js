// The page's work, apart from the page: read a log text, train a pipeline on its earliest events (or take a
// pipeline trained by `ebm train`), score the rest and explain the highest energies. Plain JavaScript so
// esbuild bundles it as is; no DOM here, so the same function runs in Node (the test's reference).
import {
  DEFAULT_MODEL,
  formatReasons,
  formatSshd,
  Pipeline,
  parseLines,
  parsers,
  rocAuc,
  sampleRows,
  simulate,
  sniffFormat,
  splitLines,
  trainPipeline,
} from '@nexus/ebm';

/** Formats the page can train on: the ones `sniffFormat` recognises. */
export const FORMATS = ['auto', 'lanl', 'sshd', 'winevt', 'cloudtrail', 'github-audit', 'ocsf'];
/** Energies offered in the page (the first is the library's default; the neighbour energies are left out: KernelSHAP over them takes tens of seconds). */
export const MODELS = [
  DEFAULT_MODEL,
  ...['gaussian', 'autoencoder', 'mixture', 'histogram'].filter((m) => m !== DEFAULT_MODEL),
];

/** A simulated sshd auth.log (simulated data: the project's simulator) with its labels, for the sample button. */
export function sampleLog(seed = 3) {
  const sim = simulate({ seed, users: 60, days: 14, trainDays: 8 });
  const logs = formatSshd(sim);
  const end = logs.times[logs.times.length - 1];
  return {
    text: `${logs.lines.join('\n')}\n`,
    labels: logs.labels,
    year: new Date(sim.start * 1000).getUTCFullYear(),
    // the simulator's training days (normal activity only), as a share of the time span
    trainFraction: (sim.testStart - logs.times[0]) / (end - logs.times[0]),
  };
}

function fail(what, expected, got) {
  return new Error(`analyse: ${what} (expected ${expected}, got ${got})`);
}

/**
 * Reads `text`, trains or loads a pipeline, scores and explains.
 *
 * options: format ('auto' or a parser name), model, trainFraction (share of the time span trained on),
 * falseAlarmRate, pipelineJson (text of a file written by `ebm train`: scores every event with it
 * instead of training), top (events explained), year (of sshd timestamps), labels (per line, null for
 * normal: the ROC-AUC is reported when given).
 */
export function analyse(text, options = {}) {
  const started = Date.now();
  const top = options.top ?? 20;
  const lines = splitLines(text);
  if (lines.length === 0) throw fail('the file has no lines', 'a log file', 'an empty file');
  let pipeline;
  let format;
  let why;
  if (options.pipelineJson !== undefined) {
    pipeline = Pipeline.fromJSON(options.pipelineJson);
    format = pipeline.format;
    why = 'the pipeline file';
  } else if (options.format === undefined || options.format === 'auto') {
    const sniffed = sniffFormat(lines.slice(0, 200));
    if (sniffed.format === undefined)
      throw fail('the format is not recognised', 'one of the log formats', sniffed.why);
    format = sniffed.format;
    why = sniffed.why;
  } else {
    if (!FORMATS.includes(options.format)) throw fail('unknown format', FORMATS.join(', '), options.format);
    format = options.format;
    why = 'chosen';
  }
  const parser = pipeline !== undefined ? pipeline.lineParser() : parsers[format]({ year: options.year });
  const { events, summary } = parseLines(parser, lines, { policy: 'collect', maxErrors: 1000 });
  if (events.length === 0)
    throw fail(
      'no events were read',
      'at least one event',
      `${summary.lines} lines, ${summary.errors} malformed`,
    );

  let train = [];
  let test = events;
  if (pipeline === undefined) {
    const fraction = options.trainFraction ?? 0.5;
    if (!(fraction > 0 && fraction < 1))
      throw fail('trainFraction is out of range', 'a number in (0, 1)', fraction);
    let lo = Infinity;
    let hi = -Infinity;
    for (const e of events) {
      if (e.time < lo) lo = e.time;
      if (e.time > hi) hi = e.time;
    }
    const cut = lo + fraction * (hi - lo);
    train = events.filter((e) => e.time < cut);
    test = events.filter((e) => e.time >= cut);
    pipeline = trainPipeline(train, {
      format,
      model: options.model ?? DEFAULT_MODEL,
      falseAlarmRate: options.falseAlarmRate ?? 0.01,
      seed: 1,
    });
  }
  const X = pipeline.featurize(test);
  const scores = pipeline.scoreRows(X);
  const order = Array.from(scores.energy.keys()).sort((a, b) => scores.energy[b] - scores.energy[a]);
  const shown = order.slice(0, top);
  // Models without exact per-feature contributions are explained by KernelSHAP against a seeded sample
  // of the scored rows (as `ebm explain` does).
  const exact = pipeline.detector.model.hasContributions === true;
  const reasons = pipeline.explain(
    shown.map((i) => test[i]),
    X.selectRows(shown),
    exact ? { top: 3, seed: 1 } : { top: 3, seed: 1, background: sampleRows(X, 32, 1) },
  );
  let flagged = 0;
  for (const f of scores.flag) flagged += f;
  let auc;
  if (options.labels !== undefined) {
    const y = test.map((e) => (options.labels[e.line - 1] == null ? 0 : 1));
    if (y.includes(0) && y.includes(1)) auc = rocAuc(y, scores.energy);
  }
  return {
    format,
    why,
    model: pipeline.modelName,
    lines: summary.lines,
    events: events.length,
    skipped: summary.skipped,
    malformed: summary.errors,
    errors: summary.errorList.slice(0, 10).map((e) => ({ line: e.line, reason: e.reason })),
    trained: pipeline === undefined ? 0 : train.length,
    scored: test.length,
    flagged,
    falseAlarmRate: pipeline.detector.falseAlarmRate,
    top: shown.map((i, k) => ({
      line: test[i].line,
      time: new Date(test[i].time * 1000).toISOString(),
      energy: scores.energy[i],
      pValue: scores.pValue[i],
      flag: scores.flag[i] === 1,
      reasons: formatReasons(reasons[k]),
      label: options.labels === undefined ? undefined : (options.labels[test[i].line - 1] ?? null),
    })),
    pipelineJson: JSON.stringify(pipeline.toJSON()),
    auc,
    ms: Date.now() - started,
  };
}
