import { Matrix } from '@nexus/ebm-core';
import {
  type AuthEvent,
  authFeaturizer,
  type FeaturePipeline,
  formatLanl,
  parseLines,
  parsers,
  simulate,
} from '@nexus/ebm-features';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WARMUP_SECONDS, featurizeWithHoldout, warmupCount, warmupPlan } from './holdout.js';
import { Pipeline, type PipelineJSON } from './Pipeline.js';
import { fitDetector, trainPipeline } from './trainPipeline.js';
import { trainPipelineStream } from './trainPipelineStream.js';

/** Four simulated days of LANL authentication events (simulated data), in time order. */
const events: AuthEvent[] = parseLines(
  parsers.lanl(),
  formatLanl(simulate({ seed: 5, days: 4, trainDays: 4, users: 6, scenarios: [] })).lines.join('\n'),
).events;
const t0 = events[0]?.time as number;
const span = (events.at(-1)?.time as number) - t0;

const json = (p: { toJSON(): PipelineJSON }): PipelineJSON => JSON.parse(JSON.stringify(p.toJSON()));

describe('warm-up rule', () => {
  it('caps the warm-up at a quarter of the span and half of the events before the hold-out', () => {
    // 10 days, 8000 events before the hold-out: one day is not capped.
    expect(warmupPlan(86_400, 100, 100 + 10 * 86_400, 8000)).toEqual({
      until: 100 + 86_400,
      maxEvents: 4000,
    });
    // 2 days of training: a 1-day warm-up becomes half a day.
    expect(warmupPlan(86_400, 0, 2 * 86_400, 8000).until).toBe(43_200);
    // none asked, or no span: no warm-up event.
    expect(warmupPlan(0, 0, 10 * 86_400, 8000).maxEvents).toBe(0);
    expect(warmupPlan(86_400, 5, 5, 8000).maxEvents).toBe(0);
    // The leading events before `until`, stopping at the first later one, at most maxEvents.
    expect(warmupCount([0, 10, 20, 5, 30], { until: 15, maxEvents: 10 })).toBe(2);
    expect(warmupCount([0, 1, 2, 3, 4, 5], { until: 100, maxEvents: 3 })).toBe(3);
    expect(() => warmupPlan(-1, 0, 1, 1)).toThrow(/warmupSeconds is out of range/);
    expect(() => warmupPlan(Number.NaN, 0, 1, 1)).toThrow(/warmupSeconds is out of range/);
  });

  it('front-loaded events: the warm-up never takes more than half of the fitted events', () => {
    // 90 % of the events in the first hour of a 10-day span, the rest spread over the days.
    const times = Array.from({ length: 1000 }, (_, i) => (i < 900 ? i : 3600 + (i - 900) * 8600));
    const plan = warmupPlan(86_400, times[0] as number, times.at(-1) as number, 800);
    expect(warmupCount(times, plan)).toBe(400);
  });
});

describe('trainPipeline warm-up', () => {
  it('the warm-up events build the featurizer state, their rows are left out of the scaler and model fit', () => {
    const w = 6 * 3600;
    const p = trainPipeline(events, { format: 'lanl', model: 'gaussian', seed: 2, warmupSeconds: w });
    const expected = events.findIndex((e) => e.time >= t0 + w);
    expect(p.warmupEvents).toBe(expected);
    expect(expected).toBeGreaterThan(100);
    const none = trainPipeline(events, { format: 'lanl', model: 'gaussian', seed: 2, warmupSeconds: 0 });
    expect(none.warmupEvents).toBe(0);
    // The same featurizer state: learned from every training event either way.
    expect(json(p).featurizer).toEqual(json(none).featurizer);
    // The model and scaler: those of the training rows after the warm-up.
    const f = authFeaturizer({ seed: 2 });
    const all = featurizeWithHoldout(f as unknown as FeaturePipeline<object>, events, 0.2, 0);
    const cols = all.fit.cols;
    const rest = all.fit.data.slice(expected * cols);
    const after = new Matrix(all.fit.rows - expected, cols, rest);
    const { detector } = fitDetector(after, { model: 'gaussian', seed: 2, calibrationRows: all.calibration });
    expect(json(p).detector).toEqual(JSON.parse(JSON.stringify(detector.toJSON())));
    expect(json(p).detector).not.toEqual(json(none).detector);
    // featurizeWithHoldout with the warm-up returns exactly those rows.
    const warm = featurizeWithHoldout(
      authFeaturizer({ seed: 2 }) as unknown as FeaturePipeline<object>,
      events,
      0.2,
      w,
    );
    expect(warm.warmupEvents).toBe(expected);
    expect(Array.from(warm.fit.data)).toEqual(Array.from(rest));
    expect(Array.from(warm.calibration.data)).toEqual(Array.from(all.calibration.data));
  });

  it('short trainings: a one-day warm-up is capped at a quarter of the span; the default is none', () => {
    const short = events.filter((e) => e.time < t0 + 1.5 * 86_400);
    expect(DEFAULT_WARMUP_SECONDS).toBe(0);
    expect(trainPipeline(short, { format: 'lanl', model: 'gaussian', seed: 1 }).warmupEvents).toBe(0);
    const p = trainPipeline(short, { format: 'lanl', model: 'gaussian', seed: 1, warmupSeconds: 86_400 });
    const s = (short.at(-1)?.time as number) - t0;
    expect(86_400).toBeGreaterThan(0.25 * s);
    expect(p.warmupEvents).toBe(short.findIndex((e) => e.time >= t0 + 0.25 * s));
    expect(p.warmupEvents).toBeGreaterThan(0);
    expect(() => trainPipeline(short, { format: 'lanl', warmupSeconds: -5 })).toThrow(
      /trainPipeline: warmupSeconds is out of range/,
    );
  });

  it('trainPipelineStream gives the same pipeline, warm-up included, for any chunks', async () => {
    const options = { format: 'lanl' as const, model: 'gaussian' as const, seed: 4, warmupSeconds: 86_400 };
    const whole = trainPipeline(events, options);
    expect(whole.warmupEvents).toBe(events.findIndex((e) => e.time >= t0 + Math.min(86_400, 0.25 * span)));
    for (const size of [1, 777]) {
      const { pipeline, stats } = await trainPipelineStream(function* () {
        for (let i = 0; i < events.length; i += size) yield events.slice(i, i + size);
      }, options);
      expect(stats.warmupEvents).toBe(whole.warmupEvents);
      expect(json(pipeline)).toEqual(json(whole));
    }
  });

  it('saves warmupEvents; files without it load with 0; a bad count is refused', () => {
    const p = trainPipeline(events, { format: 'lanl', model: 'gaussian', seed: 1, warmupSeconds: 3600 });
    const j = json(p);
    expect(j.warmupEvents).toBe(p.warmupEvents);
    expect(Pipeline.fromJSON(JSON.stringify(j)).warmupEvents).toBe(p.warmupEvents);
    const { warmupEvents: _, ...old } = j;
    const loaded = Pipeline.fromJSON(JSON.stringify(old));
    expect(loaded.warmupEvents).toBe(0);
    expect(Array.from(loaded.score(events.slice(0, 50)).energy)).toEqual(
      Array.from(p.score(events.slice(0, 50)).energy),
    );
    expect(() => Pipeline.fromJSON({ ...j, warmupEvents: -1 })).toThrow(/warmupEvents must be a count/);
    expect(() => Pipeline.fromJSON({ ...j, warmupEvents: j.trainedEvents + 1 })).toThrow(
      /warmupEvents must be a count/,
    );
  });
});
