import { readFileSync } from 'node:fs';
import { averagePrecision, falseAlarmRange, Matrix, precisionAtK, rocAuc } from '@nexus/ebm-core';
import { splitLines } from '@nexus/ebm-features';
import { integerCode } from '@nexus/ebm-features/extend';
import { splitCsvLine } from '../pipeline/csv.js';
import { defaultIncidentFields } from '../pipeline/incidents.js';
import type { Pipeline } from '../pipeline/Pipeline.js';
import { LineAccount } from './accounting.js';
import { CliError, type CliIO, type Command, intOpt, type ParsedArgs } from './command.js';
import { finiteValue, isOverflow } from './energyText.js';
import { inputFiles, loadPipelineFile, PIPELINE_FILE_OPTIONS, readLinesAt } from './files.js';
import { IncidentRollup } from './incidentRollup.js';
import { MAX_LATENESS_OPTION, maxLatenessOpt, OrderReport } from './ordering.js';
import { checkOutputs, OutputFile } from './outputs.js';
import { htmlReport, type RateReason, type ReportEvent } from './report/htmlReport.js';
import { type ChunkObserver, scoreFile } from './score.js';
import { SpreadSample, TopEvents } from './topEvents.js';
import { TopIncidents } from './topIncidents.js';

const NEGATIVE = new Set(['normal', '0', 'false', 'benign', '']);

/** Events the report lists with their reasons, and reasons per event. */
const REPORT_TOP = 20;
const REPORT_REASONS = 3;
/** Incidents the report lists, and their window (seconds; the library's default). */
const REPORT_INCIDENTS = 20;
const INCIDENT_WINDOW = 3600;

/**
 * Whether a label value marks an anomalous event: anything but `normal`, `benign`, `0`, `false` or empty
 * (case-insensitive).
 *
 * @example
 * ```ts
 * isAnomalousLabel('pass-the-hash'); // true
 * isAnomalousLabel('Normal');        // false
 * ```
 */
export function isAnomalousLabel(label: string): boolean {
  return !NEGATIVE.has(label.trim().toLowerCase());
}

/**
 * Reads a labels file: a header, then `line,label` rows (two CSV cells, either may be quoted) where the label
 * is a scenario name (`normal` for normal events) or 0/1, lines split by the library's one rule (LF or CRLF). Returns the label value
 * (trimmed) per line number ({@link isAnomalousLabel} tells the class); a line number given twice is an
 * error naming both rows.
 *
 * @example
 * ```ts
 * const byLine = readLabels('lanl.test.labels.csv', 'eval');
 * byLine.get(812); // 'pass-the-hash'
 * ```
 */
export function readLabels(path: string, cmd: string): Map<number, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`ebm ${cmd}: cannot read --labels (expected a file, got ${JSON.stringify(path)})`, 1);
  }
  const lines = splitLines(text);
  const out = new Map<number, string>();
  const rowOf = new Map<number, number>();
  for (let i = 1; i < lines.length; i++) {
    const l = (lines[i] as string).trim();
    if (l === '') continue;
    const cells = splitCsvLine(l);
    const n = typeof cells === 'string' || cells.length !== 2 ? Number.NaN : integerCode(cells[0]);
    if (!Number.isInteger(n) || n < 1) {
      const why =
        typeof cells === 'string' ? `${cells}, ` : cells.length !== 2 ? `${cells.length} cells, ` : '';
      throw new CliError(
        `ebm ${cmd}: ${path} line ${i + 1}: bad label row (expected line,label with a positive line number, got ${why}${JSON.stringify(l.slice(0, 60))})`,
        1,
      );
    }
    const prev = rowOf.get(n);
    if (prev !== undefined) {
      throw new CliError(
        `ebm ${cmd}: ${path} line ${i + 1}: line ${n} is labelled twice (expected one label per line, got another on line ${prev})`,
        1,
      );
    }
    rowOf.set(n, i + 1);
    out.set(n, (cells as string[])[1] as string);
  }
  if (out.size === 0)
    throw new CliError(`ebm ${cmd}: ${path} has no label rows (expected a header and line,label rows)`, 1);
  return out;
}

