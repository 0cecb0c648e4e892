/**
 * The same real records in the shapes different shippers give them (read in place from ../shared/data):
 * per shape, events read, fields agreeing with the reading of the original record, and lines not
 * understood — asserted. The re-shaped records follow each shipper's documented layout; the field values are
 * the real ones.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLines, splitLines } from './common.js';
import type { CloudTrailEvent, WinEvent } from './events.js';
import { parsers } from './registry.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const logs = path.join(process.env.EBM_DATA_DIR ?? path.resolve(repoRoot, '../shared/data'), 'logs');

type Rec = Record<string, unknown>;

/** Fields compared between two readings of one record; returns [compared, agreeing]. */
function agree<E extends object>(
  a: readonly E[],
  b: readonly E[],
  fields: ReadonlyArray<keyof E>,
): [number, number] {
  let compared = 0;
  let same = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    for (const f of fields) {
      compared++;
      if ((a[i] as E)[f] === (b[i] as E)[f]) same++;
    }
  }
  return [compared, same];
}

describe.skipIf(!existsSync(logs))('real records in every shipper shape', () => {
  it('Windows: NXLog records, the same as Winlogbeat documents and as the event XML rendered as JSON', () => {
    const lines = splitLines(
      readFileSync(path.join(logs, 'windows_security/otrf_mordor_auth_events.jsonl'), 'utf8'),
    );
    const recs = lines.map((l) => JSON.parse(l) as Rec);
    const flat = parseLines(parsers.winevt(), lines, { policy: 'collect' });
    // Winlogbeat: event data under winlog.event_data, the creation time in winlog.time_created (UTC), the
    // shipper's time in @timestamp.
    const beat = recs.map((r, i) => {
      const { EventID, Hostname, EventTime: _t, '@timestamp': shipped, ...data } = r;
      return JSON.stringify({
        '@timestamp': shipped,
        event: { code: String(EventID) },
        host: { name: Hostname },
        winlog: {
          time_created: new Date((flat.events[i] as WinEvent).time * 1000).toISOString(),
          computer_name: Hostname,
          event_id: EventID,
          event_data: data,
        },
      });
    });
    // The XML rendering: System.EventID / TimeCreated@SystemTime / Computer, EventData.Data[@Name, #text].
    const xml = recs.map((r, i) =>
      JSON.stringify({
        Event: {
          System: {
            EventID: { '#text': String(r.EventID) },
            TimeCreated: { '@SystemTime': new Date((flat.events[i] as WinEvent).time * 1000).toISOString() },
            Computer: r.Hostname,
          },
          EventData: {
            Data: Object.entries(r)
              .filter(([, v]) => typeof v === 'string')
              .map(([k, v]) => ({ '@Name': k, '#text': v })),
          },
        },
      }),
    );
    const fields: Array<keyof WinEvent> = [
      'time',
      'eventId',
      'user',
      'srcUser',
      'domain',
      'srcHost',
      'dstHost',
      'logonType',
      'authType',
      'action',
      'success',
      'status',
      'service',
    ];
    const summary = (name: string, shaped: string[]): object => {
      const r = parseLines(parsers.winevt(), shaped, { policy: 'collect' });
      const [compared, agreeing] = agree(flat.events, r.events, fields);
      return { name, events: r.events.length, compared, agreeing, notUnderstood: r.summary.errors };
    };
    expect(flat.summary).toMatchObject({ lines: 285, parsed: 285, errors: 0 });
    expect(summary('winlogbeat', beat)).toEqual({
      name: 'winlogbeat',
      events: 285,
      compared: 285 * 13,
      agreeing: 285 * 13,
      notUnderstood: 0,
    });
    expect(summary('xml', xml)).toEqual({
      name: 'xml',
      events: 285,
      compared: 285 * 13,
      agreeing: 285 * 13,
      notUnderstood: 0,
    });
  });

  it('CloudTrail: records, the same as ECS aws.cloudtrail documents (original kept) and as OCSF API Activity', () => {
    const files = [
      'aws_cloudtrail/otrf_ec2_proxy_s3_exfiltration.jsonl',
      'aws_cloudtrail/beats_console-login-json.log',
    ];
    const lines = files.flatMap((f) => splitLines(readFileSync(path.join(logs, f), 'utf8')));
    const raw = parseLines(parsers.cloudtrail(), lines, { policy: 'collect' });
    expect(raw.summary).toMatchObject({ lines: 105, parsed: 105, errors: 0 });
    // The failed console login keeps the record's own fields: no invented errorCode.
    const failed = raw.events.find((e) => e.eventName === 'ConsoleLogin' && !e.success) as CloudTrailEvent;
    expect(failed).toMatchObject({ user: 'JaneDoe', errorCode: '', errorMessage: 'Failed authentication' });
    const ecs = lines.map((l, i) =>
      JSON.stringify({
        '@timestamp': new Date((raw.events[i] as CloudTrailEvent).time * 1000).toISOString(),
        event: { original: l, dataset: 'aws.cloudtrail', action: (JSON.parse(l) as Rec).eventName },
      }),
    );
    // OCSF API Activity, as Security Lake maps CloudTrail (time in ms, api.*, actor.user, src_endpoint, status_id).
    const ocsf = raw.events.map((e) =>
      JSON.stringify({
        class_uid: 6003,
        time: Math.round(e.time * 1000),
        status_id: e.success ? 1 : 2,
        api: {
          operation: e.eventName,
          service: { name: e.eventSource },
          response: e.errorCode === '' ? {} : { error: e.errorCode },
        },
        actor: { user: { type: e.userType, name: e.user, account: { uid: e.accountId } } },
        cloud: { region: e.awsRegion },
        src_endpoint: { ip: e.sourceIp },
        http_request: { user_agent: e.userAgent },
        unmapped: { eventType: e.eventType },
      }),
    );
    const fields: Array<keyof CloudTrailEvent> = [
      'time',
      'eventName',
      'eventSource',
      'awsRegion',
      'sourceIp',
      'userAgent',
      'userType',
      'user',
      'accountId',
      'eventType',
      'errorCode',
      'success',
    ];
    for (const [name, shaped] of [
      ['ecs', ecs],
      ['ocsf', ocsf],
    ] as const) {
      const r = parseLines(parsers.cloudtrail(), shaped, { policy: 'collect' });
      const [compared, agreeing] = agree(raw.events, r.events, fields);
      expect({ name, events: r.events.length, compared, agreeing, notUnderstood: r.summary.errors }).toEqual({
        name,
        events: 105,
        compared: 105 * 12,
        agreeing: 105 * 12,
        notUnderstood: 0,
      });
    }
  });
});
