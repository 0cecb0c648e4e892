import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelFormatError, ParameterError } from '../errors.js';
import { constraints } from './constraints.js';
import { ParamDeclaration, type ParamValues } from './ParamDeclaration.js';

const { real, integer, oneOf, boolean, integers, anyOf } = constraints;

interface ToyOptions {
  readonly mode?: 'fast' | 'slow';
  readonly rate?: number;
  readonly steps?: number;
  readonly bins?: number | 'auto';
  readonly exact?: boolean;
  readonly widths?: readonly number[];
  readonly trim?: number;
  readonly seed?: number;
}
type ToyParams = ParamValues<ToyOptions, 'widths'>;

const TOY = new ParamDeclaration<ToyOptions, ToyParams>('Toy', {
  mode: { check: oneOf(['fast', 'slow'] as const), default: 'fast', doc: 'Speed.' },
  rate: {
    check: real({ gt: 0, le: 10 }),
    default: (p) => (p.mode === 'fast' ? 1 : 0.1),
    defaultDoc: '`1` when fast, else `0.1`',
    doc: 'Step size.',
  },
  steps: { check: integer(1, 100), default: 5, doc: 'Steps.' },
  bins: { check: anyOf(integer(2, 50), oneOf(['auto'] as const)), default: 'auto', doc: 'Bins.' },
  exact: { check: boolean(), default: false, doc: 'Exactly.' },
  widths: {
    check: integers({ min: 1, max: 64, minLength: 1, maxLength: 3 }),
    derived: 'from the data',
    doc: 'Widths.',
  },
  trim: { check: real({ ge: 0, lt: 0.5 }), default: 0, saved: (p) => p.trim > 0, doc: 'Trim.' },
});

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
}

describe('ParamDeclaration', () => {
  it('fills in defaults, in order, and leaves derived parameters undefined', () => {
    expect(TOY.resolve({})).toEqual({
      mode: 'fast',
      rate: 1,
      steps: 5,
      bins: 'auto',
      exact: false,
      widths: undefined,
      trim: 0,
    });
    expect(TOY.resolve({ mode: 'slow' }).rate).toBe(0.1);
    expect(TOY.resolve({ mode: 'slow', rate: 3 }).rate).toBe(3);
  });

  it('keeps arrays as frozen copies', () => {
    const widths = [4, 2];
    const p = TOY.resolve({ widths });
    widths[0] = 99;
    expect(p.widths).toEqual([4, 2]);
    expect(Object.isFrozen(p.widths)).toBe(true);
  });

  it('refuses bad values with a ParameterError shaped api: what (expected …, got …)', () => {
    const cases: [ToyOptions, string][] = [
      [
        { mode: 'warp' as 'fast' },
        "Toy: mode names an unknown mode (expected 'fast' | 'slow', got string \"warp\")",
      ],
      [{ rate: 0 }, 'Toy: rate is out of range (expected in (0, 10], got 0)'],
      [{ rate: Number.NaN }, 'Toy: rate must be a finite number (expected in (0, 10], got NaN)'],
      [{ steps: 1.5 }, 'Toy: steps must be an integer (expected an integer in [1, 100], got 1.5)'],
      [{ steps: 101 }, 'Toy: steps is out of range (expected an integer in [1, 100], got 101)'],
      [{ bins: 1 }, "Toy: bins is out of range (expected an integer in [2, 50] or 'auto', got 1)"],
      [
        { exact: 'yes' as unknown as boolean },
        'Toy: exact must be a boolean (expected true or false, got string "yes")',
      ],
      [
        { widths: [] },
        'Toy: widths must be an array of 1 to 3 integers (expected an array of 1 to 3 integers in [1, 64], got array of length 0)',
      ],
      [{ widths: [4, 0] }, 'Toy: widths[1] is out of range (expected an integer in [1, 64], got 0)'],
      [{ trim: 0.5 }, 'Toy: trim is out of range (expected in [0, 0.5), got 0.5)'],
    ];
    for (const [options, text] of cases) {
      const e = thrown(() => TOY.resolve(options));
      expect(e).toBeInstanceOf(ParameterError);
      expect(e.message).toBe(text);
    }
  });

  it('saves parameters in declaration order, without underived or unsaved ones', () => {
    const json = TOY.toJSON(TOY.resolve({ steps: 7 }));
    expect(Object.keys(json)).toEqual(['mode', 'rate', 'steps', 'bins', 'exact']);
    const more = TOY.toJSON(TOY.resolve({ widths: [3], trim: 0.2 }));
    expect(more.widths).toEqual([3]);
    expect(more.trim).toBe(0.2);
  });

  it('reads a saved config back, requiring what is always saved', () => {
    const json: Record<string, unknown> = { ...TOY.toJSON(TOY.resolve({ mode: 'slow' })), seed: 4 };
    expect(TOY.fromJSON(json, 'Toy.fromJSON')).toEqual({ ...json });
    const { steps: _, ...missing } = json;
    const e = thrown(() => TOY.fromJSON(missing, 'Toy.fromJSON'));
    expect(e).toBeInstanceOf(ModelFormatError);
    expect(e.message).toBe(
      'Toy.fromJSON: field "steps" is missing (expected an integer in [1, 100], got nothing)',
    );
    const bad = thrown(() => TOY.fromJSON({ ...json, widths: [2, 'x'] }, 'Toy.fromJSON'));
    expect(bad).toBeInstanceOf(ModelFormatError);
    expect(bad.message).toBe(
      'Toy.fromJSON: field "widths[1]" must be an integer (expected an integer in [1, 64], got string "x")',
    );
    expect(() => TOY.fromJSON({ ...json, seed: 'x' }, 'Toy.fromJSON')).toThrow(ModelFormatError);
  });

  it('round-trips any valid options through toJSON and fromJSON', () => {
    const options = fc.record(
      {
        mode: fc.constantFrom<'fast' | 'slow'>('fast', 'slow'),
        rate: fc.double({ min: 1e-6, max: 10, noNaN: true }),
        steps: fc.integer({ min: 1, max: 100 }),
        bins: fc.oneof(fc.integer({ min: 2, max: 50 }), fc.constant<'auto'>('auto')),
        exact: fc.boolean(),
        widths: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 3 }),
        trim: fc.double({ min: 0, max: 0.49, noNaN: true }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(options, (o) => {
        const p = TOY.resolve(o);
        expect(TOY.resolve(TOY.fromJSON(JSON.parse(JSON.stringify(TOY.toJSON(p))), 'Toy.fromJSON'))).toEqual(
          p,
        );
      }),
      { numRuns: 100, seed: 18 },
    );
  });

  it('gives one documented row per parameter', () => {
    expect(TOY.rows().map((r) => [r.name, r.accepted, r.default])).toEqual([
      ['mode', "'fast' | 'slow'", "`'fast'`"],
      ['rate', 'in (0, 10]', '`1` when fast, else `0.1`'],
      ['steps', 'an integer in [1, 100]', '`5`'],
      ['bins', "an integer in [2, 50] or 'auto'", "`'auto'`"],
      ['exact', 'true or false', '`false`'],
      ['widths', 'an array of 1 to 3 integers in [1, 64]', 'from the data'],
      ['trim', 'in [0, 0.5)', '`0`'],
    ]);
  });
});
