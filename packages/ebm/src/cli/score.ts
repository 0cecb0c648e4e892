import { once } from 'node:events';
import type { Matrix } from '@nexus/ebm-core';
import type { IncidentOptions } from '../pipeline/incidents.js';
import type { Pipeline } from '../pipeline/Pipeline.js';
import type { StreamScores } from '../pipeline/PipelineStream.js';
import { LineAccount } from './accounting.js';
import { CliError, type CliIO, type Command, choiceOpt, intOpt, type ParsedArgs } from './command.js';
import { isOverflow, numberText } from './energyText.js';
import { eventChunks, eventLine, inputFiles, loadPipelineFile, PIPELINE_FILE_OPTIONS } from './files.js';
import { IncidentRollup } from './incidentRollup.js';
import { MAX_LATENESS_OPTION, maxLatenessOpt, OrderReport } from './ordering.js';
import { checkOutputs, OutputFile } from './outputs.js';

/**
 * One scored event.
 */
export interface ScoredEvent {
  /** Line number in the input. */
  readonly line: number;
  /** Energy (higher = more anomalous). */
  readonly energy: number;
  /** Conformal p-value. */
  readonly pValue: number;
  /** 1 when above the threshold. */
  readonly flag: number;
}

/**
 * What {@link scoreFile} hands a caller that wants more than the scores of each chunk: its events and
 * their feature rows (e.g. to keep the top events for explaining them afterwards).
 */
export type ChunkObserver = (events: readonly object[], X: Matrix, rows: readonly ScoredEvent[]) => void;

/**
 * Options of {@link scoreFile}.
 *
 * @example
 * ```ts
 * const o: ScoreFileOptions = { maxLatenessSeconds: 60, order: new OrderReport(60) };
 * ```
 */
export interface ScoreFileOptions {
  /** The reordering window (default: the pipeline's). */
  readonly maxLatenessSeconds?: number;
  /** Receives the window's counters at the end of the file. */
  readonly order?: OrderReport;
  /** Sees the events, feature rows and scores of each run of results (e.g. to keep the top events). */
  readonly observe?: ChunkObserver;
}

/**
 * Streams the scored events of a log file in chunks (constant memory): parse `chunk` events at a time,
 * pass them through the pipeline's reordering window, featurize and score what it releases, and yield
 * the results **in file order**, each with its line number. The output does not depend on `chunk`;
 * `options.observe`, when given, sees each run of results with its events and feature rows.
 *
 * @example
 * ```ts
 * for await (const rows of scoreFile(pipeline, 'test.txt', io, 8192, account)) write(rows);
 * ```
 */
export async function* scoreFile(
  pipeline: Pipeline,
  file: string,
  io: CliIO,
  chunk: number,
  account: LineAccount,
  options: ScoreFileOptions = {},
): AsyncGenerator<ScoredEvent[]> {
  const cmd = account.cmd;
  const cols = pipeline.featurizer.columns;
  const stream = pipeline.stream({
    ...(options.maxLatenessSeconds === undefined ? {} : { maxLatenessSeconds: options.maxLatenessSeconds }),
    label: (e, i) => `line ${eventLine(e, i + 1)}`,
  });
  // An error of the library names the line already; columns get their names, and the file is named.
  const fail = (e: unknown): never => {
    const msg = (e instanceof Error ? e.message : String(e)).replace(
      /\bcolumn (\d+)/g,
      (m: string, j: string) => {
        const c = cols[Number(j)];
        return c === undefined ? m : `${m} (${c.name})`;
      },
    );
    throw new CliError(`ebm ${cmd}: ${file}: ${msg}`, 1);
  };
  const rowsOf = (r: StreamScores): ScoredEvent[] => {
    const rows: ScoredEvent[] = new Array(r.events.length);
    for (let i = 0; i < r.events.length; i++) {
      const line = eventLine(r.events[i] as object, r.first + i + 1);
      const energy = r.energy[i] as number;
      if (Number.isNaN(energy)) {
        throw new CliError(
          `ebm ${cmd}: ${file} line ${line}: the model gave no energy (expected a number, got NaN)`,
          1,
        );
      }
      rows[i] = { line, energy, pValue: r.pValue[i] as number, flag: r.flag[i] as number };
    }
    options.observe?.(r.events, r.rows, rows);
    return rows;
  };
  for await (const events of eventChunks(
    file,
    { format: pipeline.format, fieldMap: pipeline.fieldMap },
    io,
    'scoring',
    chunk,
    account,
    pipeline.csvColumns,
  )) {
    let r: StreamScores;
    try {
      r = stream.push(events);
    } catch (e) {
      return fail(e);
    }
    if (r.events.length > 0) yield rowsOf(r);
  }
  let rest: StreamScores;
  try {
    rest = stream.flush();
  } catch (e) {
    return fail(e);
  }
  if (rest.events.length > 0) yield rowsOf(rest);
  options.order?.add(stream.stats());
}

