import { describe, expect, it } from 'vitest';
import { parseLines } from './common.js';
import { parsers } from './registry.js';

/** An OCSF 1.x Authentication record laid out as the schema documents it (written for this test). */
const logon = {
  class_uid: 3002,
  category_uid: 3,
  activity_id: 1,
  time: 1615564094000,
  status_id: 1,
  auth_protocol_id: 2,
  logon_type_id: 3,
  user: { name: 'alice', domain: 'CORP', uid: 'S-1-5-21-1' },
  actor: { user: { name: 'WS1$' } },
  src_endpoint: { ip: '10.0.0.7', port: 50122 },
  dst_endpoint: { hostname: 'dc1.corp.local' },
  metadata: { product: { name: 'Microsoft Windows' }, version: '1.1.0' },
};

describe('OCSF Authentication (3002) parser', () => {
  it('reads the documented fields into an authentication event', () => {
    const failed = {
      ...logon,
      status_id: 2,
      status_detail: '0xC000006D',
      auth_protocol: 'NTLM',
      logon_type: 'Network',
      activity_id: 99,
      activity_name: 'Other',
    };
    const { events, summary } = parseLines(parsers.ocsf(), [JSON.stringify(logon), JSON.stringify(failed)]);
    expect(summary).toMatchObject({ lines: 2, parsed: 2, errors: 0 });
    expect(events[0]).toMatchObject({
      format: 'ocsf',
      time: 1615564094,
      user: 'alice',
      srcUser: 'WS1$',
      srcHost: '10.0.0.7',
      dstHost: 'dc1.corp.local',
      authType: 'Kerberos',
      logonType: '3',
      action: 'logon',
      success: true,
      domain: 'CORP',
    });
    expect(events[1]).toMatchObject({
      authType: 'NTLM',
      logonType: 'Network',
      action: 'other',
      success: false,
      statusDetail: '0xC000006D',
    });
  });

  it('never guesses: placeholders are absent, a record without an outcome or user is malformed, other classes are skipped', () => {
    const dash = { ...logon, src_endpoint: { ip: '-', name: '-', port: 0 } };
    const noOutcome = { ...logon, status_id: 0 };
    const noUser = { ...logon, user: {}, actor: {} };
    const api = { class_uid: 6003, time: 1 };
    const { events, summary } = parseLines(
      parsers.ocsf(),
      [
        JSON.stringify(dash),
        JSON.stringify(noOutcome),
        JSON.stringify(noUser),
        JSON.stringify(api),
        '{"time":1}',
      ],
      { policy: 'collect' },
    );
    expect(events[0]?.srcHost).toBe('');
    expect(summary).toMatchObject({ lines: 5, parsed: 1, skipped: 1, errors: 3 });
    expect(summary.skipReasons).toEqual({
      'OCSF API Activity (6003): read it with the cloudtrail format': 1,
    });
    expect(summary.errorList.map((e) => e.reason)).toEqual([
      'OCSF Authentication without an outcome (expected status_id 1 or 2, or status)',
      'OCSF Authentication without a user (expected user.name or actor.user.name)',
      'not an OCSF record (no class_uid)',
    ]);
  });
});
