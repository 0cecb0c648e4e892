/**
 * Fault regressions of issue 15 for the one line splitter (case 3) and byte-order marks (case 11): LF and
 * CRLF end a line, a lone CR is content (a line-format line holding one is malformed and counted), a
 * leading UTF-8 byte-order mark is dropped — identically in `splitLines`, `readLines` over bytes or text
 * in any chunking, `ParseSession.parseText` / `parseLines` / `stream` and `parseStream`.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BAD,
  type LineParser,
  ParseSession,
  parseLines,
  parseStream,
  readLines,
  splitLines,
} from './common.js';
import { parserFormats, parsers } from './registry.js';

/** The rule written out plainly: split at LF, drop one CR right before an LF, no phantom last line. */
function reference(text: string): string[] {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (t === '') return [];
  const parts = t.split('\n');
  const last = parts.pop() as string;
  const lines = parts.map((p) => (p.endsWith('\r') ? p.slice(0, -1) : p));
  if (last !== '') lines.push(last);
  return lines;
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Text made of words, LF, CRLF, lone CR and the odd byte-order mark and multi-byte character. */
const textArb = fc
  .array(fc.constantFrom('ab', 'x,y', '\n', '\r\n', '\r', ' ', '✓', '\ufeff', ''), { maxLength: 40 })
  .chain((parts) =>
    fc.tuple(fc.constant(parts.join('')), fc.boolean()).map(([t, bom]) => (bom ? `\ufeff${t}` : t)),
  );

/** Cut points for a byte or string stream. */
function chunksOf<T extends { length: number; slice(a: number, b?: number): T }>(x: T, cuts: number[]): T[] {
  const at = [...new Set(cuts.map((c) => c % (x.length + 1)))].sort((a, b) => a - b);
  const out: T[] = [];
  let prev = 0;
  for (const c of at) {
    out.push(x.slice(prev, c));
    prev = c;
  }
  out.push(x.slice(prev));
  return out;
}

describe('one line splitter (issue 15, case 3)', () => {
  it('LF and CRLF end a line; a lone CR, also at the very end, is content', () => {
    expect(splitLines('a\r\nb\nc')).toEqual(['a', 'b', 'c']);
    expect(splitLines('a\rb\nc\r')).toEqual(['a\rb', 'c\r']);
    expect(splitLines('\r\n\r\n')).toEqual(['', '']);
  });

  it('every reading path splits fuzzed CR/LF/CRLF text the same way, in any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(textArb, fc.array(fc.nat(400), { maxLength: 6 }), async (text, cuts) => {
        const want = reference(text);
        expect(splitLines(text)).toEqual(want);
        const bytes = Buffer.from(text, 'utf8');
        expect(await collect(readLines(Readable.from(chunksOf(bytes, cuts))))).toEqual(want);
        const strs = chunksOf(text, cuts);
        expect(await collect(readLines(Readable.from(strs, { objectMode: true })))).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });

  it('line numbers and events agree between parseText, parseLines, stream and parseStream', async () => {
    const good = '1,U1@D,U1@D,C1,C2,NTLM,Network,LogOn,Success';
    const lineArb = fc.constantFrom(good, `${good.slice(0, 10)}\r${good.slice(10)}`, '', 'junk', `${good}\r`);
    const sepArb = fc.constantFrom('\n', '\r\n', '\r');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(lineArb, sepArb), { maxLength: 12 }),
        fc.array(fc.nat(600), { maxLength: 4 }),
        async (pieces, cuts) => {
          const text = pieces.map(([l, s]) => l + s).join('');
          const a = parseLines(parsers.lanl(), text, { policy: 'collect' });
          const b = parseLines(parsers.lanl(), splitLines(text), { policy: 'collect' });
          const s = new ParseSession(parsers.lanl(), { policy: 'collect' });
          const c = await collect(
            (async function* () {
              for await (const e of s.stream(Readable.from(chunksOf(Buffer.from(text), cuts)))) yield e.line;
            })() as AsyncIterable<never>,
          );
          let sum: unknown;
          const d: number[] = [];
          for await (const e of parseStream(
            parsers.lanl(),
            Readable.from(chunksOf(text, cuts), { objectMode: true }),
            {
              policy: 'collect',
              onSummary: (x) => {
                sum = x;
              },
            },
          ))
            d.push(e.line);
          const lines = a.events.map((e) => e.line);
          expect(b.events.map((e) => e.line)).toEqual(lines);
          expect(c).toEqual(lines);
          expect(d).toEqual(lines);
          expect(b.summary).toEqual(a.summary);
          expect(s.summary()).toEqual(a.summary);
          expect(sum).toEqual(a.summary);
          expect(a.summary.lines).toBe(reference(text).length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a line-format line holding a lone CR is malformed and counted, not split into two', () => {
    const cases: Record<string, string> = {
      lanl: '1,U1@D,U1@D,C1,C2,NTLM,Network,LogOn,Success',
      'lanl-redteam': '150885,U620@DOM1,C17693,C1003',
      sshd: 'Feb 22 16:45:20 h sshd[1]: Accepted password for root from 6.6.6.6 port 22 ssh2',
    };
    for (const [format, line] of Object.entries(cases)) {
      const p = parsers[format as 'lanl']() as LineParser<object>;
      expect(p.parseLine(line, 1, []), format).toBe(1);
      const cut = `${line.slice(0, 12)}\r${line.slice(12)}`;
      const { events, summary } = parseLines(p, `${line}\n${cut}\n${line}\n`, { policy: 'collect' });
      expect(
        events.map((e) => (e as { line: number }).line),
        format,
      ).toEqual([1, 3]);
      expect(summary, format).toMatchObject({ lines: 3, errors: 1 });
      expect(summary.errorList[0]?.reason).toMatch(/carriage return/);
      expect(parsers[format as 'lanl']().parseLine(`${line}\r`, 1, []), format).toBe(BAD);
    }
  });
});

/** A valid line of each format. */
const VALID: Record<string, string> = {
  lanl: '150885,U620@DOM1,U620@DOM1,C17693,C1003,NTLM,Network,LogOn,Success',
  'lanl-redteam': '150885,U620@DOM1,C17693,C1003',
  sshd: 'Dec 10 07:07:45 LabSZ sshd[24206]: Failed password for invalid user test9 from 52.80.34.196 port 36060 ssh2',
  winevt:
    '{"EventID":4624,"Hostname":"WS1.corp","@timestamp":"2020-08-06T15:56:10.187Z","TargetUserName":"bob","IpAddress":"::ffff:10.0.0.1","LogonType":"3"}',
  cloudtrail:
    '{"Records":[{"eventTime":"2020-01-01T00:00:01Z","eventName":"GetObject","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s"}}]}',
  'github-audit':
    '{"actor":"octo","action":"repo.destroy","created_at":1611623457848,"actor_location":{"country_code":"US"}}',
  ocsf: '{"class_uid":3002,"time":1615564094000,"status_id":1,"activity_id":1,"user":{"name":"bob"}}',
};

describe('a UTF-8 byte-order mark is dropped in every format (issue 15, case 11)', () => {
  it('covers every registered format', () => {
    // A new format needs a valid line here (and in the CLI's accounting.fault.test.ts SEEDS).
    expect(Object.keys(VALID).sort(), 'add a valid line of each new format to VALID').toEqual(
      [...parserFormats].sort(),
    );
  });

  for (const format of parserFormats) {
    it(`${format}: the first line after a BOM is an event on every path`, async () => {
      const line = VALID[format] as string;
      const text = `\ufeff${line}\n${line}\n`;
      const make = (): LineParser<object> => parsers[format]({ year: 2020 }) as LineParser<object>;
      const viaText = parseLines(make(), text, { policy: 'collect' });
      expect(viaText.summary).toMatchObject({ lines: 2, parsed: 2, errors: 0 });
      const viaArray = parseLines(make(), [`\ufeff${line}`, line], { policy: 'collect' });
      expect(viaArray.summary).toMatchObject({ lines: 2, parsed: 2, errors: 0 });
      const viaBytes = new ParseSession(make(), { policy: 'collect' });
      await collect(
        (async function* () {
          for await (const _ of viaBytes.stream(Readable.from([Buffer.from(text)]))) yield '';
        })(),
      );
      expect(viaBytes.summary()).toMatchObject({ lines: 2, parsed: 2, errors: 0 });
      const viaStrings = new ParseSession(make(), { policy: 'collect' });
      await collect(
        (async function* () {
          for await (const _ of viaStrings.stream(Readable.from([text], { objectMode: true }))) yield '';
        })(),
      );
      expect(viaStrings.summary()).toMatchObject({ lines: 2, parsed: 2, errors: 0 });
    });
  }
});
