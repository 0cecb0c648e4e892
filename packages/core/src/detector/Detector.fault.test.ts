/**
 * Fault regressions (issue 15, case 5): a detector must never be silently unable to flag. Too few
 * calibration rows for the requested false-alarm rate used to set the threshold to Infinity without a word.
 */
import { describe, expect, it } from 'vitest';
import { ValueError } from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';
import { NormModel } from '../model/testModels.js';
import { Rng } from '../random/Rng.js';
import { Detector } from './Detector.js';
import { minCalibrationRows } from './minCalibrationRows.js';

function rows(n: number, seed: number): Matrix {
  return new Matrix(n, 2, new Rng(seed).fillNormal(new Float64Array(2 * n)));
}

describe('Detector with too few calibration rows (issue 15, case 5)', () => {
  it('names the minimum: 99 rows for 0.01, 999 for 0.001', () => {
    expect(minCalibrationRows(0.01)).toBe(99);
    expect(minCalibrationRows(0.001)).toBe(999);
    expect(minCalibrationRows(0.05)).toBe(19);
    expect(minCalibrationRows(0.5)).toBe(1);
  });

  it('refuses before training when the hold-out cannot reach the rate (300 rows at 0.001)', () => {
    const model = new NormModel();
    const det = new Detector({ model, falseAlarmRate: 0.001 });
    expect(() => det.fit(rows(300, 1))).toThrow(ValueError);
    expect(() => det.fit(rows(300, 1))).toThrow(
      /Detector\.fit: too few calibration rows for a false-alarm rate of 0\.001.*at least 999 calibration rows.*allowCoarseThreshold.*got 60 rows held back/,
    );
    expect(model.fitted).toBe(false); // nothing was trained
    expect(det.fitted).toBe(false);
  });

  it('refuses the same with calibrationFraction 0, given calibration rows, calibrate() and setFalseAlarmRate', () => {
    expect(() =>
      new Detector({ model: new NormModel(), calibrationFraction: 0, falseAlarmRate: 0.01 }).fit(rows(50, 2)),
    ).toThrow(/at least 99 calibration rows.*got 50 training rows/);
    expect(() =>
      new Detector({ model: new NormModel(), falseAlarmRate: 0.01 }).fit(rows(500, 3), {
        calibrationRows: rows(40, 4),
      }),
    ).toThrow(/got 40 calibration rows given/);
    const det = new Detector({ model: new NormModel(), falseAlarmRate: 0.05 }).fit(rows(500, 5));
    const before = det.threshold;
    expect(() => det.setFalseAlarmRate(0.001)).toThrow(/Detector\.setFalseAlarmRate: too few/);
    expect(() => det.calibrate(rows(10, 6))).toThrow(/Detector\.calibrateEnergies: too few/);
    // a refused change leaves the detector as it was
    expect(det.threshold).toBe(before);
    expect(det.falseAlarmRate).toBe(0.05);
    expect(det.calibrationEnergies.length).toBe(100);
  });

  it('with allowCoarseThreshold, uses the coarsest threshold the rows allow and says so', () => {
    const det = new Detector({
      model: new NormModel(),
      falseAlarmRate: 0.001,
      allowCoarseThreshold: true,
    }).fit(rows(300, 1));
    const cal = det.calibrationEnergies;
    expect(det.coarseThreshold).toBe(true);
    expect(det.threshold).toBe(cal[cal.length - 1]);
    expect(Number.isFinite(det.threshold)).toBe(true);
    expect(det.effectiveFalseAlarmRate).toBeCloseTo(1 / 61, 15);
    expect(det.predict([[40, 40]])[0]).toBe(1); // it can flag
    const json = det.toJSON();
    expect(json.config.allowCoarseThreshold).toBe(true);
    expect(json.threshold).toBe(det.threshold);
    const back = Detector.fromJSON(JSON.stringify(json));
    expect(back.coarseThreshold).toBe(true);
    expect(back.threshold).toBe(det.threshold);
    // enough rows: not coarse
    const fine = new Detector({ model: new NormModel(), falseAlarmRate: 0.01, allowCoarseThreshold: true });
    expect(fine.fit(rows(600, 2)).coarseThreshold).toBe(false);
    expect(fine.effectiveFalseAlarmRate).toBe(0.01);
  });
});
