import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../errors.js';
import { NormModel } from '../model/testModels.js';
import { Rng } from '../random/Rng.js';
import { CALIBRATION_BOUNDS, type CalibrationBounds, CalibrationSet } from './CalibrationSet.js';
import { Detector } from './Detector.js';
import { conformalRank } from './minCalibrationRows.js';

/** #{c ≥ e} over every energy (the whole set's rule), by a scan of the sorted array from the top. */
function fullCount(sorted: Float64Array, e: number): number {
  let k = sorted.length;
  while (k > 0 && (sorted[k - 1] as number) >= e) k--;
  return sorted.length - k;
}

/** Sorted energies: integers from a small range (many ties) or spread doubles. */
const energiesArb = fc
  .tuple(fc.integer({ min: 1, max: 400 }), fc.boolean(), fc.integer({ min: 0, max: 1e6 }))
  .map(([n, ties, seed]) => {
    const rng = new Rng(seed);
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = ties ? rng.int(12) : rng.normal() * 10;
    return a.sort();
  });

const boundsArb: fc.Arbitrary<CalibrationBounds> = fc.record({
  keepAll: fc.integer({ min: 0, max: 60 }),
  grid: fc.integer({ min: 2, max: 20 }),
  tailFactor: fc.constantFrom(1, 10),
  tailFloor: fc.integer({ min: 1, max: 8 }),
});

