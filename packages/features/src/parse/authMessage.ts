/**
 * The authentication messages of Linux programs (sshd, PAM modules, sudo, su, unix_chkpwd), read from the
 * message text alone: the part after the syslog header, journald's `MESSAGE` or an ECS document's
 * `message`. One reader serves every shape, so the same text gives the same event whichever shipper
 * carried it.
 *
 * @module
 */

import { BAD, SKIP } from './common.js';
import { integerCode } from './numbers.js';

/**
 * The fields an authentication message yields; the caller adds time, host, program and pid.
 *
 * @example
 * ```ts
 * const m = new AuthMessageReader();
 * if (m.read('sshd', 'Failed password for root from 1.2.3.4 port 22 ssh2', false) === 1) m.draft.user; // 'root'
 * ```
 */
export interface AuthDraft {
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
  /** How many events the message stands for (`PAM 4 more authentication failures` → 4). */
  count: number;
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
  ['unix_chkpwd', ['password check failed for user (']],
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

/** '' when the key=value fields of a PAM failure are whole, else why not. */
function pamFailureProblem(fields: string): string {
  // `logname= uid= euid= tty= ruser= rhost=` always, then `user=` when known: every word is key=value,
  // and rhost is the last field the template always writes.
  for (const w of fields.split(' ')) {
    if (w !== '' && w.indexOf('=') <= 0)
      return `truncated or malformed PAM authentication failure (expected key=value, got ${JSON.stringify(w.slice(0, 20))})`;
  }
  if (fields.indexOf(' rhost=') < 0 && !fields.startsWith('rhost=')) {
    return 'truncated PAM authentication failure (no rhost= field)';
  }
  const rhost = pamValue(` ${fields}`, 'rhost');
  if (rhost !== '' && !completeHost(rhost))
    return `truncated PAM authentication failure (rhost ${JSON.stringify(rhost)} is not a whole address)`;
  return '';
}

/** `root(uid=0)` → `root`; `(uid=0)` → ''. */
function stripUid(s: string): string {
  const p = s.indexOf('(');
  return (p >= 0 ? s.slice(0, p) : s).trim();
}

/** `pam_unix(sshd:auth): body` → [module, service, body]; undefined when `msg` is not of that form. */
function pamPrefix(msg: string): [string, string, string] | undefined {
  if (!msg.startsWith('pam_')) return undefined;
  const open = msg.indexOf('(');
  const close = msg.indexOf('): ');
  if (open < 0 || close < open || msg.slice(0, open).indexOf(' ') >= 0) return undefined;
  const inner = msg.slice(open + 1, close);
  const colon = inner.indexOf(':');
  return [msg.slice(0, open), colon >= 0 ? inner.slice(0, colon) : inner, msg.slice(close + 3)];
}

/**
 * Reads one authentication message into {@link AuthDraft}. `read` returns 1 (the draft holds the event),
 * {@link SKIP} (a well-formed message that is not an authentication event) or {@link BAD} (an
 * authentication message that is cut short or malformed); the reason is in `reason`.
 *
 * Actions: `accepted`, `failed`, `invalid_user`, `auth_failure` (PAM, with `count` > 1 for "PAM N more
 * authentication failures"), `locked` (pam_faillock), `session_opened`, `session_closed`, `sudo`,
 * `sudo_denied`, `su`.
 *
 * @example
 * ```ts
 * const r = new AuthMessageReader();
 * r.read('sudo', 'vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls', false); // 1
 * r.draft.targetUser; // 'root'
 * ```
 */
export class AuthMessageReader {
  /** Why the last message was skipped or rejected. */
  reason = '';
  /** The event of the last message read with result 1. */
  readonly draft: AuthDraft = {
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
    count: 1,
  };

  private reset(logonType: string): AuthDraft {
    const d = this.draft;
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
    d.count = 1;
    return d;
  }