/**
 * `ebm eval`: scores a labelled log file and prints ROC-AUC, average precision and precision at k; with
 * `--report`, writes a self-contained HTML report with ROC and PR curves and an energy histogram.
 *
 * @example
 * ```sh
 * ebm eval --model model.json --labels data/lanl.test.labels.csv --report report.html data/lanl.test.txt
 * ```
 */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'Evaluate a pipeline on a labelled log: ROC-AUC, average precision, precision at k, HTML report.',
  usage:
    'ebm eval --model FILE --labels FILE [--format FORMAT] [--k N] [--report FILE.html] [--max-lateness SECONDS] [--json] LOG',
  options: {
    ...PIPELINE_FILE_OPTIONS,
    labels: {
      type: 'string',
      short: 'l',
      description: 'CSV of line,label (scenario name or 0/1)',
      valueName: 'FILE',
    },
    k: { type: 'string', short: 'k', description: 'k of precision at k', valueName: 'N', defaultText: '100' },
    report: { type: 'string', description: 'write an HTML report here', valueName: 'FILE' },
    ...MAX_LATENESS_OPTION,
    json: { type: 'boolean', description: 'print the figures as one JSON object' },
  },
  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    const cmd = 'eval';
    const k = intOpt(args, 'k', 100, { cmd, min: 1 });
    const labelsPath = args.values.labels;
    if (typeof labelsPath !== 'string') {
      throw new CliError('ebm eval: --labels is required (expected a CSV of line,label, got nothing)', 2);
    }
    const lateness = maxLatenessOpt(args, cmd);
    const pipeline = loadPipelineFile(args, cmd);
    const [file] = inputFiles(args, cmd, 1);
    const json = args.values.json === true;
    const order = new OrderReport(lateness ?? pipeline.maxLatenessSeconds);
    const reportPath = args.values.report;
    let report: OutputFile | undefined;
    if (typeof reportPath === 'string') {
      checkOutputs(
        cmd,
        [{ path: reportPath, what: '--report' }],
        [
          { path: args.values.model as string, what: '--model' },
          { path: labelsPath, what: '--labels' },
          { path: file as string, what: 'the input log' },
        ],
      );
      report = OutputFile.open(reportPath, cmd, '--report');
    }
    try {
      const byLine = readLabels(labelsPath, cmd);
      const energies: number[] = [];
      const labels: number[] = [];
      let normalFlagged = 0;
      const names: string[] = [];
      const flags: number[] = [];
      const account = new LineAccount(cmd, pipeline.format);
      let unlabelled = 0;
      let firstUnlabelled = 0;
      // For the report: the top events and background rows (KernelSHAP), kept while streaming.
      const top = report === undefined ? undefined : new TopEvents(REPORT_TOP);
      const exact = pipeline.detector.model.hasContributions === true;
      const background = report === undefined || exact ? undefined : new SpreadSample(32);
      // For the report's incidents: the flagged events rolled up (reasons of one event per incident when
      // they come from KernelSHAP), the highest scores kept.
      const rollup =
        report === undefined
          ? undefined
          : new IncidentRollup(pipeline, { window: INCIDENT_WINDOW, explain: exact ? 3 : 1 });
      const incidents = new TopIncidents(REPORT_INCIDENTS);
      const observe: ChunkObserver | undefined =
        top === undefined
          ? undefined
          : (events, X, rows) => {
              top.offer(events, X, rows);
              background?.offer(X);
              incidents.offer(rollup?.add(events, X, rows) ?? []);
            };
      for await (const rows of scoreFile(pipeline, file as string, io, 8192, account, {
        ...(lateness === undefined ? {} : { maxLatenessSeconds: lateness }),
        order,
        ...(observe === undefined ? {} : { observe }),
      })) {
        for (const r of rows) {
          const name = byLine.get(r.line);
          if (name === undefined) {
            if (unlabelled++ === 0) firstUnlabelled = r.line;
            continue;
          }
          energies.push(r.energy);
          labels.push(isAnomalousLabel(name) ? 1 : 0);
          names.push(name);
          flags.push(r.flag);
          if (!isAnomalousLabel(name)) normalFlagged += r.flag;
        }
      }
      account.report(io, json);
      if (!json) order.report(io, cmd);
      let lastLabel = 0;
      for (const l of byLine.keys()) if (l > lastLabel) lastLabel = l;
      if (lastLabel !== account.lines) {
        throw new CliError(
          `ebm ${cmd}: ${labelsPath} does not match ${file} (expected labels up to line ${account.lines}, the log's last line, got labels up to line ${lastLabel}); the files were split into lines differently or belong to different logs`,
          1,
        );
      }
      if (unlabelled > 0) {
        throw new CliError(
          `ebm ${cmd}: ${labelsPath} does not label every event (expected a label for each event line, got ${unlabelled} event(s) without one, the first on line ${firstUnlabelled})`,
          1,
        );
      }
      const nPos = labels.reduce((a, b) => a + b, 0);
      if (nPos === 0 || nPos === labels.length) {
        throw new CliError(
          `ebm eval: the labels need both classes (expected normal and anomalous events, got ${nPos} anomalous of ${labels.length})`,
          1,
        );
      }
      const e = Float64Array.from(energies);
      // an energy beyond the double range ranks as the largest double (as `ebm score` writes it)
      const ranked = Float64Array.from(energies, finiteValue);
      const y = Uint8Array.from(labels);
      const kk = Math.min(k, y.length);
      const det = pipeline.detector;
      const nNormal = y.length - nPos;
      // What sampling alone explains if these normal events were exchangeable with the calibration rows
      // (the threshold is the k-th largest of n calibration energies); none for a threshold set by value.
      const rank = det.thresholdRank;
      const sampling =
        rank === undefined
          ? undefined
          : falseAlarmRange({ calibration: det.calibrationCount, rank, events: nNormal });
      const figures = {
        events: y.length,
        anomalous: nPos,
        roc_auc: rocAuc(y, ranked),
        average_precision: averagePrecision(y, ranked),
        precision_at_k: precisionAtK(y, ranked, kk),
        k: kk,
        // what the threshold promised, and what it kept on this file's normal events
        false_alarm_rate: det.falseAlarmRate,
        effective_false_alarm_rate: det.effectiveFalseAlarmRate,
        coarse_threshold: det.coarseThreshold,
        threshold: det.threshold,
        normal_flagged: normalFlagged,
        observed_false_alarm_rate: normalFlagged / nNormal,
        // the central 95 % range of that rate under exchangeability (null: a threshold set by value)
        sampling_low: sampling === undefined ? null : sampling.low / nNormal,
        sampling_high: sampling === undefined ? null : sampling.high / nNormal,
      };
      const target = targetText(det.falseAlarmRate, det.effectiveFalseAlarmRate, rateReason(det));
      if (report !== undefined) {
        const topEvents = await explainTop(pipeline, top as TopEvents, background, byLine, file as string);
        incidents.offer(rollup?.flush() ?? []);
        report.write(
          htmlReport({
            title: file as string,
            files: { log: file as string, labels: labelsPath, model: args.values.model as string },
            format: pipeline.format,
            model: pipeline.modelName,
            features: pipeline.featurizer.columns.length,
            read: account.toJSON(),
            labels: y,
            labelNames: names,
            energies: e,
            flags: Uint8Array.from(flags),
            threshold: det.threshold,
            falseAlarmRate:
              det.effectiveFalseAlarmRate !== det.falseAlarmRate
                ? {
                    requested: det.falseAlarmRate,
                    effective: det.effectiveFalseAlarmRate,
                    why: rateReason(det),
                  }
                : { requested: det.falseAlarmRate },
            figures: {
              rocAuc: figures.roc_auc,
              averagePrecision: figures.average_precision,
              precisionAtK: figures.precision_at_k,
              k: kk,
            },
            top: topEvents,
            explainedBy: exact ? 'exact contributions' : 'KernelSHAP',
            incidents: incidents.report(
              byLine,
              INCIDENT_WINDOW,
              defaultIncidentFields(pipeline.featurizer.config.name).map(pipeline.fieldLabel()),
            ),
          }),
        );
        report.commit();
        io.stderr.write(`report → ${report.path}\n`);
      }
      if (json) {
        io.stdout.write(`${JSON.stringify({ ...figures, read: account.toJSON(), order: order.toJSON() })}\n`);
      } else {
        io.stdout.write(
          `events             ${figures.events} (${nPos} anomalous)\nROC-AUC            ${figures.roc_auc.toFixed(4)}\naverage precision  ${figures.average_precision.toFixed(4)}\nprecision at ${String(kk).padEnd(6)}${figures.precision_at_k.toFixed(4)}\nfalse alarms       ${fmtRate(figures.observed_false_alarm_rate)} of normal events flagged (${normalFlagged} of ${nNormal}; target ${target})\n${sampling === undefined ? '' : `                   sampling alone explains ${sampling.low}–${sampling.high} of ${nNormal} (${fmtRate(sampling.low / nNormal)}–${fmtRate(sampling.high / nNormal)}, 95 %); ${samplingVerdict(normalFlagged, sampling)}\n`}`,
        );
      }
    } finally {
      report?.abort();
    }
    return 0;
  },
};

