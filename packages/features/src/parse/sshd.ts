/**
 * sshd / auth.log (syslog) parser: BSD timestamps (year and zone from configuration, with Dec→Jan roll-over)
 * and RFC 3339 ones; accepted (password / publickey / …), failed, invalid user, PAM authentication
 * failures, PAM session opened / closed (any service), sudo (including "user NOT in sudoers"), su, and
 * "message repeated N times: [ … ]" expanded into N events. Other well-formed syslog lines are skipped
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
import { BAD, type LineParser, SKIP } from './common.js';
import type { SshdEvent } from './events.js';
import { isoTimeEnd, monthIndex, parseBsdTime, parseIsoTime } from './time.js';

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

/** Mutable draft of an event, filled by the message matchers. */
interface Draft {
  user: string;
  srcUser: string;
  srcHost: string;
  authType: string;
  logonType: string;
  action: string;
  success: boolean;
  port: number;
  invalidUser: boolean;
  command: string;
  targetUser: string;
}

function parsePort(s: string): number {
  let v = 0;
  if (s.length === 0 || s.length > 5) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v <= 65535 ? v : -1;
}

/** Reads `key=value` from a PAM message (`… rhost=1.2.3.4  user=root`); '' when absent. */
function pamValue(msg: string, key: string): string {
  let at = msg.indexOf(` ${key}=`);
  if (at < 0) return '';
  at += key.length + 2;
  let end = msg.indexOf(' ', at);
  if (end < 0) end = msg.length;
  return msg.slice(at, end);
}

/**
 * Whether `host` can be a whole source address: a dotted-decimal text must be a complete IPv4 address
 * (a truncated `202.109.1` is not), anything else is taken as an IPv6 address or host name.
 */
function completeHost(host: string): boolean {
  if (host === '') return false;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c !== 46 && (c < 48 || c > 57)) return true;
  }
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => p.length > 0 && p.length <= 3 && Number(p) <= 255);
}

/** The opening words of the authentication messages read, by program ('' = any program, PAM bodies). */
const OPENINGS: ReadonlyMap<string, readonly string[]> = new Map([
  ['sshd', ['Accepted ', 'Failed ', 'Invalid user ']],
  ['su', ['Successful su for ', 'FAILED su for ']],
  ['', ['message repeated ', 'pam_unix(']],
]);
const PAM_OPENINGS: readonly string[] = [
  'session opened for user ',
  'session closed for user ',
  'authentication failure;',
];

/** Whether `msg` is a proper, non-empty beginning of one of the `openings` (a message cut short). */
function cutOpening(msg: string, openings: readonly string[] | undefined): boolean {
  if (msg === '' || openings === undefined) return false;
  for (const o of openings) if (msg.length < o.length && o.startsWith(msg)) return true;
  return false;
}

/** `root(uid=0)` → `root`; `(uid=0)` → ''. */
function stripUid(s: string): string {
  const p = s.indexOf('(');
  return (p >= 0 ? s.slice(0, p) : s).trim();
}

