import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelFormatError, NotFittedError, ParameterError, ValueError } from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';
import { type MatrixLike, toMatrix } from '../matrix/toMatrix.js';
import { NormModel } from '../model/testModels.js';
import { Rng } from '../random/Rng.js';
import { StandardScaler } from '../scale/StandardScaler.js';
import { Detector, registerTransformer, type Transformer } from './Detector.js';
import { minCalibrationRows } from './minCalibrationRows.js';

/** A scaler that multiplies every column by a factor learned as 1 / (max |x|). */
class MaxAbs implements Transformer {
  factor = 1;
  fit(X: MatrixLike): this {
    const m = toMatrix(X);
    let mx = 0;
    for (const v of m.data) mx = Math.max(mx, Math.abs(v));
    this.factor = 1 / mx;
    return this;
  }
  transform(X: MatrixLike): Matrix {
    const m = toMatrix(X);
    return new Matrix(
      m.rows,
      m.cols,
      m.data.map((v) => v * this.factor),
    );
  }
  toJSON(): unknown {
    return { kind: 'test-maxabs', factor: this.factor };
  }
}
registerTransformer('test-maxabs', (json) => {
  const s = new MaxAbs();
  s.factor = (json as { factor: number }).factor;
  return s;
});

function gaussian(n: number, d: number, seed: number): Matrix {
  const rng = new Rng(seed);
  return new Matrix(n, d, rng.fillNormal(new Float64Array(n * d)));
}

