/**
 * AWS CloudTrail parser: one record per JSON line, or a whole `{"Records": [...]}` document on a line
 * (as CloudTrail writes its S3 objects). Time from `eventTime`, else `@timestamp` (Logstash-shipped).
 *
 * @module
 */
import { BAD, type LineParser, SKIP } from './common.js';
import type { CloudTrailEvent } from './events.js';
import { asObject, asString, firstString, type JsonObject, jsonObjectOfLine } from './json.js';
import { parseJsonTime } from './time.js';

/** The principal of a `userIdentity` block: user name, `role/session` for assumed roles, else ids. */
function principal(id: JsonObject | undefined): string {
  if (id === undefined) return '';
  const name = asString(id.userName);
  if (name !== '') return name;
  const arn = asString(id.arn);
  if (asString(id.type) === 'AssumedRole' && arn !== '') {
    // arn:aws:sts::123:assumed-role/ROLE/SESSION → ROLE/SESSION
    const slash = arn.indexOf('/');
    if (slash > 0) return arn.slice(slash + 1);
  }
  const issuer = asObject(asObject(id.sessionContext)?.sessionIssuer);
  return firstString(issuer?.userName, id.invokedBy, id.principalId, arn, id.accountId);
}

/**
 * Parser of CloudTrail records. Yields {@link CloudTrailEvent}s; `success` is false when the record has
 * an `errorCode` or is a failed console login.
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
        const r = rec === undefined ? `Records[${i}] is not an object` : this.record(rec, lineNo, out);
        if (r !== '') {
          out.length = start;
          this.reason = `Records[${i}]: ${r}`;
          return BAD;
        }
      }
      return recs.length;
    }
    const r = this.record(o, lineNo, out);
    if (r !== '') {
      this.reason = r;
      return BAD;
    }
    return 1;
  }

  /** Pushes one record; returns '' or the reason it is malformed. */
  private record(o: JsonObject, lineNo: number, out: CloudTrailEvent[]): string {
    const eventName = asString(o.eventName);
    if (eventName === '') return 'no eventName';
    const time = parseJsonTime(o.eventTime ?? o['@timestamp']);
    if (Number.isNaN(time)) return 'no valid eventTime or @timestamp';
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
      user: principal(id),
      accountId: firstString(id?.accountId, o.recipientAccountId),
      eventType: asString(o.eventType),
      errorCode: errorCode !== '' ? errorCode : login === 'Failure' ? 'Failure' : '',
      success: errorCode === '' && login !== 'Failure',
      mfa,
    });
    return '';
  }
}