/** The one place that names the reason, for the printed target and the HTML report alike. */
function rateReason(det: Pipeline['detector']): RateReason {
  return det.coarseThreshold ? 'coarse' : det.thresholdTies ? 'ties' : 'bounded';
}

/**
 * The false-alarm target as `eval` prints it: the requested rate, or the rate the threshold delivers with
 * the reason it differs — a coarse threshold (too few calibration events), calibration energies tied with the
 * threshold, or a bounded calibration set whose kept quantile lies above the requested position (a rate
 * beyond its exact tail). Enough digits that the
 * two never print alike.
 */
function targetText(requested: number, effective: number, reason: RateReason): string {
  if (effective === requested) return fmtRate(requested);
  let digits = 3;
  while (digits < 12 && fmtRate(effective, digits) === fmtRate(requested, digits)) digits++;
  const why =
    reason === 'coarse'
      ? 'coarse threshold'
      : reason === 'ties'
        ? 'calibration energies tie with the threshold, so fewer lie above it'
        : 'the bounded calibration set keeps a quantile above the requested position';
  return `${fmtRate(effective, digits)} (${why}; requested ${fmtRate(requested, digits)})`;
}

/** A rate as a percentage with enough digits for 0.001-level targets. */
/** Where an observed count lies against the range sampling explains. */
function samplingVerdict(flagged: number, range: { low: number; high: number }): string {
  if (flagged < range.low) return 'fewer flagged: these events are more usual than the calibration rows';
  if (flagged > range.high) return 'more flagged: these events differ from the calibration rows';
  return 'within it';
}

