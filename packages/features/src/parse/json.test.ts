import { describe, expect, it } from 'vitest';
import { parseLines } from './common.js';
import { parsers } from './registry.js';
import { normalizeIp } from './winevt.js';

describe('Windows Security parser', () => {
  it('reads flat NXLog records and normalises IpAddress', () => {
    const flat = {
      EventID: 4624,
      Hostname: 'MORDORDC.theshire.local',
      '@timestamp': '2020-08-06T15:56:10.187Z',
      TargetUserName: 'MORDORDC$',
      TargetDomainName: 'THESHIRE.LOCAL',
      SubjectUserName: '-',
      IpAddress: '::ffff:172.18.39.5',
      LogonType: '3',
      AuthenticationPackageName: 'Kerberos',
    };
    const { events } = parseLines(parsers.winevt(), [JSON.stringify(flat)]);
    expect(events[0]).toMatchObject({
      eventId: 4624,
      action: 'logon',
      user: 'MORDORDC$',
      srcUser: 'MORDORDC$',
      srcHost: '172.18.39.5',
      dstHost: 'MORDORDC',
      logonType: '3',
      authType: 'Kerberos',
      success: true,
      time: Date.UTC(2020, 7, 6, 15, 56, 10) / 1000 + 0.187,
    });
    expect(normalizeIp('::1')).toBe('::1');
    expect(normalizeIp('-')).toBe('');
    expect(normalizeIp('fe80::1')).toBe('fe80::1');
  });

  it('reads Winlogbeat records nested under winlog.event_data', () => {
    const nested = {
      '@timestamp': '2021-01-01T00:00:00Z',
      event: { code: '4625' },
      winlog: {
        computer_name: 'WS1.corp.local',
        event_data: {
          TargetUserName: 'CORP\\alice',
          IpAddress: '10.1.2.3',
          LogonType: '10',
          Status: '0xc000006d',
        },
      },
    };
    const { events } = parseLines(parsers.winevt(), [JSON.stringify(nested)]);
    expect(events[0]).toMatchObject({
      eventId: 4625,
      action: 'logon_failed',
      user: 'alice',
      srcHost: '10.1.2.3',
      dstHost: 'WS1',
      logonType: '10',
      success: false,
      status: '0xc000006d',
    });
  });

  it("takes the event's own creation time over the shipper's @timestamp, in every shape", () => {
    const created = Date.UTC(2020, 7, 6, 15, 56, 7) / 1000;
    const shipped = '2020-08-06T15:56:10.186Z';
    const base = { TargetUserName: 'bob', LogonType: '3' };
    const lines = [
      // Winlogbeat / Elastic Agent
      {
        '@timestamp': shipped,
        event: { code: '4624' },
        winlog: { time_created: '2020-08-06T15:56:07Z', event_data: base },
      },
      // flat record with TimeCreated
      { '@timestamp': shipped, EventID: 4624, TimeCreated: '2020-08-06T17:56:07+02:00', ...base },
      // NXLog EventTime without a zone: the zone implied by @timestamp (UTC−4 here)
      { '@timestamp': shipped, EventID: 4624, EventTime: '2020-08-06 11:56:07', ...base },
      // XML rendering (xmltodict), EventData as a Data list
      {
        Event: {
          System: {
            EventID: { '@Qualifiers': '', '#text': '4624' },
            TimeCreated: { '@SystemTime': '2020-08-06T15:56:07.000Z' },
            Computer: 'DC1.corp',
          },
          EventData: {
            Data: [
              { '@Name': 'TargetUserName', '#text': 'bob' },
              { '@Name': 'LogonType', '#text': '3' },
            ],
          },
        },
      },
      // XML rendering (evtx dumpers): #attributes, named EventData
      {
        Event: {
          System: {
            EventID: 4624,
            TimeCreated: { '#attributes': { SystemTime: '2020-08-06T15:56:07Z' } },
            Computer: 'DC1',
          },
          EventData: base,
        },
      },
      // System block at the top, PowerShell /Date(ms)/
      { System: { EventID: 4624, TimeCreated: { SystemTime: '/Date(1596729367000)/' } }, EventData: base },
    ].map((o) => JSON.stringify(o));
    const { events, summary } = parseLines(parsers.winevt(), lines);
    expect(summary.events).toBe(lines.length);
    expect(events.map((e) => e.time)).toEqual(lines.map(() => created));
    expect(events.every((e) => e.user === 'bob' && e.logonType === '3')).toBe(true);
    expect(events[3]?.dstHost).toBe('DC1');
    // A configured zone wins over the implied one; without a zone or @timestamp, UTC.
    expect(parseLines(parsers.winevt({ utcOffsetMinutes: -300 }), [lines[2] as string]).events[0]?.time).toBe(
      created + 3600,
    );
    const bare = JSON.stringify({ EventID: 4624, EventTime: '2020-08-06 11:56:07', ...base });
    expect(parseLines(parsers.winevt(), [bare]).events[0]?.time).toBe(created - 4 * 3600);
    // Only the shipper's time: used as the last resort.
    const shipperOnly = JSON.stringify({ EventID: 4624, '@timestamp': shipped, ...base });
    expect(parseLines(parsers.winevt(), [shipperOnly]).events[0]?.time).toBe(created + 3.186);
  });

  it('handles Kerberos and NTLM outcomes, skips other ids and rejects bad records', () => {
    const { events, summary } = parseLines(
      parsers.winevt(),
      [
        JSON.stringify({
          EventID: 4769,
          TargetUserName: 'bob@CORP',
          ServiceName: 'WS6$',
          Status: '0x0',
          '@timestamp': '2020-01-01T00:00:00Z',
        }),
        JSON.stringify({
          EventID: 4776,
          TargetUserName: 'eve',
          Workstation: 'WS5',
          Status: '0xc000006a',
          '@timestamp': '2020-01-01T00:00:00Z',
        }),
        JSON.stringify({ EventID: 4688, '@timestamp': '2020-01-01T00:00:00Z' }),
        JSON.stringify({ EventID: 4624, TargetUserName: 'x' }),
        '{"EventID": 4624,',
        '[1,2]',
      ],
      { policy: 'collect' },
    );
    expect(events[0]).toMatchObject({
      action: 'tgs',
      user: 'bob',
      service: 'WS6$',
      authType: 'Kerberos',
      success: true,
    });
    expect(events[1]).toMatchObject({ action: 'ntlm_validation', srcHost: 'WS5', success: false });
    expect(summary).toMatchObject({ lines: 6, parsed: 2, skipped: 1, errors: 3 });
    expect(summary.skipReasons).toEqual({ 'event id 4688 not handled': 1 });
    expect(summary.errorList.map((e) => e.reason)).toEqual([
      expect.stringMatching(/no valid timestamp/),
      expect.stringMatching(/invalid JSON/),
      'expected a JSON object, got array',
    ]);
  });
});

