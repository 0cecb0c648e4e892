import { describe, expect, it } from 'vitest';
import { parseLines } from './common.js';
import { parsers } from './registry.js';

// Before, every parser read numbers with Number(): '' and ' ' as 0, '0x10' as 16, true and [1] as 1. A
// garbled field became a plausible value — an OCSF logon with `status_id: true` was a success — instead of a
// malformed line. These lines must now be malformed (or skipped, for a class that is not read), each counted.

const logon = {
  class_uid: 3002,
  time: 1615564094000,
  status_id: 1,
  user: { name: 'alice' },
  src_endpoint: { ip: '10.0.0.7' },
};

describe('numbers in log fields are read in decimal notation only', () => {
  it('OCSF: a status_id or class_uid that is not an integer code is not read as one', () => {
    const lines = [
      { ...logon },
      { ...logon, status_id: true },
      { ...logon, status_id: [1] },
      { ...logon, status_id: '' },
      { ...logon, class_uid: '3002' },
      { ...logon, class_uid: [3002] },
      { ...logon, class_uid: '0xBBA' },
    ].map((o) => JSON.stringify(o));
    const { events, summary } = parseLines(parsers.ocsf(), lines, { policy: 'skip' });
    expect(events.map((e) => e.line)).toEqual([1, 5]);
    expect(summary.lines).toBe(7);
    expect(summary.parsed + summary.errors + summary.skipped).toBe(7);
    expect(summary.errors).toBe(3); // the three status ids: no outcome
  });

  it('sshd: a repeat count or a PAM failure count in hexadecimal is malformed, not 16 events', () => {
    const lines = [
      'Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 0x10 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]',
      'Dec 10 07:13:57 LabSZ sshd[24228]: PAM 0x2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=5.36.59.76  user=root',
      'Dec 10 07:13:58 LabSZ sshd[24229]: message repeated 2 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]',
    ];
    const { events, summary } = parseLines(parsers.sshd({ year: 2024 }), lines, { policy: 'skip' });
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.line === 3)).toBe(true);
    expect(summary.errors).toBe(2);
  });

  it('Windows: an EventID that is not decimal digits is no event id', () => {
    const rec = (id: unknown): string =>
      JSON.stringify({
        EventID: id,
        TimeCreated: '2024-03-01T10:00:00Z',
        Computer: 'dc1',
        TargetUserName: 'alice',
        IpAddress: '10.0.0.7',
        LogonType: 3,
      });
    const { summary } = parseLines(parsers.winevt(), [rec(4624), rec('4624'), rec(''), rec(true)], {
      policy: 'skip',
    });
    expect(summary.parsed).toBe(2);
    expect(summary.errors).toBe(2);
  });
});
