import { describe, expect, it } from 'vitest';
import {
  InputTypeError,
  ModelFormatError,
  NotFittedError,
  ParameterError,
  ShapeError,
  ValueError,
} from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';
import type { BaseScaler } from './BaseScaler.js';
import { loadScaler } from './loadScaler.js';
import { MinMaxScaler } from './MinMaxScaler.js';
import { RobustScaler } from './RobustScaler.js';
import { StandardScaler } from './StandardScaler.js';

const train = [
  [1, 10, 5],
  [2, 20, 5],
  [3, 30, 5],
  [4, 1000, 5],
];

describe('StandardScaler', () => {
  it('centres to the mean and divides by the population standard deviation', () => {
    const s = new StandardScaler().fit(train);
    expect(Array.from(s.center)).toEqual([2.5, 265, 5]);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(1.25), 14);
    const z = s.transform(train);
    let mean = 0;
    let sq = 0;
    for (let i = 0; i < 4; i++) {
      mean += z.get(i, 1) / 4;
      sq += z.get(i, 1) ** 2 / 4;
    }
    expect(mean).toBeCloseTo(0, 14);
    expect(sq).toBeCloseTo(1, 14);
  });

  it('is accurate for a column with a huge offset', () => {
    const s = new StandardScaler().fit([[1e12 + 1], [1e12 + 2], [1e12 + 3]]);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(2 / 3), 10);
  });
});

describe('overflowing spreads', () => {
  it('are a clear ValueError where the scale cannot be represented, never a silent Infinity', () => {
    expect(() => new StandardScaler().fit([[1.7e308], [1.7e308], [-1.7e308]])).toThrow(
      /StandardScaler.fit: column 0 overflows the float range/,
    );
    expect(() => new MinMaxScaler().fit([[1e308], [-1e308]])).toThrow(ValueError);
    // The robust quantiles of the same column are representable (interpolation avoids b − a overflow).
    expect(Array.from(new RobustScaler().fit([[1e308], [-1e308]]).scale)).toEqual([1e308]);
    expect(Array.from(new StandardScaler().fit([[1e308], [-1e308]]).scale)).toEqual([1e308]);
  });
});

describe('scaleOrOne', () => {
  it('treats zero, subnormal and rounding-level spreads as constant', () => {
    const s = new RobustScaler().fit([[57.45], [0], [0], [0], [0], [5e-324]]);
    expect(Array.from(s.scale)).toEqual([1]);
    expect(Array.from(new MinMaxScaler().fit([[1e12], [1e12 + 0.0001220703125]]).scale)).toEqual([1]);
    expect(new MinMaxScaler().fit([[1e12], [1e12 + 1]]).scale[0]).toBe(1);
    expect(new MinMaxScaler().fit([[1e12], [1e12 + 3]]).scale[0]).toBe(3);
    expect(new StandardScaler().fit([[1e-300], [3e-300]]).scale[0]).toBeCloseTo(1e-300, 310);
  });
});

describe('RobustScaler', () => {
  it('uses the median and the interquartile range, ignoring an outlier', () => {
    const s = new RobustScaler().fit([[1], [2], [3], [4], [1000]]);
    expect(Array.from(s.center)).toEqual([3]);
    expect(Array.from(s.scale)).toEqual([2]);
    expect(new RobustScaler({ quantileRange: [0, 100] }).fit([[1], [2], [3], [4], [1000]]).scale[0]).toBe(
      999,
    );
  });

  it('gives scale 1 when the quantile range is zero although the column is not constant', () => {
    const s = new RobustScaler().fit([[0], [0], [0], [0], [0], [7]]);
    expect(Array.from(s.scale)).toEqual([1]);
    expect(s.transform([[7]]).get(0, 0)).toBe(7);
  });

  it('rejects a bad quantile range', () => {
    expect(() => new RobustScaler({ quantileRange: [75, 25] })).toThrow(ParameterError);
    expect(() => new RobustScaler({ quantileRange: [-1, 50] })).toThrow(/quantileRange/);
    expect(() => new RobustScaler({ quantileRange: [10, 101] })).toThrow(ParameterError);
  });
});

describe('MinMaxScaler', () => {
  it('maps the training range to [0, 1] and extrapolates outside it', () => {
    const s = new MinMaxScaler().fit(train);
    const z = s.transform([
      [4, 10, 5],
      [5, 1000, 5],
    ]);
    expect(z.toArray()).toEqual([
      [1, 0, 0],
      [4 / 3, 1, 0],
    ]);
  });
});

