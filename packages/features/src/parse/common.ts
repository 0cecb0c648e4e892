/**
 * The parsing machinery shared by every log format: a synchronous {@link LineParser} per format, and a
 * {@link ParseSession} that drives it over an array of lines, a whole text, a Node stream or any async
 * iterable, applies the bad-line policy and keeps the counts.
 *
 * Accounting: every line read is either *parsed* (it gave one or more events), *skipped* (well-formed but
 * not an event of interest: a blank line, an sshd "Connection closed", a Windows event id we do not model)
 * or an *error* (malformed), so `parsed + skipped + errors === lines` always holds.
 *
 * @module
 */
import { message, ParameterError, ParseError } from '@nexus/ebm-core';

/**
 * What happens to a malformed line: `throw` raises a {@link ParseError} (line number and reason), `skip`
 * counts it and goes on, `collect` counts it and keeps the error (up to `maxErrors`) in the summary.
 *
 * @example
 * ```ts
 * const policy: ParsePolicy = 'collect';
 * ```
 */
export type ParsePolicy = 'throw' | 'skip' | 'collect';

/**
 * Options of a {@link ParseSession}.
 *
 * @example
 * ```ts
 * const opts: ParseOptions = { policy: 'collect', maxErrors: 100 };
 * ```
 */
export interface ParseOptions {
  /** Bad-line policy (default `'throw'`). */
  readonly policy?: ParsePolicy;
  /** With `collect`, keep at most this many errors (the count keeps going; default 1000). */
  readonly maxErrors?: number;
  /** Number of the first line (default 1), e.g. when resuming inside a file. */
  readonly firstLine?: number;
}

/**
 * Counts of one parse run. `parsed + skipped + errors === lines`; `events` can exceed `parsed` (an sshd
 * "message repeated N times" line or a CloudTrail `{"Records": [...]}` line gives several events).
 *
 * @example
 * ```ts
 * const s: ParseSummary = session.summary();
 * console.log(`${s.events} events from ${s.lines} lines, ${s.errors} bad`);
 * ```
 */
export interface ParseSummary {
  /** The format name, e.g. `lanl`. */
  readonly format: string;
  /** Lines read. */
  readonly lines: number;
  /** Lines that gave at least one event. */
  readonly parsed: number;
  /** Well-formed lines that are not events of interest. */
  readonly skipped: number;
  /** Malformed lines. */
  readonly errors: number;
  /** Events produced. */
  readonly events: number;
  /** Skipped lines by reason. */
  readonly skipReasons: Readonly<Record<string, number>>;
  /** Errors kept under the `collect` policy (at most `maxErrors`), in line order. */
  readonly errorList: readonly ParseError[];
}

/**
 * Outcome code of {@link LineParser.parseLine} for a line to skip (reason in `parser.reason`).
 *
 * @example
 * ```ts
 * if (parser.parseLine(line, no, out) === SKIP) console.log(parser.reason);
 * ```
 */
export const SKIP = 0;
/**
 * Outcome code of {@link LineParser.parseLine} for a malformed line (reason in `parser.reason`).
 *
 * @example
 * ```ts
 * if (parser.parseLine(line, no, out) === BAD) throw new Error(parser.reason);
 * ```
 */
export const BAD = -1;

/**
 * A synchronous parser of one log format. `parseLine` pushes the line's events onto `out` and returns
 * how many it pushed (≥ 1), `0` for a line to skip or `-1` for a malformed line; for `0` and `-1` the
 * reason is in `reason`. Parsers may keep state between lines (the syslog year roll-over), so use one
 * parser per input.
 *
 * @example
 * ```ts
 * const p = parsers.lanl();
 * const out: LanlAuthEvent[] = [];
 * if (p.parseLine('1,U1@D,U1@D,C1,C2,NTLM,Network,LogOn,Success', 1, out) < 0) console.log(p.reason);
 * ```
 */
export interface LineParser<E> {
  /** The format name, e.g. `sshd`. */
  readonly format: string;
  /** Why the last line was skipped or rejected. */
  readonly reason: string;
  /** Parses one line (without its line break); see the interface description for the return value. */
  parseLine(line: string, lineNo: number, out: E[]): number;
}

/**
 * Something that can be read line by line: an array or iterable of lines, a Node stream, an async iterable.
 *
 * @example
 * ```ts
 * const src: LineSource = fs.createReadStream('auth.log');
 * ```
 */
export type LineSource =
  | Iterable<string>
  | AsyncIterable<string | Uint8Array>
  | NodeJS.ReadableStream
  | { [Symbol.asyncIterator](): AsyncIterator<unknown> };

