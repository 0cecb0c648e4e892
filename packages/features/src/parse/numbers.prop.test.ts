import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalNumber, integerCode } from './numbers.js';

/** Text in decimal notation, built from its grammar. */
const decimalText = fc
  .tuple(
    fc.constantFrom('', '+', '-'),
    fc.oneof(
      fc.tuple(fc.stringMatching(/^\d{1,12}$/), fc.constantFrom('', '.'), fc.stringMatching(/^\d{0,8}$/)),
      fc.tuple(fc.constant(''), fc.constant('.'), fc.stringMatching(/^\d{1,8}$/)),
    ),
    fc.option(
      fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^\d{1,3}$/)),
      {
        nil: undefined,
      },
    ),
  )
  .map(([sign, [int, dot, frac], exp]) => {
    const mantissa = dot === '' ? int : `${int}.${frac}`;
    return `${sign}${mantissa}${exp === undefined ? '' : exp.join('')}`;
  });

describe('decimalNumber', () => {
  it('reads decimal notation exactly as Number does', () => {
    fc.assert(
      fc.property(decimalText, fc.constantFrom('', ' ', '\t'), (t, pad) => {
        expect(decimalNumber(`${pad}${t}${pad}`)).toBe(Number(t));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what Number would read as a different or made-up value', () => {
    for (const t of [
      '',
      ' ',
      '0x10',
      '0X1f',
      '0b11',
      '0o7',
      '1_000',
      'Infinity',
      '-Infinity',
      'NaN',
      '1,5',
      '1.2.3',
      '--1',
      'e5',
      '.',
      '+',
      '1e',
      '١٢',
    ])
      expect(decimalNumber(t), t).toBeNaN();
  });

  it('never returns NaN for a finite number printed by JavaScript', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(decimalNumber(String(x))).toBe(Object.is(x, -0) ? 0 : x);
      }),
      { numRuns: 300 },
    );
  });
});

describe('integerCode', () => {
  it('reads integers given as JSON numbers or digit strings, and nothing else', () => {
    expect(integerCode(3002)).toBe(3002);
    expect(integerCode('3002')).toBe(3002);
    expect(integerCode(' -1 ')).toBe(-1);
    for (const v of [
      true,
      false,
      null,
      undefined,
      [1],
      {},
      '',
      ' ',
      '1.0',
      '0x1',
      '1e3',
      1.5,
      Number.NaN,
      'abc',
    ])
      expect(integerCode(v), JSON.stringify(v) ?? String(v)).toBeNaN();
  });
});
