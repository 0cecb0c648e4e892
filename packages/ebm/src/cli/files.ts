import {
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  type ReadStream,
  readFileSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';
import { MAX_JSON_CHARS } from '@nexus/ebm-core/extend';
import {
  checkFieldMap,
  type FieldMap,
  ParseSession,
  readLineBatches,
  sniffFormat,
  splitLines,
} from '@nexus/ebm-features';
import { CsvParser, csvFeatureColumns } from '../pipeline/csv.js';
import { lineParser, PIPELINE_FORMATS, Pipeline, type PipelineFormat } from '../pipeline/Pipeline.js';
import type { EventPasses } from '../pipeline/trainPipelineStream.js';
import { LineAccount } from './accounting.js';
import { CliError, type CliIO, choiceOpt, type OptionSpec, type ParsedArgs } from './command.js';
import { jsonDocumentLines } from './jsonDocument.js';
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
export function formatOpt(args: ParsedArgs, cmd: string): PipelineFormat | 'auto' {
  return choiceOpt(args, 'format', [...PIPELINE_FORMATS, 'auto'], 'lanl', cmd);
}

/**
 * What to read a log file as: a format, or a format with the field map of a `json` pipeline.
 */
export type ReadFormat =
  | PipelineFormat
  | { readonly format: PipelineFormat; readonly fieldMap?: FieldMap | undefined };

/** The format name of a {@link ReadFormat}. */
function formatName(f: ReadFormat): PipelineFormat {
  return typeof f === 'string' ? f : f.format;
}

/**
 * Resolves `--format auto` by the first lines (or records) of the first input file: says on stderr what
 * it chose and why, and refuses (exit code 1) when the lines are ambiguous or unrecognised.
 *
 * @example
 * ```ts
 * const format = resolveFormat(formatOpt(args, 'train'), files, io, 'train');
 * ```
 */
export function resolveFormat(
  format: PipelineFormat | 'auto',
  files: readonly string[],
  io: CliIO,
  cmd: string,
): PipelineFormat {
  if (format !== 'auto') return format;
  const file = files[0] as string;
  const sample = jsonDocumentLines(file)?.slice(0, AUTO_SAMPLE_LINES) ?? headLines(file, AUTO_SAMPLE_LINES);
  const s = sniffFormat(sample);
  if (s.format === undefined) {
    throw new CliError(`ebm ${cmd}: --format auto cannot tell the format of ${file}: ${s.why}`, 1);
  }
  io.stderr.write(`ebm ${cmd}: --format auto chose ${s.format} (${s.why})\n`);
  return s.format;
}

/**
 * Reads and checks a field map file (`--map`); an unreadable file is exit code 1, an invalid map 2.
 *
 * @example
 * ```ts
 * const map = readFieldMap('map.json', 'train');
 * ```
 */
export function readFieldMap(file: string, cmd: string): FieldMap {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new CliError(`ebm ${cmd}: cannot read --map (expected a file, got ${JSON.stringify(file)})`, 1);
  }
  if (statSync(file).size > 1024 * 1024) {
    throw new CliError(`ebm ${cmd}: --map ${file} is too large (expected at most 1 MiB)`, 1);
  }
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`ebm ${cmd}: --map ${file} is not JSON (${(e as Error).message.slice(0, 100)})`, 2);
  }
  try {
    return checkFieldMap(v);
  } catch (e) {
    throw new CliError(`ebm ${cmd}: --map ${file}: ${(e as Error).message}`, 2);
  }
}

/** Lines `--format auto` looks at. */
const AUTO_SAMPLE_LINES = 50;

/** The first `n` lines of a file (read from its first 1 MiB). */
function headLines(file: string, n: number): string[] {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1024 * 1024);
    const got = readSync(fd, buf, 0, buf.length, 0);
    const lines = splitLines(buf.subarray(0, got).toString('utf8'));
    // The last line of a full buffer may be cut: leave it out.
    if (got === buf.length) lines.pop();
    return lines.slice(0, n);
  } finally {
    closeSync(fd);
  }
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
  const seen = new Map<string, string>();
  for (const f of files) {
    if (!existsSync(f) || !statSync(f).isFile()) {
      throw new CliError(`ebm ${cmd}: cannot read input (expected a file, got ${JSON.stringify(f)})`, 1);
    }
    // One file named twice (or through a link) would be read, and count, twice.
    const st = statSync(f);
    const id = `${st.dev}:${st.ino}`;
    const before = seen.get(id);
    if (before !== undefined) {
      throw new CliError(
        `ebm ${cmd}: the same input file is given twice (expected distinct files, got ${JSON.stringify(before)} and ${JSON.stringify(f)}, which are one file)`,
        2,
      );
    }
    seen.set(id, f);
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
  if (given === 'auto') {
    // The model fixes the format; `auto` checks that the input looks like it (json and csv have no shape).
    const file = args.positionals[0];
    if (trained === 'json' || trained === 'csv' || file === undefined || !existsSync(file)) return;
    const sample = jsonDocumentLines(file)?.slice(0, AUTO_SAMPLE_LINES) ?? headLines(file, AUTO_SAMPLE_LINES);
    const s = sniffFormat(sample);
    if (s.format !== trained) {
      throw new CliError(
        `ebm ${cmd}: --format auto: ${file} does not look like the model's format (expected ${trained}, got ${s.format ?? 'no single format'}: ${s.why})`,
        1,
      );
    }
    return;
  }
  if (given !== trained) {
    throw new CliError(
      `ebm ${cmd}: --format does not match the model (expected ${trained}, the format it was trained on, got ${JSON.stringify(given)})`,
      2,
    );
  }
}

