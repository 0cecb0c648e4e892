/**
 * Windows Security event parser for JSON lines: NXLog-style flat records (`EventID`, `TargetUserName`, …),
 * Winlogbeat and Elastic Agent (ECS) records with the same keys nested under `winlog.event_data` (event id
 * from `winlog.event_id` or `event.code`), and the XML rendering of an event as JSON (`Event.System` /
 * `System` with `EventID`, `TimeCreated.SystemTime` and `Computer`; `EventData` as named keys or as a
 * `Data` list of `{"@Name", "#text"}`, as xmltodict, evtx dumpers and Splunk write it). Handles 4624,
 * 4625, 4634, 4648, 4672, 4768, 4769 and 4776; other event ids are skipped with a reason.
 *
 * Time is the event's own creation time, never the shipper's: `winlog.time_created`,
 * `System.TimeCreated.SystemTime`, `TimeCreated`, then NXLog's `EventTime`; the shipper's `@timestamp`
 * only when the record has none of them. An `EventTime` without a zone is read in `utcOffsetMinutes` when
 * given; otherwise in the zone implied by a zoned `@timestamp` of the same record (their difference rounded
 * to a quarter hour: the shipper reads an event seconds after it is written); otherwise in UTC.
 *
 * @module
 */

import { message, ParameterError } from '@nexus/ebm-core';
import { BAD, type LineParser, SKIP } from './common.js';
import type { WinEvent } from './events.js';
import { asObject, asString, firstString, getPath, type JsonObject, jsonObjectOfLine } from './json.js';
import { integerCode } from './numbers.js';
import { isoTimeEnd, parseIsoTime, parseJsonTime } from './time.js';

/**
 * Options of the Windows parser.
 *
 * @example
 * ```ts
 * const p = new WinEventParser({ utcOffsetMinutes: -240 });
 * ```
 */
export interface WinEventOptions {
  /**
   * Zone of event times without one (NXLog `EventTime`), in minutes east of UTC (default: the zone implied
   * by the record's zoned `@timestamp`, else UTC).
   */
  readonly utcOffsetMinutes?: number;
}

/**
 * Normalises a Windows `IpAddress`: `-` and empty → '', an IPv4-mapped IPv6 address `::ffff:a.b.c.d` →
 * `a.b.c.d` (the same IPv4 address); every other address is kept as logged (`::1` stays `::1`).
 *
 * @example
 * ```ts
 * normalizeIp('::ffff:172.18.39.5'); // '172.18.39.5'
 * ```
 */
export function normalizeIp(ip: string): string {
  const s = ip.trim();
  if (s === '' || s === '-') return '';
  if (s.length > 7 && s.slice(0, 7).toLowerCase() === '::ffff:' && s.indexOf('.') > 0) return s.slice(7);
  return s;
}

/** A value of an XML-rendered element: the text itself, or its `#text` / `text` / `Value` member. */
function xmlText(v: unknown): unknown {
  const o = asObject(v);
  return o === undefined ? v : (o['#text'] ?? o.text ?? o.Value ?? o['#value']);
}

/** An attribute of an XML-rendered element (`{"@SystemTime": …}`, `{"#attributes": {"SystemTime": …}}`). */
function xmlAttr(v: unknown, name: string): unknown {
  const o = asObject(v);
  if (o === undefined) return undefined;
  return o[name] ?? o[`@${name}`] ?? o[`_${name}`] ?? asObject(o['#attributes'])?.[name];
}

/** `EventData` of the XML rendering as named keys: `{"Data": [{"@Name": "TargetUserName", "#text": "bob"}]}`. */
function xmlEventData(v: unknown): JsonObject | undefined {
  const o = asObject(v);
  if (o === undefined) return undefined;
  const list = o.Data;
  if (!Array.isArray(list)) return o;
  const out: JsonObject = Object.create(null) as JsonObject;
  for (const d of list) {
    const name = asString(xmlAttr(d, 'Name'));
    if (name !== '') out[name] = xmlText(d) ?? '';
  }
  return out;
}

/** Whether an ISO timestamp string carries its zone (`Z`, `±hh:mm`). */
function zoned(s: string): boolean {
  const end = isoTimeEnd(s);
  if (end < 19 || end > s.length) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
    i++;
    while (i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  }
  return end > i;
}

/** Seconds since the epoch of a JSON time value, also PowerShell's `/Date(ms)/`; NaN when it is none. */
function eventTime(v: unknown, offset: number): number {
  if (typeof v === 'string' && v.startsWith('/Date(')) {
    const ms = Number.parseInt(v.slice(6), 10);
    return Number.isFinite(ms) ? ms / 1000 : Number.NaN;
  }
  return parseJsonTime(v, offset);
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
  /** The configured zone of zone-less event times; undefined when not configured. */
  private readonly offset: number | undefined;

  /** @param options - zone of timestamps without one. */
  constructor(options: WinEventOptions = {}) {
    const off = options.utcOffsetMinutes;
    if (off !== undefined && (!Number.isInteger(off) || Math.abs(off) > 18 * 60)) {
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
    const ev = asObject(o.Event);
    const system = asObject(ev?.System) ?? asObject(o.System);
    const idText = firstString(
      o.EventID,
      o.event_id,
      winlog?.event_id,
      getPath(o, 'event.code'),
      xmlText(system?.EventID),
    );
    const eventId = integerCode(idText);
    if (Number.isNaN(eventId)) {
      this.reason = 'no event id (expected EventID, winlog.event_id, event.code or System.EventID)';
      return BAD;
    }
    const action = ACTIONS[eventId];
    if (action === undefined) {
      this.reason = `event id ${eventId} not handled`;
      return SKIP;
    }
    const data: JsonObject =
      asObject(winlog?.event_data) ??
      asObject(o.event_data) ??
      xmlEventData(ev?.EventData ?? (system === undefined ? undefined : o.EventData)) ??
      o;
    const time = this.time(o, winlog, system);
    if (Number.isNaN(time)) {
      this.reason =
        'no valid timestamp (expected winlog.time_created, System.TimeCreated.SystemTime, TimeCreated, EventTime or @timestamp)';
      return BAD;
    }
    const v = (k: string): string => asString(data[k] ?? o[k]);
    const computer = shortHost(
      firstString(
        o.Hostname,
        o.Computer,
        winlog?.computer_name,
        xmlText(system?.Computer),
        getPath(o, 'host.name'),
        o.host,
      ),
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

  /** The event's own creation time (see the module description); NaN when the record has no time. */
  private time(o: JsonObject, winlog: JsonObject | undefined, system: JsonObject | undefined): number {
    const own = winlog?.time_created ?? xmlAttr(system?.TimeCreated, 'SystemTime') ?? o.TimeCreated;
    const created = xmlAttr(own, 'SystemTime') ?? own;
    if (created !== undefined) return eventTime(created, this.offset ?? 0);
    const shipped = o['@timestamp'];
    const local = o.EventTime;
    if (typeof local === 'string' && !zoned(local.trim())) {
      if (this.offset !== undefined) return parseIsoTime(local.trim(), this.offset);
      const asUtc = parseIsoTime(local.trim(), 0);
      const at = typeof shipped === 'string' && zoned(shipped.trim()) ? parseJsonTime(shipped) : Number.NaN;
      if (Number.isNaN(asUtc) || Number.isNaN(at)) return asUtc;
      // The shipper reads an event seconds after it is written: the difference is the zone, to the quarter hour.
      return asUtc - Math.round((asUtc - at) / 900) * 900;
    }
    if (local !== undefined) return eventTime(local, this.offset ?? 0);
    return eventTime(shipped, this.offset ?? 0);
  }
}
