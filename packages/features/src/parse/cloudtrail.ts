/**
 * AWS CloudTrail parser. Reads one record per JSON line, or a whole `{"Records": [...]}` document on a line
 * (as CloudTrail writes its S3 objects), as CloudTrail writes them (time from `eventTime`, else a
 * Logstash-added `@timestamp`); the same records as ECS documents of Elastic's `aws.cloudtrail` data set
 * (the raw record from `event.original` when kept, else the ECS fields); and OCSF API Activity records
 * (class 6003, or 3005 of OCSF 1.0 release candidates), as AWS Security Lake writes CloudTrail. CloudTrail
 * digest files (integrity records, not events) are skipped with a reason.
 *
 * Fields are the record's own: `errorCode` and `errorMessage` are empty when the record has none (a failed
 * console login has only `errorMessage`; its failure is in `success`).
 *
 * @module
 */

import { BAD, type LineParser, SKIP } from './common.js';
import type { CloudTrailEvent } from './events.js';
import { asObject, asString, firstString, getPath, type JsonObject, jsonObjectOfLine } from './json.js';
import { integerCode } from './numbers.js';
import { parseJsonTime } from './time.js';

/** The principal of a `userIdentity` block: user name, `role/session` for assumed roles, else ids. */
function principal(id: JsonObject | undefined, extra: JsonObject | undefined): string {
  if (id === undefined) return '';
  const name = asString(id.userName);
  if (name !== '') return name;
  const type = asString(id.type);
  if (type === 'IdentityCenterUser') {
    // Identity Center users: the sign-in events name the user; other calls carry the identity store's id.
    return firstString(extra?.UserName, asObject(id.onBehalfOf)?.userId, id.principalId);
  }
  const arn = asString(id.arn);
  if (type === 'AssumedRole' && arn !== '') {
    // arn:aws:sts::123:assumed-role/ROLE/SESSION → ROLE/SESSION
    const slash = arn.indexOf('/');
    if (slash > 0) return arn.slice(slash + 1);
  }
  const issuer = asObject(asObject(id.sessionContext)?.sessionIssuer);
  return firstString(issuer?.userName, id.invokedBy, id.principalId, arn, id.accountId);
}

/** Keys only a CloudTrail digest file has. */
function isDigest(o: JsonObject): boolean {
  return (
    Object.hasOwn(o, 'digestStartTime') && Object.hasOwn(o, 'digestEndTime') && !Object.hasOwn(o, 'eventName')
  );
}

/** Outcome of reading one record: '' (pushed), a reason it is malformed, or a reason to skip it. */
type RecordResult = '' | { readonly bad: string } | { readonly skip: string };

/**
 * Parser of CloudTrail records. Yields {@link CloudTrailEvent}s; `success` is false when the record has
 * an `errorCode` or is a failed console login (OCSF: `status_id` 2; ECS: `event.outcome` failure).
 *
 * @example
 * ```ts
 * const out: CloudTrailEvent[] = [];
 * new CloudTrailParser().parseLine('{"Records":[{"eventTime":"2020-01-01T00:00:00Z","eventName":"ListBuckets",' +
 *   '"eventSource":"s3.amazonaws.com","userIdentity":{"type":"Root","accountId":"1"}}]}', 1, out); // 1
 * ```
 */
export class CloudTrailParser implements LineParser<CloudTrailEvent> {
  /** Format name. */
  readonly format: string = 'cloudtrail';
  /** Why the last line was skipped or rejected. */
  reason = '';

  /** Parses one line; see {@link LineParser.parseLine}. */
  parseLine(line: string, lineNo: number, out: CloudTrailEvent[]): number {
    const o = jsonObjectOfLine(line, this);
    if (typeof o === 'number') return o;
    if (Object.hasOwn(o, 'Records')) {
      const recs = o.Records;
      if (!Array.isArray(recs)) {
        this.reason = `Records must be an array (got ${typeof recs})`;
        return BAD;
      }
      if (recs.length === 0) {
        this.reason = 'empty Records array';
        return SKIP;
      }
      const start = out.length;
      for (let i = 0; i < recs.length; i++) {
        const rec = asObject(recs[i]);
        const r: RecordResult =
          rec === undefined ? { bad: 'is not an object' } : this.record(rec, lineNo, out);
        if (typeof r !== 'string') {
          out.length = start;
          this.reason = `Records[${i}]: ${'bad' in r ? r.bad : r.skip}`;
          return BAD;
        }
      }
      return recs.length;
    }
    const r = this.record(o, lineNo, out);
    if (typeof r === 'string') return 1;
    if ('skip' in r) {
      this.reason = r.skip;
      return SKIP;
    }
    this.reason = r.bad;
    return BAD;
  }

  /** Pushes one record of any shape. */
  private record(o: JsonObject, lineNo: number, out: CloudTrailEvent[]): RecordResult {
    if (isDigest(o)) return { skip: 'CloudTrail digest file (an integrity record, not an event)' };
    if (Object.hasOwn(o, 'class_uid')) return this.ocsf(o, lineNo, out);
    if (
      !Object.hasOwn(o, 'eventName') &&
      (getPath(o, 'event.action') !== undefined || getPath(o, 'aws.cloudtrail') !== undefined)
    ) {
      return this.ecs(o, lineNo, out);
    }
    return this.raw(o, lineNo, out, Number.NaN);
  }

