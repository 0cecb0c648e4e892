/**
 * OCSF Authentication records (class 3002, `category_uid` 3), as security data lakes (AWS Security Lake,
 * OCSF-native SIEMs) hold them, one JSON object per line. Fields read (OCSF 1.x): `time` (epoch ms, the
 * event's own time), `user` (the account authenticated), `actor.user` (who initiated it), `src_endpoint`,
 * `dst_endpoint` / `device` (where it went), `auth_protocol` / `auth_protocol_id`, `logon_type` /
 * `logon_type_id`, `activity_name` / `activity_id`, `status_id` / `status`. Other OCSF classes are skipped
 * with a reason (API Activity, 6003, is read by the `cloudtrail` format).
 *
 * @module
 */

import { BAD, type LineParser, SKIP } from './common.js';
import type { AuthEvent } from './events.js';
import { asObject, asString, firstString, getPath, type JsonObject, jsonObjectOfLine } from './json.js';
import { integerCode } from './numbers.js';
import { parseJsonTime } from './time.js';

/**
 * An OCSF Authentication event, read into the shared {@link AuthEvent} fields.
 *
 * @example
 * ```ts
 * const [e] = parseLines(parsers.ocsf(), ['{"class_uid":3002,"time":1615564094000,"status_id":1,"activity_id":1,' +
 *   '"user":{"name":"SYSTEM"},"dst_endpoint":{"hostname":"dc1"},"logon_type_id":5}']).events;
 * e.logonType; // '5'
 * ```
 */
export interface OcsfAuthEvent extends AuthEvent {
  readonly format: 'ocsf';
  /** The OCSF `status_detail` (a failure reason, e.g. a Windows status code), '' when absent. */
  readonly statusDetail: string;
  /** Domain of the authenticated user, '' when absent. */
  readonly domain: string;
}

/** OCSF `auth_protocol_id` names (schema 1.x). */
const AUTH_PROTOCOLS: Readonly<Record<number, string>> = {
  1: 'NTLM',
  2: 'Kerberos',
  3: 'Digest',
  4: 'OpenID',
  5: 'SAML',
  6: 'OAUTH 2.0',
  7: 'PAP',
  8: 'CHAP',
  9: 'EAP',
  10: 'RADIUS',
};

/** OCSF Authentication `activity_id` → action. */
const ACTIVITIES: Readonly<Record<number, string>> = {
  1: 'logon',
  2: 'logoff',
  3: 'tgt',
  4: 'tgs',
  5: 'tgs_renew',
  6: 'preauth',
};

/** A value as logged, with the placeholders `-` and `Unknown` read as absent. */
function present(v: unknown): string {
  const s = asString(v);
  return s === '-' || s === 'Unknown' ? '' : s;
}

function endpointName(ep: JsonObject | undefined): string {
  return firstString(present(ep?.hostname), present(ep?.name), present(ep?.ip));
}

/**
 * Parser of OCSF Authentication (3002) records. Yields {@link OcsfAuthEvent}s; `success` from `status_id`
 * (1 success, 2 failure) or `status`, and a record with neither is malformed (no outcome is guessed).
 *
 * @example
 * ```ts
 * const out: OcsfAuthEvent[] = [];
 * new OcsfAuthParser().parseLine('{"class_uid":3002,"time":1,"status_id":2,"user":{"name":"bob"}}', 1, out); // 1
 * ```
 */
export class OcsfAuthParser implements LineParser<OcsfAuthEvent> {
  /** Format name. */
  readonly format: string = 'ocsf';
  /** Why the last line was skipped or rejected. */
  reason = '';

  /** Parses one line; see {@link LineParser.parseLine}. */
  parseLine(line: string, lineNo: number, out: OcsfAuthEvent[]): number {
    const o = jsonObjectOfLine(line, this);
    if (typeof o === 'number') return o;
    if (!Object.hasOwn(o, 'class_uid')) {
      this.reason = 'not an OCSF record (no class_uid)';
      return BAD;
    }
    const cls = integerCode(o.class_uid);
    if (cls !== 3002) {
      this.reason =
        cls === 6003 || cls === 3005
          ? 'OCSF API Activity (6003): read it with the cloudtrail format'
          : `OCSF class ${asString(o.class_uid)} is not Authentication (3002)`;
      return SKIP;
    }
    const time = parseJsonTime(o.time);
    if (Number.isNaN(time)) {
      this.reason = 'OCSF record without a valid time (epoch milliseconds)';
      return BAD;
    }
    const statusId = integerCode(o.status_id);
    const status = asString(o.status).toLowerCase();
    let success: boolean;
    if (statusId === 1 || statusId === 2) success = statusId === 1;
    else if (status === 'success' || status === 'failure') success = status === 'success';
    else {
      this.reason = 'OCSF Authentication without an outcome (expected status_id 1 or 2, or status)';
      return BAD;
    }
    const user = asObject(o.user);
    const actor = asObject(getPath(o, 'actor.user'));
    const name = present(user?.name);
    const srcName = present(actor?.name);
    if (name === '' && srcName === '') {
      this.reason = 'OCSF Authentication without a user (expected user.name or actor.user.name)';
      return BAD;
    }
    const protoId = integerCode(o.auth_protocol_id);
    const activityId = integerCode(o.activity_id);
    const activity = present(o.activity_name).toLowerCase().replace(/ /g, '_');
    const logonTypeId = o.logon_type_id;
    out.push({
      format: 'ocsf',
      line: lineNo,
      time,
      user: name || srcName,
      srcUser: srcName || name,
      srcHost: endpointName(asObject(o.src_endpoint)),
      dstHost: firstString(endpointName(asObject(o.dst_endpoint)), endpointName(asObject(o.device))),
      authType: present(o.auth_protocol) || (AUTH_PROTOCOLS[protoId] ?? ''),
      logonType: present(o.logon_type) || (logonTypeId === undefined ? '' : asString(logonTypeId)),
      action: ACTIVITIES[activityId] ?? activity,
      success,
      statusDetail: present(o.status_detail),
      domain: present(user?.domain),
    });
    return 1;
  }
}
