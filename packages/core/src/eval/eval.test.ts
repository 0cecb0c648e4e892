import { describe, expect, it } from 'vitest';
import { InputTypeError, ParameterError, ShapeError, ValueError } from '../errors.js';
import { averagePrecision } from './averagePrecision.js';
import { confusionAt } from './confusionAt.js';
import { prCurve } from './prCurve.js';
import { precisionAtK } from './precisionAtK.js';
import { rocAuc } from './rocAuc.js';
import { rocCurve } from './rocCurve.js';

// A small example with ties (0.4 ×3, 0.7 ×2, 0.9 ×2, across classes). The reference values below were
// computed with scikit-learn 1.2.1 (roc_auc_score, average_precision_score, roc_curve with
// drop_intermediate=False, precision_recall_curve) on exactly these arrays.
const y = [0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0];
const s = [0.2, 0.9, 0.4, 0.4, 0.7, 0.1, 0.7, 0.4, 0.3, 0.8, 0.05, 0.9];

function expectClose(actual: Float64Array, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i] as number, 15);
}

describe('rocAuc', () => {
  it('matches scikit-learn on an example with ties', () => {
    expect(rocAuc(y, s)).toBeCloseTo(0.7714285714285714, 15);
  });
  it('matches a hand count: 3 of 4 pairs ordered correctly', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
  });
  it('counts a tie as one half and accepts booleans and typed arrays', () => {
    expect(rocAuc([false, true], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc(Uint8Array.of(0, 1, 1), Float32Array.of(1, 2, 1))).toBe(0.75);
  });
  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocAuc([0, 0, 1], [1, 2, 3])).toBe(1);
    expect(rocAuc([0, 0, 1], [3, 2, 1])).toBe(0);
  });
  it('treats −0 and +0 as a tie', () => {
    expect(rocAuc([0, 1], [0, -0])).toBe(0.5);
  });
  it('is exact on a large input through the radix-sort path', () => {
    // 5000 samples, scores k mod 7: positives are exactly the samples with k mod 7 ≥ 4 and k even.
    const n = 5000;
    const labels = new Uint8Array(n);
    const scores = new Float64Array(n);
    let pos = 0;
    for (let k = 0; k < n; k++) {
      scores[k] = (k % 7) - 3;
      labels[k] = k % 7 >= 4 && k % 2 === 0 ? 1 : 0;
      pos += labels[k] as number;
    }
    let twice = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== 1) continue;
      for (let j = 0; j < n; j++) {
        if (labels[j] !== 0) continue;
        const a = scores[i] as number;
        const b = scores[j] as number;
        twice += a > b ? 2 : a === b ? 1 : 0;
      }
    }
    expect(rocAuc(labels, scores)).toBe(twice / (2 * pos * (n - pos)));
  });
  it('rejects bad input with clear errors', () => {
    expect(() => rocAuc([0, 1], [0.1])).toThrow(ShapeError);
    expect(() => rocAuc([0, 1], [0.1])).toThrow(
      'rocAuc: labels and scores differ in length (expected 2 scores, got 1)',
    );
    expect(() => rocAuc([], [])).toThrow(ShapeError);
    expect(() => rocAuc([1, 1], [0.1, 0.2])).toThrow(/only one class/);
    expect(() => rocAuc([0, 0], [0.1, 0.2])).toThrow(ValueError);
    expect(() => rocAuc([0, 2], [0.1, 0.2])).toThrow(
      'rocAuc: invalid label at index 1 (expected 0, 1, true or false, got 2)',
    );
    expect(() => rocAuc([0, 1], [0.1, Number.NaN])).toThrow(
      'rocAuc: non-finite score at index 1 (expected a finite number, got NaN)',
    );
    expect(() => rocAuc([0, 1], [Number.POSITIVE_INFINITY, 0])).toThrow(ValueError);
    expect(() => rocAuc([0, 1], ['a', 'b'] as unknown as number[])).toThrow(InputTypeError);
    expect(() => rocAuc(null as unknown as number[], [1])).toThrow(InputTypeError);
  });
});

describe('averagePrecision', () => {
  it('matches scikit-learn on an example with ties', () => {
    expect(averagePrecision(y, s)).toBeCloseTo(0.6033333333333333, 15);
  });
  it('matches a hand computation: ½·1 + ½·⅔', () => {
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(5 / 6, 15);
  });
  it('treats a tie group as one threshold', () => {
    // One threshold flags everything: recall 1, precision ½.
    expect(averagePrecision([0, 1], [0.5, 0.5])).toBe(0.5);
  });
  it('rejects a single class and NaN', () => {
    expect(() => averagePrecision([0, 0], [1, 2])).toThrow(ValueError);
    expect(() => averagePrecision([0, 1], [1, Number.NaN])).toThrow(ValueError);
  });
});

