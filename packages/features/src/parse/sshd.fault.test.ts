/**
 * Fault regressions of issue 15 for the sshd parser: a truncated authentication line is malformed (an
 * error with a reason), never a well-formed "not an authentication message"; a lone CR is not a line
 * break, so it cannot forge an event.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BAD, parseLines, SKIP } from './common.js';
import type { SshdEvent } from './events.js';
import { parsers } from './registry.js';

/** Whole authentication lines; every proper prefix of these must be an error (the cut is detectable). */
const DETECTABLE = [
  'Feb 22 16:45:20 slave22 sshd[2738]: Failed password for root from 202.109.143.106 port 1786 ssh2',
  'Dec 10 07:07:45 LabSZ sshd[24206]: Failed password for invalid user test9 from 52.80.34.196 port 36060 ssh2',
  'Feb 23 00:13:35 localhost sshd[7483]: Accepted password for vagrant from 192.168.33.1 port 58803 ssh2',
  'Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]',
  'Feb 22 16:48:04 slave22 sshd[2805]: pam_unix(sshd:session): session opened for user drewr by (uid=0)',
  'Jun 15 04:06:19 combo su(pam_unix)[21416]: session opened for user cyrus by (uid=0)',
];

/**
 * Authentication lines whose last field may be cut without a trace (a user name, a command): a prefix may
 * give an event, but must never be skipped as a non-event.
 */
const OTHERS = [
  'Feb 21 21:56:12 localhost sshd[3430]: Invalid user test from 10.0.2.2',
  'Feb 21 21:56:12 localhost sshd[3430]: Invalid user test from 10.0.2.2 port 41234',
  'Feb 22 16:45:32 slave22 sshd[2742]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=202.109.143.106  user=root',
  'Jun 15 04:06:19 combo su(pam_unix)[21416]: session closed for user cyrus',
  'Feb 21 23:35:33 localhost sudo: vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls',
  'Feb 24 00:13:02 precise32 sudo:      tsg : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls',
  'Mar  1 10:00:00 host su[99]: FAILED su for root by alice',
  ...DETECTABLE,
];

function outcome(line: string): { code: number; reason: string; events: SshdEvent[] } {
  const p = parsers.sshd({ year: 2016 });
  const events: SshdEvent[] = [];
  const code = p.parseLine(line, 1, events);
  return { code, reason: p.reason, events };
}

describe('sshd: truncated authentication lines are malformed (issue 15, case 8)', () => {
  it('every whole line gives an event', () => {
    for (const line of OTHERS) expect(outcome(line).code, line).toBeGreaterThan(0);
  });

  it('no prefix of an authentication line is skipped as a non-event', () => {
    for (const line of OTHERS) {
      for (let k = 1; k < line.length; k++) {
        const prefix = line.slice(0, k);
        if (prefix.trim() === '') continue;
        const o = outcome(prefix);
        expect(o.code, `${JSON.stringify(prefix)} → ${o.reason}`).not.toBe(SKIP);
      }
    }
  });

  it('every prefix of a line whose end is fixed by its template is an error with a reason', () => {
    for (const line of DETECTABLE) {
      for (let k = 1; k < line.length; k++) {
        const prefix = line.slice(0, k);
        const o = outcome(prefix);
        expect(o.code, `${JSON.stringify(prefix)} gave ${JSON.stringify(o.events[0])}`).toBe(BAD);
        expect(o.reason.length).toBeGreaterThan(0);
      }
    }
  });

  it('lines cut at random are counted as errors, not as "not an authentication message"', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...DETECTABLE), fc.double({ min: 0.05, max: 0.98, noNaN: true })), {
          minLength: 1,
          maxLength: 30,
        }),
        (cuts) => {
          const lines = cuts.map(([l, f]) => l.slice(0, Math.max(1, Math.floor(l.length * f))));
          const { summary } = parseLines(parsers.sshd({ year: 2016 }), lines, { policy: 'collect' });
          expect(summary).toMatchObject({ lines: lines.length, errors: lines.length, skipped: 0, events: 0 });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a truncated IPv4 source or a merged line is an error, not an event with a wrong address', () => {
    for (const line of [
      'Feb 22 16:45:20 h sshd[1]: Invalid user a from 202.109.14',
      'Feb 22 16:45:20 h sshd[1]: Failed password for root from 202.109.14 port 22 ssh2',
      'Feb 22 16:45:20 h sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2Jun 15 04:06:19 combo sshd[2]: x',
      'Feb 22 16:45:20 h sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=202.1',
    ]) {
      expect(outcome(line).code, line).toBe(BAD);
    }
    // A host name is a whole address.
    expect(outcome('Feb 22 16:45:20 h sshd[1]: Invalid user a from gw.example.org').code).toBe(1);
  });

  it('well-formed lines that are not authentication messages are still skipped', () => {
    for (const line of [
      'Dec 10 07:02:47 LabSZ sshd[24203]: Connection closed by 212.47.254.145 [preauth]',
      'Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): check pass; user unknown',
      'Jun 14 15:16:01 combo ftpd[1]: connection from 1.2.3.4',
      'Jun 14 15:16:01 combo last message repeated 3 times',
      'Jun 14 15:16:01 combo sudo: unable to resolve host combo',
    ]) {
      expect(outcome(line).code, line).toBe(SKIP);
    }
  });
});

describe('sshd: a lone CR is content, not a line break (issue 15, case 3)', () => {
  it('a CR inside a message makes the line malformed instead of forging a second event', () => {
    const forged =
      'Feb 22 16:45:20 h sshd[1]: Connection closed by 1.2.3.4\rFeb 22 16:45:21 h sshd[2]: Accepted password for root from 6.6.6.6 port 22 ssh2';
    const { events, summary } = parseLines(parsers.sshd({ year: 2016 }), `${forged}\n`, {
      policy: 'collect',
    });
    expect(events).toHaveLength(0);
    expect(summary).toMatchObject({ lines: 1, errors: 1 });
    expect(summary.errorList[0]?.reason).toMatch(/carriage return/);
  });
});