function isChunked(source: object): boolean {
  const s = source as { pipe?: unknown; on?: unknown };
  return typeof s.pipe === 'function' && typeof s.on === 'function';
}

/**
 * Splits a Node stream, or any async iterable of text or byte chunks, into lines (LF or CRLF; a last line
 * without a break is kept). Strings from a plain async iterable that is not a stream are taken as lines
 * already (any line break inside one splits it further).
 *
 * @example
 * ```ts
 * for await (const line of readLines(fs.createReadStream('auth.log'))) console.log(line);
 * ```
 */
export async function* readLines(source: LineSource): AsyncGenerator<string> {
  if (Symbol.iterator in source && typeof source !== 'string') {
    for (const item of source as Iterable<string>) yield* splitWhole(String(item));
    return;
  }
  const chunked = isChunked(source as object);
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  for await (const raw of source as AsyncIterable<unknown>) {
    let chunk: string;
    let isBytes = false;
    if (typeof raw === 'string') chunk = raw;
    else if (raw instanceof Uint8Array) {
      chunk = decoder.decode(raw, { stream: true });
      isBytes = true;
    } else chunk = String(raw);
    if (!chunked && !isBytes) {
      yield* splitWhole(chunk);
      continue;
    }
    let start = 0;
    let nl = chunk.indexOf('\n');
    if (nl >= 0 && rest.length > 0) {
      yield stripCr(rest + chunk.slice(0, nl));
      rest = '';
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    while (nl >= 0) {
      yield stripCr(chunk.slice(start, nl));
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    rest += chunk.slice(start);
  }
  rest += decoder.decode();
  if (rest.length > 0) yield stripCr(rest);
}

function stripCr(s: string): string {
  return s.length > 0 && s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s;
}

function* splitWhole(s: string): Generator<string> {
  if (s.indexOf('\n') < 0) {
    yield stripCr(s);
    return;
  }
  const parts = s.split('\n');
  // A trailing line break ends the last line; it does not start an empty one.
  const n = parts[parts.length - 1] === '' ? parts.length - 1 : parts.length;
  for (let i = 0; i < n; i++) yield stripCr(parts[i] as string);
}

/**
 * Splits a whole text into lines (LF or CRLF; a final line break does not add an empty line).
 *
 * @example
 * ```ts
 * splitLines('a\r\nb\n'); // ['a', 'b']
 * ```
 */
export function splitLines(text: string): string[] {
  return [...splitWhole(text)];
}

/**
 * Drives a {@link LineParser} over lines with a bad-line policy and keeps the counts. Use one session per
 * input; the counts accumulate over every call.
 *
 * @example
 * ```ts
 * const session = new ParseSession(parsers.sshd({ year: 2024 }), { policy: 'collect' });
 * const events = session.parseLines(text.split('\n'));
 * console.log(session.summary());
 * for await (const e of new ParseSession(parsers.lanl()).stream(fs.createReadStream('auth.txt'))) use(e);
 * ```
 */
export class ParseSession<E> {
  /** The parser in use. */
  readonly parser: LineParser<E>;
  private readonly policy: ParsePolicy;
  private readonly maxErrors: number;
  private lineNo: number;
  private nLines = 0;
  private nParsed = 0;
  private nSkipped = 0;
  private nErrors = 0;
  private nEvents = 0;
  private readonly skipCounts = new Map<string, number>();
  private readonly errorList: ParseError[] = [];

  /**
   * @param parser - the format's line parser (one per input).
   * @param options - policy, error cap and first line number.
   */
  constructor(parser: LineParser<E>, options: ParseOptions = {}) {
    const policy = options.policy ?? 'throw';
    if (policy !== 'throw' && policy !== 'skip' && policy !== 'collect') {
      throw new ParameterError(
        message('ParseSession', 'unknown policy', "'throw', 'skip' or 'collect'", JSON.stringify(policy)),
      );
    }
    const maxErrors = options.maxErrors ?? 1000;
    if (!Number.isInteger(maxErrors) || maxErrors < 0) {
      throw new ParameterError(
        message('ParseSession', 'maxErrors must be a non-negative integer', '≥ 0', String(maxErrors)),
      );
    }
    const first = options.firstLine ?? 1;
    if (!Number.isInteger(first) || first < 0) {
      throw new ParameterError(
        message('ParseSession', 'firstLine must be a non-negative integer', '≥ 0', String(first)),
      );
    }
    this.parser = parser;
    this.policy = policy;
    this.maxErrors = maxErrors;
    this.lineNo = first - 1;
  }

  /**
   * Parses one line, pushing its events onto `out`; returns the number of events pushed.
   *
   * @example
   * ```ts
   * const out: LanlAuthEvent[] = [];
   * session.parseLine('1,U1@D,U1@D,C1,C2,NTLM,Network,LogOn,Success', out); // 1
   * ```
   */
  parseLine(line: string, out: E[]): number {
    const no = ++this.lineNo;
    this.nLines++;
    let n: number;
    try {
      n = this.parser.parseLine(line, no, out);
    } catch (e) {
      // A parser bug must not break the accounting: report it as a bad line.
      n = BAD;
      (this.parser as { reason: string }).reason = `internal parser error: ${(e as Error).message}`;
    }
    if (n > 0) {
      this.nParsed++;
      this.nEvents += n;
      return n;
    }
    if (n === SKIP) {
      this.nSkipped++;
      const r = this.parser.reason;
      this.skipCounts.set(r, (this.skipCounts.get(r) ?? 0) + 1);
      return 0;
    }
    this.nErrors++;
    if (this.policy === 'skip') return 0;
    const err = new ParseError(this.parser.format, no, this.parser.reason);
    if (this.policy === 'throw') throw err;
    if (this.errorList.length < this.maxErrors) this.errorList.push(err);
    return 0;
  }

  /**
   * Parses an array or iterable of lines synchronously (the fast path) and returns their events.
   *
   * @example
   * ```ts
   * const events = new ParseSession(parsers.lanl()).parseLines(lines);
   * ```
   */
  parseLines(lines: Iterable<string>, out: E[] = []): E[] {
    for (const line of lines) this.parseLine(line, out);
    return out;
  }

  /**
   * Parses a whole text (LF or CRLF line breaks) synchronously.
   *
   * @example
   * ```ts
   * const events = new ParseSession(parsers.sshd()).parseText(fs.readFileSync('auth.log', 'utf8'));
   * ```
   */
  parseText(text: string, out: E[] = []): E[] {
    for (const line of splitWhole(text)) this.parseLine(line, out);
    return out;
  }

  /**
   * Reads lines from a Node stream or any (async) iterable and yields events as they are parsed.
   *
   * @example
   * ```ts
   * for await (const e of session.stream(process.stdin)) handle(e);
   * ```
   */
  async *stream(source: LineSource): AsyncGenerator<E> {
    const buf: E[] = [];
    for await (const line of readLines(source)) {
      if (this.parseLine(line, buf) > 0) {
        for (let i = 0; i < buf.length; i++) yield buf[i] as E;
        buf.length = 0;
      }
    }
  }

  /**
   * The counts so far.
   *
   * @example
   * ```ts
   * const { lines, parsed, skipped, errors } = session.summary();
   * ```
   */
  summary(): ParseSummary {
    const skipReasons: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const [k, v] of this.skipCounts) skipReasons[k] = v;
    return {
      format: this.parser.format,
      lines: this.nLines,
      parsed: this.nParsed,
      skipped: this.nSkipped,
      errors: this.nErrors,
      events: this.nEvents,
      skipReasons,
      errorList: this.errorList.slice(),
    };
  }
}

/**
 * Parses an array of lines (or a whole text) synchronously with one parser; returns events and summary.
 *
 * @example
 * ```ts
 * const { events, summary } = parseLines(parsers.lanl(), ['1,U1@D,U1@D,C1,C2,NTLM,Network,LogOn,Success']);
 * ```
 */
export function parseLines<E>(
  parser: LineParser<E>,
  lines: Iterable<string> | string,
  options: ParseOptions = {},
): { events: E[]; summary: ParseSummary } {
  const session = new ParseSession(parser, options);
  const events = typeof lines === 'string' ? session.parseText(lines) : session.parseLines(lines);
  return { events, summary: session.summary() };
}

/**
 * Parses a stream of lines asynchronously; `onSummary` receives the counts when the input ends.
 *
 * @example
 * ```ts
 * for await (const e of parseStream(parsers.winevt(), fs.createReadStream('security.jsonl'), {
 *   policy: 'collect', onSummary: (s) => console.error(s),
 * })) handle(e);
 * ```
 */
export async function* parseStream<E>(
  parser: LineParser<E>,
  source: LineSource,
  options: ParseOptions & { readonly onSummary?: (s: ParseSummary) => void } = {},
): AsyncGenerator<E> {
  const session = new ParseSession(parser, options);
  yield* session.stream(source);
  options.onSummary?.(session.summary());
}