describe('CloudTrail parser', () => {
  it('reads JSON lines with eventTime or @timestamp and marks failures', () => {
    const { events } = parseLines(parsers.cloudtrail(), [
      '{"eventTime":"2014-07-08T17:35:27Z","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","sourceIPAddress":"192.0.2.100","userIdentity":{"type":"IAMUser","userName":"JaneDoe","accountId":"1"},"errorMessage":"Failed authentication","responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"MFAUsed":"No"}}',
      '{"@timestamp":"2020-09-14T00:44:23.000Z","eventName":"GetObject","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/Role/i-1"},"errorCode":"AccessDenied"}',
    ]);
    expect(events[0]).toMatchObject({
      user: 'JaneDoe',
      success: false,
      errorCode: '',
      errorMessage: 'Failed authentication',
      mfa: false,
      time: 1404840927,
    });
    expect(events[1]).toMatchObject({
      user: 'Role/i-1',
      userType: 'AssumedRole',
      success: false,
      errorCode: 'AccessDenied',
    });
  });

  it('expands a {"Records": [...]} document and rejects it whole when a record is bad', () => {
    const rec = (n: string): string =>
      `{"eventTime":"2020-01-01T00:00:0${n}Z","eventName":"E${n}","userIdentity":{"type":"Root","accountId":"9"}}`;
    const { events, summary } = parseLines(
      parsers.cloudtrail(),
      [
        `{"Records":[${rec('1')},${rec('2')},${rec('3')}]}`,
        `{"Records":[${rec('4')},{"eventName":"X"}]}`,
        '{"Records":[]}',
      ],
      { policy: 'collect' },
    );
    expect(events.map((e) => e.eventName)).toEqual(['E1', 'E2', 'E3']);
    expect(events[0]?.user).toBe('9');
    expect(summary).toMatchObject({ lines: 3, parsed: 1, skipped: 1, errors: 1, events: 3 });
    expect(summary.errorList[0]?.reason).toMatch(/^Records\[1\]: no valid eventTime/);
  });
});

