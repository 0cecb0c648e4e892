/**
 * The header of a syslog line as files and relays write it: BSD (RFC 3164: `Feb 22 16:45:20 host tag[pid]:`,
 * year and zone from configuration, with the Dec → Jan roll-over), ISO 8601 / RFC 3339 timestamps
 * (rsyslog's `RSYSLOG_FileFormat`, the Debian 12 default), and RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID
 * MSGID [SD] MSG`, rsyslog's `RSYSLOG_SyslogProtocol23Format`). An optional `<PRI>` before a BSD or ISO
 * header is accepted (lines captured off the wire). An empty host field (`Feb 22 10:21:43  sshd[1]: …`, as
 * some relays write it) is read as an empty host.
 *
 * @module
 */
import { integerCode } from './numbers.js';
import { isoTimeEnd, monthIndex, parseBsdTime, parseIsoTime } from './time.js';

/**
 * The fields of a syslog header; `msg` is the message after the tag (RFC 5424: after the structured data).
 */
export interface SyslogHeader {
  /** Seconds since the Unix epoch. */
  time: number;
  /** Host name ('' when the field is empty or nil). */
  host: string;
  /** Program (`sshd`), without `[pid]`; '' when the line has no tag. */
  program: string;
  /** Process id, or -1. */
  pid: number;
  /** The message. */
  msg: string;
  /** The tag was `svc(pam_unix)` (old PAM). */
  pamSuffix: boolean;
}

/**
 * Reads syslog headers line by line; keeps the year of BSD timestamps (they carry none) and rolls it over
 * at Dec → Jan. `read` returns true and fills `header`, or false with the reason in `reason` (a line that
 * is not syslog at all).
 *
 * @example
 * ```ts
 * const r = new SyslogReader(2024, 0);
 * r.read('<38>1 2024-02-22T10:00:00Z web1 sshd 812 - - Accepted password for a from 1.2.3.4 port 2 ssh2');
 * r.header.program; // 'sshd'
 * ```
 */
export class SyslogReader {
  /** Why the last line was not read. */
  reason = '';
  /** The last header read. */
  readonly header: SyslogHeader = { time: 0, host: '', program: '', pid: -1, msg: '', pamSuffix: false };
  /** Whether the last line read had a tag (`program[pid]: `); without one, `msg` is the rest of the line. */
  tagged = false;
  private year: number;
  private readonly offset: number;
  private lastMonth = -1;

  /**
   * @param year - year of BSD timestamps.
   * @param offsetMinutes - zone of timestamps without one, in minutes east of UTC.
   */
  constructor(year: number, offsetMinutes: number) {
    this.year = year;
    this.offset = offsetMinutes;
  }

