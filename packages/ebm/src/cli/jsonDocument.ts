import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { isJsonDocument, jsonDocumentRecords } from '@nexus/ebm-features/extend';
import { CliError } from './command.js';

/**
 * Largest JSON document (array or `{"events": [...]}` file) read whole; JSON lines have no such limit.
 *
 * @example
 * ```ts
 * if (size > JSON_DOCUMENT_MAX_BYTES) refuse();
 * ```
 */
export const JSON_DOCUMENT_MAX_BYTES: number = 256 * 1024 * 1024;

/** The first non-blank line among the first 64 KiB of a file ('' when there is none). */
function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    let text = buf.subarray(0, n).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    for (const line of text.split('\n')) if (line.trim() !== '') return line;
    return '';
  } finally {
    closeSync(fd);
  }
}

/**
 * The records of a file that is one JSON document (a JSON array, an `{"events": [...]}` wrapper, or a
 * pretty-printed object), one compact JSON line each; undefined for any other file, and for a text that
 * opens like a document but is not valid JSON as a whole (both are read line by line, every malformed line
 * counted with its reason). A document too large to read whole is a `CliError` (exit code 1).
 *
 * @example
 * ```ts
 * const records = jsonDocumentLines('events.json'); // undefined for JSON lines
 * ```
 */
export function jsonDocumentLines(file: string): string[] | undefined {
  if (!isJsonDocument(firstLine(file))) return undefined;
  const size = statSync(file).size;
  if (size > JSON_DOCUMENT_MAX_BYTES) {
    throw new CliError(
      `ebm: ${file} is one JSON document too large to read whole (expected at most ${JSON_DOCUMENT_MAX_BYTES} bytes, got ${size}; write it as JSON lines, one record per line)`,
      1,
    );
  }
  try {
    return jsonDocumentRecords(readFileSync(file, 'utf8'));
  } catch {
    // Not one valid document: read it line by line, where every malformed line is counted with its reason.
    return undefined;
  }
}
