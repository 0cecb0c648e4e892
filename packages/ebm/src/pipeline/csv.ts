import type { LineParser } from '@nexus/ebm-features';

/**
 * One row of a numeric CSV file: its line number, a `time` (the `time` column or the row index) and its values.
 *
 * @example
 * ```ts
 * const row: CsvRow = { line: 2, time: 0, bytes: 1500, duration: 2.5 };
 * ```
 */
export interface CsvRow {
  /** Line number in the file (1-based). */
  readonly line: number;
  /** The `time` column when there is one, else the row's index. */
  readonly time: number;
  /** Every other column by header name. */
  readonly [column: string]: number;
}

/**
 * A parser of numeric CSV files with a header line: every column must be a finite number. A column named
 * `time` orders the rows; others become features (`label`/`scenario` columns are ignored so labelled files
 * can be scored as they are).
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
  private header: string[] | undefined;
  private row = 0;

  /** @param header - the column names when known in advance (a saved pipeline's); the file's header must match. */
  constructor(header?: readonly string[]) {
    this.expected = header === undefined ? undefined : [...header];
  }

  private readonly expected: string[] | undefined;

  /** The header once read. */
  get columns(): readonly string[] {
    return this.header ?? [];
  }

  /** Parses one line; see {@link LineParser}. */
  parseLine(line: string, _lineNo: number, out: CsvRow[]): number {
    const text = line.trim();
    if (text === '') {
      this.reason = 'empty line';
      return 0;
    }
    const cells = text.split(',').map((c) => c.trim());
    if (this.header === undefined) {
      if (cells.some((c) => c === '' || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(c))) {
        this.reason = `bad header (expected column names like bytes,duration, got ${JSON.stringify(text.slice(0, 80))})`;
        return -1;
      }
      if (this.expected !== undefined && this.expected.join(',') !== cells.join(',')) {
        this.reason = `header does not match the trained columns (expected ${this.expected.join(',')}, got ${cells.join(',')})`;
        return -1;
      }
      this.header = cells;
      this.reason = 'header';
      return 0;
    }
    if (cells.length !== this.header.length) {
      this.reason = `wrong number of cells (expected ${this.header.length}, got ${cells.length})`;
      return -1;
    }
    const rec: Record<string, number> = { line: _lineNo, time: this.row };
    for (let j = 0; j < cells.length; j++) {
      const name = this.header[j] as string;
      if (name === 'label' || name === 'scenario') continue;
      const v = Number(cells[j]);
      if (cells[j] === '' || !Number.isFinite(v)) {
        this.reason = `column ${name} is not a finite number (got ${JSON.stringify(cells[j])})`;
        return -1;
      }
      rec[name] = v;
    }
    this.row++;
    out.push(rec as CsvRow);
    return 1;
  }
}