describe('CalibrationSet (bounded calibration energies)', () => {
  it('thresholds equal the whole set’s for rates the tail reaches, and are never lower elsewhere', () => {
    fc.assert(
      fc.property(
        energiesArb,
        boundsArb,
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.double({ min: 0.001, max: 0.99, noNaN: true }),
        (sorted, bounds, alpha, beta) => {
          const n = sorted.length;
          const set = CalibrationSet.fromSorted(sorted, alpha, bounds);
          expect(set.count).toBe(n);
          expect(set.kept.length).toBeLessThanOrEqual(
            Math.max(bounds.keepAll, set.tail + bounds.grid, n <= bounds.keepAll ? n : 0),
          );
          const j = conformalRank(beta, n);
          if (j < 0) return;
          const i = n - j - 1;
          const at = set.atOrAbove(i);
          expect(at.energy).toBe(sorted[at.position]);
          if (j + 1 <= set.tail) {
            expect(at.position).toBe(i);
            expect(at.energy).toBe(sorted[i]);
          } else {
            expect(at.position).toBeGreaterThanOrEqual(i);
            expect(at.position - i).toBeLessThan(Math.ceil((n - set.tail - 1) / (set.grid - 1)) + 1);
          }
          // Every rate up to tailFactor × alpha is exact.
          if (beta <= bounds.tailFactor * alpha) expect(at.position).toBe(i);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('p-value counts are exact in the tail and within the grid spacing elsewhere; restore is identity', () => {
    fc.assert(
      fc.property(
        energiesArb,
        boundsArb,
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.array(fc.double({ min: -40, max: 40, noNaN: true }), { maxLength: 20 }),
        (sorted, bounds, alpha, extra) => {
          const set = CalibrationSet.fromSorted(sorted, alpha, bounds);
          const again = CalibrationSet.restore(
            Float64Array.from(Array.from(set.kept)),
            set.count,
            set.tail,
            'test',
          );
          const n = set.count;
          const m = n - set.tail;
          const spacing = set.whole ? 0 : Math.ceil((m - 1) / (set.grid - 1));
          const lastGrid = set.whole ? Number.NEGATIVE_INFINITY : (set.kept[set.grid - 1] as number);
          for (const e of [...sorted, ...extra]) {
            const got = set.countAtLeast(e);
            const want = fullCount(sorted, e);
            if (set.whole || e > lastGrid || e <= (sorted[0] as number)) expect(got).toBe(want);
            else expect(Math.abs(got - want)).toBeLessThan(spacing);
            expect(again.countAtLeast(e)).toBe(got);
          }
          for (let i = 0; i < n; i++) expect(again.atOrAbove(i)).toEqual(set.atOrAbove(i));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses saved numbers that cannot describe a set', () => {
    const kept = Float64Array.from([1, 2, 3, 4, 5]);
    expect(() => CalibrationSet.restore(kept, 5, 4, 'api')).toThrow(ModelFormatError);
    expect(() => CalibrationSet.restore(kept, 6, 5, 'api')).toThrow(/do not describe/);
    expect(() => CalibrationSet.restore(kept, 100, 2, 'api')).not.toThrow();
    expect(() => CalibrationSet.restore(Float64Array.from([1, 3, 2, 4, 5]), 100, 2, 'api')).toThrow(
      /out of order/,
    );
  });
});

describe('Detector with a large calibration set', () => {
  const det = new Detector({ model: new NormModel(), falseAlarmRate: 0.001 }).fit([[0], [1], [2], [3]], {
    calibrationRows: Array.from({ length: 1000 }, (_, i) => [i / 100]),
  });
  const n = 80_000;
  const rng = new Rng(5);
  const energies = new Float64Array(n);
  for (let i = 0; i < n; i++) energies[i] = Math.exp(rng.normal());
  const sorted = energies.slice().sort();
  det.calibrateEnergies(energies);

  it('keeps a bounded set, exact thresholds for rates in reach, identical after save and load', () => {
    expect(det.calibrationCount).toBe(n);
    const kept = det.calibrationEnergies.length;
    expect(kept).toBe(CALIBRATION_BOUNDS.grid + CALIBRATION_BOUNDS.tailFloor); // ⌈10·0.001·80,001⌉ < 1,000
    const text = JSON.stringify(det.toJSON());
    const again = Detector.fromJSON(text);
    expect(again.calibrationCount).toBe(n);
    expect(Array.from(again.calibrationEnergies)).toEqual(Array.from(det.calibrationEnergies));
    const probes = Float64Array.from([0, 0.5, 1, 2, 3, 5, 8, 13, 20, 40, ...sorted.subarray(n - 50)]);
    expect(Array.from(again.pValueOfEnergies(probes))).toEqual(Array.from(det.pValueOfEnergies(probes)));
    fc.assert(
      fc.property(fc.double({ min: 1 / (n + 1), max: 0.0125, noNaN: true }), (beta) => {
        det.setFalseAlarmRate(beta);
        again.setFalseAlarmRate(beta);
        const j = conformalRank(beta, n);
        expect(det.threshold).toBe(sorted[n - j - 1]);
        expect(again.threshold).toBe(det.threshold);
        expect(det.effectiveFalseAlarmRate).toBe(beta);
        // the threshold is the k-th largest energy, k = ⌊β(n + 1)⌋ (no ties among these energies)
        expect(det.thresholdRank).toBe(j + 1);
        expect(fullCount(sorted, det.threshold)).toBe(j + 1);
        expect(again.thresholdRank).toBe(j + 1);
      }),
      { numRuns: 100 },
    );
    // A rate beyond the tail: the kept quantile at or above, and the rate it delivers.
    det.setFalseAlarmRate(0.3);
    const j = conformalRank(0.3, n);
    expect(det.threshold).toBeGreaterThanOrEqual(sorted[n - j - 1] as number);
    expect(det.effectiveFalseAlarmRate).toBeLessThanOrEqual(0.3);
    expect(det.effectiveFalseAlarmRate).toBeGreaterThan(0.3 - 1 / 4000);
    // its rank is the kept quantile's, the one the delivered rate names, and survives save and load
    const k = det.thresholdRank as number;
    expect(fullCount(sorted, det.threshold)).toBe(k);
    expect(k).toBeLessThan(j + 1);
    expect(k / (n + 1)).toBeCloseTo(det.effectiveFalseAlarmRate, 12);
    expect(Detector.fromJSON(JSON.stringify(det.toJSON())).thresholdRank).toBe(k);
    det.setFalseAlarmRate(0.001);
  });

  it('thresholdRank: 1 for a coarse threshold, none for a threshold set by value, kept or dropped by save and load', () => {
    const coarse = new Detector({
      model: new NormModel(),
      falseAlarmRate: 0.001,
      allowCoarseThreshold: true,
    });
    coarse.fit([[0], [1], [2], [3]], { calibrationRows: Array.from({ length: 50 }, (_, i) => [i]) });
    expect(coarse.coarseThreshold).toBe(true);
    expect(coarse.thresholdRank).toBe(1);
    expect(Detector.fromJSON(JSON.stringify(coarse.toJSON())).thresholdRank).toBe(1);
    const byHand = Detector.fromJSON(JSON.stringify(det.toJSON()));
    expect(byHand.thresholdRank).toBe(det.thresholdRank);
    byHand.setThreshold(2.5);
    expect(byHand.thresholdRank).toBeUndefined();
    // saved by hand: the file's threshold is not the one its rate gives, so it has no rank after loading
    expect(Detector.fromJSON(JSON.stringify(byHand.toJSON())).thresholdRank).toBeUndefined();
    expect(new Detector({ model: new NormModel() }).thresholdRank).toBeUndefined();
  });

  it('p-values: exact in the tail, within the grid bound elsewhere', () => {
    const m = n - CALIBRATION_BOUNDS.tailFloor;
    const bound = Math.ceil((m - 1) / (CALIBRATION_BOUNDS.grid - 1)) / (n + 1);
    const probes = Float64Array.from({ length: 100 }, (_, i) => (sorted[i * 797] as number) + 1e-9);
    const p = det.pValueOfEnergies(probes);
    for (let i = 0; i < probes.length; i++) {
      const exact = (1 + fullCount(sorted, probes[i] as number)) / (n + 1);
      expect(Math.abs((p[i] as number) - exact)).toBeLessThan(bound);
    }
    const tail = sorted.subarray(n - 999);
    const pt = det.pValueOfEnergies(tail);
    for (let i = 0; i < tail.length; i++) {
      expect(pt[i]).toBe((1 + fullCount(sorted, tail[i] as number)) / (n + 1));
    }
  });

  it('loads version 1 files (every energy) and refuses unknown versions naming them', () => {
    const small = new Detector({ model: new NormModel(), falseAlarmRate: 0.05 }).fit(
      Array.from({ length: 200 }, (_, i) => [Math.sin(i)]),
    );
    const v2 = small.toJSON();
    expect(v2.version).toBe(2);
    const { calibrationCount: _c, calibrationTail: _t, ...rest } = v2;
    const v1 = Detector.fromJSON({ ...rest, version: 1 });
    expect(v1.threshold).toBe(small.threshold);
    expect(Array.from(v1.calibrationEnergies)).toEqual(Array.from(small.calibrationEnergies));
    expect(() => Detector.fromJSON({ ...v2, version: 3 })).toThrow(
      /unsupported detector file version.*got 3/,
    );
    expect(() => Detector.fromJSON({ ...v2, calibrationTail: 3 })).toThrow(ModelFormatError);
  });
});
