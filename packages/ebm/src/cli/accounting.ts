/**
 * The line accounting every `ebm` command that reads logs prints: each line read is a line with events,
 * a well-formed line that is not an event (counted per reason: blank line, an event id the format does not
 * model, an sshd message that is not about authentication, …) or a malformed line, so
 * `lines = event_lines + non_event_lines + malformed` always holds; `events` can exceed `event_lines`
 * (an sshd "message repeated N times" line, a CloudTrail `Records` array).
 *
 * @module
 */
import type { ParseSummary } from '@nexus/ebm-features';
import type { CliIO } from './command.js';

/** Malformed lines kept by name (file, line, reason) for the report; the count goes on past this. */
const KEEP_MALFORMED = 10;

/**
 * One malformed line: file, line number and reason.
 */
export interface MalformedLine {
  /** The file it was read from. */
  readonly file: string;
  /** Its 1-based line number. */
  readonly line: number;
  /** Why it was rejected. */
  readonly reason: string;
}

/**
 * The accounting as printed with `--json` (and under `read` in the JSON results of `train` and `eval`).
 *
 * @example
 * ```ts
 * const a: LineAccountJSON = account.toJSON();
 * a.lines === a.event_lines + a.non_event_lines + a.malformed; // true
 * ```
 */
export interface LineAccountJSON {
  /** The files read, in order. */
  readonly files: readonly string[];
  /** Lines read. */
  readonly lines: number;
  /** Lines that gave at least one event. */
  readonly event_lines: number;
  /** Events produced. */
  readonly events: number;
  /** Well-formed lines that are not events. */
  readonly non_event_lines: number;
  /** Those lines by reason. */
  readonly non_events: Readonly<Record<string, number>>;
  /** Malformed lines. */
  readonly malformed: number;
  /** The first malformed lines (at most 10), with file, line and reason. */
  readonly first_malformed: readonly MalformedLine[];
}

/**
 * Counts of the lines a command read, summed over its input files.
 *
 * @example
 * ```ts
 * const account = new LineAccount('score', 'sshd');
 * account.add('auth.log', session.summary());
 * account.report(io, false);
 * ```
 */
export class LineAccount {
  /** The command (for messages). */
  readonly cmd: string;
  /** The log format read. */
  readonly format: string;
  private readonly files: string[] = [];
  private nLines = 0;
  private nEventLines = 0;
  private nEvents = 0;
  private nNonEvents = 0;
  private readonly reasons = new Map<string, number>();
  private nMalformed = 0;
  private readonly firstMalformed: MalformedLine[] = [];

  /** @param cmd - the command; @param format - the format read. */
  constructor(cmd: string, format: string) {
    this.cmd = cmd;
    this.format = format;
  }

  /**
   * Adds one file's parse summary.
   *
   * @example
   * ```ts
   * account.add('a.log', session.summary());
   * ```
   */
  add(file: string, s: ParseSummary): void {
    this.files.push(file);
    this.nLines += s.lines;
    this.nEventLines += s.parsed;
    this.nEvents += s.events;
    this.nNonEvents += s.skipped;
    for (const [k, v] of Object.entries(s.skipReasons)) this.reasons.set(k, (this.reasons.get(k) ?? 0) + v);
    this.nMalformed += s.errors;
    for (const e of s.errorList) {
      if (this.firstMalformed.length >= KEEP_MALFORMED) break;
      this.firstMalformed.push({ file, line: e.line, reason: e.reason });
    }
  }

  /** Lines read so far. */
  get lines(): number {
    return this.nLines;
  }

  /** Events produced so far. */
  get events(): number {
    return this.nEvents;
  }

  /** Malformed lines so far. */
  get malformed(): number {
    return this.nMalformed;
  }

  /** The first malformed line as `line N: reason` (`FILE line N: reason` with several files), if any. */
  get firstProblem(): string | undefined {
    const m = this.firstMalformed[0];
    if (m === undefined) return undefined;
    return `${this.files.length > 1 ? `${m.file} ` : ''}line ${m.line}: ${m.reason}`;
  }

  /**
   * The accounting as a JSON-ready object.
   *
   * @example
   * ```ts
   * io.stderr.write(`${JSON.stringify(account.toJSON())}\n`);
   * ```
   */
  toJSON(): LineAccountJSON {
    const nonEvents: Record<string, number> = {};
    for (const [k, v] of [...this.reasons].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
      Object.defineProperty(nonEvents, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return {
      files: this.files.slice(),
      lines: this.nLines,
      event_lines: this.nEventLines,
      events: this.nEvents,
      non_event_lines: this.nNonEvents,
      non_events: nonEvents,
      malformed: this.nMalformed,
      first_malformed: this.firstMalformed.slice(),
    };
  }

  /**
   * The accounting as one line of text.
   *
   * @example
   * ```ts
   * account.text(); // 'ebm score: read 2000 sshd lines of auth.log: 1134 with events (1142 events), …'
   * ```
   */
  text(): string {
    const src = this.files.length === 1 ? (this.files[0] as string) : `${this.files.length} files`;
    const reasons = [...this.reasons]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const first = this.firstProblem;
    return (
      `ebm ${this.cmd}: read ${this.nLines} ${this.format} lines of ${src}: ` +
      `${this.nEventLines} with events (${this.nEvents} events), ` +
      `${this.nNonEvents} not events${reasons === '' ? '' : ` (${reasons})`}, ` +
      `${this.nMalformed} malformed${first === undefined ? '' : ` (first: ${first})`}`
    );
  }

  /**
   * Prints the accounting on stderr: one line of text, or one JSON object with `json`.
   *
   * @example
   * ```ts
   * account.report(io, args.values.json === true);
   * ```
   */
  report(io: CliIO, json: boolean): void {
    io.stderr.write(json ? `${JSON.stringify({ read: this.toJSON() })}\n` : `${this.text()}\n`);
  }
}
