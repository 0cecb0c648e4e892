import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CsvParser } from '../pipeline/csv.js';
import { lineParser, PIPELINE_FORMATS, Pipeline, type PipelineFormat } from '../pipeline/Pipeline.js';
import { CliError, type CliIO, choiceOpt, type OptionSpec, type ParsedArgs } from './command.js';
import { progressBar } from './progress.js';

/**
 * The `--model` and `--format` options shared by the commands that read a saved pipeline.
 *
 * @example
 * ```ts
 * const options = { ...PIPELINE_FILE_OPTIONS, out: { type: 'string', description: 'output file' } };
 * ```
 */
export const PIPELINE_FILE_OPTIONS: Readonly<Record<'model' | 'format', OptionSpec>> = {
  model: {
    type: 'string',
    short: 'm',
    description: "pipeline file written by 'ebm train'",
    valueName: 'FILE',
  },
  format: {
    type: 'string',
    short: 'f',
    description: 'log format (optional; must match the model)',
    valueName: 'FORMAT',
    defaultText: "the model's",
  },
};

/**
 * Files at least this large get a progress bar while being read.
 *
 * @example
 * ```ts
 * if (statSync(file).size >= PROGRESS_BYTES) showProgress();
 * ```
 */
export const PROGRESS_BYTES: number = 4 * 1024 * 1024;

/**
 * Reads the `--format` option (a pipeline format; default `lanl`).
 *
 * @example
 * ```ts
 * const format = formatOpt(args, 'train');
 * ```
 */
export function formatOpt(args: ParsedArgs, cmd: string): PipelineFormat {
  return choiceOpt(args, 'format', PIPELINE_FORMATS, 'lanl', cmd);
}

/**
 * Checks that every positional names a readable file; exit code 1 otherwise, 2 when none is given.
 *
 * @example
 * ```ts
 * const files = inputFiles(args, 'train');
 * ```
 */
export function inputFiles(
  args: ParsedArgs,
  cmd: string,
  max: number = Number.POSITIVE_INFINITY,
): readonly string[] {
  const files = args.positionals;
  if (files.length === 0) {
    throw new CliError(
      `ebm ${cmd}: no input file (expected a log file, got nothing; see 'ebm ${cmd} --help')`,
      2,
    );
  }
  if (files.length > max) {
    throw new CliError(`ebm ${cmd}: too many input files (expected at most ${max}, got ${files.length})`, 2);
  }
  for (const f of files) {
    if (!existsSync(f) || !statSync(f).isFile()) {
      throw new CliError(`ebm ${cmd}: cannot read input (expected a file, got ${JSON.stringify(f)})`, 1);
    }
  }
  return files;
}

/**
 * The `--format` option of commands that read a saved pipeline: optional, and when given it must match the
 * format the pipeline was trained on (exit code 2 otherwise).
 *
 * @example
 * ```ts
 * checkFormat(args, pipeline.format, 'score');
 * ```
 */
export function checkFormat(args: ParsedArgs, trained: PipelineFormat, cmd: string): void {
  const f = args.values.format;
  if (f === undefined || typeof f === 'boolean') return;
  const given = formatOpt(args, cmd);
  if (given !== trained) {
    throw new CliError(
      `ebm ${cmd}: --format does not match the model (expected ${trained}, the format it was trained on, got ${JSON.stringify(given)})`,
      2,
    );
  }
}

/**
 * Loads a saved pipeline file; a missing or invalid file is a `CliError` with exit code 1.
 *
 * @example
 * ```ts
 * const pipeline = loadPipelineFile(args, 'score');
 * ```
 */
export function loadPipelineFile(args: ParsedArgs, cmd: string): Pipeline {
  const path = args.values.model;
  if (typeof path !== 'string') {
    throw new CliError(
      `ebm ${cmd}: --model is required (expected a file written by 'ebm train', got nothing)`,
      2,
    );
  }
  if (!existsSync(path)) {
    throw new CliError(`ebm ${cmd}: cannot read --model (expected a file, got ${JSON.stringify(path)})`, 1);
  }
  let pipeline: Pipeline;
  try {
    pipeline = Pipeline.fromJSON(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`ebm ${cmd}: ${path} is not a valid model file: ${(e as Error).message}`, 1);
  }
  checkFormat(args, pipeline.format, cmd);
  return pipeline;
}

