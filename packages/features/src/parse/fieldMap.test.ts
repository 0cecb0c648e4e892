import { describe, expect, it } from 'vitest';
import { parseLines } from './common.js';
import type { AuthEvent, CloudTrailEvent } from './events.js';
import { checkFieldMap, type FieldMap, FieldMapParser } from './fieldMap.js';

/** Okta System Log records, as its API documents them (written for this test). */
const okta = (result: string, who = 'alice@example.com'): string =>
  JSON.stringify({
    published: '2024-03-01T10:00:00.000Z',
    eventType: 'user.session.start',
    actor: { alternateId: who, type: 'User' },
    client: { ipAddress: '198.51.100.7' },
    outcome: { result },
    authenticationContext: { credentialType: 'PASSWORD' },
  });

const MAP: FieldMap = {
  event: 'auth',
  fields: {
    time: 'published',
    user: 'actor.alternateId',
    srcHost: 'client.ipAddress',
    action: 'eventType',
    authType: { path: 'authenticationContext.credentialType', default: 'unknown' },
    logonType: { value: 'sso' },
    success: { path: 'outcome.result', values: { SUCCESS: true, FAILURE: false } },
  },
};

describe('field map', () => {
  it('maps JSON paths to authentication events with value translations', () => {
    const { events, summary } = parseLines(new FieldMapParser(MAP), [
      okta('SUCCESS'),
      okta('FAILURE', 'bob@example.com'),
    ]);
    expect(summary).toMatchObject({ lines: 2, parsed: 2, errors: 0 });
    expect(events[0]).toEqual({
      format: 'json',
      line: 1,
      time: Date.UTC(2024, 2, 1, 10) / 1000,
      user: 'alice@example.com',
      srcUser: 'alice@example.com',
      srcHost: '198.51.100.7',
      dstHost: '',
      authType: 'PASSWORD',
      logonType: 'sso',
      action: 'user.session.start',
      success: true,
    } satisfies AuthEvent);
    expect(events[1]).toMatchObject({ user: 'bob@example.com', success: false });
  });

  it('never guesses: an untranslated value, a missing required field or a wrong type makes the record malformed', () => {
    const noUser = JSON.stringify({ published: '2024-03-01T10:00:00Z', outcome: { result: 'SUCCESS' } });
    const badTime = JSON.stringify({
      published: 'yesterday',
      actor: { alternateId: 'a' },
      outcome: { result: 'SUCCESS' },
    });
    const { events, summary } = parseLines(new FieldMapParser(MAP), [okta('ALLOW'), noUser, badTime], {
      policy: 'collect',
    });
    expect(events).toHaveLength(0);
    expect(summary.errorList.map((e) => e.reason)).toEqual([
      'outcome.result = "ALLOW" is not among the map\'s values for success (SUCCESS, FAILURE)',
      'required field user is absent (map: "actor.alternateId")',
      'published = "yesterday" is not a time for time (expected ISO 8601 or epoch seconds / milliseconds)',
    ]);
    const absent = JSON.stringify({
      published: '2024-03-01T10:00:00Z',
      actor: { alternateId: 'a' },
      outcome: { result: 'SUCCESS' },
    });
    expect(parseLines(new FieldMapParser(MAP), [absent]).events[0]).toMatchObject({
      srcHost: '',
      authType: 'unknown',
    });
  });

  it('maps CloudTrail-like API records', () => {
    const map = {
      event: 'cloudtrail',
      fields: { time: 'ts', eventName: 'op', user: 'who', errorCode: 'err' },
    };
    const { events } = parseLines(new FieldMapParser(map), [
      '{"ts":1700000000,"op":"storage.objects.get","who":"svc@p","err":"PERMISSION_DENIED"}',
    ]);
    expect(events[0]).toMatchObject({
      eventName: 'storage.objects.get',
      user: 'svc@p',
      errorCode: 'PERMISSION_DENIED',
      success: false,
      time: 1700000000,
    } satisfies Partial<CloudTrailEvent>);
  });

  it('checks a map strictly, naming the field', () => {
    const bad = (m: unknown): string => {
      try {
        checkFieldMap(m);
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(bad({ event: 'auth', fields: { time: 't', user: 'u', success: 's', usr: 'x' } })).toMatch(
      /fieldMap: unknown target field "usr" for auth events \(expected time, user, /,
    );
    expect(bad({ event: 'auth', fields: { time: 't', user: 'a..b', success: 's' } })).toMatch(
      /field user: malformed path "a..b"/,
    );
    expect(bad({ event: 'auth', fields: { time: 't', user: 'a.__proto__', success: 's' } })).toMatch(
      /malformed path/,
    );
    expect(bad({ event: 'auth', fields: { time: 't', user: 'u' } })).toMatch(
      /the required field success of auth events is not mapped/,
    );
    expect(
      bad({ event: 'auth', fields: { time: 't', user: 'u', success: { path: 'r', values: { OK: 'yes' } } } }),
    ).toMatch(/field success: values\["OK"\] has the wrong type \(expected true or false/);
    expect(bad({ event: 'okta', fields: {} })).toMatch(/unknown event \(expected "auth" or "cloudtrail"/);
    expect(bad({ event: 'auth', fields: { time: 't', user: 'u', success: 's' }, extra: 1 })).toMatch(
      /unknown key "extra"/,
    );
    expect(
      bad({ event: 'auth', fields: { time: 't', user: { path: 'u', value: 'x' }, success: 's' } }),
    ).toMatch(/a constant takes no other keys/);
    expect(bad(MAP)).toBe('accepted');
  });
});
