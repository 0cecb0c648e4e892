import { describe, expect, it } from 'vitest';
import type { PipelineIncident } from '../pipeline/incidents.js';
import { incidentFigures } from './incidentFigures.js';

const inc = (id: number, score: number, events: number[]): PipelineIncident => ({
  id,
  keys: [],
  start: 0,
  end: 0,
  count: events.length,
  events,
  maxEnergy: 0,
  minPValue: 1,
  logPValue: -score * Math.LN10,
  earlier: 0,
  novelty: 0,
  score,
  entities: {},
  reasons: [],
});

describe('incidentFigures', () => {
  // Two days (86400 s each from t = 1000). Events 0–7; injected incidents 1 (events 1, 2, day 0),
  // 2 (event 5, day 1) and 3 (event 7, day 1, never flagged).
  const times = [1000, 2000, 2100, 5000, 90000, 91000, 92000, 93000];
  const injected = [null, 1, 1, null, null, 2, null, 3];
  const labels = [null, 'a', 'a', null, null, 'b', null, 'b'];
  const flag = [1, 1, 1, 1, 1, 1, 1, 0];
  const score = [5, 4, 9, 3, 8, 2, 7, 6];
  const incidents = [
    inc(0, 12, [0, 3]), // day 0, noise
    inc(1, 6, [1, 2]), // day 0, injected 1
    inc(2, 20, [4]), // day 1, noise
    inc(3, 15, [6]), // day 1, noise
    inc(4, 3, [5]), // day 1, injected 2
  ];
  const stream = { incidents, injected, times, score, flag, labels };

  it('counts the injected incidents at the head of their day and the work to find a share of them', () => {
    const f = incidentFigures([stream], 1000, 2, 2, 0.6);
    expect(f.injected).toBe(3);
    expect(f.flaggedRecall).toBeCloseTo(2 / 3, 12);
    // Top 2 of day 0: incidents 0 and 1 (injected 1); of day 1: incidents 2 and 3 (no injected).
    expect(f.topOfDayRecall).toBeCloseTo(1 / 3, 12);
    expect(f.topOfDayRecallByScenario).toEqual({ a: 1, b: 0 });
    expect(f.incidentsPerDay).toBe(2.5);
    expect(f.flaggedPerDay).toBe(3.5);
    // 60 % of 3 = 2 injected: incidents by score 20, 15, 12, 6 (injected 1), 3 (injected 2) → 5.
    expect(f.incidentsPerDayAtRecall).toBe(5 / 2);
    // Events by score 9 (injected 1), 8, 7, 6 (injected 3) → 4.
    expect(f.eventsPerDayAtRecall).toBe(4 / 2);
    // With the head of 3, day 1 reaches injected 2 as well.
    expect(incidentFigures([stream], 1000, 2, 3, 0.6).topOfDayRecall).toBeCloseTo(2 / 3, 12);
    // Ceiling: injected 1 starts on day 0, 2 and 3 on day 1; two places a day hold them all, one does not.
    expect(f.topOfDayCeiling).toBe(1);
    expect(incidentFigures([stream], 1000, 2, 1, 0.6).topOfDayCeiling).toBeCloseTo(2 / 3, 12);
  });

  it('says when a share cannot be reached, and pools streams without mixing their incident numbers', () => {
    const f = incidentFigures([stream], 1000, 2, 10, 1);
    expect(f.incidentsPerDayAtRecall).toBeNaN(); // injected 3 was never flagged
    expect(f.eventsPerDayAtRecall).toBe(8 / 2);
    const both = incidentFigures([stream, stream], 1000, 2, 10, 0.5);
    expect(both.injected).toBe(6);
    // Pooled: 2 injected incidents start on day 0 and 4 on day 1; one place a day reaches 2 of 6.
    expect(incidentFigures([stream, stream], 1000, 2, 1, 0.5).topOfDayCeiling).toBeCloseTo(2 / 6, 12);
    expect(both.incidentsPerDay).toBe(5);
  });
});
