/**
 * sshd / auth.log parser. Reads syslog lines (BSD, ISO 8601 / RFC 3339 and RFC 5424 headers; see
 * {@link SyslogReader}) and reads their messages with {@link AuthMessageReader}: accepted (password /
 * publickey / …), failed, invalid user, PAM authentication failures (including "PAM N more authentication
 * failures"), pam_faillock lock-outs, unix_chkpwd failures, PAM session opened / closed (any service), sudo
 * (including "user NOT in sudoers"), su. "message repeated N times: [ … ]" gives N events and "last message
 * repeated N times" N more copies of the previous line's event. Other well-formed syslog lines are skipped
 * with a reason; lines without a syslog header are errors.
 *
 * A truncated authentication line is malformed, never skipped: a message cut inside its opening words
 * ("Faile", "session opened for us") or before the parts its template always ends with (sshd logins end in
 * `port N ssh2`, PAM session openings in `(uid=N)`, sudo records in `COMMAND=…`, su records name `by
 * USER`) is an error, as is a line cut inside its program tag. A carriage return inside a line (a lone CR,
 * which is not a line break) makes the line malformed.
 *
 * @module
 */
import { message, ParameterError } from '@nexus/ebm-core';
import { AuthMessageReader } from './authMessage.js';
import { BAD, type LineParser, SKIP } from './common.js';
import type { SshdEvent } from './events.js';
import { SyslogReader } from './syslog.js';

/**
 * Options of the sshd parser.
 *
 * @example
 * ```ts
 * const p = new SshdParser({ year: 2016, utcOffsetMinutes: -300 });
 * ```
 */
export interface SshdOptions {
  /** Year of BSD timestamps, which carry none (default: the current UTC year). Rolls over at Dec → Jan. */
  readonly year?: number;
  /** Zone of timestamps without one, in minutes east of UTC (default 0 = UTC). */
  readonly utcOffsetMinutes?: number;
  /** Largest N accepted in "message repeated N times" (default 10000); larger counts are errors. */
  readonly maxRepeat?: number;
}

/**
 * sshd / auth.log parser. Yields {@link SshdEvent}s; `action` is one of `accepted`, `failed`,
 * `invalid_user`, `auth_failure`, `locked`, `session_opened`, `session_closed`, `sudo`, `sudo_denied`, `su`.
 *
 * @example
 * ```ts
 * const out: SshdEvent[] = [];
 * new SshdParser({ year: 2024 }).parseLine(
 *   'Feb 22 16:45:20 slave22 sshd[2738]: Failed password for root from 202.109.143.106 port 1786 ssh2', 1, out);
 * out[0].success; // false
 * ```
 */
export class SshdParser implements LineParser<SshdEvent> {
  /** Format name. */
  readonly format: string = 'sshd';
  /** Why the last line was skipped or rejected. */
  reason = '';
  private readonly syslog: SyslogReader;
  private readonly maxRepeat: number;
  private readonly auth = new AuthMessageReader();
  /** The event of the previous line, for "last message repeated N times"; undefined after a non-event. */
  private last: SshdEvent | undefined;

  /** @param options - year, zone and repeat cap. */
  constructor(options: SshdOptions = {}) {
    const year = options.year ?? new Date().getUTCFullYear();
    if (!Number.isInteger(year) || year < 1970 || year > 9999) {
      throw new ParameterError(
        message('SshdParser', 'year must be an integer in [1970, 9999]', 'e.g. 2024', String(year)),
      );
    }
    const off = options.utcOffsetMinutes ?? 0;
    if (!Number.isInteger(off) || Math.abs(off) > 18 * 60) {
      throw new ParameterError(
        message(
          'SshdParser',
          'utcOffsetMinutes must be an integer in [-1080, 1080]',
          'e.g. -300',
          String(off),
        ),
      );
    }
    const maxRepeat = options.maxRepeat ?? 10000;
    if (!Number.isInteger(maxRepeat) || maxRepeat < 1) {
      throw new ParameterError(
        message('SshdParser', 'maxRepeat must be a positive integer', '≥ 1', String(maxRepeat)),
      );
    }
    this.syslog = new SyslogReader(year, off);
    this.maxRepeat = maxRepeat;
  }

