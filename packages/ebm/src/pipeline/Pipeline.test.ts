import { ModelFormatError, ParameterError, rocAuc } from '@nexus/ebm-core';
import { GaussianDensity } from '@nexus/ebm-energies';
import { FieldMapParser, formatLanl, parseLines, parsers, simulate } from '@nexus/ebm-features';
import { describe, expect, it } from 'vitest';
import { CsvParser } from './csv.js';
import { Pipeline } from './Pipeline.js';
import { trainPipeline } from './trainPipeline.js';

const sim = simulate({ seed: 4, users: 10, days: 4, trainDays: 2 });
const logs = formatLanl(sim);
const cut = logs.times.findIndex((t) => t >= sim.testStart);
const train = parseLines(parsers.lanl(), logs.lines.slice(0, cut)).events;
const test = parseLines(parsers.lanl(), logs.lines.slice(cut)).events;

describe('Pipeline', () => {
  it('round-trips through JSON with identical scores', () => {
    const p = trainPipeline(train, { format: 'lanl', model: 'gaussian', seed: 1 });
    const text = JSON.stringify(p.toJSON());
    const q = Pipeline.fromJSON(text);
    const a = p.score(test);
    const b = q.score(test);
    expect(Array.from(b.energy)).toEqual(Array.from(a.energy));
    expect(q.format).toBe('lanl');
    expect(q.modelName).toBe('gaussian');
    expect(a.flag.length).toBe(test.length);
    // The threshold is set for a 1 % false-alarm rate on held-back training events.
    expect(q.detector.falseAlarmRate).toBe(0.01);
  });

  it('trains the histogram energy by name, saves it, and ranks the simulated attacks above normal events', () => {
    const p = trainPipeline(train, { format: 'lanl', model: 'histogram', seed: 1 });
    const q = Pipeline.fromJSON(JSON.stringify(p.toJSON()));
    expect(q.modelName).toBe('histogram');
    const a = p.score(test);
    expect(Array.from(q.score(test).energy)).toEqual(Array.from(a.energy));
    const y = logs.labels.slice(cut).map((l) => (l === null ? 0 : 1));
    expect(y.length).toBe(test.length);
    expect(y.some((v) => v === 1)).toBe(true);
    expect(rocAuc(y, a.energy)).toBeGreaterThan(0.6);
  });

  it.each(['knn', 'kde'] as const)(
    'trains the %s energy by name, saves it, ranks the attacks and explains with KernelSHAP',
    (name) => {
      const p = trainPipeline(train, { format: 'lanl', model: name, seed: 1 });
      const q = Pipeline.fromJSON(JSON.stringify(p.toJSON()));
      expect(q.modelName).toBe(name);
      const a = p.score(test);
      expect(Array.from(q.score(test).energy)).toEqual(Array.from(a.energy));
      const y = logs.labels.slice(cut).map((l) => (l === null ? 0 : 1));
      expect(rocAuc(y, a.energy)).toBeGreaterThan(0.6);
      const top = Array.from(a.energy.keys()).sort(
        (i, j) => (a.energy[j] as number) - (a.energy[i] as number),
      )[0] as number;
      const X = p.featurize(test);
      const why = p.explain([test[top] as object], X.selectRows([top]), {
        background: X.selectRows([0, 7, 14, 21]),
      });
      expect(why[0]?.length).toBeGreaterThan(0);
    },
  );

  it('trains the inne energy by name, saves it and explains with KernelSHAP', () => {
    // No ranking asserted: at its defaults (200 sub-samples of 8 rows) iNNE leaves almost every row of these
    // 50 featurized columns outside every ball (energy ≈ 1), ROC-AUC 0.44 here (knn 0.97) — measured, see
    // issue-19's stop-25 note; the accuracy bench measures it on the shared data sets.
    const p = trainPipeline(train, { format: 'lanl', model: 'inne', seed: 1 });
    const q = Pipeline.fromJSON(JSON.stringify(p.toJSON()));
    expect(q.modelName).toBe('inne');
    const a = p.score(test);
    expect(Array.from(q.score(test).energy)).toEqual(Array.from(a.energy));
    expect(a.energy.every((v) => v >= 0 && v <= 1)).toBe(true);
    const X = p.featurize(test);
    const why = p.explain([test[0] as object], X.selectRows([0]), {
      background: X.selectRows([0, 7, 14, 21]),
    });
    expect(why[0]?.length).toBeGreaterThan(0);
  });

  it('accepts a custom energy model and reports its kind', () => {
    const p = trainPipeline(train, {
      format: 'lanl',
      model: new GaussianDensity({ covariance: 'diagonal' }),
    });
    expect(p.modelName).toBe(p.detector.model.kind);
    expect(p.score(test.slice(0, 5)).energy.length).toBe(5);
  });

  it('rejects bad files with clear messages', () => {
    expect(() => Pipeline.fromJSON('{')).toThrow(ModelFormatError);
    expect(() => Pipeline.fromJSON({ kind: 'other', version: 1 })).toThrow(
      /wrong kind \(expected "ebm\/pipeline", got "other"\)/,
    );
    const good = trainPipeline(train, { format: 'lanl', model: 'gaussian' }).toJSON();
    expect(() => Pipeline.fromJSON({ ...good, format: 'xml' })).toThrow(/unknown format/);
    expect(() => Pipeline.fromJSON({ ...good, trainedEvents: -1 })).toThrow(/trainedEvents/);
    expect(() => trainPipeline(train, { format: 'lanl', model: 'svm' as 'rbm' })).toThrow(ParameterError);
    expect(() => trainPipeline(train.slice(0, 3), { format: 'lanl' })).toThrow(/too few training events/);
  });

  it('trains on numeric CSV rows', () => {
    const parser = new CsvParser();
    const rows: object[] = [];
    const lines = ['bytes,duration,label'];
    for (let i = 0; i < 400; i++) lines.push(`${100 + (i % 7)},${2 + (i % 3) * 0.1},0`);
    lines.push('5000,90,1');
    for (const [i, l] of lines.entries()) parser.parseLine(l, i + 1, rows as never);
    expect(parser.parseLine('1,x,0', 999, rows as never)).toBe(-1);
    expect(parser.reason).toMatch(/column duration is not a finite number/);
    const p = trainPipeline(rows.slice(0, 400), { format: 'csv', model: 'gaussian', falseAlarmRate: 0.05 });
    expect(p.featurizer.nFeatures).toBe(2);
    const e = p.score(rows).energy;
    expect(e[400]).toBeGreaterThan(Math.max(...Array.from(e.subarray(0, 400))));
  });

  it('saves a field map with a json pipeline; scoring reads with it; maps are only for json', () => {
    const map = { event: 'auth' as const, fields: { time: 't', user: 'u', srcHost: 'ip', success: 'ok' } };
    const lines = train.map((e) => JSON.stringify({ t: e.time, u: e.user, ip: e.srcHost, ok: e.success }));
    const events = parseLines(new FieldMapParser(map), lines).events;
    const p = trainPipeline(events, { format: 'json', fieldMap: map, model: 'gaussian' });
    const back = Pipeline.fromJSON(JSON.stringify(p.toJSON()));
    expect(back.fieldMap).toEqual(map);
    const again = parseLines(back.lineParser(), lines.slice(0, 20)).events;
    expect(Array.from(back.score(again).energy)).toEqual(Array.from(p.score(events.slice(0, 20)).energy));
    expect(() => trainPipeline(events, { format: 'json', model: 'gaussian' })).toThrow(
      /format json needs a field map/,
    );
    expect(() => trainPipeline(train, { format: 'lanl', fieldMap: map })).toThrow(
      /a field map is only read with format json/,
    );
    const bad = { ...p.toJSON(), fieldMap: { event: 'auth', fields: { time: 't' } } };
    expect(() => Pipeline.fromJSON(bad)).toThrow(ModelFormatError);
  });
});