/**
 * The CSV header of `ebm score --output-format csv`.
 *
 * @example
 * ```ts
 * SCORE_CSV_HEADER; // 'line,energy,p_value,flag,overflow'
 * ```
 */
export const SCORE_CSV_HEADER = 'line,energy,p_value,flag,overflow';

/**
 * One output row of `ebm score`: NDJSON `{"line":…,"energy":…,"p_value":…,"flag":…}` (plus
 * `"overflow":true` when the energy overflowed the double range and is written as the largest finite
 * double with its sign), or a CSV row under {@link SCORE_CSV_HEADER}. The text is always valid JSON / CSV
 * numbers: never `Infinity` or `NaN`.
 *
 * @example
 * ```ts
 * scoreRowText({ line: 3, energy: Infinity, pValue: 0.001, flag: 1 }, 'ndjson');
 * // '{"line":3,"energy":1.7976931348623157e+308,"p_value":0.001,"flag":1,"overflow":true}\n'
 * ```
 */
export function scoreRowText(r: ScoredEvent, format: 'ndjson' | 'csv'): string {
  const over = isOverflow(r.energy);
  const e = numberText(r.energy);
  const p = numberText(r.pValue);
  if (format === 'csv') return `${r.line},${e},${p},${r.flag},${over ? 1 : 0}\n`;
  return `{"line":${r.line},"energy":${e},"p_value":${p},"flag":${r.flag}${over ? ',"overflow":true' : ''}}\n`;
}

/**
 * The options `ebm score` and `ebm worker` share for incidents: `--incidents`, `--window`, `--by`.
 *
 * @example
 * ```ts
 * const options = { ...INCIDENT_OPTIONS };
 * ```
 */
export const INCIDENT_OPTIONS: Command['options'] = {
  incidents: {
    type: 'boolean',
    description:
      'write incidents (flagged events rolled up per entity and time window) as NDJSON instead of events',
  },
  window: {
    type: 'string',
    description: 'with --incidents: a flagged event joins an incident within this many seconds of it',
    valueName: 'SECONDS',
    defaultText: '3600',
  },
  by: {
    type: 'string',
    description: 'with --incidents: event fields that link events (comma-separated)',
    valueName: 'FIELDS',
    defaultText: 'user,srcHost (auth), user (CloudTrail), actor (GitHub)',
  },
};

/**
 * The incident options of a command line, or `undefined` without `--incidents` (then `--window` and
 * `--by` are usage errors).
 *
 * @example
 * ```ts
 * const o = incidentOptionsOf(args, 'score'); // { window: 3600 } with --incidents
 * ```
 */
export function incidentOptionsOf(args: ParsedArgs, cmd: string): IncidentOptions | undefined {
  if (args.values.incidents !== true) {
    if (args.values.window !== undefined || args.values.by !== undefined) {
      throw new CliError(
        `ebm ${cmd}: --window and --by go with --incidents (expected --incidents, got neither)`,
        2,
      );
    }
    return undefined;
  }
  const window = intOpt(args, 'window', 3600, { cmd, min: 0, max: 366 * 86400 });
  const byText = args.values.by;
  if (typeof byText !== 'string') return { window };
  const by = byText
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (by.length === 0)
    throw new CliError(`ebm ${cmd}: --by names no field (expected FIELD[,FIELD…], got "${byText}")`, 2);
  return { window, by };
}

/**
 * `ebm score`: energy, p-value and flag per event of a log file, as NDJSON or CSV, streamed.
 *
 * @example
 * ```sh
 * ebm score --model model.json --out scores.ndjson data/lanl.test.txt
 * ```
 */