describe('CloudTrail parser: identities, digests, ECS and OCSF', () => {
  const ic = {
    type: 'IdentityCenterUser',
    accountId: '111122223333',
    onBehalfOf: {
      userId: '94d00cd8-e9e6-4810-b177-b08e84775435',
      identityStoreArn: 'arn:aws:identitystore::111122223333:identitystore/d-1',
    },
    credentialId: 'c1',
  };

  it('names Identity Center users by their user name or identity-store id, never the service', () => {
    const { events } = parseLines(parsers.cloudtrail(), [
      JSON.stringify({
        eventTime: '2024-01-01T00:00:00Z',
        eventName: 'CredentialChallenge',
        eventSource: 'signin.amazonaws.com',
        userIdentity: { ...ic, invokedBy: 'signin.amazonaws.com' },
        additionalEventData: { CredentialType: 'PASSWORD', UserName: 'anyuser' },
      }),
      JSON.stringify({
        eventTime: '2024-01-01T00:00:01Z',
        eventName: 'CreateToken',
        eventSource: 'sso.amazonaws.com',
        userIdentity: ic,
      }),
    ]);
    expect(events.map((e) => [e.user, e.userType])).toEqual([
      ['anyuser', 'IdentityCenterUser'],
      ['94d00cd8-e9e6-4810-b177-b08e84775435', 'IdentityCenterUser'],
    ]);
  });

  it('skips digest files as non-events, with a reason', () => {
    const digest = {
      awsAccountId: '111122223333',
      digestStartTime: '2024-01-01T00:00:00Z',
      digestEndTime: '2024-01-01T01:00:00Z',
      digestS3Bucket: 'b',
      digestS3Object: 'o',
      logFiles: [],
      previousDigestSignature: 'x',
    };
    const { summary } = parseLines(parsers.cloudtrail(), [JSON.stringify(digest)]);
    expect(summary).toMatchObject({ lines: 1, skipped: 1, errors: 0, events: 0 });
    expect(summary.skipReasons).toEqual({ 'CloudTrail digest file (an integrity record, not an event)': 1 });
  });

  it('reads ECS aws.cloudtrail documents: the kept original record first, else the ECS fields', () => {
    const original =
      '{"eventTime":"2014-07-08T17:35:27Z","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","awsRegion":"us-east-2","sourceIPAddress":"192.0.2.100","userIdentity":{"type":"IAMUser","userName":"JaneDoe","accountId":"111122223333"},"errorMessage":"Failed authentication","responseElements":{"ConsoleLogin":"Failure"}}';
    const withOriginal = {
      '@timestamp': '2014-07-08T17:35:27.000Z',
      event: { original, action: 'ConsoleLogin', dataset: 'aws.cloudtrail' },
    };
    const fieldsOnly = {
      '@timestamp': '2020-01-01T00:00:00.000Z',
      'event.action': 'GetObject',
      'event.provider': 's3.amazonaws.com',
      'event.outcome': 'failure',
      'event.dataset': 'aws.cloudtrail',
      'cloud.region': 'us-east-1',
      'cloud.account.id': '1',
      'source.address': '1.2.3.4',
      'user_agent.original': 'aws-cli/2',
      'user.name': 'Role/i-1',
      'aws.cloudtrail.user_identity.type': 'AssumedRole',
      'aws.cloudtrail.error_code': 'AccessDenied',
      'aws.cloudtrail.event_type': 'AwsApiCall',
    };
    const { events } = parseLines(parsers.cloudtrail(), [
      JSON.stringify(withOriginal),
      JSON.stringify(fieldsOnly),
    ]);
    expect(events[0]).toMatchObject({
      eventName: 'ConsoleLogin',
      user: 'JaneDoe',
      errorCode: '',
      errorMessage: 'Failed authentication',
      success: false,
      time: 1404840927,
    });
    expect(events[1]).toMatchObject({
      eventName: 'GetObject',
      eventSource: 's3.amazonaws.com',
      awsRegion: 'us-east-1',
      sourceIp: '1.2.3.4',
      user: 'Role/i-1',
      userType: 'AssumedRole',
      accountId: '1',
      errorCode: 'AccessDenied',
      success: false,
      time: 1577836800,
    });
  });

  it('reads OCSF API Activity records and skips other OCSF classes', () => {
    const api = {
      class_uid: 6003,
      category_uid: 6,
      activity_id: 1,
      time: 1459524708000,
      status_id: 1,
      api: {
        operation: 'CreateLoadBalancer',
        service: { name: 'elasticloadbalancing.amazonaws.com' },
        request: { uid: 'r' },
      },
      cloud: { region: 'us-west-2', provider: 'AWS' },
      actor: { user: { type: 'IAMUser', name: 'Alice', uid: 'AIDA1', account: { uid: '123456789012' } } },
      src_endpoint: { ip: '198.51.100.1' },
      http_request: { user_agent: 'aws-cli/1.10.10' },
      unmapped: { eventType: 'AwsApiCall' },
    };
    const failed = {
      ...api,
      status_id: 2,
      api: { ...api.api, response: { error: 'AccessDenied', message: 'no' } },
    };
    const { events, summary } = parseLines(parsers.cloudtrail(), [
      JSON.stringify(api),
      JSON.stringify(failed),
      JSON.stringify({ class_uid: 3002, time: 1 }),
    ]);
    expect(events[0]).toMatchObject({
      eventName: 'CreateLoadBalancer',
      eventSource: 'elasticloadbalancing.amazonaws.com',
      awsRegion: 'us-west-2',
      sourceIp: '198.51.100.1',
      userAgent: 'aws-cli/1.10.10',
      userType: 'IAMUser',
      user: 'Alice',
      accountId: '123456789012',
      eventType: 'AwsApiCall',
      errorCode: '',
      success: true,
      time: 1459524708,
    });
    expect(events[1]).toMatchObject({ errorCode: 'AccessDenied', errorMessage: 'no', success: false });
    expect(summary.skipReasons).toEqual({ 'OCSF class 3002 is not API Activity (6003)': 1 });
  });
});

