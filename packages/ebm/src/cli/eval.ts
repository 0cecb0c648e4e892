import { readFileSync, writeFileSync } from 'node:fs';
import { averagePrecision, precisionAtK, rocAuc } from '@nexus/ebm-core';
import { CliError, type CliIO, type Command, intOpt, type ParsedArgs } from './command.js';
import { inputFiles, loadPipelineFile, PIPELINE_FILE_OPTIONS, type ReadStats, reportBad } from './files.js';
import { htmlReport } from './report.js';
import { scoreFile } from './score.js';

const NEGATIVE = new Set(['normal', '0', 'false', 'benign', '']);

/**
 * Reads a labels file: a header, then `line,label` rows where the label is a scenario name (`normal` for
 * normal events) or 0/1. Returns the positive flag per line number.
 *
 * @example
 * ```ts
 * const byLine = readLabels('lanl.test.labels.csv', 'eval');
 * ```
 */
export function readLabels(path: string, cmd: string): Map<number, boolean> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`ebm ${cmd}: cannot read --labels (expected a file, got ${JSON.stringify(path)})`, 1);
  }
  const lines = text.split(/\r?\n/);
  const out = new Map<number, boolean>();
  for (let i = 1; i < lines.length; i++) {
    const l = (lines[i] as string).trim();
    if (l === '') continue;
    const comma = l.indexOf(',');
    const n = Number(comma < 0 ? Number.NaN : l.slice(0, comma));
    if (!Number.isInteger(n) || n < 1) {
      throw new CliError(
        `ebm ${cmd}: ${path} line ${i + 1}: bad label row (expected line,label with a positive line number, got ${JSON.stringify(l.slice(0, 60))})`,
        1,
      );
    }
    out.set(
      n,
      !NEGATIVE.has(
        l
          .slice(comma + 1)
          .trim()
          .toLowerCase(),
      ),
    );
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
  usage: 'ebm eval --model FILE --labels FILE [--format FORMAT] [--k N] [--report FILE.html] [--json] LOG',
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
    json: { type: 'boolean', description: 'print the figures as one JSON object' },
  },
  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    const cmd = 'eval';
    const k = intOpt(args, 'k', 100, { cmd, min: 1 });
    const labelsPath = args.values.labels;
    if (typeof labelsPath !== 'string') {
      throw new CliError('ebm eval: --labels is required (expected a CSV of line,label, got nothing)', 2);
    }
    const pipeline = loadPipelineFile(args, cmd);
    const [file] = inputFiles(args, cmd, 1);
    const byLine = readLabels(labelsPath, cmd);
    const energies: number[] = [];
    const labels: number[] = [];
    const stats: ReadStats = { lines: 0, bad: 0, firstBad: undefined };
    let missing = 0;
    for await (const rows of scoreFile(pipeline, file as string, io, 8192, stats)) {
      for (const r of rows) {
        const y = byLine.get(r.line);
        if (y === undefined) {
          missing++;
          continue;
        }
        energies.push(r.energy);
        labels.push(y ? 1 : 0);
      }
    }
    reportBad(stats, io, cmd, pipeline.format);
    if (missing > 0) io.stderr.write(`ebm eval: ${missing} scored event(s) have no label and are left out\n`);
    const nPos = labels.reduce((a, b) => a + b, 0);
    if (nPos === 0 || nPos === labels.length) {
      throw new CliError(
        `ebm eval: the labels need both classes (expected normal and anomalous events, got ${nPos} anomalous of ${labels.length})`,
        1,
      );
    }
    const e = Float64Array.from(energies);
    const y = Uint8Array.from(labels);
    const kk = Math.min(k, y.length);
    const figures = {
      events: y.length,
      anomalous: nPos,
      roc_auc: rocAuc(y, e),
      average_precision: averagePrecision(y, e),
      precision_at_k: precisionAtK(y, e, kk),
      k: kk,
    };
    if (args.values.json === true) {
      io.stdout.write(`${JSON.stringify(figures)}\n`);
    } else {
      io.stdout.write(
        `events             ${figures.events} (${nPos} anomalous)\nROC-AUC            ${figures.roc_auc.toFixed(4)}\naverage precision  ${figures.average_precision.toFixed(4)}\nprecision at ${String(kk).padEnd(6)}${figures.precision_at_k.toFixed(4)}\n`,
      );
    }
    const report = args.values.report;
    if (typeof report === 'string') {
      writeFileSync(
        report,
        htmlReport({
          title: file as string,
          labels: y,
          energies: e,
          threshold: pipeline.detector.threshold,
          figures: {
            model: `${pipeline.modelName} (${pipeline.format})`,
            events: `${y.length} (${nPos} anomalous)`,
            'ROC-AUC': figures.roc_auc.toFixed(4),
            'average precision': figures.average_precision.toFixed(4),
            [`precision at ${kk}`]: figures.precision_at_k.toFixed(4),
          },
        }),
      );
      io.stderr.write(`report → ${report}\n`);
    }
    return 0;
  },
};