  /**
   * Reads `msg` logged by `program` (`pamSuffix`: the tag was `svc(pam_unix)`, as old PAM logged).
   *
   * @example
   * ```ts
   * new AuthMessageReader().read('unix_chkpwd', 'password check failed for user (root)', false); // 1
   * ```
   */
  read(program: string, msg: string, pamSuffix: boolean): number {
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
    if (program === 'unix_chkpwd' && msg.startsWith('password check failed for user (')) {
      const end = msg.indexOf(')', 32);
      const d = this.reset('unix_chkpwd');
      d.user = (end > 0 ? msg.slice(32, end) : '').trim();
      d.srcUser = d.user;
      d.authType = 'password';
      d.action = 'auth_failure';
      if (d.user === '') {
        this.reason = 'unix_chkpwd: password check failure without a user';
        return BAD;
      }
      return 1;
    }
    // `PAM N more authentication failures; … user=root`: sshd's summary of the failures PAM did not log
    // one by one; it stands for N failures.
    if (msg.startsWith('PAM ') && msg.indexOf(' more authentication failure') > 4) {
      const n = integerCode(msg.slice(4, msg.indexOf(' ', 4)));
      if (!Number.isInteger(n) || n < 1) {
        this.reason = 'bad "PAM N more authentication failures" count';
        return BAD;
      }
      const semi = msg.indexOf('; ');
      const problem =
        semi < 0
          ? 'truncated "PAM N more authentication failures" (no fields)'
          : pamFailureProblem(msg.slice(semi + 2));
      if (problem !== '') {
        this.reason = problem;
        return BAD;
      }
      const d = this.pamFailure(program, msg);
      d.count = n;
      return 1;
    }
    const pam = pamPrefix(msg);
    let service = program;
    let body = msg;
    let module = pamSuffix ? 'pam_unix' : '';
    if (pam !== undefined) {
      [module, service, body] = pam;
      if (body.trim() === '' || (module === 'pam_unix' && cutOpening(body, PAM_OPENINGS))) {
        this.reason = `truncated PAM message (got ${JSON.stringify(body.slice(0, 40))})`;
        return BAD;
      }
    } else if (msg.startsWith('pam_unix(')) {
      this.reason = 'malformed pam_unix message';
      return BAD;
    } else if (!pamSuffix) {
      this.reason = `${program}: not an authentication message`;
      return SKIP;
    }
    if (module === 'pam_faillock') {
      const at = body.indexOf('login failures for user ');
      if (at >= 0) {
        const rest = body.slice(at + 24);
        const sp = rest.indexOf(' ');
        const d = this.reset(service);
        d.user = sp < 0 ? rest : rest.slice(0, sp);
        d.srcUser = d.user;
        d.authType = 'password';
        d.action = 'locked';
        if (d.user === '') {
          this.reason = 'pam_faillock: message without a user';
          return BAD;
        }
        return 1;
      }
      this.reason = `${program}: pam_faillock message that is not a lock-out`;
      return SKIP;
    }
    if (module !== 'pam_unix') {
      this.reason = `${program}: ${module} message that is not an authentication event`;
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
      const problem = pamFailureProblem(body.slice(23));
      if (problem !== '') {
        this.reason = problem;
        return BAD;
      }
      this.pamFailure(service, body);
      return 1;
    }
    this.reason = `${program}: not an authentication message`;
    return SKIP;
  }

  private pamFailure(service: string, body: string): AuthDraft {
    const d = this.reset(service);
    d.user = pamValue(body, 'user');
    d.srcUser = pamValue(body, 'ruser');
    d.srcHost = pamValue(body, 'rhost');
    d.authType = 'password';
    d.action = 'auth_failure';
    d.success = false;
    return d;
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
    const rest = msg.slice(sep + 3);
    if (rest.startsWith('(command continued)')) {
      // sudo splits a long record over several lines; the later halves carry only the rest of the command.
      this.reason = 'sudo: continuation of a split command record';
      return SKIP;
    }
    const d = this.reset('sudo');
    d.user = msg.slice(0, sep).trim();
    d.srcUser = d.user;
    d.authType = 'sudo';
    const items = rest.split(' ; ');
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
