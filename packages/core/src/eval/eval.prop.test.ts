import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averagePrecision } from './averagePrecision.js';
import { confusionAt } from './confusionAt.js';
import { prCurve } from './prCurve.js';
import { precisionAtK } from './precisionAtK.js';
import { rocAuc } from './rocAuc.js';
import { rocCurve } from './rocCurve.js';
import { sortFloat64 } from './sortFloat64.js';

interface Sample {
  readonly labels: number[];
  readonly scores: number[];
}

/** Labelled samples with many ties (integer scores in [−5, 5]) and both classes present. */
function samples(minLength: number, maxLength: number): fc.Arbitrary<Sample> {
  return fc
    .array(fc.tuple(fc.constantFrom(0, 1), fc.integer({ min: -5, max: 5 })), { minLength, maxLength })
    .filter((a) => a.some(([l]) => l === 1) && a.some(([l]) => l === 0))
    .map((a) => ({ labels: a.map(([l]) => l), scores: a.map(([, s]) => s) }));
}

/** Pairwise definition of the AUC: P(s⁺ > s⁻) + ½·P(s⁺ = s⁻). */
function bruteAuc({ labels, scores }: Sample): number {
  let num = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      const a = scores[i] as number;
      const b = scores[j] as number;
      num += a > b ? 1 : a === b ? 0.5 : 0;
      pairs++;
    }
  }
  return num / pairs;
}

/** AP straight from its definition: for each distinct threshold, count by brute force. */
function bruteAp({ labels, scores }: Sample): number {
  const thresholds = [...new Set(scores)].sort((a, b) => b - a);
  const nPos = labels.filter((l) => l === 1).length;
  let prevRecall = 0;
  let ap = 0;
  for (const t of thresholds) {
    let tp = 0;
    let flagged = 0;
    for (let i = 0; i < scores.length; i++) {
      if ((scores[i] as number) >= t) {
        flagged++;
        if (labels[i] === 1) tp++;
      }
    }
    const recall = tp / nPos;
    ap += (recall - prevRecall) * (tp / flagged);
    prevRecall = recall;
  }
  return ap;
}

const increasing: readonly ((x: number) => number)[] = [
  (x) => 3 * x + 1,
  (x) => x * x * x + x,
  (x) => Math.atan(x),
  (x) => Math.exp(x / 3),
];

describe('rocAuc properties', () => {
  it('matches the brute-force pairwise count on scores with ties', () => {
    fc.assert(
      fc.property(samples(2, 60), (d) => {
        expect(rocAuc(d.labels, d.scores)).toBeCloseTo(bruteAuc(d), 12);
      }),
      { numRuns: 150 },
    );
  });
  it('matches the brute-force count on inputs large enough for the radix sort', () => {
    fc.assert(
      fc.property(samples(2100, 2600), (d) => {
        expect(rocAuc(d.labels, d.scores)).toBeCloseTo(bruteAuc(d), 12);
      }),
      { numRuns: 4 },
    );
  });
  it('is invariant under strictly increasing transforms of the scores', () => {
    fc.assert(
      fc.property(samples(2, 60), fc.integer({ min: 0, max: increasing.length - 1 }), (d, k) => {
        const f = increasing[k] as (x: number) => number;
        expect(rocAuc(d.labels, d.scores.map(f))).toBe(rocAuc(d.labels, d.scores));
      }),
      { numRuns: 100 },
    );
  });
  it('satisfies AUC(−s) = 1 − AUC(s)', () => {
    fc.assert(
      fc.property(samples(2, 60), (d) => {
        expect(
          rocAuc(
            d.labels,
            d.scores.map((x) => -x),
          ),
        ).toBeCloseTo(1 - rocAuc(d.labels, d.scores), 12);
      }),
      { numRuns: 100 },
    );
  });
  it('equals the trapezoidal area under rocCurve, which is monotone from (0,0) to (1,1)', () => {
    fc.assert(
      fc.property(samples(2, 60), (d) => {
        const { fpr, tpr, thresholds } = rocCurve(d.labels, d.scores);
        expect(fpr[0]).toBe(0);
        expect(tpr[0]).toBe(0);
        expect(fpr[fpr.length - 1]).toBe(1);
        expect(tpr[tpr.length - 1]).toBe(1);
        let area = 0;
        for (let k = 1; k < fpr.length; k++) {
          expect(fpr[k] as number).toBeGreaterThanOrEqual(fpr[k - 1] as number);
          expect(tpr[k] as number).toBeGreaterThanOrEqual(tpr[k - 1] as number);
          expect(thresholds[k] as number).toBeLessThan(thresholds[k - 1] as number);
          area +=
            (((fpr[k] as number) - (fpr[k - 1] as number)) * ((tpr[k] as number) + (tpr[k - 1] as number))) /
            2;
        }
        expect(area).toBeCloseTo(rocAuc(d.labels, d.scores), 12);
      }),
      { numRuns: 100 },
    );
  });
});

describe('averagePrecision and prCurve properties', () => {
  it('averagePrecision matches a brute-force reference on scores with ties', () => {
    fc.assert(
      fc.property(samples(2, 60), (d) => {
        expect(averagePrecision(d.labels, d.scores)).toBeCloseTo(bruteAp(d), 12);
      }),
      { numRuns: 150 },
    );
  });
  it('averagePrecision is the recall-weighted sum of prCurve precisions', () => {
    fc.assert(
      fc.property(samples(2, 60), (d) => {
        const { precision, recall } = prCurve(d.labels, d.scores);
        let ap = 0;
        let prev = 0;
        for (let k = 0; k < recall.length; k++) {
          ap += ((recall[k] as number) - prev) * (precision[k] as number);
          prev = recall[k] as number;
        }
        expect(recall[recall.length - 1]).toBe(1);
        expect(ap).toBeCloseTo(averagePrecision(d.labels, d.scores), 12);
      }),
      { numRuns: 100 },
    );
  });
});

describe('precisionAtK and confusionAt properties', () => {
  it('at k = #(score ≥ v) precisionAtK counts exactly the positives scoring ≥ v', () => {
    fc.assert(
      fc.property(samples(2, 60), (d) => {
        for (const v of new Set(d.scores)) {
          const k = d.scores.filter((x) => x >= v).length;
          const hits = d.scores.filter((x, i) => x >= v && d.labels[i] === 1).length;
          expect(precisionAtK(d.labels, d.scores, k) * k).toBeCloseTo(hits, 10);
          const c = confusionAt(d.labels, d.scores, v);
          expect(c.tp).toBe(hits);
          expect(c.tp + c.fp).toBe(k);
          expect(c.tp + c.fn + c.fp + c.tn).toBe(d.labels.length);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('sortFloat64', () => {
  it('sorts like the native typed-array sort, on inputs of any size', () => {
    fc.assert(
      fc.property(
        fc.float64Array({ noNaN: true, minLength: 0, maxLength: 3000 }),
        fc.boolean(),
        (a, widen) => {
          // Half the runs repeat the array past the radix-sort cut-off (2048 values).
          const src =
            widen && a.length > 0
              ? Float64Array.from({ length: 4096 }, (_, i) => a[i % a.length] as number)
              : a;
          const expected = src.slice().sort();
          const got = src.slice();
          sortFloat64(got);
          for (let i = 0; i < got.length; i++) expect(Object.is(got[i], expected[i])).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});
