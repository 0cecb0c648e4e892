import { InputTypeError, message, ValueError } from '@nexus/ebm-core';
import { describeValue } from '@nexus/ebm-core/extend';
import { BAD, type LineParser, SKIP } from '@nexus/ebm-features';
import { decimalNumber } from '@nexus/ebm-features/extend';

/**
 * One row of a numeric CSV file: its line number, a `time` (the `time` column or the row index) and its values.
 */
export interface CsvRow {
  /** Line number in the file (1-based). */
  readonly line: number;
  /** The `time` column when there is one, else the row's index. */
  readonly time: number;
  /** Every other column by header name. */
  readonly [column: string]: number;
}

/** Columns read but not features: `time` orders the rows, `label` and `scenario` are ignored. */
const NOT_FEATURES: ReadonlySet<string> = new Set(['time', 'label', 'scenario']);
/** Names a column may not have: `line` holds the line number; the others are prototype keys. */
const RESERVED: ReadonlySet<string> = new Set(['line', '__proto__', 'constructor', 'prototype']);
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * The feature columns of a parsed CSV row (every column but `line` and `time`).
 *
 * @example
 * ```ts
 * csvFeatureColumns({ line: 2, time: 0, bytes: 1, duration: 2 }); // ['bytes', 'duration']
 * ```
 */
export function csvFeatureColumns(row: object): string[] {
  return Object.keys(row).filter((k) => k !== 'line' && k !== 'time');
}

/**
 * Checks events of a `csv` pipeline at the library boundary: every event must hold each of `columns` as a
 * finite number (a missing column is never read as 0); with `exact`, no event may hold other columns
 * either (training on rows from files with different headers). Errors name the event's line.
 *
 * @example
 * ```ts
 * checkCsvEvents(events, ['bytes', 'duration'], 'Pipeline.score', false);
 * ```
 */
export function checkCsvEvents(
  events: readonly object[],
  columns: readonly string[],
  api: string,
  exact: boolean,
): void {
  const want = new Set(columns);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as Record<string, unknown>;
    if (e === null || typeof e !== 'object') {
      throw new InputTypeError(
        message(api, `event ${i} is not an object`, 'a CSV row object', describeValue(e)),
      );
    }
    const where = typeof e.line === 'number' ? `line ${e.line}` : `event ${i}`;
    for (const c of columns) {
      const v = Object.hasOwn(e, c) ? e[c] : undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ValueError(
          message(
            api,
            `${where}: column ${JSON.stringify(c)} is missing or not a finite number`,
            'a finite number',
            describeValue(v),
          ),
        );
      }
    }
    if (exact) {
      for (const k of Object.keys(e)) {
        if (k !== 'line' && k !== 'time' && !want.has(k)) {
          throw new ValueError(
            message(
              api,
              `${where}: unexpected column ${JSON.stringify(k)} (rows from CSV files with different headers?)`,
              `the columns of the first event: ${columns.join(',')}`,
              JSON.stringify(k),
            ),
          );
        }
      }
    }
  }
}

function list(names: readonly string[]): string {
  return names.map((n) => JSON.stringify(n)).join(', ');
}

/**
 * Checks a CSV header: well-formed names, no reserved (`line`, `__proto__`, `constructor`, `prototype`) or
 * duplicate names, and — when `expected` feature columns are given — exactly those feature columns, in any
 * order (besides `time`, `label` and `scenario`). Returns one message listing every problem, or
 * `undefined` when the header is good.
 *
 * @example
 * ```ts
 * csvHeaderProblem(['bytes', 'bytes', 'x'], ['bytes', 'duration']);
 * // 'header does not match … (missing "duration"; unexpected "x"; duplicate "bytes")'
 * ```
 */
export function csvHeaderProblem(cells: readonly string[], expected?: readonly string[]): string | undefined {
  const bad = cells.filter((c) => !NAME.test(c));
  if (bad.length > 0) {
    return `bad header (expected column names like bytes,duration, got ${list(bad.slice(0, 5))})`;
  }
  const counts = new Map<string, number>();
  for (const c of cells) counts.set(c, (counts.get(c) ?? 0) + 1);
  const duplicate = [...counts].filter(([, n]) => n > 1).map(([c]) => c);
  const reserved = [...counts.keys()].filter((c) => RESERVED.has(c));
  const problems: string[] = [];
  if (expected !== undefined) {
    const want = new Set(expected);
    const missing = expected.filter((c) => !counts.has(c));
    const unexpected = [...counts.keys()].filter(
      (c) => !want.has(c) && !NOT_FEATURES.has(c) && !RESERVED.has(c),
    );
    if (missing.length > 0) problems.push(`missing ${list(missing)}`);
    if (unexpected.length > 0) problems.push(`unexpected ${list(unexpected)}`);
  }
  if (duplicate.length > 0) problems.push(`duplicate ${list(duplicate)}`);
  if (reserved.length > 0) problems.push(`reserved ${list(reserved)}`);
  if (problems.length === 0) return undefined;
  const want =
    expected === undefined
      ? 'distinct column names'
      : `the trained columns ${expected.join(',')} in any order`;
  return `header does not match (expected ${want}, got ${problems.join('; ')})`;
}

/**
 * One CSV row from named fields (a Redis stream message of a `csv` pipeline): every field but `label` and
 * `scenario` must hold a number in decimal notation, as a CSV file's cells must; `time` orders the rows
 * (the line number when absent). Returns the reason instead when a field is not such a number or has a
 * reserved name (`line`, `__proto__`, `constructor`, `prototype`).
 *
 * @example
 * ```ts
 * csvRowOfFields({ bytes: '12', duration: '0.5' }, 7); // { line: 7, time: 7, bytes: 12, duration: 0.5 }
 * csvRowOfFields({ bytes: '' }, 8); // 'field "bytes" is not a finite number (got "")'
 * ```
 */
