/**
 * Windows Security event parser for JSON lines: NXLog-style flat records (`EventID`, `TargetUserName`, …)
 * and Winlogbeat / ECS records with the same keys nested under `winlog.event_data` (event id from
 * `winlog.event_id` or `event.code`). Handles 4624, 4625, 4634, 4648, 4672, 4768, 4769 and 4776; other
 * event ids are skipped with a reason.
 *
 * @module
 */
import { message, ParameterError } from '@nexus/ebm-core';
import { BAD, type LineParser, SKIP } from './common.js';
import type { WinEvent } from './events.js';
import { asObject, asString, firstString, getPath, type JsonObject, jsonObjectOfLine } from './json.js';
import { parseJsonTime } from './time.js';

/**
 * Options of the Windows parser.
 *
 * @example
 * ```ts
 * const p = new WinEventParser({ utcOffsetMinutes: -240 });
 * ```
 */
export interface WinEventOptions {
  /** Zone of timestamps without one (NXLog `EventTime`), in minutes east of UTC (default 0). */
  readonly utcOffsetMinutes?: number;
}

/**
 * Normalises a Windows `IpAddress`: `-` and empty → '', `::1` → `127.0.0.1`, `::ffff:a.b.c.d` → `a.b.c.d`.
 *
 * @example
 * ```ts
 * normalizeIp('::ffff:172.18.39.5'); // '172.18.39.5'
 * ```
 */
export function normalizeIp(ip: string): string {
  const s = ip.trim();
  if (s === '' || s === '-') return '';
  if (s === '::1') return '127.0.0.1';
  if (s.length > 7 && s.slice(0, 7).toLowerCase() === '::ffff:' && s.indexOf('.') > 0) return s.slice(7);
  return s;
}

/** `DOMAIN\\user` or `user@DOMAIN` → `user`; `-` → ''. */
function bareUser(s: string): string {
  if (s === '-') return '';
  const bs = s.lastIndexOf('\\');
  if (bs >= 0) return s.slice(bs + 1);
  const at = s.indexOf('@');
  return at > 0 ? s.slice(0, at) : s;
}

function dash(s: string): string {
  return s === '-' ? '' : s;
}

/** Short name of a host (`WORKSTATION5.theshire.local` → `WORKSTATION5`). */
function shortHost(s: string): string {
  const v = dash(s);
  if (v === '' || /^[0-9.]+$/.test(v) || v.indexOf(':') >= 0) return v;
  const dot = v.indexOf('.');
  return dot > 0 ? v.slice(0, dot) : v;
}

const ACTIONS: Readonly<Record<number, string>> = {
  4624: 'logon',
  4625: 'logon_failed',
  4634: 'logoff',
  4648: 'explicit_credentials',
  4672: 'special_privileges',
  4768: 'tgt',
  4769: 'tgs',
  4776: 'ntlm_validation',
};

/**
 * Parser of Windows Security events as JSON lines. Yields {@link WinEvent}s: `user` is the target account
 * (the subject for 4672), `srcHost` the normalised client IP or workstation, `dstHost` the short name of
 * the logging computer (4648: the target server), `action` one of `logon`, `logon_failed`, `logoff`,
 * `explicit_credentials`, `special_privileges`, `tgt`, `tgs`, `ntlm_validation`.
 *
 * @example
 * ```ts
 * const out: WinEvent[] = [];
 * new WinEventParser().parseLine('{"EventID":4625,"TargetUserName":"bob","Hostname":"WS1","LogonType":"3",' +
 *   '"Status":"0xc000006d","@timestamp":"2020-10-22T08:29:55Z"}', 1, out);
 * out[0].success; // false
 * ```
 */
export class WinEventParser implements LineParser<WinEvent> {
  /** Format name. */
  readonly format: string = 'winevt';
  /** Why the last line was skipped or rejected. */
  reason = '';
  private readonly offset: number;

  /** @param options - zone of timestamps without one. */
  constructor(options: WinEventOptions = {}) {
    const off = options.utcOffsetMinutes ?? 0;
    if (!Number.isInteger(off) || Math.abs(off) > 18 * 60) {
      throw new ParameterError(
        message(
          'WinEventParser',
          'utcOffsetMinutes must be an integer in [-1080, 1080]',
          'e.g. -240',
          String(off),
        ),
      );
    }
    this.offset = off;
  }

  /** Parses one line; see {@link LineParser.parseLine}. */
  parseLine(line: string, lineNo: number, out: WinEvent[]): number {
    const o = jsonObjectOfLine(line, this);
    if (typeof o === 'number') return o;
    const winlog = asObject(o.winlog);
    const idText = firstString(o.EventID, o.event_id, winlog?.event_id, getPath(o, 'event.code'));
    const eventId = Number(idText);
    if (idText === '' || !Number.isInteger(eventId)) {
      this.reason = 'no event id (expected EventID, winlog.event_id or event.code)';
      return BAD;
    }
    const action = ACTIONS[eventId];
    if (action === undefined) {
      this.reason = `event id ${eventId} not handled`;
      return SKIP;
    }
    const data: JsonObject = asObject(winlog?.event_data) ?? asObject(o.event_data) ?? o;
    const time = parseJsonTime(
      o['@timestamp'] ?? o.TimeCreated ?? winlog?.time_created ?? getPath(o, 'event.created') ?? o.EventTime,
      this.offset,
    );
    if (Number.isNaN(time)) {
      this.reason = 'no valid timestamp (expected @timestamp, TimeCreated or EventTime)';
      return BAD;
    }
    const v = (k: string): string => asString(data[k] ?? o[k]);
    const computer = shortHost(
      firstString(o.Hostname, o.Computer, winlog?.computer_name, getPath(o, 'host.name'), o.host),
    );
    const ip = normalizeIp(v('IpAddress'));
    const workstation = dash(v('WorkstationName') || v('Workstation'));
    const status = v('Status') || (eventId === 4625 ? v('SubStatus') : '');
    let user = bareUser(v('TargetUserName'));
    let srcUser = bareUser(v('SubjectUserName'));
    let domain = dash(v('TargetDomainName'));
    let dstHost = computer;
    let srcHost = ip !== '' ? ip : shortHost(workstation);
    let authType = dash(v('AuthenticationPackageName')) || dash(v('LogonProcessName'));
    const logonType = v('LogonType');
    let service = '';
    let success = eventId !== 4625;
    switch (eventId) {
      case 4648:
        service = dash(v('TargetServerName'));
        dstHost = shortHost(service) || computer;
        srcHost = ip !== '' ? ip : computer;
        break;
      case 4672:
        user = srcUser;
        domain = dash(v('SubjectDomainName'));
        break;
      case 4768:
      case 4769:
        service = dash(v('ServiceName'));
        authType = 'Kerberos';
        success = status === '' || status === '0x0';
        if (user === '') user = srcUser;
        break;
      case 4776:
        authType = 'NTLM';
        success = status === '' || status === '0x0';
        break;
      default:
        break;
    }
    if (srcUser === '') srcUser = user;
    if (user === '' && eventId !== 4634) {
      this.reason = `event ${eventId} without a user (expected TargetUserName or SubjectUserName)`;
      return BAD;
    }
    out.push({
      format: 'winevt',
      line: lineNo,
      time,
      user,
      srcUser,
      srcHost,
      dstHost,
      authType: authType.trim(),
      logonType,
      action,
      success,
      eventId,
      domain,
      ipAddress: ip,
      workstation,
      service,
      status,
    });
    return 1;
  }
}