describe('Detector', () => {
  const train = gaussian(400, 3, 1);
  const test = gaussian(200, 3, 2);

  it('fits, predicts, gives p-values and keeps predict ⇔ p ≤ α', () => {
    const det = new Detector({ model: new NormModel(), scaler: new MaxAbs(), falseAlarmRate: 0.05 }).fit(
      train,
      { seed: 3 },
    );
    expect(det.calibrationEnergies.length).toBe(80);
    const p = det.pValue(test);
    const flags = det.predict(test);
    for (let i = 0; i < p.length; i++) {
      expect(p[i]).toBeGreaterThan(0);
      expect(p[i]).toBeLessThanOrEqual(1);
      expect(flags[i]).toBe((p[i] as number) <= 0.05 ? 1 : 0);
    }
    // far outlier: smallest p-value, flagged
    expect(det.pValue([[50, 50, 50]])[0]).toBeCloseTo(1 / 81, 12);
    expect(det.predict([[50, 50, 50]])[0]).toBe(1);
  });

  it('with calibrationFraction 0 calibrates on the training energies; calibrate() recalibrates', () => {
    const det = new Detector({ model: new NormModel(), calibrationFraction: 0, falseAlarmRate: 0.1 }).fit(
      train,
    );
    expect(Array.from(det.calibrationEnergies)).toEqual(Array.from(det.score(train)).sort((a, b) => a - b));
    det.calibrate(test);
    expect(det.calibrationEnergies.length).toBe(test.rows);
    const flagged = Array.from(det.predict(test)).reduce((a, b) => a + b, 0);
    expect(flagged).toBeLessThanOrEqual(0.1 * (test.rows + 1));
    expect(flagged).toBeGreaterThanOrEqual(0.1 * (test.rows + 1) - 2);
  });

  it('changes the threshold without refitting', () => {
    const det = new Detector({ model: new NormModel(), falseAlarmRate: 0.05 }).fit(train);
    const before = det.model.toJSON();
    det.setThreshold(0);
    expect(Array.from(det.predict(test)).every((f) => f === 1)).toBe(true);
    det.setThreshold(Number.POSITIVE_INFINITY);
    expect(Array.from(det.predict(test)).every((f) => f === 0)).toBe(true);
    det.setFalseAlarmRate(0.5);
    expect(det.model.toJSON()).toEqual(before);
    expect(() => det.setFalseAlarmRate(0)).toThrow(ParameterError);
    expect(() => det.setThreshold(Number.NaN)).toThrow(ParameterError);
  });

  it('names the lower rate a threshold delivers when calibration energies tie with it', () => {
    // 90 distinct energies, then 10 tied at the top: the 5th largest (α = 0.05, n = 100) is the tied value,
    // and no calibration energy lies above it. Before, the detector reported 0.05 and flagged none of them.
    const cal = [...Array.from({ length: 90 }, (_, i) => i / 100), ...Array.from({ length: 10 }, () => 5)];
    const det = new Detector({ model: new NormModel().fit([[0]]), falseAlarmRate: 0.05 }).calibrateEnergies(
      cal,
    );
    expect(det.threshold).toBe(5);
    expect(det.thresholdTies).toBe(true);
    expect(det.thresholdRank).toBe(1);
    expect(det.effectiveFalseAlarmRate).toBe(1 / 101);
    expect(det.coarseThreshold).toBe(false);
    // distinct energies: the requested rate
    det.calibrateEnergies(Array.from({ length: 100 }, (_, i) => i)).setFalseAlarmRate(0.05);
    expect(det.thresholdTies).toBe(false);
    expect(det.effectiveFalseAlarmRate).toBe(0.05);
  });

  it('property: threshold from α flags exactly the rows with p ≤ α, and no more than α of the calibration set', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (cal, alpha) => {
          const n = cal.length;
          const reachable = n >= minCalibrationRows(alpha);
          const strict = new Detector({ model: new NormModel().fit([[0]]), falseAlarmRate: alpha });
          if (!reachable) expect(() => strict.calibrateEnergies(cal)).toThrow(ValueError);
          // With allowCoarseThreshold an out-of-reach α becomes the coarsest reachable rate, 1/(n + 1).
          const det = new Detector({ model: new NormModel().fit([[0]]), allowCoarseThreshold: true });
          det.calibrateEnergies(cal).setFalseAlarmRate(alpha);
          expect(det.coarseThreshold).toBe(!reachable);
          const a = det.effectiveFalseAlarmRate;
          const t = det.threshold;
          // Only energies above the threshold are flagged: when calibration energies tie with it, the rate
          // delivered is (#{c > t} + 1)/(n + 1), below the requested one, and the detector says so.
          const above = cal.filter((c) => c > t).length;
          const k = Math.floor(alpha * (n + 1));
          const tied = reachable && above + 1 < k;
          expect(det.thresholdTies).toBe(tied);
          expect(det.thresholdRank).toBe(reachable ? above + 1 : 1);
          expect(a).toBe(!reachable ? 1 / (n + 1) : tied ? (above + 1) / (n + 1) : alpha);
          expect(Number.isFinite(t)).toBe(true);
          let flagged = 0;
          for (const e of cal) {
            const p = (1 + cal.filter((c) => c >= e).length) / (n + 1);
            expect(e > t).toBe(p <= a + 1e-12);
            if (e > t) flagged++;
          }
          expect(flagged / (n + 1)).toBeLessThanOrEqual(a + 1e-12);
        },
      ),
      { numRuns: 100, seed: 5 },
    );
  });

  it('round-trips through JSON with its scaler', () => {
    const det = new Detector({ model: new NormModel(), scaler: new MaxAbs(), falseAlarmRate: 0.1 }).fit(
      train,
    );
    const again = Detector.fromJSON(JSON.stringify(det.toJSON()));
    expect(again.threshold).toBe(det.threshold);
    expect(Array.from(again.pValue(test))).toEqual(Array.from(det.pValue(test)));
    expect(Array.from(again.predict(test))).toEqual(Array.from(det.predict(test)));
    const tiny = new Detector({
      model: new NormModel(),
      falseAlarmRate: 0.001,
      allowCoarseThreshold: true,
    }).fit(gaussian(20, 2, 4));
    const back = Detector.fromJSON(JSON.parse(JSON.stringify(tiny.toJSON())));
    expect(back.threshold).toBe(tiny.threshold);
    expect(back.coarseThreshold).toBe(true);
    expect(back.allowCoarseThreshold).toBe(true);
    expect(back.effectiveFalseAlarmRate).toBe(1 / 5);
  });

  it("works with the library's StandardScaler and restores it without a loader option", () => {
    const shifted = new Matrix(
      train.rows,
      3,
      train.data.map((v, k) => v * (1 + (k % 3)) + 100),
    );
    const det = new Detector({
      model: new NormModel(),
      scaler: new StandardScaler(),
      falseAlarmRate: 0.05,
    }).fit(shifted, {
      seed: 2,
    });
    const again = Detector.fromJSON(JSON.stringify(det.toJSON()));
    expect(again.scaler).toBeInstanceOf(StandardScaler);
    expect(Array.from(again.score(shifted.selectRows([0, 1, 2])))).toEqual(
      Array.from(det.score(shifted.selectRows([0, 1, 2]))),
    );
  });

  it('rejects bad use and bad JSON', () => {
    expect(() => new Detector({ model: new NormModel() }).predict(test)).toThrow(NotFittedError);
    expect(() => new Detector({ model: new NormModel(), calibrationFraction: 1 })).toThrow(ParameterError);
    expect(() => new Detector({ model: {} as NormModel })).toThrow(TypeError);
    expect(() => new Detector({ model: new NormModel() }).fit([[1]])).toThrow(/too few rows/);
    expect(() => new Detector({ model: new NormModel(), holdout: 'oldest' as 'latest' })).toThrow(
      ParameterError,
    );
    const good = new Detector({ model: new NormModel(), falseAlarmRate: 0.05 }).fit(train).toJSON();
    const bad: unknown[] = [
      { ...good, kind: 'x' },
      { ...good, version: 9 },
      { ...good, calibration: [] },
      { ...good, threshold: 'high' },
      { ...good, model: { ...(good.model as object), kind: 'nope' } },
      { ...good, scaler: { kind: 'unregistered' } },
      JSON.stringify(good).replace('"config":{', '"config":{"__proto__":{},'),
    ];
    for (const b of bad) expect(() => Detector.fromJSON(b)).toThrow(ModelFormatError);
  });
});
