import { describe, expect, it } from 'vitest';
import { parseLines } from './common.js';
import { parsers } from './registry.js';

const Y = { year: 2016 };

describe('sshd parser', () => {
  it('parses accepted, failed and invalid-user logins', () => {
    const { events, summary } = parseLines(parsers.sshd(Y), [
      'Feb 22 16:48:04 slave22 sshd[2805]: Accepted publickey for drewr from 69.245.39.97 port 34202 ssh2: RSA 01:67',
      'Feb 23 00:13:35 localhost sshd[7483]: Accepted password for vagrant from 192.168.33.1 port 58803 ssh2',
      'Feb 22 16:45:20 slave22 sshd[2738]: Failed password for root from 202.109.143.106 port 1786 ssh2',
      'Dec 10 07:07:45 LabSZ sshd[24206]: Failed password for invalid user test9 from 52.80.34.196 port 36060 ssh2',
      'Feb 21 21:56:12 localhost sshd[3430]: Invalid user test from 10.0.2.2',
    ]);
    expect(summary).toMatchObject({ lines: 5, parsed: 5, events: 5, errors: 0 });
    expect(events[0]).toMatchObject({
      action: 'accepted',
      authType: 'publickey',
      user: 'drewr',
      srcHost: '69.245.39.97',
      dstHost: 'slave22',
      port: 34202,
      pid: 2805,
      success: true,
      time: Date.UTC(2016, 1, 22, 16, 48, 4) / 1000,
    });
    expect(events[1]).toMatchObject({ authType: 'password', success: true });
    expect(events[2]).toMatchObject({ action: 'failed', user: 'root', success: false, invalidUser: false });
    expect(events[3]).toMatchObject({ action: 'failed', user: 'test9', invalidUser: true });
    expect(events[4]).toMatchObject({ action: 'invalid_user', user: 'test', srcHost: '10.0.2.2', port: -1 });
  });

  it('expands "message repeated N times" into N events', () => {
    const { events, summary } = parseLines(parsers.sshd(Y), [
      'Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]',
    ]);
    expect(summary).toMatchObject({ lines: 1, parsed: 1, events: 5 });
    expect(events.every((e) => e.action === 'failed' && e.srcHost === '5.36.59.76' && e.port === 42393)).toBe(
      true,
    );
    const huge = parseLines(
      parsers.sshd(Y),
      [
        'Dec 10 07:13:56 LabSZ sshd[1]: message repeated 99999999 times: [ Failed password for root from 1.2.3.4 port 1 ssh2]',
      ],
      { policy: 'collect' },
    );
    expect(huge.summary.errors).toBe(1);
    expect(huge.summary.errorList[0]?.reason).toMatch(/repeat count too large/);
  });

  it('parses PAM sessions, PAM failures, sudo and su', () => {
    const { events } = parseLines(parsers.sshd(Y), [
      'Feb 22 16:48:04 slave22 sshd[2805]: pam_unix(sshd:session): session opened for user drewr by (uid=0)',
      'Jun 15 04:06:19 combo su(pam_unix)[21416]: session closed for user cyrus',
      'Feb 22 16:45:32 slave22 sshd[2742]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=202.109.143.106  user=root',
      'Feb 21 23:35:33 localhost sudo: vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls',
      'Feb 24 00:13:02 precise32 sudo:      tsg : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls',
      'Mar  1 10:00:00 host su[99]: FAILED su for root by alice',
    ]);
    expect(events[0]).toMatchObject({
      action: 'session_opened',
      user: 'drewr',
      logonType: 'sshd',
      success: true,
    });
    expect(events[1]).toMatchObject({
      action: 'session_closed',
      user: 'cyrus',
      logonType: 'su',
      program: 'su',
    });
    expect(events[2]).toMatchObject({
      action: 'auth_failure',
      user: 'root',
      srcHost: '202.109.143.106',
      success: false,
    });
    expect(events[3]).toMatchObject({
      action: 'sudo',
      user: 'vagrant',
      targetUser: 'root',
      command: '/bin/ls',
      success: true,
    });
    expect(events[4]).toMatchObject({ action: 'sudo_denied', user: 'tsg', success: false });
    expect(events[5]).toMatchObject({ action: 'su', user: 'root', srcUser: 'alice', success: false });
    expect(events[5]?.time).toBe(Date.UTC(2016, 2, 1, 10) / 1000);
  });

  it('reads RFC 3339 timestamps and applies the configured zone to zone-less ones', () => {
    const { events } = parseLines(parsers.sshd({ year: 2016, utcOffsetMinutes: 60 }), [
      '2019-06-14T10:40:20.5+01:30 localhost sudo: pam_unix(sudo-i:session): session opened for user root by userauth3(uid=0)',
      '2019-06-14T10:40:20 localhost sudo: pam_unix(sudo:session): session opened for user root by bob(uid=0)',
      'Jan  2 00:00:00 h sshd[1]: Invalid user x from 1.1.1.1',
    ]);
    expect(events[0]?.time).toBe(Date.UTC(2019, 5, 14, 9, 10, 20) / 1000 + 0.5);
    expect(events[0]?.srcUser).toBe('userauth3');
    expect(events[1]?.time).toBe(Date.UTC(2019, 5, 14, 9, 40, 20) / 1000);
    expect(events[2]?.time).toBe(Date.UTC(2016, 0, 1, 23) / 1000);
  });

  it('rolls the year over from December to January', () => {
    const { events } = parseLines(parsers.sshd(Y), [
      'Dec 31 23:59:59 h sshd[1]: Invalid user a from 1.1.1.1',
      'Jan  1 00:00:01 h sshd[1]: Invalid user a from 1.1.1.1',
    ]);
    expect(events[1]!.time - events[0]!.time).toBe(2);
  });

  it('skips other syslog lines and rejects lines without a syslog header', () => {
    const { summary } = parseLines(
      parsers.sshd(Y),
      [
        'Dec 10 07:02:47 LabSZ sshd[24203]: Connection closed by 212.47.254.145 [preauth]',
        'Jun 14 15:16:01 combo ftpd[1]: connection from 1.2.3.4',
        'not a syslog line',
        'Feb 30 10:00:00 h sshd[1]: Invalid user a from 1.1.1.1',
        'Feb 22 16:48:04 slave22 sshd[2805]: Accepted password for x',
        '',
      ],
      { policy: 'collect' },
    );
    expect(summary).toMatchObject({ lines: 6, parsed: 0, skipped: 3, errors: 3 });
    expect(summary.skipReasons).toMatchObject({ 'sshd: not an authentication message': 1, 'blank line': 1 });
    expect(summary.errorList.map((e) => e.line)).toEqual([3, 4, 5]);
  });

  it('reads the PAM failures sshd summarises, pam_faillock lock-outs and unix_chkpwd failures', () => {
    const { events, summary } = parseLines(parsers.sshd(Y), [
      'Feb 22 16:45:44 slave22 sshd[2738]: PAM 4 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=202.196.224.106  user=root',
      'Feb 22 16:45:45 web1 sshd[2740]: pam_faillock(sshd:auth): Consecutive login failures for user root account temporarily locked',
      'Feb 22 16:45:46 web1 unix_chkpwd[2741]: password check failed for user (alice)',
      'Feb 22 16:45:47 web1 sshd[2742]: pam_succeed_if(sshd:auth): requirement "uid >= 1000" not met by user "root"',
    ]);
    expect(summary).toMatchObject({ lines: 4, parsed: 3, skipped: 1, events: 6 });
    expect(events.slice(0, 4).every((e) => e.action === 'auth_failure' && e.user === 'root')).toBe(true);
    expect(events[0]).toMatchObject({ srcHost: '202.196.224.106', success: false, logonType: 'sshd' });
    expect(events[4]).toMatchObject({ action: 'locked', user: 'root', logonType: 'sshd', success: false });
    expect(events[5]).toMatchObject({ action: 'auth_failure', user: 'alice', program: 'unix_chkpwd' });
  });

  it('reads an empty host field and "last message repeated N times" as more of the previous event', () => {
    const { events, summary } = parseLines(parsers.sshd(Y), [
      'Feb 22 10:21:40 h sshd[1332]: Failed password for root from 1.2.3.4 port 22 ssh2',
      'Feb 22 10:21:43  sshd[1332]: last message repeated 2 times',
      'Feb 22 10:21:44 h sshd[1332]: Connection closed by 1.2.3.4',
      'Feb 22 10:21:45 h last message repeated 3 times',
      'Feb 22 10:21:46 sshd[7]: Invalid user bob from 5.6.7.8',
    ]);
    expect(summary).toMatchObject({ lines: 5, parsed: 3, skipped: 2, events: 4 });
    expect(events[1]).toMatchObject({ line: 2, action: 'failed', user: 'root', dstHost: 'h' });
    expect(events[2]?.time).toBe(Date.UTC(2016, 1, 22, 10, 21, 43) / 1000);
    expect(summary.skipReasons['repeat of a line that gave no authentication event']).toBe(1);
    expect(events[3]).toMatchObject({ action: 'invalid_user', user: 'bob', dstHost: '' });
  });

  it('does not read the continuation of a split sudo record as a denial', () => {
    const { events, summary } = parseLines(parsers.sshd(Y), [
      'Feb 22 11:00:00 h sudo:  vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/usr/bin/echo aaaa',
      'Feb 22 11:00:00 h sudo:  vagrant : (command continued) bbbb cccc',
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'sudo', user: 'vagrant', success: true });
    expect(summary.skipReasons['sudo: continuation of a split command record']).toBe(1);
  });

  it('reads RFC 5424 lines and a <PRI> before BSD and ISO headers', () => {
    const { events, summary } = parseLines(
      parsers.sshd(Y),
      [
        '<38>1 2024-02-22T10:00:00.123456+01:00 web1 sshd 812 - - Accepted password for ann from 10.0.0.9 port 5122 ssh2',
        '<86>1 2024-02-22T10:00:01Z web1 sudo - - [meta sequenceId="1" x="a\\]b"] \ufeffann : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/id',
        '<38>Feb 22 10:00:02 web1 sshd[9]: Invalid user x from 10.0.0.8',
        '<38>2024-02-22T10:00:03Z web1 sshd[9]: Invalid user y from 10.0.0.8',
        '<38>1 - web1 sshd 812 - - Accepted password for ann from 10.0.0.9 port 5122 ssh2',
        '<999>1 2024-02-22T10:00:00Z web1 sshd - - - x',
      ],
      { policy: 'collect' },
    );
    expect(summary).toMatchObject({ lines: 6, parsed: 4, errors: 2 });
    expect(events[0]).toMatchObject({ user: 'ann', dstHost: 'web1', pid: 812, port: 5122, program: 'sshd' });
    expect(events[0]?.time).toBeCloseTo(Date.UTC(2024, 1, 22, 9) / 1000 + 0.123456, 6);
    expect(events[1]).toMatchObject({ action: 'sudo', user: 'ann', targetUser: 'root', pid: -1 });
    expect(events[2]).toMatchObject({ user: 'x', time: Date.UTC(2016, 1, 22, 10, 0, 2) / 1000 });
    expect(events[3]).toMatchObject({ user: 'y', time: Date.UTC(2024, 1, 22, 10, 0, 3) / 1000 });
    expect(summary.errorList.map((e) => e.reason)).toEqual([
      'RFC 5424 line without a valid timestamp (got "-")',
      'bad syslog priority (expected "<0>" … "<191>", got "<999>1")',
    ]);
  });

  it('checks its options', () => {
    expect(() => parsers.sshd({ year: 1.5 })).toThrow(/SshdParser: year must be an integer/);
    expect(() => parsers.sshd({ utcOffsetMinutes: 5000 })).toThrow(/utcOffsetMinutes/);
  });
});
