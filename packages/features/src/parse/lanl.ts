/**
 * LANL "Comprehensive, Multi-Source Cyber-Security Events" authentication lines and red-team label lines.
 * The hot path uses `indexOf` and `slice` only (no regular expressions, no `split`).
 *
 * @module
 */
import { BAD, type LineParser, SKIP } from './common.js';
import type { LanlAuthEvent, LanlRedTeamEvent } from './events.js';

/** Reads a non-negative integer in s[from, to); -1 if it is not one. */
function readUint(s: string, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function field(s: string, from: number, to: number): string {
  // `?` marks a missing value in the LANL files.
  if (to - from === 1 && s.charCodeAt(from) === 63) return '';
  return s.slice(from, to);
}

/**
 * `field` for low-cardinality columns (auth type, logon type, orientation, domain): reuses a recently
 * returned string when the text matches, so most lines allocate no new string for these columns and the
 * same string objects (with their cached hashes) flow into the featurizers.
 */
function pick(s: string, from: number, to: number, cache: string[]): string {
  const len = to - from;
  if (len === 1 && s.charCodeAt(from) === 63) return '';
  for (let i = 0; i < cache.length; i++) {
    const c = cache[i] as string;
    if (c.length === len && s.startsWith(c, from)) return c;
  }
  const v = s.slice(from, to);
  if (cache.length < 16) cache.push(v);
  else cache[(from + len) & 15] = v;
  return v;
}

/**
 * Parser of LANL `auth.txt` lines: `time,src_user@domain,dst_user@domain,src_computer,dst_computer,
 * auth_type,logon_type,orientation,outcome`. Blank lines are skipped; anything else malformed is an error.
 *
 * @example
 * ```ts
 * const p = new LanlParser();
 * const out: LanlAuthEvent[] = [];
 * p.parseLine('1,U101@DOM1,U101@DOM1,C1862,C1862,Negotiate,Interactive,LogOn,Success', 1, out); // 1
 * ```
 */
export class LanlParser implements LineParser<LanlAuthEvent> {
  /** Format name. */
  readonly format: string = 'lanl';
  /** Why the last line was skipped or rejected. */
  reason = '';
  private readonly commas = new Int32Array(9);
  private readonly authTypes: string[] = [];
  private readonly logonTypes: string[] = [];
  private readonly actions: string[] = [];
  private readonly domains: string[] = [];

  /** Parses one line; see {@link LineParser.parseLine}. */
  parseLine(line: string, lineNo: number, out: LanlAuthEvent[]): number {
    const n = line.length;
    if (n === 0 || (n < 3 && line.trim() === '')) {
      this.reason = 'blank line';
      return SKIP;
    }
    if (line.indexOf('\r') >= 0) {
      this.reason = 'carriage return inside the line (a lone CR is not a line break)';
      return BAD;
    }
    const c = this.commas;
    let k = 0;
    let at = line.indexOf(',');
    while (at >= 0 && k < 9) {
      c[k++] = at;
      at = line.indexOf(',', at + 1);
    }
    if (k !== 8) {
      this.reason = `expected 9 comma-separated fields, got ${k === 9 ? 'more than 9' : k + 1}`;
      return BAD;
    }
    const c0 = c[0] as number;
    const time = readUint(line, 0, c0);
    if (time < 0) {
      this.reason = `time must be a non-negative integer (got ${JSON.stringify(line.slice(0, Math.min(c0, 20)))})`;
      return BAD;
    }
    const c1 = c[1] as number;
    const c2 = c[2] as number;
    const c3 = c[3] as number;
    const c4 = c[4] as number;
    const c5 = c[5] as number;
    const c6 = c[6] as number;
    const c7 = c[7] as number;
    const end = n;
    let success: boolean;
    // "Success" / "Fail"
    if (end - c7 - 1 === 7 && line.startsWith('Success', c7 + 1)) success = true;
    else if (end - c7 - 1 === 4 && line.startsWith('Fail', c7 + 1)) success = false;
    else {
      this.reason = `outcome must be Success or Fail (got ${JSON.stringify(line.slice(c7 + 1, end).slice(0, 20))})`;
      return BAD;
    }
    if (c1 === c0 + 1 || c2 === c1 + 1 || c3 === c2 + 1 || c4 === c3 + 1) {
      this.reason = 'empty user or computer field (expected a value or ?)';
      return BAD;
    }
    const a1 = line.lastIndexOf('@', c1);
    const a2 = line.lastIndexOf('@', c2);
    const srcUser = a1 > c0 ? line.slice(c0 + 1, a1) : field(line, c0 + 1, c1);
    const srcDomain = a1 > c0 ? pick(line, a1 + 1, c1, this.domains) : '';
    const user = a2 > c1 ? line.slice(c1 + 1, a2) : field(line, c1 + 1, c2);
    const domain = a2 > c1 ? pick(line, a2 + 1, c2, this.domains) : '';
    out.push({
      format: 'lanl',
      line: lineNo,
      time,
      user,
      srcUser,
      srcHost: field(line, c2 + 1, c3),
      dstHost: field(line, c3 + 1, c4),
      authType: pick(line, c4 + 1, c5, this.authTypes),
      logonType: pick(line, c5 + 1, c6, this.logonTypes),
      action: pick(line, c6 + 1, c7, this.actions),
      success,
      srcDomain,
      domain,
    });
    return 1;
  }
}

/**
 * Parser of LANL red-team label lines: `time,user@domain,src_computer,dst_computer`.
 *
 * @example
 * ```ts
 * const out: LanlRedTeamEvent[] = [];
 * new LanlRedTeamParser().parseLine('150885,U620@DOM1,C17693,C1003', 1, out); // 1
 * ```
 */
export class LanlRedTeamParser implements LineParser<LanlRedTeamEvent> {
  /** Format name. */
  readonly format: string = 'lanl-redteam';
  /** Why the last line was skipped or rejected. */
  reason = '';

  /** Parses one line; see {@link LineParser.parseLine}. */
  parseLine(line: string, lineNo: number, out: LanlRedTeamEvent[]): number {
    const s = line.trim();
    if (s === '') {
      this.reason = 'blank line';
      return SKIP;
    }
    if (line.indexOf('\r') >= 0) {
      this.reason = 'carriage return inside the line (a lone CR is not a line break)';
      return BAD;
    }
    const parts = s.split(',');
    if (parts.length !== 4) {
      this.reason = `expected 4 comma-separated fields (time,user@domain,src,dst), got ${parts.length}`;
      return BAD;
    }
    const [t, ud, src, dst] = parts as [string, string, string, string];
    const time = readUint(t, 0, t.length);
    if (time < 0) {
      this.reason = `time must be a non-negative integer (got ${JSON.stringify(t.slice(0, 20))})`;
      return BAD;
    }
    if (ud === '' || src === '' || dst === '') {
      this.reason = 'empty user or computer field';
      return BAD;
    }
    const at = ud.lastIndexOf('@');
    out.push({
      line: lineNo,
      time,
      user: at >= 0 ? ud.slice(0, at) : ud,
      domain: at >= 0 ? ud.slice(at + 1) : '',
      srcHost: src,
      dstHost: dst,
    });
    return 1;
  }
}

/**
 * The key joining a red-team label to an authentication event: `time,user,src,dst`.
 *
 * @example
 * ```ts
 * redTeamKey({ time: 150885, user: 'U620', srcHost: 'C17693', dstHost: 'C1003' }); // '150885,U620,C17693,C1003'
 * ```
 */
export function redTeamKey(e: {
  readonly time: number;
  readonly user: string;
  readonly srcHost: string;
  readonly dstHost: string;
}): string {
  return `${e.time},${e.user},${e.srcHost},${e.dstHost}`;
}

/**
 * Labels LANL authentication events with the red-team file: 1 where (time, user, src, dst) matches a
 * red-team line (the label's user matched against the source or the destination user), else 0.
 *
 * @example
 * ```ts
 * const y = labelRedTeam(authEvents, redTeamEvents); // Uint8Array, one label per event
 * ```
 */
export function labelRedTeam(
  events: readonly LanlAuthEvent[],
  redTeam: readonly LanlRedTeamEvent[],
): Uint8Array {
  const keys = new Set<string>();
  for (const r of redTeam) keys.add(redTeamKey(r));
  const y = new Uint8Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as LanlAuthEvent;
    const tail = `,${e.srcHost},${e.dstHost}`;
    if (keys.has(`${e.time},${e.srcUser}${tail}`) || keys.has(`${e.time},${e.user}${tail}`)) y[i] = 1;
  }
  return y;
}
