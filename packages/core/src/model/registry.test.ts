import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ModelFormatError,
  NotFittedError,
  ParameterError,
  ShapeError,
  UnsupportedError,
} from '../errors.js';
import type { Matrix as MatrixT } from '../matrix/Matrix.js';
import { Matrix } from '../matrix/Matrix.js';
import { BaseEnergyModel, type FitContext } from './BaseEnergyModel.js';
import type { ModelJSON, Progress } from './EnergyModel.js';
import {
  readEnum,
  readFloat32Array,
  readFloat64Array,
  readInt,
  readNumber,
  readNumberMatrix,
  readStringArray,
} from './jsonReaders.js';
import { MAX_ARRAY_LENGTH } from './limits.js';
import { parseModelJSON } from './modelJson.js';
import { loadModel, registeredKinds, registerModel } from './registry.js';

/** Energy = squared distance to the mean; fits in `epochs` steps to exercise progress and abort. */
class MeanModel extends BaseEnergyModel<Float64Array> {
  readonly kind = 'test-mean';
  readonly formatVersion = 2;
  readonly epochs: number;
  constructor(epochs = 3) {
    super();
    if (!Number.isInteger(epochs) || epochs < 1)
      throw new ParameterError(`MeanModel: bad epochs (expected ≥ 1, got ${epochs})`);
    this.epochs = epochs;
  }
  protected fitImpl(X: MatrixT, ctx: FitContext): Float64Array {
    const mean = new Float64Array(X.cols);
    for (let e = 1; e <= this.epochs; e++) ctx.report({ epoch: e, epochs: this.epochs, loss: 1 / e });
    for (let i = 0; i < X.rows; i++)
      for (let j = 0; j < X.cols; j++) mean[j] = (mean[j] as number) + X.get(i, j) / X.rows;
    return mean;
  }
  protected energyImpl(X: MatrixT, mean: Float64Array): Float64Array {
    const e = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++)
      for (let j = 0; j < X.cols; j++) e[i] = (e[i] as number) + (X.get(i, j) - (mean[j] as number)) ** 2;
    return e;
  }
  protected configToJSON(): Record<string, unknown> {
    return { epochs: this.epochs };
  }
  protected stateToJSON(mean: Float64Array): Record<string, unknown> {
    return { mean: Array.from(mean) };
  }
  static fromJSON(json: ModelJSON): MeanModel {
    const api = 'MeanModel.fromJSON';
    return new MeanModel(readInt(json.config, 'epochs', api)).restore(json, api, (s, d) =>
      readFloat64Array(s, 'mean', d, api),
    );
  }
}
registerModel('test-mean', (json) => MeanModel.fromJSON(json), { versions: [2] });

const X = [
  [1, 2],
  [3, 4],
  [5, 9],
];

describe('BaseEnergyModel boundary work', () => {
  it('reports progress and checks featureNames', () => {
    const seen: Progress[] = [];
    const m = new MeanModel(4).fit(X, { onProgress: (p) => seen.push(p), featureNames: ['a', 'b'] });
    expect(seen.map((p) => p.epoch)).toEqual([1, 2, 3, 4]);
    expect(m.featureNames).toEqual(['a', 'b']);
    expect(() => new MeanModel().fit(X, { featureNames: ['a'] })).toThrow(ShapeError);
    expect(() => new MeanModel().fit(X, { featureNames: ['a'] })).toThrow(
      /expected 2 \(one per column\), got 1/,
    );
  });

  it('aborts between epochs and leaves the model unfitted', () => {
    const ac = new AbortController();
    const m = new MeanModel(10).fit(X);
    expect(() =>
      m.fit(X, {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.epoch === 2) ac.abort();
        },
      }),
    ).toThrow(AbortError);
    expect(m.fitted).toBe(false);
    expect(() => m.energy(X)).toThrow(NotFittedError);
  });

  it('fitAsync resolves to the model', async () => {
    const m = new MeanModel();
    await expect(m.fitAsync(X)).resolves.toBe(m);
    expect(m.energyOne([3, 5])).toBeCloseTo(0, 12);
  });

  it('names both feature counts and rejects contributions it does not have', () => {
    const m = new MeanModel().fit(X);
    expect(() => m.energy([[1, 2, 3]])).toThrow(
      'MeanModel.energy: wrong number of features (expected 2, got 3)',
    );
    expect(m.hasContributions).toBe(false);
    expect(() => m.contributions(X)).toThrow(UnsupportedError);
  });

  it('rejects a bad seed', () => {
    expect(() => new MeanModel().fit(X, { seed: Number.NaN })).toThrow(ParameterError);
  });
});