/**
 * Parsing counts of one input file.
 *
 * @example
 * ```ts
 * const stats: ReadStats = { lines: 0, bad: 0, firstBad: undefined };
 * ```
 */
export interface ReadStats {
  /** Lines read. */
  lines: number;
  /** Malformed lines skipped. */
  bad: number;
  /** The first malformed line's message. */
  firstBad: string | undefined;
}

/**
 * Streams the events of a log file in chunks of at most `chunk` events (readline over a file stream, so
 * memory stays bounded for files of any size), with a progress bar on stderr for large files. Malformed
 * lines are skipped and counted in `stats`.
 *
 * @example
 * ```ts
 * for await (const events of eventChunks('auth.txt', 'lanl', io, 'reading', 8192, stats)) use(events);
 * ```
 */
export async function* eventChunks(
  file: string,
  format: PipelineFormat,
  io: CliIO,
  label: string,
  chunk: number,
  stats: ReadStats,
  csvHeader?: readonly string[],
  progressBytes: number = PROGRESS_BYTES,
): AsyncGenerator<object[]> {
  const size = statSync(file).size;
  const bar = size >= progressBytes ? progressBar(io, label, size) : undefined;
  const parser = format === 'csv' ? new CsvParser(csvHeader) : lineParser(format);
  const stream = createReadStream(file);
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let buf: object[] = [];
  let lines = 0;
  for await (const line of rl) {
    lines++;
    let got: number;
    try {
      got = parser.parseLine(line, lines, buf);
    } catch (e) {
      got = -1;
      if (stats.firstBad === undefined) stats.firstBad = `line ${lines}: ${(e as Error).message}`;
    }
    if (got < 0) {
      stats.bad++;
      if (stats.firstBad === undefined) stats.firstBad = `line ${lines}: ${parser.reason}`;
    }
    if (buf.length >= chunk) {
      bar?.update(stream.bytesRead);
      yield buf;
      buf = [];
    }
  }
  stats.lines += lines;
  if (buf.length > 0) yield buf;
  bar?.finish(`${lines} lines`);
}

/**
 * Reads every event of the given files into memory (training and explanation need them all).
 *
 * @example
 * ```ts
 * const { events } = await readAllEvents(['a.txt'], 'lanl', io, 'train');
 * ```
 */
export async function readAllEvents(
  files: readonly string[],
  format: PipelineFormat,
  io: CliIO,
  cmd: string,
  csvHeader?: readonly string[],
): Promise<{ events: object[]; stats: ReadStats }> {
  const events: object[] = [];
  const stats: ReadStats = { lines: 0, bad: 0, firstBad: undefined };
  for (const f of files) {
    for await (const c of eventChunks(f, format, io, 'reading', 65_536, stats, csvHeader)) {
      for (const e of c) events.push(e);
    }
  }
  reportBad(stats, io, cmd, format);
  if (events.length === 0) {
    throw new CliError(
      `ebm ${cmd}: no ${format} events in the input (expected ${format} log lines, got ${stats.lines} lines${stats.firstBad === undefined ? '' : `; first problem: ${stats.firstBad}`})`,
      1,
    );
  }
  return { events, stats };
}

/**
 * Warns on stderr about skipped malformed lines.
 *
 * @example
 * ```ts
 * reportBad(stats, io, 'score', 'lanl');
 * ```
 */
export function reportBad(stats: ReadStats, io: CliIO, cmd: string, format: string): void {
  if (stats.bad > 0) {
    io.stderr.write(
      `ebm ${cmd}: skipped ${stats.bad} malformed ${format} line(s) of ${stats.lines}; first: ${stats.firstBad ?? '?'}\n`,
    );
  }
}

/**
 * The line number of an event (`line` field), or `fallback`.
 *
 * @example
 * ```ts
 * eventLine(events[0], 1);
 * ```
 */
export function eventLine(e: object, fallback: number): number {
  const l = (e as { line?: unknown }).line;
  return typeof l === 'number' ? l : fallback;
}
