import { describe, expect, it } from 'vitest';
import { isJsonDocument, jsonDocumentRecords, parseJsonDocument } from './document.js';
import { parsers } from './registry.js';

const win = (user: string, id = 4624): object => ({
  '@timestamp': '2024-01-01T00:00:00Z',
  event: { code: String(id) },
  winlog: { time_created: '2024-01-01T00:00:00Z', event_data: { TargetUserName: user, LogonType: '3' } },
});

describe('JSON documents holding many records', () => {
  it('tells a document from JSON lines by its first line', () => {
    expect(isJsonDocument('[')).toBe(true);
    expect(isJsonDocument('[{"a":1},{"a":2}]')).toBe(true);
    expect(isJsonDocument('{')).toBe(true);
    expect(isJsonDocument('{"events": [{"a": 1}]}')).toBe(true);
    expect(isJsonDocument('{"a":1}')).toBe(false);
    expect(isJsonDocument('{"Records":[{"eventName":"X"}]}')).toBe(false);
    expect(isJsonDocument('Feb 22 10:00:00 h sshd[1]: x')).toBe(false);
  });

  it('reads arrays, {"events": [...]} wrappers and pretty-printed objects, one record per line', () => {
    const arr = JSON.stringify([win('a'), win('b'), win('c', 4688)], null, 2);
    const { events, summary } = parseJsonDocument(parsers.winevt(), arr);
    expect(events.map((e) => [e.user, e.line])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(summary).toMatchObject({ lines: 3, parsed: 2, skipped: 1, errors: 0 });
    const wrapped = JSON.stringify({ events: [win('d')] });
    expect(parseJsonDocument(parsers.winevt(), wrapped).events[0]?.user).toBe('d');
    const pretty = JSON.stringify(
      { Records: [{ eventTime: '2024-01-01T00:00:00Z', eventName: 'X' }] },
      null,
      2,
    );
    expect(jsonDocumentRecords(pretty)).toHaveLength(1);
    expect(parseJsonDocument(parsers.cloudtrail(), pretty).events[0]?.eventName).toBe('X');
  });

  it('a malformed document is an error saying so', () => {
    expect(() => jsonDocumentRecords('[{"a":1},')).toThrow(
      /jsonDocumentRecords: the JSON document is malformed/,
    );
  });
});