/**
 * sshd / auth.log parser. Yields {@link SshdEvent}s; `action` is one of `accepted`, `failed`,
 * `invalid_user`, `auth_failure`, `session_opened`, `session_closed`, `sudo`, `sudo_denied`, `su`.
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
  private year: number;
  private readonly offset: number;
  private readonly maxRepeat: number;
  private lastMonth = -1;
  private readonly d: Draft = {
    user: '',
    srcUser: '',
    srcHost: '',
    authType: '',
    logonType: '',
    action: '',
    success: false,
    port: -1,
    invalidUser: false,
    command: '',
    targetUser: '',
  };

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
    this.year = year;
    this.offset = off;
    this.maxRepeat = maxRepeat;
  }

  /** Parses one line; see {@link LineParser.parseLine}. */
  parseLine(line: string, lineNo: number, out: SshdEvent[]): number {
    if (line.trim() === '') {
      this.reason = 'blank line';
      return SKIP;
    }
    if (line.indexOf('\r') >= 0) {
      this.reason = 'carriage return inside the line (a lone CR is not a line break)';
      return BAD;
    }
    let time: number;
    let pos: number;
    const c0 = line.charCodeAt(0);
    if (c0 >= 48 && c0 <= 57) {
      time = parseIsoTime(line, this.offset);
      pos = isoTimeEnd(line);
    } else {
      const m = monthIndex(line, 0);
      if (m >= 0 && this.lastMonth >= 0 && m < this.lastMonth - 6) this.year++;
      time = parseBsdTime(line, this.year, this.offset);
      if (!Number.isNaN(time) && m >= 0) this.lastMonth = m;
      pos = 15;
    }
    if (Number.isNaN(time) || pos < 0 || line.charCodeAt(pos) !== 32) {
      this.reason = `no syslog timestamp (expected "Mmm dd hh:mm:ss" or RFC 3339, got ${JSON.stringify(line.slice(0, 24))})`;
      return BAD;
    }
    const hostEnd = line.indexOf(' ', pos + 1);
    if (hostEnd < 0 || hostEnd === pos + 1) {
      this.reason = 'missing host or message after the timestamp';
      return BAD;
    }
    const host = line.slice(pos + 1, hostEnd);
    const tagEnd = line.indexOf(': ', hostEnd + 1);
    const tag = tagEnd < 0 ? '' : line.slice(hostEnd + 1, tagEnd);
    if (tagEnd < 0 || tag.indexOf(' ') >= 0 || tag === '') {
      // One word after the host ("sshd[27", "sshd[2738]:") is a line cut inside its tag; several words
      // without a tag ("last message repeated 3 times") are a well-formed syslog line we do not read.
      if (line.indexOf(' ', hostEnd + 1) < 0) {
        this.reason = 'truncated line (cut inside the program tag, no message)';
        return BAD;
      }
      this.reason = 'no program tag';
      return SKIP;
    }
    let program = tag;
    let pid = -1;
    const br = tag.indexOf('[');
    if (br >= 0 && tag.charCodeAt(tag.length - 1) === 93) {
      program = tag.slice(0, br);
      const p = Number(tag.slice(br + 1, -1));
      pid = Number.isInteger(p) && p >= 0 ? p : -1;
    }
    let pamSuffix = false;
    if (program.endsWith('(pam_unix)')) {
      program = program.slice(0, -10);
      pamSuffix = true;
    }
    let msg = line.slice(tagEnd + 2);
    let repeat = 1;
    if (msg.startsWith('message repeated ')) {
      const t = msg.indexOf(' times: [');
      const n = t > 0 ? Number(msg.slice(17, t)) : Number.NaN;
      if (!Number.isInteger(n) || n < 1) {
        this.reason = 'bad "message repeated N times" count';
        return BAD;
      }
      if (n > this.maxRepeat) {
        this.reason = `repeat count too large (expected ≤ ${this.maxRepeat}, got ${n})`;
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
    const lead = msg.trimStart();
    if (
      lead === '' ||
      cutOpening(lead, OPENINGS.get('')) ||
      cutOpening(lead, OPENINGS.get(program)) ||
      (pamSuffix && cutOpening(lead, PAM_OPENINGS))
    ) {
      this.reason = `truncated authentication message (got ${JSON.stringify(msg.slice(0, 40))})`;
      return BAD;
    }
    const r = this.matchMessage(program, msg, pamSuffix);
    if (r <= 0) return r;
    const d = this.d;
    for (let i = 0; i < repeat; i++) {
      out.push({
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
      });
    }
    return repeat;
  }

  private reset(logonType: string): Draft {
    const d = this.d;
    d.user = '';
    d.srcUser = '';
    d.srcHost = '';
    d.authType = '';
    d.logonType = logonType;
    d.action = '';
    d.success = false;
    d.port = -1;
    d.invalidUser = false;
    d.command = '';
    d.targetUser = '';
    return d;
  }

  /** Fills the draft from the message; returns 1, SKIP or BAD. */
  private matchMessage(program: string, msg: string, pamSuffix: boolean): number {
    if (program === 'sshd') {
      if (msg.startsWith('Accepted ')) return this.sshLogin(msg, 9, true);
      if (msg.startsWith('Failed ')) return this.sshLogin(msg, 7, false);
      if (msg.startsWith('Invalid user ')) return this.invalidUser(msg);
    }
    if (program === 'sudo' && !msg.startsWith('pam_')) return this.sudo(msg);
    if (program === 'su' && (msg.startsWith('Successful su for ') || msg.startsWith('FAILED su for '))) {
      const ok = msg.charCodeAt(0) === 83;
      const rest = msg.slice(ok ? 18 : 14);
      const by = rest.lastIndexOf(' by ');
      if (by < 0 || rest.slice(by + 4).trim() === '') {
        this.reason = 'truncated su record (expected "su for USER by USER")';
        return BAD;
      }
      const d = this.reset('su');
      d.user = rest.slice(0, by).trim();
      d.srcUser = rest.slice(by + 4).trim();
      d.authType = 'password';
      d.action = 'su';
      d.success = ok;
      return 1;
    }
    // PAM messages, from any service: `pam_unix(svc:kind): …` or `svc(pam_unix)[pid]: …`.
    let service = program;
    let body = msg;
    if (msg.startsWith('pam_unix(')) {
      const close = msg.indexOf('): ');
      if (close < 0) {
        this.reason = 'malformed pam_unix message';
        return BAD;
      }
      const inner = msg.slice(9, close);
      const colon = inner.indexOf(':');
      service = colon >= 0 ? inner.slice(0, colon) : inner;
      body = msg.slice(close + 3);
      if (body.trim() === '' || cutOpening(body, PAM_OPENINGS)) {
        this.reason = `truncated PAM message (got ${JSON.stringify(body.slice(0, 40))})`;
        return BAD;
      }
    } else if (!pamSuffix) {
      this.reason = `${program}: not an authentication message`;
      return SKIP;
    }
    if (body.startsWith('session opened for user ') || body.startsWith('session closed for user ')) {
      const opened = body.charCodeAt(8) === 111;
      const rest = body.slice(24);
      const by = rest.indexOf(' by ');
      if (opened && (by < 0 || !rest.trimEnd().endsWith(')'))) {
        this.reason = 'truncated PAM session record (expected "session opened for user USER by USER(uid=N)")';
        return BAD;
      }
      const d = this.reset(service);
      d.user = stripUid(by >= 0 ? rest.slice(0, by) : rest);
      d.srcUser = by >= 0 ? stripUid(rest.slice(by + 4)) : '';
      d.authType = 'session';
      d.action = opened ? 'session_opened' : 'session_closed';
      d.success = true;
      if (d.user === '') {
        this.reason = 'session message without a user';
        return BAD;
      }
      return 1;
    }
    if (body.startsWith('authentication failure;')) {
      // `logname= uid= euid= tty= ruser= rhost=` always, then `user=` when known: every word is
      // key=value, and rhost is the last field the template always writes.
      const words = body.slice(23).split(' ');
      for (const w of words) {
        if (w !== '' && w.indexOf('=') <= 0) {
          this.reason = `truncated or malformed PAM authentication failure (expected key=value, got ${JSON.stringify(w.slice(0, 20))})`;
          return BAD;
        }
      }
      if (body.indexOf(' rhost=') < 0) {
        this.reason = 'truncated PAM authentication failure (no rhost= field)';
        return BAD;
      }
      const rhost = pamValue(body, 'rhost');
      if (rhost !== '' && !completeHost(rhost)) {
        this.reason = `truncated PAM authentication failure (rhost ${JSON.stringify(rhost)} is not a whole address)`;
        return BAD;
      }
      const d = this.reset(service);
      d.user = pamValue(body, 'user');
      d.srcUser = pamValue(body, 'ruser');
      d.srcHost = pamValue(body, 'rhost');
      d.authType = 'password';
      d.action = 'auth_failure';
      d.success = false;
      return 1;
    }
    this.reason = `${program}: not an authentication message`;
    return SKIP;
  }

  /** `Accepted|Failed METHOD for [invalid user ]USER from IP port N ssh2[…]`. */
  private sshLogin(msg: string, start: number, success: boolean): number {
    const sp = msg.indexOf(' ', start);
    const from = msg.lastIndexOf(' from ');
    if (sp < 0 || !msg.startsWith(' for ', sp) || from < sp + 4) {
      this.reason = `malformed sshd ${success ? 'Accepted' : 'Failed'} message (expected "METHOD for USER from IP port N")`;
      return BAD;
    }
    const d = this.reset('ssh');
    d.authType = msg.slice(start, sp);
    let u = sp + 5;
    if (msg.startsWith('invalid user ', u)) {
      d.invalidUser = true;
      u += 13;
    }
    d.user = msg.slice(u, from);
    d.srcUser = d.user;
    const ipStart = from + 6;
    let ipEnd = msg.indexOf(' ', ipStart);
    if (ipEnd < 0) ipEnd = msg.length;
    d.srcHost = msg.slice(ipStart, ipEnd);
    if (d.srcHost === '') {
      this.reason = 'sshd login message without a source address';
      return BAD;
    }
    // OpenSSH always ends the record with `port N ssh2` (or ssh1), then optionally `: extra`.
    const pe = msg.startsWith(' port ', ipEnd) ? msg.indexOf(' ', ipEnd + 6) : -1;
    const port = pe < 0 ? -1 : parsePort(msg.slice(ipEnd + 6, pe));
    const proto = pe < 0 ? '' : msg.slice(pe + 1, pe + 5);
    const after = msg.charCodeAt(pe + 5);
    if (
      port < 0 ||
      (proto !== 'ssh2' && proto !== 'ssh1') ||
      !(Number.isNaN(after) || after === 58) ||
      !completeHost(d.srcHost)
    ) {
      this.reason = `truncated or malformed sshd ${success ? 'Accepted' : 'Failed'} message (expected "METHOD for USER from HOST port N ssh2")`;
      return BAD;
    }
    d.port = port;
    d.action = success ? 'accepted' : 'failed';
    d.success = success;
    return 1;
  }

  /** `Invalid user USER from IP[ port N]`. */
  private invalidUser(msg: string): number {
    const from = msg.lastIndexOf(' from ');
    if (from < 12) {
      this.reason = 'malformed sshd "Invalid user" message (expected "Invalid user USER from IP")';
      return BAD;
    }
    const d = this.reset('ssh');
    d.user = msg.slice(13, from);
    d.srcUser = d.user;
    const ipStart = from + 6;
    let ipEnd = msg.indexOf(' ', ipStart);
    if (ipEnd < 0) ipEnd = msg.length;
    d.srcHost = msg.slice(ipStart, ipEnd);
    // `from HOST` (older OpenSSH) or `from HOST port N` (newer), and nothing after.
    if (ipEnd < msg.length) {
      d.port = msg.startsWith(' port ', ipEnd) ? parsePort(msg.slice(ipEnd + 6)) : -1;
      if (d.port < 0) {
        this.reason =
          'truncated or malformed sshd "Invalid user" message (expected "Invalid user USER from HOST[ port N]")';
        return BAD;
      }
    }
    if (!completeHost(d.srcHost)) {
      this.reason = `truncated sshd "Invalid user" message (source ${JSON.stringify(d.srcHost)} is not a whole address)`;
      return BAD;
    }
    d.authType = 'none';
    d.action = 'invalid_user';
    d.invalidUser = true;
    d.success = false;
    return 1;
  }

  /** `USER : TTY=… ; PWD=… ; USER=root ; COMMAND=…` or `USER : user NOT in sudoers ; …`. */
  private sudo(msg: string): number {
    const sep = msg.indexOf(' : ');
    if (sep < 0) {
      // A record cut before its " : " leaves one word ("alic", "alice :").
      if (msg.trim().indexOf(' ') < 0 || msg.trimEnd().endsWith(' :')) {
        this.reason = 'truncated sudo record (expected "USER : … ; COMMAND=…")';
        return BAD;
      }
      this.reason = 'sudo: not a command record';
      return SKIP;
    }
    const d = this.reset('sudo');
    d.user = msg.slice(0, sep).trim();
    d.srcUser = d.user;
    d.authType = 'sudo';
    const items = msg.slice(sep + 3).split(' ; ');
    let denied = '';
    let hasCommand = false;
    for (const item of items) {
      const eq = item.indexOf('=');
      const key = eq > 0 ? item.slice(0, eq) : '';
      if (key === 'USER') d.targetUser = item.slice(eq + 1);
      else if (key === 'COMMAND') {
        d.command = item.slice(eq + 1);
        hasCommand = true;
      } else if (key === '' && denied === '') denied = item.trim();
    }
    if (!hasCommand) {
      // sudo writes COMMAND= last in every record; without it the line was cut.
      this.reason = 'truncated sudo record (no COMMAND= field)';
      return BAD;
    }
    if (d.user === '') {
      this.reason = 'sudo record without a user';
      return BAD;
    }
    d.success = denied === '';
    d.action = denied === '' ? 'sudo' : 'sudo_denied';
    return 1;
  }
}
