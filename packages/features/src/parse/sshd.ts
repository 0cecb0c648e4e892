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
import { asObject, asString, firstString, getPath, type JsonObject, jsonObjectOfLine } from './json.js';
import { integerCode } from './numbers.js';
import { SyslogReader } from './syslog.js';
import { parseJsonTime } from './time.js';

/** journald's `MESSAGE`: a string, or an array of bytes when it is not valid UTF-8 text. */
function journalText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return new TextDecoder('utf-8').decode(Uint8Array.from(v as number[]));
  }
  return '';
}

/** A process id from JSON (number or decimal string); -1 when absent. */
function jsonPid(v: unknown): number {
  const n = integerCode(v);
  return n >= 0 ? n : -1;
}

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
    if (line.charCodeAt(0) === 123) return this.json(line, lineNo, out);
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
      const n = t > 0 ? integerCode(msg.slice(17, t)) : Number.NaN;
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
    const n = t > 0 ? integerCode(msg.slice(22, t)) : Number.NaN;
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

  /**
   * A JSON record: journald (`journalctl -o json`: `MESSAGE`, `SYSLOG_IDENTIFIER`, `_PID`, `_HOSTNAME`,
   * `_SOURCE_REALTIME_TIMESTAMP` / `__REALTIME_TIMESTAMP` in microseconds) or an ECS document of
   * Filebeat / Elastic Agent `system.auth` (the raw line from `event.original` when kept; else `message`
   * read by program `process.name`; else the parsed ECS fields).
   */
  private json(line: string, lineNo: number, out: SshdEvent[]): number {
    const o = jsonObjectOfLine(line, this);
    if (typeof o === 'number') return o;
    if (Object.hasOwn(o, 'MESSAGE') || Object.hasOwn(o, '__REALTIME_TIMESTAMP'))
      return this.journald(o, lineNo, out);
    return this.ecs(o, lineNo, out);
  }

  private journald(o: JsonObject, lineNo: number, out: SshdEvent[]): number {
    const us = integerCode(asString(o._SOURCE_REALTIME_TIMESTAMP) || asString(o.__REALTIME_TIMESTAMP));
    if (!Number.isFinite(us) || us <= 0) {
      this.reason = 'journald record without a valid __REALTIME_TIMESTAMP (microseconds since the epoch)';
      return BAD;
    }
    const program = firstString(o.SYSLOG_IDENTIFIER, o._COMM);
    if (program === '') {
      this.reason = 'no program tag';
      return SKIP;
    }
    const msg = journalText(o.MESSAGE);
    const pid = jsonPid(o.SYSLOG_PID ?? o._PID);
    return this.emit(lineNo, us / 1e6, asString(o._HOSTNAME), program, pid, msg, false, 1, out);
  }

  private ecs(o: JsonObject, lineNo: number, out: SshdEvent[]): number {
    const p = (path: string): unknown => getPath(o, path);
    const original = p('event.original');
    if (typeof original === 'string' && original.trim() !== '' && original.charCodeAt(0) !== 123) {
      return this.parse(original, lineNo, out);
    }
    const time = parseJsonTime(p('@timestamp'));
    if (Number.isNaN(time)) {
      this.reason =
        'JSON record without a valid @timestamp (expected ECS, or journald with __REALTIME_TIMESTAMP)';
      return BAD;
    }
    const host = firstString(p('host.hostname'), p('host.name'));
    const program = asString(p('process.name'));
    const pid = jsonPid(p('process.pid'));
    const msg = p('message');
    if (typeof msg === 'string' && msg.trim() !== '' && program !== '') {
      return this.emit(lineNo, time, host, program, pid, msg.trimStart(), false, 1, out);
    }
    return this.ecsFields(p, lineNo, time, host, program, pid, out);
  }

  /** The fields Filebeat's `system.auth` pipeline parses out of the message, when `message` is gone. */
  private ecsFields(
    p: (path: string) => unknown,
    lineNo: number,
    time: number,
    host: string,
    program: string,
    pid: number,
    out: SshdEvent[],
  ): number {
    const ssh = asString(p('system.auth.ssh.event'));
    const sudo =
      asObject(p('system.auth.sudo')) ?? (p('system.auth.sudo.command') !== undefined ? {} : undefined);
    const user = asString(p('user.name'));
    const base = {
      user,
      srcUser: user,
      srcHost: '',
      authType: '',
      logonType: '',
      action: '',
      success: false,
    };
    let port = -1;
    let invalidUser = false;
    let command = '';
    let targetUser = '';
    if (ssh !== '') {
      base.logonType = 'ssh';
      base.srcHost = firstString(p('source.ip'), p('source.address'));
      const portNo = integerCode(p('source.port'));
      port = portNo >= 0 && portNo <= 65535 ? portNo : -1;
      if (ssh === 'Accepted' || ssh === 'Failed') {
        base.authType = asString(p('system.auth.ssh.method'));
        base.action = ssh === 'Accepted' ? 'accepted' : 'failed';
        base.success = ssh === 'Accepted';
      } else if (ssh === 'Invalid') {
        base.authType = 'none';
        base.action = 'invalid_user';
        invalidUser = true;
      } else {
        this.reason = `ECS system.auth.ssh.event ${JSON.stringify(ssh)} is not an authentication event`;
        return SKIP;
      }
    } else if (sudo !== undefined) {
      base.logonType = 'sudo';
      base.authType = 'sudo';
      command = firstString(p('system.auth.sudo.command'));
      targetUser = firstString(p('system.auth.sudo.user'), p('user.effective.name'));
      const denied = asString(p('system.auth.sudo.error')) !== '';
      base.action = denied ? 'sudo_denied' : 'sudo';
      base.success = !denied;
    } else {
      this.reason =
        'ECS document without an authentication event (no message, system.auth.ssh or system.auth.sudo)';
      return SKIP;
    }
    if (user.trim() === '') {
      this.reason = 'ECS authentication event without user.name';
      return BAD;
    }
    base.user = user.trim();
    base.srcUser = base.user;
    const e: SshdEvent = {
      format: 'sshd',
      line: lineNo,
      time,
      ...base,
      dstHost: host,
      program: program || (sudo !== undefined ? 'sudo' : 'sshd'),
      pid,
      port,
      invalidUser,
      command,
      targetUser,
    };
    out.push(e);
    this.last = e;
    return 1;
  }
}