describe('loadModel', () => {
  const saved = (): ModelJSON => JSON.parse(JSON.stringify(new MeanModel().fit(X).toJSON())) as ModelJSON;

  it('round-trips and lists the kind', () => {
    expect(registeredKinds()).toContain('test-mean');
    const m = loadModel(JSON.stringify(saved()));
    expect(Array.from(m.energy(X))).toEqual(Array.from(new MeanModel().fit(X).energy(X)));
  });

  it('rejects unknown kinds and versions with the expected values named', () => {
    expect(() => loadModel({ ...saved(), kind: 'nope' })).toThrow(
      /unknown model kind.*"test-mean".*got "nope"/,
    );
    expect(() => loadModel({ ...saved(), version: 1 })).toThrow(/unsupported version.*expected 2, got 1/);
  });

  it('rejects wrong shapes and values', () => {
    const s = saved();
    const bad: unknown[] = [
      null,
      42,
      [],
      { kind: 'test-mean' },
      { ...s, config: [] },
      { ...s, state: { ...s.state, mean: [1] } },
      { ...s, state: { ...s.state, mean: [1, 'x'] } },
      { ...s, state: { ...s.state, mean: [1, Number.NaN] } },
      { ...s, state: { ...s.state, mean: [1, Number.POSITIVE_INFINITY] } },
      { ...s, state: { ...s.state, nFeatures: 1e12 } },
      { ...s, state: { ...s.state, nFeatures: 2.5 } },
      { ...s, config: { epochs: -1 } },
      { ...s, state: { ...s.state, featureNames: ['a'] } },
      { ...s, extra: new Map() },
    ];
    for (const b of bad) expect(() => loadModel(b), JSON.stringify(b)).toThrow(ModelFormatError);
  });

  it('rejects hostile input without polluting prototypes', () => {
    const text = JSON.stringify(saved());
    const hostile = [
      text.replace('"config":{', '"config":{"__proto__":{"polluted":true},'),
      text.replace('"state":{', '"state":{"constructor":{"prototype":{"polluted":true}},'),
      text.replace('"mean":', '"prototype":1,"mean":'),
      text.replace('"state":{', '"state":{"x":1e999,'),
      `{"kind":"test-mean","version":2,"config":{},"state":${'['.repeat(100)}${']'.repeat(100)}}`,
    ];
    for (const h of hostile) expect(() => loadModel(h), h.slice(0, 80)).toThrow(ModelFormatError);
    const obj = JSON.parse(text.replace('"state":{', '"state":{"__proto__":{"polluted":true},')) as unknown;
    expect(() => loadModel(obj)).toThrow(/forbidden key "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => parseModelJSON('x'.repeat(101), { maxChars: 100 })).toThrow(/too large/);
    expect(() => parseModelJSON('{"a":')).toThrow(/invalid JSON/);
  });

  it('rejects huge declared sizes before allocating', () => {
    const obj = { n: [1, 2] } as Record<string, unknown>;
    expect(() => readFloat64Array(obj, 'n', MAX_ARRAY_LENGTH + 1, 'api')).toThrow(/not sane/);
    expect(() => readNumberMatrix(obj, 'n', 1e5, 1e5, 'api')).toThrow(/not sane/);
  });
});

describe('safe readers', () => {
  const o = {
    a: 1.5,
    i: 3,
    s: 'full',
    f: [1, 2, 3, 4],
    nested: [
      [1, 2],
      [3, 4],
    ],
    big: [1e39],
    names: ['x', 'y'],
  };
  it('read valid fields', () => {
    expect(readNumber(o, 'a', 'api')).toBe(1.5);
    expect(readInt(o, 'i', 'api', { min: 1, max: 3 })).toBe(3);
    expect(readEnum(o, 's', ['full', 'diagonal'] as const, 'api')).toBe('full');
    expect(readNumberMatrix(o, 'f', 2, 2, 'api')).toEqual(new Matrix(2, 2, new Float64Array([1, 2, 3, 4])));
    expect(readNumberMatrix(o, 'nested', 2, 2, 'api').data).toEqual(new Float64Array([1, 2, 3, 4]));
    expect(readStringArray(o, 'names', 2, 'api')).toEqual(['x', 'y']);
  });
  it('give clear errors', () => {
    expect(() => readInt(o, 'a', 'L')).toThrow('L: field "i" must be an integer'.replace('"i"', '"a"'));
    expect(() => readInt(o, 'i', 'L', { max: 2 })).toThrow(
      /out of range \(expected a value in \[-∞, 2\], got 3\)/,
    );
    expect(() => readEnum(o, 's', ['diagonal'] as const, 'L')).toThrow(/expected "diagonal"/);
    expect(() => readFloat32Array(o, 'big', 1, 'L')).toThrow(/overflows 32-bit/);
    expect(() => readNumber(o, 'missing', 'L')).toThrow(/field "missing" must be a finite number/);
    expect(() =>
      readNumber(Object.create({ inherited: 1 }) as Record<string, unknown>, 'inherited', 'L'),
    ).toThrow(ModelFormatError);
  });
});