/**
 * Reads a model or pipeline file as text under the limits of saved models: the size is checked with `stat`
 * before anything is read (a file larger than {@link MAX_JSON_CHARS} bytes is refused without reading
 * it). Problems are `CliError`s with exit code 1 whose message starts with the option (`--model`).
 *
 * @example
 * ```ts
 * const text = readModelText('model.json');
 * ```
 */
export function readModelText(path: string, what = '--model'): string {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    throw new CliError(`cannot read ${what} (expected a file, got ${JSON.stringify(path)})`, 1);
  }
  if (!st.isFile()) {
    throw new CliError(
      `cannot read ${what} (expected a file, got ${JSON.stringify(path)}, which is not a regular file)`,
      1,
    );
  }
  if (st.size > MAX_JSON_CHARS) {
    throw new CliError(
      `${what} ${path} is too large for a model file (expected at most ${MAX_JSON_CHARS} bytes, got ${st.size})`,
      1,
    );
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(
      `cannot read ${what} (expected a readable file, got ${JSON.stringify(path)}: ${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      1,
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
  let pipeline: Pipeline;
  try {
    pipeline = Pipeline.fromJSON(readModelText(path));
  } catch (e) {
    if (e instanceof CliError) throw new CliError(`ebm ${cmd}: ${e.message}`, e.exitCode);
    throw new CliError(`ebm ${cmd}: ${path} is not a valid model file: ${(e as Error).message}`, 1);
  }
  checkFormat(args, pipeline.format, cmd);
  return pipeline;
}

/**
 * Streams the events of a log file in chunks of at most `chunk` events (the library's line splitter over a
 * file stream, so memory stays bounded for files of any size and line numbers are the library's), with a
 * progress bar on stderr for large files. Every line is accounted for in `account` when the file ends:
 * malformed lines are counted with their line number and reason and left out. A CSV header that does not
 * match `csvColumns` (the trained columns) stops the command with a `CliError` listing the differences.
 *
 * @example
 * ```ts
 * const account = new LineAccount('score', 'lanl');
 * for await (const events of eventChunks('auth.txt', 'lanl', io, 'reading', 8192, account)) use(events);
 * ```
 */
export async function* eventChunks(
  file: string,
  readAs: ReadFormat,
  io: CliIO,
  label: string,
  chunk: number,
  account: LineAccount,
  csvColumns?: readonly string[],
  progressBytes: number = PROGRESS_BYTES,
): AsyncGenerator<object[]> {
  const size = statSync(file).size;
  const bar = size >= progressBytes ? progressBar(io, label, size) : undefined;
  const format = formatName(readAs);
  const csv = format === 'csv' ? new CsvParser(csvColumns) : undefined;
  const parser = csv ?? lineParser(format, typeof readAs === 'string' ? undefined : readAs.fieldMap);
  const session = new ParseSession(parser, { policy: 'collect', maxErrors: 10 });
  // A JSON array or {"events": [...]} file is read whole, one record per line; anything else line by line.
  const records = format === 'csv' ? undefined : jsonDocumentLines(file);
  const stream = records === undefined ? createReadStream(file) : undefined;
  let buf: object[] = [];
  try {
    for await (const lines of records === undefined ? readLineBatches(stream as ReadStream) : [records]) {
      for (let i = 0; i < lines.length; i++) {
        session.parseLine(lines[i] as string, buf);
        if (csv?.headerError !== undefined) {
          throw new CliError(`ebm ${account.cmd}: ${file}: ${csv.headerError}`, 1);
        }
        if (buf.length >= chunk) {
          bar?.update(stream?.bytesRead ?? size);
          yield buf;
          buf = [];
        }
      }
    }
  } finally {
    stream?.destroy();
  }
  account.add(file, session.summary());
  if (buf.length > 0) yield buf;
  bar?.finish(`${session.summary().lines} lines`);
}

/**
 * The text of chosen lines of a log file, numbered as {@link eventChunks} numbers them (the library's
 * splitter; a JSON array or `{"events": [...]}` file read whole, one record per line), each shortened to
 * at most `maxChars` characters. Streams the file; keeps only the wanted lines.
 *
 * @example
 * ```ts
 * const text = await readLinesAt('auth.log', 'sshd', new Set([12, 4031]));
 * text.get(12); // 'Mar  3 02:11:09 host sshd[811]: Failed password for root from …'
 * ```
 */
export async function readLinesAt(
  file: string,
  format: PipelineFormat,
  wanted: ReadonlySet<number>,
  maxChars = 1000,
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (wanted.size === 0) return out;
  const last = Math.max(...wanted);
  const records = format === 'csv' ? undefined : jsonDocumentLines(file);
  const stream = records === undefined ? createReadStream(file) : undefined;
  let n = 0;
  try {
    for await (const lines of records === undefined ? readLineBatches(stream as ReadStream) : [records]) {
      for (const l of lines) {
        n++;
        if (wanted.has(n)) out.set(n, l.length > maxChars ? l.slice(0, maxChars) : l);
        if (n >= last) return out;
      }
    }
  } finally {
    stream?.destroy();
  }
  return out;
}

/**
 * Reads every event of the given files into memory (explanation needs them all). With several CSV files,
 * the first file's header fixes the columns the others must have (in any order).
 *
 * @example
 * ```ts
 * const { events, account } = await readAllEvents(['a.txt'], 'lanl', io, 'explain');
 * ```
 */
export async function readAllEvents(
  files: readonly string[],
  readAs: ReadFormat,
  io: CliIO,
  cmd: string,
  csvColumns?: readonly string[],
): Promise<{ events: object[]; account: LineAccount; columns: readonly string[] | undefined }> {
  const events: object[] = [];
  const account = new LineAccount(cmd, formatName(readAs));
  for await (const c of fileEvents(files, readAs, io, 'reading', account, csvColumns)) {
    for (const e of c.events) events.push(e);
    csvColumns = c.columns;
  }
  if (events.length === 0) throw noEvents(account, io, cmd);
  return { events, account, columns: csvColumns };
}

/** The events of the files in chunks, with the CSV columns fixed by the first file's header. */
async function* fileEvents(
  files: readonly string[],
  readAs: ReadFormat,
  io: CliIO,
  label: string,
  account: LineAccount,
  csvColumns: readonly string[] | undefined,
): AsyncGenerator<{ events: object[]; columns: readonly string[] | undefined }> {
  const format = formatName(readAs);
  let columns = csvColumns;
  for (const f of files) {
    for await (const c of eventChunks(f, readAs, io, label, 65_536, account, columns)) {
      if (format === 'csv' && columns === undefined && c.length > 0) {
        columns = csvFeatureColumns(c[0] as object);
      }
      yield { events: c, columns };
    }
  }
}

/** The error of an input without events (the accounting is reported first). */
function noEvents(account: LineAccount, io: CliIO, cmd: string): CliError {
  account.report(io, false);
  const format = account.format;
  return new CliError(
    `ebm ${cmd}: no ${format} events in the input (expected ${format} log lines, got ${account.lines} lines${account.firstProblem === undefined ? '' : `; first problem: ${account.firstProblem}`})`,
    1,
  );
}

/**
 * The events of log files as passes for {@link trainPipelineStream}: each call reads the files again,
 * chunk by chunk, so memory holds one chunk at a time. The first pass accounts for every line in
 * `account` and then calls `firstPassDone` (which may throw to stop before the long work); later passes
 * count into a scratch account (the library checks that they read the same events). `label()` names the
 * progress bar of large files.
 *
 * @example
 * ```ts
 * const passes = fileEventPasses(files, 'lanl', io, 'train', account, () => 'reading', (n) => check(n));
 * ```
 */
export function fileEventPasses(
  files: readonly string[],
  readAs: ReadFormat,
  io: CliIO,
  cmd: string,
  account: LineAccount,
  label: () => string,
  firstPassDone: (events: number) => void,
): EventPasses {
  let pass = 0;
  return async function* (): AsyncGenerator<object[]> {
    pass++;
    const acc = pass === 1 ? account : new LineAccount(cmd, formatName(readAs));
    let n = 0;
    for await (const c of fileEvents(files, readAs, io, label(), acc, undefined)) {
      n += c.events.length;
      yield c.events;
    }
    if (pass === 1) {
      if (n === 0) throw noEvents(account, io, cmd);
      firstPassDone(n);
    }
  };
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
