import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, type CsvRow, csvRowOfFields, splitCsvLine } from './csv.js';

describe('splitCsvLine', () => {
  it('splits plain and quoted cells (RFC 4180 within a line), trimming around them', () => {
    expect(splitCsvLine('1, 2 ,3')).toEqual(['1', '2', '3']);
    expect(splitCsvLine('"1", "2" ,"a,b"')).toEqual(['1', '2', 'a,b']);
    expect(splitCsvLine('"say ""hi""",x')).toEqual(['say "hi"', 'x']);
    expect(splitCsvLine('"",1,')).toEqual(['', '1', '']);
    expect(splitCsvLine('1,"2",')).toEqual(['1', '2', '']);
  });

  it('names what it cannot split instead of guessing', () => {
    expect(splitCsvLine('1,"2')).toMatch(/quoted cell is not closed on its line.*cell 2/);
    expect(splitCsvLine('1,"2"x,3')).toMatch(/text after a closing quote.*cell 2/);
    expect(splitCsvLine('1,2"3,4')).toMatch(/quote inside an unquoted cell.*cell 2/);
  });

  it('is the inverse of quoting every cell (round trip on arbitrary cell text)', () => {
    const cell = fc.string({ maxLength: 8 }).map((s) => s.replace(/[\r\n]/g, ''));
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (cells) => {
        const line = cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
        expect(splitCsvLine(line)).toEqual(cells);
      }),
      { numRuns: 200 },
    );
  });
});

describe('CsvParser', () => {
  const parse = (lines: string[]): { rows: CsvRow[]; results: number[]; reasons: string[] } => {
    const p = new CsvParser();
    const rows: CsvRow[] = [];
    const results: number[] = [];
    const reasons: string[] = [];
    lines.forEach((l, i) => {
      results.push(p.parseLine(l, i + 1, rows));
      reasons.push(p.reason);
    });
    return { rows, results, reasons };
  };

  it('reads quoted header names and quoted numbers', () => {
    const { rows, results } = parse(['"bytes","duration"', '"12", 3.5', '1e3,".5"']);
    expect(results).toEqual([0, 1, 1]);
    expect(rows.map((r) => [r.bytes, r.duration])).toEqual([
      [12, 3.5],
      [1000, 0.5],
    ]);
  });

  it('refuses numbers outside decimal notation instead of reading them as another value', () => {
    // Number() would read these as 16, 3, 7, 0 and 0
    for (const cell of ['0x10', '0b11', '0o7', '', ' ', '1_000', 'Infinity']) {
      const { results, reasons } = parse(['bytes,duration', `${cell},1`]);
      expect(results[1], cell).toBe(-1);
      expect(reasons[1]).toBe(`column bytes is not a finite number (got ${JSON.stringify(cell.trim())})`);
    }
  });

  it('a header that cannot be split makes every later row malformed, with the reason', () => {
    const { results, reasons } = parse(['"bytes,duration', '1,2']);
    expect(results).toEqual([-1, -1]);
    expect(reasons[0]).toMatch(/not closed/);
    expect(reasons[1]).toMatch(/no usable header/);
  });
});

describe('csvRowOfFields', () => {
  it('reads named fields like CSV cells: decimal numbers only, label and scenario ignored, time kept', () => {
    expect(csvRowOfFields({ bytes: '12', time: '30', label: 'attack' }, 7)).toEqual({
      line: 7,
      time: 30,
      bytes: 12,
    });
    expect(csvRowOfFields({ bytes: '1' }, 8)).toEqual({ line: 8, time: 8, bytes: 1 });
    expect(csvRowOfFields({ bytes: '' }, 9)).toBe('field "bytes" is not a finite number (got "")');
    expect(csvRowOfFields({ bytes: '0x10' }, 9)).toMatch(/not a finite number/);
    expect(csvRowOfFields({ time: ' ' }, 9)).toMatch(/field "time"/);
    expect(csvRowOfFields(JSON.parse('{"__proto__":"1"}') as Record<string, string>, 9)).toMatch(/reserved/);
  });
});
