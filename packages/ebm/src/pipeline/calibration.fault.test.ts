/**
 * Fault regressions (issue 15, cases 5 and 6): a trained pipeline must either be able to flag or say why
 * not, and its threshold must be calibrated on the most recent held-back events, featurized as a later
 * scoring run sees them.
 */
import { Rng, ValueError } from '@nexus/ebm-core';
import { authFeaturizer, formatLanl, simulate } from '@nexus/ebm-features';
import { describe, expect, it } from 'vitest';
import { calibrationHoldout, minTrainingEvents } from './holdout.js';
import { lineParser, Pipeline } from './Pipeline.js';
import { trainPipeline } from './trainPipeline.js';

function lanlEvents(count: number): object[] {
  const sim = simulate({ seed: 4, days: 3, trainDays: 2, users: 10 });
  const logs = formatLanl(sim);
  const p = lineParser('lanl');
  const out: object[] = [];
  for (let i = 0; i < logs.lines.length && out.length < count; i++) {
    p.parseLine(logs.lines[i] as string, i + 1, out);
  }
  return out;
}

describe('trainPipeline with too few events for the false-alarm rate (case 5)', () => {
  const events = lanlEvents(300);

  it('refuses, naming the minimum, instead of a threshold that never flags', () => {
    expect(minTrainingEvents(0.01, 0.2)).toBe(493);
    expect(minTrainingEvents(0.001, 0.2)).toBe(4993);
    expect(() => trainPipeline(events, { format: 'lanl', model: 'gaussian' })).toThrow(ValueError);
    expect(() => trainPipeline(events, { format: 'lanl', model: 'gaussian' })).toThrow(
      /trainPipeline: too few events to calibrate a false-alarm rate of 0\.01.*at least 493 events, 99 of them held back.*allowCoarseThreshold.*got 300 events, 60 held back/,
    );
    expect(() => trainPipeline(events, { format: 'lanl', model: 'gaussian', falseAlarmRate: 0.001 })).toThrow(
      /at least 4993 events/,
    );
  });

  it('accepts a coarser threshold only when asked, flags with it and records it in the file', () => {
    const p = trainPipeline(events, { format: 'lanl', model: 'gaussian', allowCoarseThreshold: true });
    const det = p.detector;
    expect(det.coarseThreshold).toBe(true);
    expect(det.effectiveFalseAlarmRate).toBeCloseTo(1 / 61, 15);
    expect(Number.isFinite(det.threshold)).toBe(true);
    const json = p.toJSON();
    expect(json.detector.config.allowCoarseThreshold).toBe(true);
    const back = Pipeline.fromJSON(JSON.stringify(json));
    expect(back.detector.coarseThreshold).toBe(true);
    // The most unusual held-back events are at the threshold; something beyond them is flagged.
    const s = back.score(events);
    expect(s.flag.length).toBe(events.length);
    expect(back.detector.threshold).toBe(det.threshold);
  });
});

describe('calibration on the most recent held-back events (case 6)', () => {
  /** A numeric series whose normal behaviour changes regime 75 % of the way through training. */
  function series(n: number, from: number, wideAfter: number, seed: number): object[] {
    const r = new Rng(seed);
    return Array.from({ length: n }, (_, i) => {
      const t = from + i;
      const sd = t >= wideAfter ? 2 : 1;
      return { line: i + 2, time: t, x: sd * r.normal(), y: sd * r.normal() };
    });
  }

  it('holds the false-alarm rate on later data after the normal behaviour changed', () => {
    const train = series(5000, 0, 3750, 1);
    const test = series(6000, 5000, 0, 2); // the later days continue the new regime
    // Shuffled input: the hold-out is chosen by time, not by position in the array.
    const shuffled = new Rng(3).shuffle([...train]);
    for (const input of [train, shuffled]) {
      const p = trainPipeline(input, { format: 'csv', model: 'gaussian', seed: 1 });
      const flagged = p.score(test).flag.reduce((a, b) => a + b, 0);
      const rate = flagged / test.length;
      // A random hold-out mixed the old, narrower regime in and let 3.2 % through.
      expect(rate).toBeGreaterThan(0.004);
      expect(rate).toBeLessThan(0.02);
    }
  });

  it('calibrates on the last events in time, featurized as a new scoring run after the earlier ones', () => {
    const events = lanlEvents(3000);
    const p = trainPipeline(events, { format: 'lanl', model: 'gaussian', seed: 1, falseAlarmRate: 0.05 });
    const { fit, calibration } = calibrationHoldout(events.length, 0.2);
    expect(p.detector.calibrationEnergies.length).toBe(calibration);
    // The same rule by hand: the featurizer learns from the first events only; the last ones are new to it.
    const f = authFeaturizer({ seed: 1 });
    f.fitTransform(events.slice(0, fit) as never);
    const rows = f.transform(events.slice(fit) as never);
    const expected = Array.from(p.detector.score(rows)).sort((a, b) => a - b);
    expect(Array.from(p.detector.calibrationEnergies)).toEqual(expected);
    // … and the saved pipeline continues from there with short-term state cleared, as a loaded one does.
    const again = Pipeline.fromJSON(JSON.stringify(p.toJSON()));
    const later = lanlEvents(3400).slice(3000);
    expect(Array.from(again.score(later).energy)).toEqual(Array.from(p.score(later).energy));
  });
});
