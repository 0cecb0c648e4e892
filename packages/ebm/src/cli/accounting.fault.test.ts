/**
 * Fault regression of issue 15, case 8, as a property: for every format the `ebm` command reads, on fuzzed
 * input (valid lines, edited lines, junk, blank lines, CR/LF/CRLF breaks, a byte-order mark), the CLI's
 * file layer accounts for every line — `lines = event_lines + non_event_lines + malformed`, the reasons
 * add up to the non-event lines — and agrees with the library's parse of the same text line for line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { type FieldMap, type LineParser, parseLines } from '@nexus/ebm-features';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvParser } from '../pipeline/csv.js';
import { lineParser, PIPELINE_FORMATS, type PipelineFormat } from '../pipeline/Pipeline.js';
import { LineAccount } from './accounting.js';
import { eventChunks } from './files.js';

const dir = mkdtempSync(join(tmpdir(), 'ebm-acct-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A valid line of each format (csv: a header, then a row), to repeat and mutate. */
const SEEDS: Record<PipelineFormat, readonly string[]> = {
  lanl: ['150885,U620@DOM1,U620@DOM1,C17693,C1003,NTLM,Network,LogOn,Success'],
  sshd: [
    'Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]',
    'Dec 10 07:02:47 LabSZ sshd[24203]: Connection closed by 212.47.254.145 [preauth]',
  ],
  winevt: [
    '{"EventID":4624,"Hostname":"WS1.corp","@timestamp":"2020-08-06T15:56:10.187Z","TargetUserName":"bob","IpAddress":"::ffff:10.0.0.1","LogonType":"3"}',
    '{"EventID":4688,"Hostname":"WS1.corp","@timestamp":"2020-08-06T15:56:10.187Z"}',
  ],
  cloudtrail: [
    '{"Records":[{"eventTime":"2020-01-01T00:00:01Z","eventName":"GetObject","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s"}},{"eventTime":"2020-01-01T00:00:02Z","eventName":"PutObject","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u"}}]}',
    '{"Records":[]}',
  ],
  'github-audit': [
    '{"actor":"octo","action":"repo.destroy","created_at":1611623457848,"actor_location":{"country_code":"US"}}',
  ],
  ocsf: [
    '{"class_uid":3002,"time":1615564094000,"status_id":1,"activity_id":1,"user":{"name":"bob"},"src_endpoint":{"ip":"10.0.0.1"}}',
    '{"class_uid":6003,"time":1615564094000}',
  ],
  json: ['{"ts":"2024-01-01T00:00:00Z","who":"bob","result":"SUCCESS","ip":"10.0.0.1"}'],
  csv: ['1,1050,1.5', '2,90000,40'],
};

/** The field map the `json` format reads with here. */
const MAP: FieldMap = {
  event: 'auth',
  fields: {
    time: 'ts',
    user: 'who',
    srcHost: 'ip',
    success: { path: 'result', values: { SUCCESS: true, FAILURE: false } },
  },
};

const unit = fc.oneof(
  fc.constantFrom(',', '@', '{', '}', '"', ':', '[', ']', ' ', '\r', '0', '9'),
  fc.integer({ min: 32, max: 0x24ff }).map((c) => String.fromCharCode(c)),
);

function lineArb(seeds: readonly string[]): fc.Arbitrary<string> {
  const seed = fc.constantFrom(...seeds);
  const edited = fc
    .tuple(seed, fc.nat(200), fc.nat(10), fc.string({ maxLength: 6, unit }))
    .map(([s, at, del, ins]) => s.slice(0, at % (s.length + 1)) + ins + s.slice((at % (s.length + 1)) + del));
  return fc.oneof(seed, seed, edited, fc.string({ maxLength: 40, unit }), fc.constant(''));
}

const io = { stdout: new PassThrough(), stderr: new PassThrough(), isTTY: false };

describe('case 8: every line read is accounted for, for every format (property)', () => {
  for (const format of PIPELINE_FORMATS) {
    it(`${format}: lines = event lines + non-event lines by reason + malformed, as the library counts`, async () => {
      const seeds = SEEDS[format];
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(lineArb(seeds), fc.constantFrom('\n', '\r\n')), { maxLength: 30 }),
          fc.boolean(),
          async (pieces, bom) => {
            const body = pieces.map(([l, sep]) => l + sep).join('');
            const text = `${bom ? '\ufeff' : ''}${format === 'csv' ? 'time,bytes,duration\n' : ''}${body}`;
            const file = join(dir, `${format}.log`);
            writeFileSync(file, text);
            const account = new LineAccount('test', format);
            const got: number[] = [];
            for await (const c of eventChunks(
              file,
              { format, fieldMap: format === 'json' ? MAP : undefined },
              io,
              'reading',
              7,
              account,
            )) {
              for (const e of c) got.push((e as { line: number }).line);
            }
            const a = account.toJSON();
            expect(a.lines).toBe(a.event_lines + a.non_event_lines + a.malformed);
            expect(Object.values(a.non_events).reduce((x, y) => x + y, 0)).toBe(a.non_event_lines);
            expect(a.events).toBe(got.length);
            expect(a.events).toBeGreaterThanOrEqual(a.event_lines);
            const parser = (
              format === 'csv' ? new CsvParser() : lineParser(format, format === 'json' ? MAP : undefined)
            ) as LineParser<object>;
            const lib = parseLines(parser, text, { policy: 'collect' });
            expect(got).toEqual(lib.events.map((e) => (e as { line: number }).line));
            expect(a.lines).toBe(lib.summary.lines);
            expect(a.malformed).toBe(lib.summary.errors);
            expect({ ...a.non_events }).toEqual({ ...lib.summary.skipReasons });
            expect(a.first_malformed.map((m) => m.line)).toEqual(
              lib.summary.errorList.slice(0, 10).map((e) => e.line),
            );
          },
        ),
        { numRuns: 40 },
      );
    });
  }
});