  /** Reads the header of `line`; see the class description. */
  read(line: string): boolean {
    let at = 0;
    if (line.charCodeAt(0) === 60) {
      const close = line.indexOf('>');
      const pri = close > 1 && close <= 4 ? Number(line.slice(1, close)) : Number.NaN;
      if (!Number.isInteger(pri) || pri < 0 || pri > 191) {
        this.reason = `bad syslog priority (expected "<0>" … "<191>", got ${JSON.stringify(line.slice(0, 6))})`;
        return false;
      }
      at = close + 1;
      if (line.charCodeAt(at) >= 49 && line.charCodeAt(at) <= 57 && line.charCodeAt(at + 1) === 32)
        return this.read5424(line, at + 2);
    }
    let time: number;
    let pos: number;
    const c0 = line.charCodeAt(at);
    if (c0 >= 48 && c0 <= 57) {
      time = parseIsoTime(line, this.offset, at);
      pos = isoTimeEnd(line, at);
    } else {
      const m = monthIndex(line, at);
      const bsd = at === 0 ? line : line.slice(at);
      if (m >= 0 && this.lastMonth >= 0 && m < this.lastMonth - 6) this.year++;
      time = parseBsdTime(bsd, this.year, this.offset);
      if (!Number.isNaN(time) && m >= 0) this.lastMonth = m;
      pos = at + 15;
    }
    if (Number.isNaN(time) || pos < 0 || line.charCodeAt(pos) !== 32) {
      this.reason = `no syslog timestamp (expected "Mmm dd hh:mm:ss", RFC 3339 or RFC 5424, got ${JSON.stringify(line.slice(0, 24))})`;
      return false;
    }
    const h = this.header;
    h.time = time;
    h.pamSuffix = false;
    // The host field: a word, empty (two spaces), or absent when the next word is already the tag.
    let start = pos + 1;
    let host = '';
    if (line.charCodeAt(start) === 32) start++;
    else {
      const sp = line.indexOf(' ', start);
      const word = sp < 0 ? line.slice(start) : line.slice(start, sp);
      if (!(word.length > 1 && word.charCodeAt(word.length - 1) === 58 && sp > 0)) {
        host = word;
        start = sp < 0 ? line.length : sp + 1;
      }
    }
    h.host = host;
    const tagEnd = line.indexOf(': ', start);
    const tag = tagEnd < 0 ? '' : line.slice(start, tagEnd);
    if (tagEnd < 0 || tag === '' || tag.indexOf(' ') >= 0) {
      h.program = '';
      h.pid = -1;
      h.msg = line.slice(start);
      this.tagged = false;
      return true;
    }
    this.tagged = true;
    this.setTag(tag);
    h.msg = line.slice(tagEnd + 2);
    return true;
  }

  private setTag(tag: string): void {
    const h = this.header;
    let program = tag;
    let pid = -1;
    const br = tag.indexOf('[');
    if (br >= 0 && tag.charCodeAt(tag.length - 1) === 93) {
      program = tag.slice(0, br);
      const p = integerCode(tag.slice(br + 1, -1));
      pid = p >= 0 ? p : -1;
    }
    if (program.endsWith('(pam_unix)')) {
      program = program.slice(0, -10);
      h.pamSuffix = true;
    }
    h.program = program;
    h.pid = pid;
  }

  /** RFC 5424 after `<PRI>V `: `TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]`. */
  private read5424(line: string, start: number): boolean {
    const fields: string[] = [];
    let at = start;
    for (let k = 0; k < 5; k++) {
      const sp = line.indexOf(' ', at);
      if (sp < 0) {
        this.reason = 'RFC 5424 header cut short (expected TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD)';
        return false;
      }
      fields.push(line.slice(at, sp));
      at = sp + 1;
    }
    const [ts, host, app, procId] = fields as [string, string, string, string, string];
    const time = ts === '-' ? Number.NaN : parseIsoTime(ts, this.offset);
    if (Number.isNaN(time) || isoTimeEnd(ts) !== ts.length) {
      this.reason = `RFC 5424 line without a valid timestamp (got ${JSON.stringify(ts)})`;
      return false;
    }
    // Structured data: `-` or one or more `[id k="v" …]` elements (`\]`, `\"` and `\\` escaped in values).
    if (line.charCodeAt(at) === 45) at++;
    else {
      while (line.charCodeAt(at) === 91) {
        let i = at + 1;
        let quoted = false;
        for (; i < line.length; i++) {
          const c = line.charCodeAt(i);
          if (c === 92 && quoted) i++;
          else if (c === 34) quoted = !quoted;
          else if (c === 93 && !quoted) break;
        }
        if (i >= line.length) {
          this.reason = 'RFC 5424 structured data not closed';
          return false;
        }
        at = i + 1;
      }
    }
    let msg = line.charCodeAt(at) === 32 ? line.slice(at + 1) : line.slice(at);
    if (msg.charCodeAt(0) === 0xfeff) msg = msg.slice(1);
    const h = this.header;
    h.time = time;
    h.host = host === '-' ? '' : host;
    h.pamSuffix = false;
    this.setTag(app === '-' ? '' : app);
    const pid = integerCode(procId);
    if (pid >= 0) h.pid = pid;
    h.msg = msg;
    this.tagged = h.program !== '';
    return true;
  }
}
