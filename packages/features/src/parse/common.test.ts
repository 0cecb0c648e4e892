import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ParseSession, parseStream, readLines, splitLines } from './common.js';
import { parsers } from './registry.js';

const L1 = '1,U1@D,U1@D,C1,C2,NTLM,Network,LogOn,Success';
const L2 = '2,U2@D,U2@D,C1,C3,Kerberos,Network,LogOn,Fail';

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('line reading', () => {
  it('splits text on LF and CRLF without a phantom last line', () => {
    expect(splitLines('a\r\nb\nc')).toEqual(['a', 'b', 'c']);
    expect(splitLines('a\n\nb\n')).toEqual(['a', '', 'b']);
  });

  it('reassembles lines split across stream chunks, including multi-byte characters', async () => {
    const text = `${L1}\r\nnaïve ✓ line\n${L2}`;
    const bytes = new TextEncoder().encode(text);
    const chunks = [bytes.slice(0, 5), bytes.slice(5, 50), bytes.slice(50, 51), bytes.slice(51)];
    expect(await collect(readLines(Readable.from(chunks)))).toEqual([L1, 'naïve ✓ line', L2]);
    const strStream = Readable.from([text.slice(0, 7), text.slice(7)], { objectMode: true });
    expect(await collect(readLines(strStream))).toEqual([L1, 'naïve ✓ line', L2]);
  });

  it('takes strings from a plain async iterable as lines', async () => {
    async function* gen(): AsyncGenerator<string> {
      yield L1;
      yield `${L2}\n${L1}`;
    }
    expect(await collect(readLines(gen()))).toEqual([L1, L2, L1]);
  });
});

describe('ParseSession streaming', () => {
  it('yields events from a stream and reports the summary at the end', async () => {
    let summary: unknown;
    const events = [];
    for await (const e of parseStream(parsers.lanl(), Readable.from([`${L1}\nbad\n`, `${L2}\n`]), {
      policy: 'collect',
      onSummary: (s) => {
        summary = s;
      },
    }))
      events.push(e);
    expect(events.map((e) => e.time)).toEqual([1, 2]);
    expect(summary).toMatchObject({ lines: 3, parsed: 2, errors: 1, skipped: 0 });
  });

  it('keeps counting across calls and honours firstLine', () => {
    const s = new ParseSession(parsers.lanl(), { policy: 'collect', firstLine: 10 });
    s.parseLines([L1]);
    s.parseText(`${L2}\nbad`);
    expect(s.summary()).toMatchObject({ lines: 3, parsed: 2, errors: 1 });
    expect(s.summary().errorList[0]?.line).toBe(12);
  });

  it('rejects bad options', () => {
    // @ts-expect-error: an unknown policy
    expect(() => new ParseSession(parsers.lanl(), { policy: 'ignore' })).toThrow(/unknown policy/);
    expect(() => new ParseSession(parsers.lanl(), { maxErrors: -1 })).toThrow(/maxErrors/);
  });
});