  /** A record as CloudTrail writes it. `fallbackTime` is used when it has no time of its own. */
  private raw(o: JsonObject, lineNo: number, out: CloudTrailEvent[], fallbackTime: number): RecordResult {
    const eventName = asString(o.eventName);
    if (eventName === '') return { bad: 'no eventName' };
    let time = parseJsonTime(o.eventTime ?? o['@timestamp']);
    if (Number.isNaN(time)) time = fallbackTime;
    if (Number.isNaN(time)) return { bad: 'no valid eventTime or @timestamp' };
    const id = asObject(o.userIdentity);
    const errorCode = asString(o.errorCode);
    const login = asString(asObject(o.responseElements)?.ConsoleLogin);
    const extra = asObject(o.additionalEventData);
    const attrs = asObject(asObject(id?.sessionContext)?.attributes);
    const mfa = asString(extra?.MFAUsed) === 'Yes' || asString(attrs?.mfaAuthenticated) === 'true';
    out.push({
      line: lineNo,
      time,
      eventName,
      eventSource: asString(o.eventSource),
      awsRegion: asString(o.awsRegion),
      sourceIp: asString(o.sourceIPAddress),
      userAgent: asString(o.userAgent),
      userType: asString(id?.type),
      user: principal(id, extra),
      accountId: firstString(id?.accountId, o.recipientAccountId),
      eventType: asString(o.eventType),
      errorCode,
      errorMessage: asString(o.errorMessage),
      success: errorCode === '' && login !== 'Failure',
      mfa,
    });
    return '';
  }

  /** An ECS document of the `aws.cloudtrail` data set. */
  private ecs(o: JsonObject, lineNo: number, out: CloudTrailEvent[]): RecordResult {
    const p = (path: string): unknown => getPath(o, path);
    const time = parseJsonTime(p('@timestamp'));
    const original = p('event.original');
    if (typeof original === 'string' && original.trimStart().startsWith('{')) {
      let rec: unknown;
      try {
        rec = JSON.parse(original);
      } catch {
        rec = undefined;
      }
      const r = asObject(rec);
      if (r !== undefined && asString(r.eventName) !== '') return this.raw(r, lineNo, out, time);
    }
    const eventName = firstString(p('event.action'), p('aws.cloudtrail.event_name'));
    if (eventName === '') return { bad: 'ECS document without event.action (not aws.cloudtrail?)' };
    if (Number.isNaN(time)) return { bad: 'ECS document without a valid @timestamp' };
    const errorCode = asString(p('aws.cloudtrail.error_code'));
    const outcome = asString(p('event.outcome'));
    const mfa =
      asString(p('aws.cloudtrail.console_login.additional_eventdata.mfa_used')) === 'true' ||
      asString(p('aws.cloudtrail.user_identity.session_context.mfa_authenticated')) === 'true';
    out.push({
      line: lineNo,
      time,
      eventName,
      eventSource: asString(p('event.provider')),
      awsRegion: asString(p('cloud.region')),
      sourceIp: firstString(p('source.address'), p('source.ip')),
      userAgent: asString(p('user_agent.original')),
      userType: asString(p('aws.cloudtrail.user_identity.type')),
      user: firstString(
        p('user.name'),
        p('aws.cloudtrail.user_identity.session_context.session_issuer.user_name'),
        p('user.id'),
      ),
      accountId: firstString(p('cloud.account.id'), p('aws.cloudtrail.recipient_account_id')),
      eventType: asString(p('aws.cloudtrail.event_type')),
      errorCode,
      errorMessage: asString(p('aws.cloudtrail.error_message')),
      success: outcome === '' ? errorCode === '' : outcome === 'success',
      mfa,
    });
    return '';
  }

  /** An OCSF API Activity record (class 6003, or 3005 of the 1.0 release candidates). */
  private ocsf(o: JsonObject, lineNo: number, out: CloudTrailEvent[]): RecordResult {
    const cls = integerCode(o.class_uid);
    if (cls !== 6003 && cls !== 3005) {
      return { skip: `OCSF class ${asString(o.class_uid)} is not API Activity (6003)` };
    }
    const p = (path: string): unknown => getPath(o, path);
    const eventName = asString(p('api.operation'));
    if (eventName === '') return { bad: 'OCSF API Activity without api.operation' };
    const time = parseJsonTime(o.time);
    if (Number.isNaN(time)) return { bad: 'OCSF record without a valid time' };
    const user = asObject(p('actor.user'));
    const status = integerCode(o.status_id);
    const errorCode = asString(p('api.response.error'));
    out.push({
      line: lineNo,
      time,
      eventName,
      eventSource: asString(p('api.service.name')),
      awsRegion: asString(p('cloud.region')),
      sourceIp: asString(p('src_endpoint.ip')),
      userAgent: asString(p('http_request.user_agent')),
      userType: asString(user?.type),
      user: firstString(user?.name, user?.uid, p('actor.session.issuer')),
      accountId: firstString(getPath(user ?? {}, 'account.uid'), user?.account_uid, p('cloud.account.uid')),
      eventType: firstString(p('unmapped.eventType'), p('metadata.event_code')),
      errorCode,
      errorMessage: asString(p('api.response.message')),
      success: Number.isInteger(status) && status !== 0 && status !== 99 ? status === 1 : errorCode === '',
      mfa: p('actor.session.is_mfa') === true || p('actor.session.mfa') === true,
    });
    return '';
  }
}