describe('GitHub audit parser', () => {
  it('reads epoch-millisecond and ISO times and the actor location', () => {
    const { events, summary } = parseLines(
      parsers['github-audit'](),
      [
        '{"actor":"octo","org":"o","action":"repo.destroy","repo":"o/r","created_at":1611623457848,"actor_location":{"country_code":"US"}}',
        '{"actor":"bot","action":"git.clone","@timestamp":"2023-01-23T06:19:44.795Z","transport_protocol_name":"http","user_agent":"git/2.0"}',
        '{"actor":"x","created_at":1}',
      ],
      { policy: 'collect' },
    );
    expect(events[0]).toMatchObject({ category: 'repo', actor: 'octo', country: 'US', time: 1611623457.848 });
    expect(events[1]).toMatchObject({ category: 'git', transport: 'http', userAgent: 'git/2.0' });
    expect(summary.errorList[0]?.reason).toBe('no action');
  });

  it('reads the address, token, secrets passed to a job and runner name', () => {
    const { events } = parseLines(parsers['github-audit'](), [
      '{"actor":"u1","action":"workflows.prepared_workflow_job","created_at":1,"actor_ip":"203.0.113.9","hashed_token":"abc=","secrets_passed":["A","B","C"],"runner_name":"r1"}',
      '{"actor":"u1","action":"hook.create","created_at":2,"token_id":213123634}',
      '{"actor":"u1","action":"workflows.prepared_workflow_job","created_at":3,"secrets_passed":["A",7,"",null]}',
    ]);
    expect(events[0]).toMatchObject({ actorIp: '203.0.113.9', token: 'abc=', secrets: 3, runner: 'r1' });
    expect(events[0]?.secretNames).toEqual(['A', 'B', 'C']);
    expect(events[1]).toMatchObject({ actorIp: '', token: '213123634', secrets: 0, runner: '' });
    expect(events[1]?.secretNames).toEqual([]);
    // Only names are kept; the count is the array's length as GitHub wrote it.
    expect(events[2]).toMatchObject({ secrets: 4, secretNames: ['A'] });
  });
});
