/**
 * Whole JSON documents holding many records, as shippers and their test suites write them: a JSON array of
 * records (`[{…}, {…}]`, pretty-printed or not), an `{"events": [...]}` or `{"expected": [...]}` wrapper, or
 * one pretty-printed object spread over several lines (a CloudTrail `{"Records": [...]}` file after `jq`).
 * Each record is handed to the format's line parser as one line; in the accounting a "line" is then a
 * record, numbered from 1 in document order.
 *
 * @module
 */
import { message, ValueError } from '@nexus/ebm-core';
import { type LineParser, type ParseOptions, ParseSession, type ParseSummary } from './common.js';

/** Keys of a wrapper object whose array holds the records. */
const WRAPPERS: readonly string[] = ['events', 'expected'];

/**
 * Whether a text whose first non-blank line is `firstLine` is one JSON document rather than JSON lines:
 * the line opens an array, or opens an object it does not close (pretty-printed), or is a one-line
 * `{"events": [...]}` wrapper.
 *
 * @example
 * ```ts
 * isJsonDocument('['); // true
 * isJsonDocument('{"a":1}'); // false (JSON lines)
 * ```
 */
export function isJsonDocument(firstLine: string): boolean {
  const t = firstLine.trim();
  if (t.startsWith('[')) return true;
  if (!t.startsWith('{')) return false;
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return true;
  }
  return wrapped(v) !== undefined;
}

function wrapped(v: unknown): unknown[] | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const inner = (v as Record<string, unknown>)[keys[0] as string];
  return WRAPPERS.includes(keys[0] as string) && Array.isArray(inner) ? inner : undefined;
}

/**
 * The records of a JSON document, each as one line of compact JSON: the elements of an array or of an
 * `{"events": [...]}` / `{"expected": [...]}` wrapper, else the one object. A text that is not valid JSON
 * is a `ValueError` saying where it breaks.
 *
 * @example
 * ```ts
 * jsonDocumentRecords('[{"a":1},\n {"a":2}]'); // ['{"a":1}', '{"a":2}']
 * ```
 */
export function jsonDocumentRecords(text: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new ValueError(
      message(
        'jsonDocumentRecords',
        'the JSON document is malformed',
        'one JSON array or object',
        (e as Error).message.slice(0, 120),
      ),
    );
  }
  const list = Array.isArray(v) ? v : (wrapped(v) ?? [v]);
  return list.map((r) => JSON.stringify(r) ?? 'null');
}

/**
 * Parses a whole JSON document with a format's line parser, one record per "line" (see the module
 * description); returns the events and the accounting.
 *
 * @example
 * ```ts
 * const { events, summary } = parseJsonDocument(parsers.winevt(), fs.readFileSync('events.json', 'utf8'));
 * ```
 */
export function parseJsonDocument<E>(
  parser: LineParser<E>,
  text: string,
  options: ParseOptions = {},
): { events: E[]; summary: ParseSummary } {
  const session = new ParseSession(parser, options);
  const events = session.parseLines(jsonDocumentRecords(text));
  return { events, summary: session.summary() };
}