export function csvRowOfFields(fields: Readonly<Record<string, string>>, lineNo: number): CsvRow | string {
  const row: Record<string, number> = { line: lineNo, time: lineNo };
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'label' || k === 'scenario') continue;
    if (RESERVED.has(k)) return `reserved field name ${JSON.stringify(k)}`;
    const x = typeof v === 'string' ? decimalNumber(v) : Number.NaN;
    if (!Number.isFinite(x))
      return `field ${JSON.stringify(k)} is not a finite number (got ${JSON.stringify(v)})`;
    row[k] = x;
  }
  return row as CsvRow;
}

/**
 * Splits one CSV line into its cells (RFC 4180 within a line): cells are separated by commas and trimmed; a
 * cell may be quoted (`"a,b"`, with `""` for a quote inside), the quotes are removed. Returns the reason
 * instead when the line cannot be split: a quote inside an unquoted cell, text after a closing quote, or
 * a quoted cell not closed on its line (cells spanning lines are not read).
 *
 * @example
 * ```ts
 * splitCsvLine('1, "2",3'); // ['1', '2', '3']
 * splitCsvLine('1,"2'); // 'a quoted cell is not closed on its line (…)'
 * ```
 */
export function splitCsvLine(text: string): string[] | string {
  if (!text.includes('"')) return text.split(',').map((c) => c.trim());
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    let cell: string;
    if (text[i] === '"') {
      let out = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          return `a quoted cell is not closed on its line (expected a closing quote; cells spanning lines are not read), cell ${cells.length + 1}`;
        }
        out += text.slice(j, q);
        if (text[q + 1] === '"') {
          out += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
      if (i < text.length && text[i] !== ',') {
        return `text after a closing quote (expected a comma or the end of the line), cell ${cells.length + 1}`;
      }
      cell = out;
    } else {
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? text.length : comma;
      cell = text.slice(i, end).trim();
      if (cell.includes('"')) {
        return `a quote inside an unquoted cell (expected the whole cell in quotes), cell ${cells.length + 1}`;
      }
      i = end;
    }
    cells.push(cell);
    if (i >= text.length) return cells;
    i++; // the comma
  }
}

/**
 * A parser of numeric CSV files with a header line: every column must be a finite number in decimal
 * notation (`0x10`, `1_000`, `Infinity` and empty cells are malformed, never read as a value). Cells may be
 * quoted ({@link splitCsvLine}). Columns are
 * matched by name, in any order: with `expected` (the trained feature columns of a saved pipeline), a
 * header missing one of them, holding another, or repeating a name is rejected with one message listing
 * them all. A column named `time` orders the rows; `label` and `scenario` columns are ignored so labelled
 * files can be scored as they are.
 *
 * @example
 * ```ts
 * const p = new CsvParser();
 * const out: CsvRow[] = [];
 * p.parseLine('a,b', 1, out); // 0 (header)
 * p.parseLine('1.5,2', 2, out); // 1
 * ```
 */
export class CsvParser implements LineParser<CsvRow> {
  /** Always `csv`. */
  readonly format: string = 'csv';
  /** Why the last line was skipped or rejected. */
  reason = '';
  /** Set when the header was rejected: every later row is rejected too, as nothing can be read by name. */
  headerError: string | undefined;
  private header: string[] | undefined;
  private readonly expected: string[] | undefined;
  private row = 0;

  /** @param expected - the feature columns when known in advance (a saved pipeline's), in any order. */
  constructor(expected?: readonly string[]) {
    this.expected = expected === undefined ? undefined : [...expected];
  }

  /** The header once read. */
  get columns(): readonly string[] {
    return this.header ?? [];
  }

  /** The feature columns once the header is read (every column but `time`, `label` and `scenario`). */
  get featureColumns(): readonly string[] {
    return (this.header ?? []).filter((c) => !NOT_FEATURES.has(c));
  }

  /** Parses one line; see {@link LineParser}. */
  parseLine(line: string, lineNo: number, out: CsvRow[]): number {
    if (this.headerError !== undefined) {
      this.reason = 'no usable header (see the header line)';
      return BAD;
    }
    const text = line.trim();
    if (text === '') {
      this.reason = 'blank line';
      return SKIP;
    }
    const cells = splitCsvLine(text);
    if (typeof cells === 'string') {
      this.reason = cells;
      if (this.header === undefined) this.headerError = `line ${lineNo}: ${cells}`;
      return BAD;
    }
    if (this.header === undefined) {
      const problem = csvHeaderProblem(cells, this.expected);
      if (problem !== undefined) {
        this.headerError = `line ${lineNo}: ${problem}`;
        this.reason = problem;
        return BAD;
      }
      this.header = cells;
      this.reason = 'header';
      return SKIP;
    }
    if (cells.length !== this.header.length) {
      this.reason = `wrong number of cells (expected ${this.header.length}, got ${cells.length})`;
      return BAD;
    }
    const rec: Record<string, number> = { line: lineNo, time: this.row };
    for (let j = 0; j < cells.length; j++) {
      const name = this.header[j] as string;
      if (name === 'label' || name === 'scenario') continue;
      const v = decimalNumber(cells[j] as string);
      if (!Number.isFinite(v)) {
        this.reason = `column ${name} is not a finite number (got ${JSON.stringify(cells[j])})`;
        return BAD;
      }
      rec[name] = v;
    }
    this.row++;
    out.push(rec as CsvRow);
    return 1;
  }
}