export const scoreCommand: Command = {
  name: 'score',
  summary:
    'Score a log file of any size with a trained pipeline: energy, p-value and flag per event (streamed).',
  usage:
    'ebm score --model FILE [--format FORMAT] [--output-format ndjson|csv] [--incidents [--window SECONDS] [--by FIELD,…]] [--chunk N] [--max-lateness SECONDS] [--out FILE] [--json] LOG',
  options: {
    ...PIPELINE_FILE_OPTIONS,
    'output-format': {
      type: 'string',
      description: 'ndjson or csv',
      valueName: 'FMT',
      defaultText: 'ndjson',
    },
    chunk: {
      type: 'string',
      description: 'events read at a time (the output does not depend on it)',
      valueName: 'N',
      defaultText: '8192',
    },
    ...MAX_LATENESS_OPTION,
    out: {
      type: 'string',
      short: 'o',
      description: 'output file (written whole or not at all; never an input or the model)',
      valueName: 'FILE',
      defaultText: 'standard output',
    },
    json: { type: 'boolean', description: 'print the line accounting and totals on stderr as JSON' },
    ...INCIDENT_OPTIONS,
  },
  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    const cmd = 'score';
    const outFormat = choiceOpt(args, 'output-format', ['ndjson', 'csv'] as const, 'ndjson', cmd);
    const chunk = intOpt(args, 'chunk', 8192, { cmd, min: 1, max: 1_000_000 });
    const lateness = maxLatenessOpt(args, cmd);
    const pipeline = loadPipelineFile(args, cmd);
    const order = new OrderReport(lateness ?? pipeline.maxLatenessSeconds);
    const [file] = inputFiles(args, cmd, 1);
    const outPath = args.values.out;
    const json = args.values.json === true;
    const incidentOptions = incidentOptionsOf(args, cmd);
    if (incidentOptions !== undefined && outFormat === 'csv') {
      throw new CliError(
        'ebm score: --incidents writes NDJSON (expected no --output-format csv, got csv)',
        2,
      );
    }
    let out: OutputFile | undefined;
    if (typeof outPath === 'string') {
      checkOutputs(
        cmd,
        [{ path: outPath, what: '--out' }],
        [
          { path: args.values.model as string, what: '--model' },
          { path: file as string, what: 'the input log' },
        ],
      );
      out = OutputFile.open(outPath, cmd, '--out');
    }
    try {
      const write = async (text: string): Promise<void> => {
        if (out !== undefined) out.write(text);
        else if (!io.stdout.write(text)) await once(io.stdout, 'drain');
      };
      if (outFormat === 'csv') await write(`${SCORE_CSV_HEADER}\n`);
      const account = new LineAccount(cmd, pipeline.format);
      const rollUp =
        incidentOptions === undefined ? undefined : new IncidentRollup(pipeline, incidentOptions);
      const closed: string[] = [];
      let n = 0;
      let flagged = 0;
      let overflow = 0;
      for await (const rows of scoreFile(pipeline, file as string, io, chunk, account, {
        ...(lateness === undefined ? {} : { maxLatenessSeconds: lateness }),
        order,
        ...(rollUp === undefined
          ? {}
          : { observe: (events, X, r) => closed.push(...rollUp.add(events, X, r)) }),
      })) {
        const parts: string[] = [];
        for (const r of rows) {
          flagged += r.flag;
          if (isOverflow(r.energy)) overflow++;
          if (rollUp === undefined) parts.push(scoreRowText(r, outFormat));
        }
        n += rows.length;
        if (rollUp !== undefined) parts.push(...closed.splice(0, closed.length));
        if (parts.length > 0) await write(parts.join(''));
      }
      if (rollUp !== undefined) await write(rollUp.flush().join(''));
      account.report(io, json);
      if (!json) order.report(io, cmd);
      if (n === 0) {
        throw new CliError(
          `ebm score: no ${pipeline.format} events in the input (expected ${pipeline.format} log lines, got ${account.lines} lines${account.firstProblem === undefined ? '' : `; first problem: ${account.firstProblem}`})`,
          1,
        );
      }
      out?.commit();
      const t = pipeline.detector.threshold;
      if (json) {
        io.stderr.write(
          `${JSON.stringify({ scored: n, flagged, ...(rollUp === undefined ? {} : { incidents: rollUp.written }), overflow, threshold: Number.isFinite(t) ? t : null, out: out?.path ?? null, order: order.toJSON() })}\n`,
        );
      } else {
        io.stderr.write(
          `scored ${n} events, ${flagged} flagged${rollUp === undefined ? '' : ` in ${rollUp.written} incidents`}${overflow > 0 ? `, ${overflow} with an energy beyond the double range (written as ±1.7976931348623157e+308 with "overflow")` : ''} (threshold ${t.toPrecision(4)})${out === undefined ? '' : ` → ${out.path}`}\n`,
        );
      }
    } finally {
      out?.abort();
    }
    return 0;
  },
};