function fmtRate(r: number, digits = 3): string {
  return `${Number((r * 100).toPrecision(digits))} %`;
}

/**
 * The report's top events: the kept highest energies explained together (exact contributions, else
 * KernelSHAP over background rows spread over the log), with the event's fields, its label and its line
 * read back from the log. An energy beyond the double range has no reasons (noted).
 */
async function explainTop(
  pipeline: Pipeline,
  top: TopEvents,
  background: SpreadSample | undefined,
  byLine: ReadonlyMap<number, string>,
  file: string,
): Promise<ReportEvent[]> {
  const kept = top.events();
  const finite = kept.filter((k) => !isOverflow(k.row.energy));
  let why: ReturnType<Pipeline['explain']> = [];
  if (finite.length > 0) {
    const cols = pipeline.featurizer.columns.length;
    const data = new Float64Array(finite.length * cols);
    finite.forEach((k, i) => {
      data.set(k.x, i * cols);
    });
    const bg = background?.matrix();
    why = pipeline.explain(
      finite.map((k) => k.event),
      new Matrix(finite.length, cols, data),
      bg === undefined ? { top: REPORT_REASONS, seed: 1 } : { top: REPORT_REASONS, seed: 1, background: bg },
    );
  }
  const reasonsOf = new Map(finite.map((k, i) => [k, why[i] ?? []]));
  const text = await readLinesAt(file, pipeline.format, new Set(kept.map((k) => k.row.line)));
  return kept.map((k) => {
    const t = text.get(k.row.line);
    const overflow = isOverflow(k.row.energy);
    return {
      line: k.row.line,
      energy: k.row.energy,
      pValue: k.row.pValue,
      flag: k.row.flag,
      label: byLine.get(k.row.line) ?? '',
      fields: pipeline.featurizer.describe(k.event),
      ...(t === undefined ? {} : { text: t }),
      reasons: (reasonsOf.get(k) ?? []).map((r) => ({ text: r.text, attribution: r.attribution })),
      ...(overflow ? { note: 'energy beyond the double range: no finite split into reasons' } : {}),
    };
  });
}
