import { ParseError } from '@nexus/ebm-core';
import { describe, expect, it } from 'vitest';
import { ParseSession, parseLines } from './common.js';
import { labelRedTeam } from './lanl.js';
import { parsers } from './registry.js';

describe('LANL parser', () => {
  it('parses the nine fields, splits user@domain and maps ? to empty', () => {
    const { events, summary } = parseLines(parsers.lanl(), [
      '1,U101@DOM1,C1862$@DOM1,C1862,C1862,?,?,AuthMap,Success',
      '150885,U620@DOM1,U620@DOM1,C17693,C1003,NTLM,Network,LogOn,Fail',
    ]);
    expect(summary).toMatchObject({ lines: 2, parsed: 2, skipped: 0, errors: 0, events: 2 });
    expect(events[0]).toMatchObject({
      time: 1,
      srcUser: 'U101',
      srcDomain: 'DOM1',
      user: 'C1862$',
      authType: '',
      logonType: '',
      action: 'AuthMap',
      success: true,
      line: 1,
    });
    expect(events[1]).toMatchObject({ user: 'U620', srcHost: 'C17693', dstHost: 'C1003', success: false });
  });

  it('rejects malformed lines with a reason, under each policy', () => {
    const bad = [
      '1,U1@D,U1@D,C1,C2,NTLM,Network,LogOn', // 8 fields
      'x,U1@D,U1@D,C1,C2,NTLM,Network,LogOn,Success', // bad time
      '1,U1@D,U1@D,C1,C2,NTLM,Network,LogOn,Maybe', // bad outcome
      '1,U1@D,U1@D,C1,C2,NTLM,Network,LogOn,Success,extra',
      '1,,U1@D,C1,C2,NTLM,Network,LogOn,Success',
    ];
    const lines = ['', ...bad, '2,U1@D,U1@D,C1,C2,NTLM,Network,LogOn,Success'];
    const collected = parseLines(parsers.lanl(), lines, { policy: 'collect' });
    expect(collected.summary).toMatchObject({ lines: 7, parsed: 1, skipped: 1, errors: 5, events: 1 });
    expect(collected.summary.errorList.map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
    expect(collected.summary.errorList[0]?.reason).toMatch(/expected 9 comma-separated fields, got 8/);
    expect(collected.summary.errorList[2]?.reason).toMatch(/Success or Fail/);
    expect(collected.summary.skipReasons).toEqual({ 'blank line': 1 });
    const skipped = parseLines(parsers.lanl(), lines, { policy: 'skip' });
    expect(skipped.summary.errors).toBe(5);
    expect(skipped.summary.errorList).toHaveLength(0);
    expect(() => parseLines(parsers.lanl(), lines, { policy: 'throw' })).toThrow(ParseError);
    try {
      parseLines(parsers.lanl(), lines);
    } catch (e) {
      expect((e as ParseError).line).toBe(2);
      expect((e as ParseError).message).toMatch(/^lanl: line 2: /);
    }
  });

  it('caps the kept errors but keeps counting', () => {
    const s = new ParseSession(parsers.lanl(), { policy: 'collect', maxErrors: 2 });
    s.parseLines(['a', 'b', 'c']);
    expect(s.summary().errors).toBe(3);
    expect(s.summary().errorList).toHaveLength(2);
  });

  it('parses red-team lines and labels matching auth events', () => {
    const red = parseLines(parsers['lanl-redteam'](), ['150885,U620@DOM1,C17693,C1003', 'bad'], {
      policy: 'skip',
    }).events;
    expect(red).toEqual([
      { line: 1, time: 150885, user: 'U620', domain: 'DOM1', srcHost: 'C17693', dstHost: 'C1003' },
    ]);
    const auth = parseLines(parsers.lanl(), [
      '150885,U620@DOM1,U620@DOM1,C17693,C1003,NTLM,Network,LogOn,Success',
      '150885,U620@DOM1,U620@DOM1,C17693,C1004,NTLM,Network,LogOn,Success',
      '150886,U620@DOM1,U620@DOM1,C17693,C1003,NTLM,Network,LogOn,Success',
    ]).events;
    expect(Array.from(labelRedTeam(auth, red))).toEqual([1, 0, 0]);
  });
});
