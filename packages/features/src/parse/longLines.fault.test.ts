/**
 * A hostile or corrupt input with an enormous line (no line break for megabytes) must cost bounded memory
 * and be accounted for: the splitter keeps at most `maxLineChars + 1` characters of any line, the parse
 * session counts the line as malformed with its line number and reason, and the lines after it keep
 * their numbers.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS, ParseSession, readLineBatches, splitLines } from './common.js';
import { parsers } from './registry.js';

const GOOD = '1,U1@DOM1,U1@DOM1,C1,C2,Kerberos,Network,LogOn,Success';

/** Bytes in chunks of `size`, as a file stream would deliver them. */
function chunked(text: string, size: number): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

describe('over-long lines', () => {
  it('the splitter never holds more than maxLineChars + 1 characters of a line, in any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 97 }),
        async (cap, longLen, chunk) => {
          const text = `${GOOD}\n${'x'.repeat(longLen)}\n${GOOD}\n`;
          const lines: string[] = [];
          for await (const batch of readLineBatches(chunked(text, chunk), { maxLineChars: cap }))
            lines.push(...batch);
          expect(lines).toHaveLength(3);
          for (const l of lines) expect(l.length).toBeLessThanOrEqual(Math.max(cap + 1, GOOD.length));
          expect(lines[1]).toBe('x'.repeat(Math.min(longLen, cap + 1)));
          expect(splitLines(text, { maxLineChars: cap })).toEqual(lines);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a line over the limit is malformed, with its number and reason; later lines keep their numbers', async () => {
    const text = `${GOOD}\n${'y'.repeat(5000)}\n${GOOD}\n`;
    const session = new ParseSession(parsers.lanl(), { policy: 'collect', maxLineChars: 1000 });
    const events = [];
    for await (const e of session.stream(chunked(text, 256))) events.push(e);
    const s = session.summary();
    expect(events).toHaveLength(2);
    expect(s.lines).toBe(3);
    expect(s.errors).toBe(1);
    expect(s.errorList[0]?.line).toBe(2);
    expect(s.errorList[0]?.message).toContain('line longer than 1000 characters');
    expect(s.parsed + s.skipped + s.errors).toBe(s.lines);
  });

  it('the default limit is generous (16 Mi characters) and a bad limit is refused', () => {
    expect(MAX_LINE_CHARS).toBe(16 * 1024 * 1024);
    expect(() => new ParseSession(parsers.lanl(), { maxLineChars: 0 })).toThrow(
      /maxLineChars must be a positive integer/,
    );
    expect(() => splitLines('a', { maxLineChars: 1.5 })).toThrow(/maxLineChars/);
  });
});
