import { ParameterError } from '@nexus/ebm-core';
import { formatLanl, parseLines, parsers, simulate } from '@nexus/ebm-features';
import { describe, expect, it } from 'vitest';
import { incidentEntities, incidentKeys, incidentText, mergeReasons } from './incidents.js';
import { Pipeline } from './Pipeline.js';
import { trainPipeline } from './trainPipeline.js';

const sim = simulate({ seed: 8, users: 24, days: 6, trainDays: 4, github: false });
const logs = formatLanl(sim);
const cut = logs.times.findIndex((t) => t >= sim.testStart);
const train = parseLines(parsers.lanl(), logs.lines.slice(0, cut)).events;
const test = parseLines(parsers.lanl(), logs.lines.slice(cut)).events;
const incidentOf = logs.incidents.slice(cut);

describe('Pipeline.incidents', () => {
  const p = trainPipeline(train, { format: 'lanl', model: 'gaussian', seed: 1 });
  const saved = JSON.stringify(p.toJSON());
  const { incidents, scores } = Pipeline.fromJSON(saved).incidents(test);

  it('puts every flagged event in exactly one incident, linked by user and source host', () => {
    const flagged = Array.from(scores.flag.keys()).filter((i) => scores.flag[i] === 1);
    const seen = incidents.flatMap((inc) => inc.events).sort((a, b) => a - b);
    expect(seen).toEqual(flagged);
    expect(incidents.reduce((a, inc) => a + inc.count, 0)).toBe(flagged.length);
    for (const inc of incidents) {
      const users = new Set(inc.events.map((i) => test[i]?.user));
      for (const u of users) expect(inc.entities.user).toContain(u);
      expect(Object.keys(inc.entities).every((f) => f === 'user' || f === 'src_computer')).toBe(true);
    }
  });

  it('ranks the injected incidents first, with merged reasons, highest score first', () => {
    for (let k = 1; k < incidents.length; k++)
      expect(incidents[k]?.score).toBeLessThanOrEqual(incidents[k - 1]?.score as number);
    const injected = (ids: readonly number[]): boolean => ids.some((i) => incidentOf[i] !== null);
    const top = incidents.slice(0, 5);
    expect(top.filter((inc) => injected(inc.events)).length).toBeGreaterThanOrEqual(4);
    expect(top[0]?.reasons.length).toBeGreaterThan(0);
    expect(top[0]?.reasons[0]?.text).not.toMatch(/ [+-][\d.]+$/);
    expect(incidentText(top[0] as (typeof incidents)[0])).toMatch(
      /^user .*: \d+ events? \d+ – \d+, score \d/,
    );
    // The same pipeline loaded again gives the same incidents.
    expect(Pipeline.fromJSON(saved).incidents(test).incidents).toEqual(incidents);
  });

  it('rolls up rows already featurized and scored without touching the stream (incidentsOfScored)', () => {
    const q = Pipeline.fromJSON(saved);
    const X = q.featurize(test);
    const s = q.scoreRows(X);
    expect(q.incidentsOfScored(test, X, s)).toEqual(incidents);
    expect(() => q.incidentsOfScored(test.slice(1), X, s)).toThrow(/events, rows and scores disagree/);
  });

  it('checks its options', () => {
    const q = Pipeline.fromJSON(saved);
    expect(() => q.incidents(test.slice(0, 5), { window: -1 })).toThrow(ParameterError);
    expect(() => q.incidents(test.slice(0, 5), { by: 'user' as never })).toThrow(
      /by must be an array of strings/,
    );
    expect(() => q.incidents(test.slice(0, 5), { top: 1.5 })).toThrow(/top must be an integer/);
  });
});

describe('incident helpers', () => {
  it('build keys, entities and merged reasons', () => {
    const keys = incidentKeys(
      { user: 'U1', srcHost: 'EXT', n: 3 },
      ['user', 'srcHost', 'n'],
      (f) => f.toUpperCase(),
      new Set(['EXT']),
    );
    expect(keys).toEqual(['USER=U1', 'N=3']);
    expect(incidentEntities(['user=a', 'user=b', 'src=x=y'])).toEqual({ user: ['a', 'b'], src: ['x=y'] });
    const r = (field: string, attribution: number, text: string) => ({
      field,
      attribution,
      text: `${text} +${attribution.toFixed(1)}`,
      value: undefined,
      columns: [],
      description: undefined,
    });
    expect(mergeReasons([[r('a', 1, 'a1'), r('b', 5, 'b1')], [r('a', 3, 'a2')]], 5)).toEqual([
      { field: 'b', text: 'b1', attribution: 5, events: 1 },
      { field: 'a', text: 'a2', attribution: 4, events: 2 },
    ]);
  });
});