describe.each([
  ['standard', () => new StandardScaler()],
  ['robust', () => new RobustScaler()],
  ['minmax', () => new MinMaxScaler()],
] as const)('%s scaler: shared behaviour', (type, make) => {
  it('handles a constant column explicitly: scale 1, centred, never NaN or Infinity', () => {
    const s = make().fit(train);
    expect(s.type).toBe(type);
    expect(s.scale[2]).toBe(1);
    const z = s.transform([
      [0, 0, 5],
      [0, 0, 6],
    ]);
    expect(z.get(0, 2)).toBe(0);
    expect(z.get(1, 2)).toBe(1);
    const one = make().fit([[3, 4]]); // a single row: every column is constant
    expect(Array.from(one.scale)).toEqual([1, 1]);
    expect(Array.from(one.transform([[3, 4]]).data)).toEqual([0, 0]);
  });

  it('throws NotFittedError before fit and ShapeError on a feature-count mismatch', () => {
    const s = make();
    expect(s.isFitted).toBe(false);
    expect(() => s.transform(train)).toThrow(NotFittedError);
    expect(() => s.nFeatures).toThrow(NotFittedError);
    expect(() => s.toJSON()).toThrow(NotFittedError);
    expect(() => s.inverseTransform(train)).toThrow(NotFittedError);
    s.fit(train);
    expect(s.isFitted).toBe(true);
    expect(s.nFeatures).toBe(3);
    expect(() => s.transform([[1, 2]])).toThrow(ShapeError);
    expect(() => s.transform([[1, 2]])).toThrow(/transform: wrong number of features \(expected 3, got 2\)/);
    expect(() => s.inverseTransform([[1, 2, 3, 4]])).toThrow(ShapeError);
  });

  it('rejects bad training data at the boundary', () => {
    expect(() => make().fit([])).toThrow(ShapeError);
    expect(() => make().fit([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => make().fit([[1, Number.NaN]])).toThrow(ValueError);
    expect(() => make().fit('abc' as unknown as number[][])).toThrow(InputTypeError);
  });

  it('transforms empty input to an empty matrix and round-trips through inverseTransform', () => {
    const s = make();
    const z = s.fitTransform(train);
    expect(s.transform(new Matrix(0, 3)).rows).toBe(0);
    const back = s.inverseTransform(z);
    for (let i = 0; i < train.length; i++) {
      for (let j = 0; j < 3; j++) expect(back.get(i, j)).toBeCloseTo(train[i]?.[j] as number, 10);
    }
  });

  it('survives JSON.stringify/loadScaler with identical transforms', () => {
    const s = make().fit(train);
    const text = JSON.stringify(s);
    const loaded = loadScaler(text);
    expect(loaded.type).toBe(type);
    expect(loaded.nFeatures).toBe(3);
    expect(loaded.transform(train).data).toEqual(s.transform(train).data);
    expect(loadScaler(JSON.parse(text)).toJSON()).toEqual(s.toJSON());
  });
});

describe('loadScaler rejects corrupt and hostile input', () => {
  const good = { kind: 'scaler', type: 'standard', version: 1, center: [0, 1], scale: [1, 2] };
  const cases: [string, unknown, RegExp][] = [
    ['null', null, /not a scaler object/],
    ['an array', [good], /not a scaler object/],
    ['bad JSON text', '{"kind":', /not valid JSON/],
    ['wrong kind', { ...good, kind: 'model' }, /wrong kind/],
    ['wrong version', { ...good, version: 2 }, /unsupported version \(expected 1, got 2\)/],
    ['unknown type', { ...good, type: 'quantile' }, /unknown scaler type/],
    ['non-finite center', { ...good, center: [0, null] }, /center\[1\] is not a finite number/],
    ['zero scale', { ...good, scale: [1, 0] }, /scale\[1\] is not positive/],
    ['negative scale', { ...good, scale: [-1, 1] }, /scale\[0\] is not positive/],
    ['string value', { ...good, scale: ['1', 1] }, /scale\[0\] is not a finite number/],
    ['length mismatch', { ...good, scale: [1] }, /lengths differ/],
    ['empty', { ...good, center: [], scale: [] }, /center is empty/],
    ['not an array', { ...good, center: { 0: 1, length: 1 } }, /center is not an array/],
    ['unknown key', { ...good, extra: 1 }, /unexpected key/],
    [
      '__proto__ key',
      JSON.parse(
        '{"kind":"scaler","type":"standard","version":1,"center":[0],"scale":[1],"__proto__":{"polluted":true}}',
      ),
      /unexpected key \(.*"__proto__"\)/,
    ],
    [
      'constructor key',
      '{"kind":"scaler","type":"minmax","version":1,"center":[0],"scale":[1],"constructor":{}}',
      /unexpected key/,
    ],
  ];
  it.each(cases)('%s', (_name, input, pattern) => {
    expect(() => loadScaler(input)).toThrow(ModelFormatError);
    expect(() => loadScaler(input)).toThrow(pattern);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('restore validates directly supplied parameters too', () => {
    const s: BaseScaler = new StandardScaler();
    expect(() => s.restore(new Float64Array([0]), new Float64Array([0]))).toThrow(ValueError);
    expect(() => s.restore(new Float64Array([0, 1]), new Float64Array([1]))).toThrow(ShapeError);
  });
});