  /** Parses one line; see {@link LineParser.parseLine}. */
  parseLine(line: string, lineNo: number, out: SshdEvent[]): number {
    const n = this.parse(line, lineNo, out);
    if (n <= 0) this.last = undefined;
    return n;
  }

  private parse(line: string, lineNo: number, out: SshdEvent[]): number {
    if (line.trim() === '') {
      this.reason = 'blank line';
      return SKIP;
    }
    if (line.indexOf('\r') >= 0) {
      this.reason = 'carriage return inside the line (a lone CR is not a line break)';
      return BAD;
    }
    const s = this.syslog;
    if (!s.read(line)) {
      this.reason = s.reason;
      return BAD;
    }
    const h = s.header;
    let msg = h.msg;
    if (msg.startsWith('last message repeated ')) return this.lastRepeated(msg, lineNo, h.time, out);
    if (!s.tagged) {
      // One word after the host ("sshd[27", "sshd[2738]:") is a line cut inside its tag; several words
      // without a tag are a well-formed syslog line we do not read.
      if (msg.indexOf(' ') < 0) {
        this.reason = 'truncated line (cut inside the program tag, no message)';
        return BAD;
      }
      this.reason = 'no program tag';
      return SKIP;
    }
    let repeat = 1;
    if (msg.startsWith('message repeated ')) {
      const t = msg.indexOf(' times: [');
      const n = t > 0 ? Number(msg.slice(17, t)) : Number.NaN;
      const r = this.checkRepeat(n);
      if (r !== '') {
        this.reason = r;
        return BAD;
      }
      repeat = n;
      msg = msg.slice(t + 9).trim();
      if (!msg.endsWith(']')) {
        this.reason = 'truncated "message repeated N times: [ … ]" (no closing bracket)';
        return BAD;
      }
      msg = msg.slice(0, -1).trim();
    }
    return this.emit(lineNo, h.time, h.host, h.program, h.pid, msg, h.pamSuffix, repeat, out);
  }

  /** '' when `n` is a usable repeat count, else the reason it is not. */
  private checkRepeat(n: number): string {
    if (!Number.isInteger(n) || n < 1) return 'bad "message repeated N times" count';
    if (n > this.maxRepeat) return `repeat count too large (expected ≤ ${this.maxRepeat}, got ${n})`;
    return '';
  }

  /** `last message repeated N times`: N more copies of the previous line's event, at this line's time. */
  private lastRepeated(msg: string, lineNo: number, time: number, out: SshdEvent[]): number {
    const t = msg.indexOf(' time', 22);
    const n = t > 0 ? Number(msg.slice(22, t)) : Number.NaN;
    const r = this.checkRepeat(n);
    if (r !== '') {
      this.reason = r;
      return BAD;
    }
    const prev = this.last;
    if (prev === undefined) {
      this.reason = 'repeat of a line that gave no authentication event';
      return SKIP;
    }
    for (let i = 0; i < n; i++) out.push({ ...prev, line: lineNo, time });
    return n;
  }

  /**
   * Reads `msg` of `program` and pushes `repeat` × the message's own count events; returns the number
   * pushed, SKIP or BAD (reason in `reason`).
   */
  private emit(
    lineNo: number,
    time: number,
    host: string,
    program: string,
    pid: number,
    msg: string,
    pamSuffix: boolean,
    repeat: number,
    out: SshdEvent[],
  ): number {
    const r = this.auth.read(program, msg, pamSuffix);
    if (r <= 0) {
      this.reason = this.auth.reason;
      return r;
    }
    const d = this.auth.draft;
    const n = repeat * d.count;
    if (n > this.maxRepeat) {
      this.reason = `repeat count too large (expected ≤ ${this.maxRepeat}, got ${n})`;
      return BAD;
    }
    const e: SshdEvent = {
      format: 'sshd',
      line: lineNo,
      time,
      user: d.user,
      srcUser: d.srcUser,
      srcHost: d.srcHost,
      dstHost: host,
      authType: d.authType,
      logonType: d.logonType,
      action: d.action,
      success: d.success,
      program,
      pid,
      port: d.port,
      invalidUser: d.invalidUser,
      command: d.command,
      targetUser: d.targetUser,
    };
    for (let i = 0; i < n; i++) out.push(i === 0 ? e : { ...e });
    this.last = e;
    return n;
  }
}
