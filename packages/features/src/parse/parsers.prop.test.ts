import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LineParser, ParseSession } from './common.js';
import { parserFormats, parsers } from './registry.js';

/** A valid line of each format, to mutate. */
const SEEDS: Record<string, string> = {
  lanl: '150885,U620@DOM1,U620@DOM1,C17693,C1003,NTLM,Network,LogOn,Success',
  'lanl-redteam': '150885,U620@DOM1,C17693,C1003',
  sshd: 'Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]',
  winevt:
    '{"EventID":4624,"Hostname":"WS1.corp","@timestamp":"2020-08-06T15:56:10.187Z","TargetUserName":"bob","IpAddress":"::ffff:10.0.0.1","LogonType":"3"}',
  cloudtrail:
    '{"Records":[{"eventTime":"2020-01-01T00:00:01Z","eventName":"GetObject","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s"}}]}',
  ocsf: '{"class_uid":3002,"time":1615564094000,"status_id":1,"activity_id":1,"user":{"name":"bob"},"src_endpoint":{"ip":"10.0.0.1"}}',
  'github-audit':
    '{"actor":"octo","action":"repo.destroy","created_at":1611623457848,"actor_location":{"country_code":"US"}}',
};

/** One random UTF-16 unit, biased towards the separators the parsers look for. */
const unit = fc.oneof(
  fc.constantFrom(',', '@', '?', '{', '}', '"', ':', '[', ']', ' ', '\t', '\r', '\\', '0', '9'),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
);

/** A line: random text, or a valid line with a random edit (insert, delete, replace a slice). */
function lineArb(seed: string): fc.Arbitrary<string> {
  const edited = fc
    .tuple(fc.nat({ max: seed.length }), fc.nat({ max: 12 }), fc.string({ maxLength: 8, unit }))
    .map(([at, del, ins]) => seed.slice(0, at) + ins + seed.slice(Math.min(seed.length, at + del)));
  return fc.oneof(fc.string({ maxLength: 120, unit }), edited, fc.constant(seed), fc.constant(''));
}

describe('every parser on random input', () => {
  for (const format of parserFormats) {
    it(`${format}: never crashes, always accounts for every line`, () => {
      const seed = SEEDS[format] as string;
      fc.assert(
        fc.property(fc.array(lineArb(seed), { maxLength: 12 }), (lines) => {
          const s = new ParseSession(parsers[format]({ year: 2020 }) as LineParser<object>, {
            policy: 'collect',
          });
          const out: object[] = [];
          s.parseLines(lines, out);
          const sum = s.summary();
          expect(sum.lines).toBe(lines.length);
          expect(sum.parsed + sum.skipped + sum.errors).toBe(sum.lines);
          expect(sum.events).toBe(out.length);
          expect(sum.events).toBeGreaterThanOrEqual(sum.parsed);
          expect(sum.errorList).toHaveLength(sum.errors);
          for (const e of sum.errorList) expect(e.reason).not.toMatch(/internal parser error/);
          for (const e of out as { time: number }[]) expect(Number.isFinite(e.time)).toBe(true);
        }),
        { numRuns: 100 },
      );
    });
  }
});

describe('every parser on pathological lines', () => {
  it('handles very long and deeply nested lines', () => {
    const long = [
      ','.repeat(200_000),
      '@'.repeat(200_000),
      `Dec 10 07:13:56 h sshd[1]: ${'message repeated 2 times: [ '.repeat(10_000)}`,
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      `{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
      `Dec 10 07:13:56 h sudo: u : ${'x ; '.repeat(50_000)}`,
    ];
    for (const format of parserFormats) {
      const s = new ParseSession(parsers[format]({ year: 2020 }) as LineParser<object>, {
        policy: 'collect',
      });
      // A hang or quadratic blow-up would hit the test timeout.
      s.parseLines(long, []);
      const sum = s.summary();
      expect(sum.parsed + sum.skipped + sum.errors).toBe(long.length);
    }
  });
});