describe('rocCurve', () => {
  it('matches scikit-learn roc_curve(drop_intermediate=False)', () => {
    const c = rocCurve(y, s);
    // scikit-learn 1.2 puts max + 1 (1.9) as the first threshold; newer versions, and we, use +Infinity.
    expect(Array.from(c.thresholds)).toEqual([
      Number.POSITIVE_INFINITY,
      0.9,
      0.8,
      0.7,
      0.4,
      0.3,
      0.2,
      0.1,
      0.05,
    ]);
    const fpr = [0, 1 / 7, 1 / 7, 2 / 7, 3 / 7, 4 / 7, 5 / 7, 6 / 7, 1];
    const tpr = [0, 0.2, 0.4, 0.6, 1, 1, 1, 1, 1];
    expectClose(c.fpr, fpr);
    expectClose(c.tpr, tpr);
  });
});

describe('prCurve', () => {
  it('matches scikit-learn precision_recall_curve (in descending-threshold order)', () => {
    const c = prCurve(y, s);
    expect(Array.from(c.thresholds)).toEqual([0.9, 0.8, 0.7, 0.4, 0.3, 0.2, 0.1, 0.05]);
    const precision = [
      0.5, 0.6666666666666666, 0.6, 0.625, 0.5555555555555556, 0.5, 0.45454545454545453, 0.4166666666666667,
    ];
    const recall = [0.2, 0.4, 0.6, 1, 1, 1, 1, 1];
    expectClose(c.precision, precision);
    expectClose(c.recall, recall);
  });
});

describe('precisionAtK', () => {
  it('counts the positives among the top k', () => {
    expect(precisionAtK([0, 1, 1, 0, 1], [0.1, 0.9, 0.8, 0.7, 0.2], 3)).toBeCloseTo(2 / 3, 15);
    expect(precisionAtK([0, 1, 1, 0, 1], [0.1, 0.9, 0.8, 0.7, 0.2], 1)).toBe(1);
    expect(precisionAtK([0, 1, 1, 0, 1], [0.1, 0.9, 0.8, 0.7, 0.2], 5)).toBe(0.6);
  });
  it('shares the places at a tie in proportion (mean over tie orders)', () => {
    // Top 2 of: 0.9 (pos), then a tie at 0.5 of 1 positive and 2 negatives → 1 + 1·(1/3) of 2 places.
    expect(precisionAtK([1, 1, 0, 0, 0], [0.9, 0.5, 0.5, 0.5, 0.1], 2)).toBeCloseTo((1 + 1 / 3) / 2, 15);
  });
  it('allows a single class and rejects a bad k', () => {
    expect(precisionAtK([0, 0, 0], [1, 2, 3], 2)).toBe(0);
    expect(() => precisionAtK([0, 1], [1, 2], 0)).toThrow(ParameterError);
    expect(() => precisionAtK([0, 1], [1, 2], 3)).toThrow(
      'precisionAtK: k must be an integer in [1, n] (expected 1 ≤ k ≤ 2, got 3)',
    );
    expect(() => precisionAtK([0, 1], [1, 2], 1.5)).toThrow(ParameterError);
  });
});

describe('confusionAt', () => {
  it('counts with score ≥ threshold flagged', () => {
    const c = confusionAt([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.35);
    expect(c).toEqual({ tp: 2, fp: 1, tn: 1, fn: 0, precision: 2 / 3, recall: 1, fpr: 0.5, f1: 0.8 });
  });
  it('agrees with rocCurve at each of its thresholds', () => {
    const roc = rocCurve(y, s);
    for (let k = 0; k < roc.thresholds.length; k++) {
      const c = confusionAt(y, s, roc.thresholds[k] as number);
      expect(c.recall).toBeCloseTo(roc.tpr[k] as number, 15);
      expect(c.fpr).toBeCloseTo(roc.fpr[k] as number, 15);
    }
  });
  it('reports 0 for rates with a zero denominator', () => {
    expect(confusionAt([0, 0], [1, 2], 5)).toEqual({
      tp: 0,
      fp: 0,
      tn: 2,
      fn: 0,
      precision: 0,
      recall: 0,
      fpr: 0,
      f1: 0,
    });
  });
  it('rejects a NaN threshold and bad labels', () => {
    expect(() => confusionAt([0, 1], [1, 2], Number.NaN)).toThrow(ParameterError);
    expect(() => confusionAt([0, -1], [1, 2], 1)).toThrow(ValueError);
  });
});
