import { describe, expect, it } from 'vitest';
import { CliError, intOpt, numberOpt, type ParsedArgs } from './command.js';

const args = (v: string): ParsedArgs => ({ values: { x: v }, positionals: [] });

describe('option numbers', () => {
  it('read decimal notation, and refuse what Number() would read as another value', () => {
    expect(intOpt(args('12'), 'x', 0, { cmd: 't' })).toBe(12);
    expect(numberOpt(args('0.001'), 'x', 0, { cmd: 't' })).toBe(0.001);
    expect(numberOpt(args('1e-3'), 'x', 0, { cmd: 't' })).toBe(0.001);
    // Before: '' and ' ' were 0 and '0x10' was 16 — `--seed ""` trained with seed 0 without a word.
    for (const v of ['', ' ', '0x10', '0b1', '1_0', 'Infinity']) {
      expect(() => intOpt(args(v), 'x', 5, { cmd: 't' }), v).toThrow(CliError);
      expect(() => numberOpt(args(v), 'x', 5, { cmd: 't' }), v).toThrow(CliError);
    }
    expect(() => intOpt(args(''), 'x', 5, { cmd: 'train' })).toThrow(
      /ebm train: --x must be an integer \(expected .*, got ""\)/,
    );
  });
});
