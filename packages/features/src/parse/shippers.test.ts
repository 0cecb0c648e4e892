/**
 * The shapes log shippers emit, read against the documents their own projects publish as test
 * expectations (see fixtures/SOURCE.md): per shape, events read, fields agreeing with the expected
 * documents, and lines not understood — asserted, not printed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLines } from './common.js';
import type { SshdEvent } from './events.js';
import { parsers } from './registry.js';

type Doc = Record<string, unknown>;
const docs = JSON.parse(
  readFileSync(
    new URL('./fixtures/beats-system-auth-debian12-journal-expected.json', import.meta.url),
    'utf8',
  ),
) as Doc[];

/** Fields of an expected ECS document beside the event read from the same record: [compared, agreeing]. */
function agreement(doc: Doc, e: SshdEvent): [number, number] {
  const pairs: Array<[unknown, unknown]> = [
    [doc['host.hostname'], e.dstHost],
    [doc['process.name'], e.program],
    [doc['process.pid'], e.pid],
  ];
  if (doc['user.name'] !== undefined) pairs.push([(doc['user.name'] as string).trim(), e.user]);
  if (doc['source.ip'] !== undefined) pairs.push([doc['source.ip'], e.srcHost]);
  if (doc['source.port'] !== undefined) pairs.push([doc['source.port'], e.port]);
  if (doc['event.outcome'] !== undefined) pairs.push([doc['event.outcome'] === 'success', e.success]);
  if (doc['system.auth.ssh.method'] !== undefined) pairs.push([doc['system.auth.ssh.method'], e.authType]);
  if (doc['system.auth.sudo.command'] !== undefined) pairs.push([doc['system.auth.sudo.command'], e.command]);
  if (doc['system.auth.sudo.user'] !== undefined) pairs.push([doc['system.auth.sudo.user'], e.targetUser]);
  return [pairs.length, pairs.filter(([a, b]) => a === b).length];
}

/** Reads `lines` with the sshd parser and scores them against `docs` (line i ↔ document i). */
function score(lines: string[]): {
  events: number;
  compared: number;
  agreeing: number;
  skipped: number;
  errors: number;
} {
  const { events, summary } = parseLines(parsers.sshd({ year: 2024 }), lines, { policy: 'collect' });
  let compared = 0;
  let agreeing = 0;
  for (const e of events) {
    const [c, a] = agreement(docs[e.line - 1] as Doc, e);
    compared += c;
    agreeing += a;
  }
  return { events: events.length, compared, agreeing, skipped: summary.skipped, errors: summary.errors };
}

const T0 = Date.UTC(2024, 0, 8, 12) * 1000; // synthetic: the expected documents carry no time

describe('Filebeat system.auth on a Debian 12 journal (elastic/beats fixture)', () => {
  it('journald records (journalctl -o json) give the events Filebeat extracted, field for field', () => {
    const lines = docs.map((d, i) =>
      JSON.stringify({
        __REALTIME_TIMESTAMP: String(T0 + i * 1_000_000),
        _HOSTNAME: d['host.hostname'],
        SYSLOG_IDENTIFIER: d['process.name'],
        _PID: String(d['process.pid']),
        MESSAGE: d.message,
      }),
    );
    // 7 authentication records (sshd ×6, sudo ×1); groupadd and systemd-logind are not authentication events.
    expect(score(lines)).toEqual({ events: 7, compared: 52, agreeing: 52, skipped: 2, errors: 0 });
    const { events } = parseLines(parsers.sshd(), lines);
    expect(events[0]?.time).toBe(T0 / 1e6);
  });

  it('the ECS documents themselves (message kept) give the same events', () => {
    const lines = docs.map((d, i) =>
      JSON.stringify({ '@timestamp': new Date(T0 / 1000 + i * 1000).toISOString(), ...d }),
    );
    expect(score(lines)).toEqual({ events: 7, compared: 52, agreeing: 52, skipped: 2, errors: 0 });
  });

  it('the ECS documents without message are read from the parsed ECS fields', () => {
    const lines = docs.map((d, i) => {
      const { message: _m, ...rest } = d;
      return JSON.stringify({ '@timestamp': new Date(T0 / 1000 + i * 1000).toISOString(), ...rest });
    });
    expect(score(lines)).toEqual({ events: 7, compared: 52, agreeing: 52, skipped: 2, errors: 0 });
  });

  it('a record without a time is malformed, with a reason', () => {
    const { summary } = parseLines(parsers.sshd(), [JSON.stringify(docs[0])], { policy: 'collect' });
    expect(summary.errors).toBe(1);
    expect(summary.errorList[0]?.reason).toMatch(/without a valid @timestamp/);
  });
});

describe('journald and ECS details', () => {
  it("takes journald's source time over its receive time, and reads a MESSAGE given as bytes", () => {
    const msg = 'Failed password for root from 10.0.0.7 port 22 ssh2';
    const line = JSON.stringify({
      __REALTIME_TIMESTAMP: '1708596005000000',
      _SOURCE_REALTIME_TIMESTAMP: '1708596000000000',
      _HOSTNAME: 'web1',
      SYSLOG_IDENTIFIER: 'sshd',
      _PID: '812',
      MESSAGE: [...new TextEncoder().encode(msg)],
    });
    const { events } = parseLines(parsers.sshd(), [line]);
    expect(events[0]).toMatchObject({
      time: 1708596000,
      user: 'root',
      srcHost: '10.0.0.7',
      dstHost: 'web1',
      pid: 812,
      action: 'failed',
    });
  });

  it('reads the raw line an ECS document keeps in event.original', () => {
    const doc = {
      '@timestamp': '2024-02-22T10:00:09Z',
      event: {
        original: '2024-02-22T10:00:00Z web1 sshd[812]: Invalid user eve from 10.0.0.8 port 40022',
        dataset: 'system.auth',
      },
      message: 'Invalid user eve from 10.0.0.8 port 40022',
    };
    const { events } = parseLines(parsers.sshd(), [JSON.stringify(doc)]);
    expect(events[0]).toMatchObject({
      time: Date.UTC(2024, 1, 22, 10) / 1000,
      user: 'eve',
      action: 'invalid_user',
      port: 40022,
      dstHost: 'web1',
    });
  });
});
