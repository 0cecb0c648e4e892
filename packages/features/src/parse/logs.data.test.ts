import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type LineParser, ParseSession, splitLines } from './common.js';
import type { LanlAuthEvent, LanlRedTeamEvent } from './events.js';
import { labelRedTeam } from './lanl.js';
import { type ParserFormat, parsers } from './registry.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const dataDir = process.env.EBM_DATA_DIR ?? path.resolve(repoRoot, '../shared/data');
const logs = path.join(dataDir, 'logs');

/** Every sample with its format and the counts it must give (lines = parsed + skipped + errors). */
const SAMPLES: ReadonlyArray<{
  file: string;
  format: ParserFormat;
  lines: number;
  parsed: number;
  skipped: number;
  events: number;
}> = [
  {
    file: 'lanl/auth_lanl_decoded_from_safekit.txt',
    format: 'lanl',
    lines: 15000,
    parsed: 15000,
    skipped: 0,
    events: 15000,
  },
  { file: 'lanl/redteam.txt', format: 'lanl-redteam', lines: 749, parsed: 749, skipped: 0, events: 749 },
  // 10 'PAM N more authentication failures' lines stand for 35 failures.
  { file: 'openssh/OpenSSH_2k.log', format: 'sshd', lines: 2000, parsed: 1144, skipped: 856, events: 1177 },
  { file: 'linux_syslog/Linux_2k.log', format: 'sshd', lines: 2000, parsed: 736, skipped: 1264, events: 736 },
  { file: 'linux_authlog/test.log', format: 'sshd', lines: 10, parsed: 7, skipped: 3, events: 7 },
  { file: 'linux_authlog/timestamp.log', format: 'sshd', lines: 2, parsed: 1, skipped: 1, events: 1 },
  {
    file: 'linux_authlog/secure-rhel7.excerpt.log',
    format: 'sshd',
    lines: 30,
    parsed: 17,
    skipped: 13,
    events: 24,
  },
  {
    file: 'windows_security/otrf_mordor_auth_events.jsonl',
    format: 'winevt',
    lines: 285,
    parsed: 285,
    skipped: 0,
    events: 285,
  },
  {
    file: 'windows_security/one_per_eventid.jsonl',
    format: 'winevt',
    lines: 9,
    parsed: 9,
    skipped: 0,
    events: 9,
  },
  {
    file: 'aws_cloudtrail/otrf_ec2_proxy_s3_exfiltration.jsonl',
    format: 'cloudtrail',
    lines: 103,
    parsed: 103,
    skipped: 0,
    events: 103,
  },
  {
    file: 'aws_cloudtrail/beats_console-login-json.log',
    format: 'cloudtrail',
    lines: 2,
    parsed: 2,
    skipped: 0,
    events: 2,
  },
  {
    file: 'cicd/github_audit_excerpt.jsonl',
    format: 'github-audit',
    lines: 21,
    parsed: 21,
    skipped: 0,
    events: 21,
  },
];

describe.skipIf(!existsSync(logs))('parsers on the real log samples', () => {
  for (const s of SAMPLES) {
    it(`${s.file}: every line parses or is reported with a reason`, async () => {
      const session = new ParseSession(parsers[s.format]({ year: 2016 }) as LineParser<object>, {
        policy: 'collect',
      });
      let events = 0;
      for await (const _ of session.stream(createReadStream(path.join(logs, s.file)))) events++;
      const sum = session.summary();
      expect(sum.parsed + sum.skipped + sum.errors).toBe(sum.lines);
      for (const e of sum.errorList) expect(e.reason.length).toBeGreaterThan(0);
      expect({
        lines: sum.lines,
        parsed: sum.parsed,
        skipped: sum.skipped,
        errors: sum.errors,
        events,
      }).toEqual({
        lines: s.lines,
        parsed: s.parsed,
        skipped: s.skipped,
        errors: 0,
        events: s.events,
      });
      const reasons = Object.values(sum.skipReasons).reduce((a, b) => a + b, 0);
      expect(reasons).toBe(sum.skipped);
    });
  }

  it('the sync and stream paths agree, and the red-team events are absent from the auth sample', () => {
    const text = readFileSync(path.join(logs, 'lanl/auth_lanl_decoded_from_safekit.txt'), 'utf8');
    const auth = new ParseSession(parsers.lanl()).parseText(text) as LanlAuthEvent[];
    expect(auth).toHaveLength(15000);
    expect(new Set(auth.map((e) => e.user)).size).toBeGreaterThan(900);
    const red = new ParseSession(parsers['lanl-redteam']()).parseText(
      readFileSync(path.join(logs, 'lanl/redteam.txt'), 'utf8'),
    ) as LanlRedTeamEvent[];
    expect(labelRedTeam(auth, red).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("Windows events carry their own creation time (EventTime in the zone its @timestamp implies), not the shipper's", () => {
    const text = readFileSync(path.join(logs, 'windows_security/otrf_mordor_auth_events.jsonl'), 'utf8');
    const events = new ParseSession(parsers.winevt()).parseText(text);
    const records = splitLines(text).map((l) => JSON.parse(l) as Record<string, string>);
    expect(events).toHaveLength(records.length);
    let agree = 0;
    for (let i = 0; i < events.length; i++) {
      const shipped = Date.parse(records[i]?.['@timestamp'] as string) / 1000;
      const delay = shipped - (events[i]?.time as number);
      // written, then read by the shipper within a minute; never after it
      if (delay >= 0 && delay < 60) agree++;
      expect(records[i]?.EventTime?.slice(11)).toBe(
        new Date((events[i]?.time as number) * 1000 - 4 * 3600_000).toISOString().slice(11, 19),
      );
    }
    expect(agree).toBe(records.length);
  });

  it('sshd samples yield the expected kinds of events', () => {
    const text = readFileSync(path.join(logs, 'linux_authlog/test.log'), 'utf8');
    const events = new ParseSession(parsers.sshd({ year: 2016 })).parseText(text);
    expect(events.map((e) => e.action)).toEqual([
      'accepted',
      'accepted',
      'invalid_user',
      'failed',
      'sudo',
      'sudo',
      'sudo_denied',
    ]);
  });
});
