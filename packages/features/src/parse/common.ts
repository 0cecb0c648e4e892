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
 */
export type ParsePolicy = 'throw' | 'skip' | 'collect';

/**
 * Options of a {@link ParseSession}.
 */
export interface ParseOptions {
  /** Bad-line policy (default `'throw'`). */
  readonly policy?: ParsePolicy;
  /** With `collect`, keep at most this many errors (the count keeps going; default 1000). */
  readonly maxErrors?: number;
  /** Number of the first line (default 1), e.g. when resuming inside a file. */
  readonly firstLine?: number;
  /**
   * Longest line accepted, in characters (default {@link MAX_LINE_CHARS}); a longer line is malformed
   * (reason `line longer than … characters`).
   */
  readonly maxLineChars?: number;
}

/**
 * Longest line the splitter keeps and a parse session accepts by default: 16 Mi characters. The splitter
 * never holds more than this (plus one character) of a line, however long the line in the input: a hostile
 * or corrupt file with no line breaks costs bounded memory, and the over-long line is counted as malformed.
 */
export const MAX_LINE_CHARS: number = 16 * 1024 * 1024;

/** Cuts an over-long line to `cap + 1` characters: enough for the session to see it is over the cap. */
function capLine(line: string, cap: number): string {
  return line.length > cap ? line.slice(0, cap + 1) : line;
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

const BOM = 0xfeff;

function checkMaxLineChars(api: string, v: number | undefined): number {
  const cap = v ?? MAX_LINE_CHARS;
  if (!Number.isInteger(cap) || cap < 1) {
    throw new ParameterError(message(api, 'maxLineChars must be a positive integer', '≥ 1', String(cap)));
  }
  return cap;
}

/**
 * Splits one piece of text into lines by the library's one rule: LF and CRLF end a line, a lone CR is
 * content. `final` says whether the text ends the input (then a last line without a break is kept, and a
 * trailing CR stays in it); otherwise the unterminated tail is returned for the next piece.
 */
function splitPiece(carry: string, text: string, out: string[], final: boolean, cap: number): string {
  let nl = text.indexOf('\n');
  if (nl < 0) {
    // Nothing ends here: keep appending (V8 joins strings lazily, so a long line stays linear), but never
    // more than cap + 1 characters of one line.
    const all = capLine(carry + text, cap);
    if (final && all.length > 0) out.push(all);
    return final ? '' : all;
  }
  let head = carry + text.slice(0, nl);
  if (head.charCodeAt(head.length - 1) === 13) head = head.slice(0, -1);
  out.push(capLine(head, cap));
  let start = nl + 1;
  nl = text.indexOf('\n', start);
  while (nl >= 0) {
    const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    out.push(end - start > cap ? text.slice(start, start + cap + 1) : text.slice(start, end));
    start = nl + 1;
    nl = text.indexOf('\n', start);
  }
  const tail = capLine(text.slice(start), cap);
  if (!final) return tail;
  if (tail.length > 0) out.push(tail);
  return '';
}

/**
 * Splits a Node stream, or any (async) iterable of text or byte chunks, into batches of lines: one batch
 * per chunk read, holding the lines that chunk completed (possibly none). This is the library's one line
 * splitter — the `ebm` command line and the stream worker use it too — so line numbers agree everywhere:
 * LF and CRLF end a line, a lone CR is content (line formats count a line holding one as malformed), a last
 * line without a break is kept, and a UTF-8 byte-order mark at the start of the input is dropped. Strings
 * from a plain (async) iterable that is not a stream are taken as lines already (a line break inside one
 * splits it further).
 *
 * @example
 * ```ts
 * for await (const lines of readLineBatches(fs.createReadStream('auth.log'))) count += lines.length;
 * ```
 */
export async function* readLineBatches(
  source: LineSource,
  options: { readonly maxLineChars?: number } = {},
): AsyncGenerator<string[]> {
  const cap = checkMaxLineChars('readLineBatches', options.maxLineChars);
  let first = true;
  const stripBom = (t: string): string => {
    if (!first || t.length === 0) return t;
    first = false;
    return t.charCodeAt(0) === BOM ? t.slice(1) : t;
  };
  if (Symbol.iterator in source && typeof source !== 'string') {
    for (const item of source as Iterable<string>) {
      const out: string[] = [];
      splitPiece('', stripBom(String(item)), out, true, cap);
      if (out.length === 0) out.push('');
      yield out;
    }
    return;
  }
  const chunked = isChunked(source as object);
  // The decoder keeps a byte-order mark (ignoreBOM), so one rule drops it for bytes and text alike.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let rest = '';
  for await (const raw of source as AsyncIterable<unknown>) {
    let chunk: string;
    let isBytes = false;
    if (typeof raw === 'string') chunk = raw;
    else if (raw instanceof Uint8Array) {
      chunk = decoder.decode(raw, { stream: true });
      isBytes = true;
    } else chunk = String(raw);
    chunk = stripBom(chunk);
    const out: string[] = [];
    if (!chunked && !isBytes) {
      splitPiece('', chunk, out, true, cap);
      if (out.length === 0) out.push('');
    } else rest = splitPiece(rest, chunk, out, false, cap);
    yield out;
  }
  const out: string[] = [];
  splitPiece(rest, stripBom(decoder.decode()), out, true, cap);
  if (out.length > 0) yield out;
}

/**
 * Splits a Node stream, or any async iterable of text or byte chunks, into lines by the rule of
 * {@link readLineBatches} (LF or CRLF end a line; a lone CR is content; a last line without a break is
 * kept; a leading byte-order mark is dropped).
 *
 * @example
 * ```ts
 * for await (const line of readLines(fs.createReadStream('auth.log'))) console.log(line);
 * ```
 */
export async function* readLines(
  source: LineSource,
  options: { readonly maxLineChars?: number } = {},
): AsyncGenerator<string> {
  for await (const batch of readLineBatches(source, options)) yield* batch;
}

/**
 * Splits a whole text into lines by the rule of {@link readLineBatches}: LF and CRLF end a line (a final
 * line break does not add an empty line), a lone CR is content, a leading byte-order mark is dropped.
 *
 * @example
 * ```ts
 * splitLines('a\r\nb\n'); // ['a', 'b']
 * splitLines('a\rb'); // ['a\rb'] — a lone CR does not end a line
 * ```
 */
export function splitLines(text: string, options: { readonly maxLineChars?: number } = {}): string[] {
  const cap = checkMaxLineChars('splitLines', options.maxLineChars);
  const out: string[] = [];
  splitPiece('', text.charCodeAt(0) === BOM ? text.slice(1) : text, out, true, cap);
  return out;
}

/**
 * Drives a {@link LineParser} over lines with a bad-line policy and keeps the counts. Use one session per
 * input; the counts accumulate over every call.
 *
 * @example
 * ```ts
 * const session = new ParseSession(parsers.sshd({ year: 2024 }), { policy: 'collect' });
 * const events = session.parseLines(splitLines(text));
 * console.log(session.summary());
 * for await (const e of new ParseSession(parsers.lanl()).stream(fs.createReadStream('auth.txt'))) use(e);
 * ```
 */
export class ParseSession<E> {
  /** The parser in use. */
  readonly parser: LineParser<E>;
  private readonly policy: ParsePolicy;
  private readonly maxErrors: number;
  private readonly maxLineChars: number;
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
    this.maxLineChars = checkMaxLineChars('ParseSession', options.maxLineChars);
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
    // A byte-order mark starts the input, not the first line's text (lines given directly, not split).
    if (this.nLines++ === 0 && line.charCodeAt(0) === BOM) line = line.slice(1);
    let n: number;
    try {
      if (line.length > this.maxLineChars) {
        n = BAD;
        (this.parser as { reason: string }).reason = `line longer than ${this.maxLineChars} characters`;
      } else n = this.parser.parseLine(line, no, out);
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
    for (const line of splitLines(text)) this.parseLine(line, out);
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
    for await (const events of this.streamBatches(source)) yield* events;
  }

  /**
   * Reads lines from a Node stream or any (async) iterable and yields the events of each chunk read as
   * one array (fewer awaits than {@link ParseSession.stream}; arrays may be empty).
   *
   * @example
   * ```ts
   * for await (const events of session.streamBatches(fs.createReadStream('auth.txt'))) model.score(events);
   * ```
   */
  async *streamBatches(source: LineSource): AsyncGenerator<E[]> {
    for await (const lines of readLineBatches(source, { maxLineChars: this.maxLineChars })) {
      const out: E[] = [];
      for (let i = 0; i < lines.length; i++) this.parseLine(lines[i] as string, out);
      yield out;
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
