import { Rng } from '@nexus/ebm-core';
import { GaussianDensity } from '@nexus/ebm-energies';
import { formatLanl, simulate } from '@nexus/ebm-features';
import { describe, expect, it } from 'vitest';
import { incidentText } from '../pipeline/incidents.js';
import { lineParser, Pipeline } from '../pipeline/Pipeline.js';
import { trainPipeline } from '../pipeline/trainPipeline.js';
import { runCliCaptured } from './testing.js';
import { buildStreamScorer } from './worker.js';

function parse(lines: readonly string[]): object[] {
  const p = lineParser('lanl');
  const out: object[] = [];
  for (let i = 0; i < lines.length; i++) p.parseLine(lines[i] as string, i + 1, out);
  return out;
}

/** A gaussian LANL pipeline (saved text) trained on a simulation's training days, and its test lines. */
function trainedLanl(sim: Parameters<typeof simulate>[0]): { text: string; test: string[] } {
  const s = simulate(sim);
  const logs = formatLanl(s);
  const split = logs.times.findIndex((t) => t >= s.testStart);
  const pipeline = trainPipeline(parse(logs.lines.slice(0, split)), {
    format: 'lanl',
    model: 'gaussian',
    seed: 1,
  });
  return { text: JSON.stringify(pipeline.toJSON()), test: logs.lines.slice(split) };
}

/** The pipeline both single-scorer tests use (trained once). */
let small: { text: string; test: string[] } | undefined;
const smallLanl = (): { text: string; test: string[] } =>
  (small ??= trainedLanl({ seed: 3, days: 4, trainDays: 3, users: 15 }));

describe('buildStreamScorer', () => {
  it('scores raw log lines with a saved pipeline exactly as the pipeline does, with reasons when flagged', () => {
    const { text, test } = smallLanl();
    const scorer = buildStreamScorer(text, 'v1', { top: 2 });
    const testLines = test.slice(0, 600);
    const fields = testLines.map((line) => ({ line }));
    fields.splice(5, 0, { line: 'not,a,lanl,line' }, { other: 'x' } as unknown as { line: string });
    const scores = [
      ...scorer.score(fields.slice(0, 300)),
      ...scorer.score(fields.slice(300)), // the featurizer's stream state carries across batches
    ];
    expect(scores).toHaveLength(fields.length);
    expect(scores[5]?.error).toMatch(/not a lanl event/);
    expect(scores[6]?.error).toMatch(/no "line" field/);
    const ok = scores.filter((s) => s.error === undefined);
    const expected = Pipeline.fromJSON(text).score(parse(testLines));
    expect(ok.map((s) => s.energy)).toEqual(Array.from(expected.energy));
    expect(ok.map((s) => s.pValue)).toEqual(Array.from(expected.pValue));
    expect(ok.map((s) => (s.flag ? 1 : 0))).toEqual(Array.from(expected.flag));
    const flagged = ok.filter((s) => s.flag);
    expect(flagged.length).toBeGreaterThan(0);
    for (const s of flagged) expect(s.reasons?.length ?? 0).toBeGreaterThan(0);
    for (const s of ok.filter((x) => !x.flag)) expect(s.reasons).toBeUndefined();
  }, 30_000);

  it('orders each batch through the reordering window and marks an event behind an earlier batch late (issue 15, case 4)', () => {
    const { text, test } = smallLanl();
    const lines = test.slice(0, 400);
    const time = (l: string): number => Number(l.split(',')[0]);
    // batch 1: lines 0–199 with a pair of different times swapped inside the window; batch 2: lines 200–399
    let k = 100;
    while (k < 198 && !(time(lines[k] as string) < time(lines[k + 1] as string))) k++;
    expect(time(lines[k + 1] as string) - time(lines[k] as string)).toBeGreaterThan(0);
    expect(time(lines[k + 1] as string) - time(lines[k] as string)).toBeLessThan(300);
    const b1 = lines.slice(0, 200);
    [b1[k], b1[k + 1]] = [b1[k + 1] as string, b1[k] as string];
    const sorted = buildStreamScorer(text, 'v1', { top: 0 });
    const expected = [
      ...sorted.score(lines.slice(0, 200).map((line) => ({ line }))),
      ...sorted.score(lines.slice(200).map((line) => ({ line }))),
    ];
    const shuffled = buildStreamScorer(text, 'v1', { top: 0 });
    const got1 = shuffled.score(b1.map((line) => ({ line })));
    expect(got1.map((s) => s.energy)).toEqual([
      ...expected.slice(0, k).map((s) => s.energy),
      expected[k + 1]?.energy,
      expected[k]?.energy,
      ...expected.slice(k + 2, 200).map((s) => s.energy),
    ]);
    expect(got1.some((s) => s.late === true)).toBe(false);
    // an event of the first batch's hour arriving with the second batch is featurized out of time order
    const stale = lines[50] as string;
    expect(time(stale)).toBeLessThan(time(lines[199] as string));
    const got2 = shuffled.score([stale, ...lines.slice(200)].map((line) => ({ line })));
    expect(got2[0]?.late).toBe(true);
    expect(got2.filter((s) => s.late === true)).toHaveLength(1);
    expect(Number.isFinite(got2[0]?.energy)).toBe(true);
  }, 30_000);

  it('scores a plain model on numeric fields (feature names, else x0…), flags above the threshold', () => {
    const r = new Rng(1);
    const X = Array.from({ length: 200 }, () => [r.normal(), r.normal()]);
    const g = new GaussianDensity().fit(X, { featureNames: ['bytes', 'port'] });
    const scorer = buildStreamScorer(JSON.stringify(g.toJSON()), 'v9', { threshold: 10, top: 1 });
    const s = scorer.score([
      { bytes: '0', port: '0' },
      { bytes: '9', port: '0.5' },
      { bytes: 'oops', port: '1' },
      // Number() reads '' as 0 and '0x10' as 16: both are errors, not values
      { bytes: '', port: '1' },
      { bytes: '0', port: '0x10' },
    ]);
    expect(s[0]?.energy).toBe(g.energy([[0, 0]])[0]);
    expect(s[0]?.flag).toBe(false);
    expect(s[1]?.flag).toBe(true);
    expect(s[1]?.reasons).toMatch(/^bytes = 9 \+/);
    expect(s[2]?.error).toMatch(/field "bytes" must be a finite number/);
    expect(s[3]?.error).toBe('field "bytes" must be a finite number (got "")');
    expect(s[4]?.error).toBe('field "port" must be a finite number (got "0x10")');
    expect(scorer.version).toBe('v9');
  });

  it("reads a csv pipeline's fields like CSV cells: an empty or non-decimal field is that message's error", () => {
    const r = new Rng(2);
    const rows = Array.from({ length: 600 }, (_, i) => ({
      line: i + 2,
      time: i,
      bytes: 100 + r.normal(),
      port: 22 + r.normal(),
    }));
    const p = trainPipeline(rows, { format: 'csv', model: 'gaussian', seed: 1 });
    const scorer = buildStreamScorer(JSON.stringify(p.toJSON()), 'v1', {});
    const s = scorer.score([
      { bytes: '100', port: '22' },
      { bytes: '', port: '22' },
      { bytes: '100', port: '0x16' },
      { bytes: '100', port: '22', label: 'attack' },
    ]);
    const want = p.score([{ line: 1, time: 1, bytes: 100, port: 22 }]).energy[0];
    expect(s[0]?.energy).toBe(want);
    expect(s[1]?.error).toBe('not a csv event: field "bytes" is not a finite number (got "")');
    expect(s[2]?.error).toBe('not a csv event: field "port" is not a finite number (got "0x16")');
    expect(s[3]?.energy).toBe(want);
  });
});

describe('buildStreamScorer with incidents', () => {
  it('hands over each closed incident once, the same incidents as Pipeline.incidents, named by stream id', () => {
    const { text, test: testLines } = trainedLanl({
      seed: 5,
      days: 5,
      trainDays: 3,
      users: 14,
      github: false,
    });
    const scorer = buildStreamScorer(text, 'v1', { incidents: { window: 1800 } });
    const ids = testLines.map((_, i) => `${1000 + i}-0`);
    const got: Record<string, unknown>[] = [];
    const take = (final: boolean): void => {
      for (const t of scorer.takeIncidents?.(final) ?? []) got.push(JSON.parse(t) as Record<string, unknown>);
    };
    for (let at = 0; at < testLines.length; at += 250) {
      const end = Math.min(testLines.length, at + 250);
      scorer.score(
        testLines.slice(at, end).map((line) => ({ line })),
        ids.slice(at, end),
      );
      take(false);
    }
    const beforeFinal = got.length;
    take(true);
    take(true); // nothing is handed over twice
    const want = Pipeline.fromJSON(text).incidents(parse(testLines), { window: 1800 }).incidents;
    expect(want.length).toBeGreaterThan(2);
    expect(beforeFinal).toBeGreaterThan(0); // incidents come out while the stream flows
    expect(got.map((g) => g.incident).sort((a, b) => Number(a) - Number(b))).toEqual(
      want.map((w) => w.id).sort((a, b) => a - b),
    );
    for (const w of want) {
      const g = got.find((x) => x.incident === w.id) as Record<string, unknown>;
      expect(g.events).toBe(w.count);
      expect(g.input_ids).toEqual(w.events.slice(0, 100).map((i) => ids[i]));
      expect(g.score).toBe(Number(w.score.toPrecision(6)));
      expect(g.text).toBe(incidentText(w));
    }
    expect(() =>
      buildStreamScorer(JSON.stringify(new GaussianDensity().fit([[0], [1], [2]]).toJSON()), 'v', {
        incidents: {},
      }),
    ).toThrow(/incidents need a pipeline file/);
  }, 30_000);
});

describe('ebm worker', () => {
  it('requires its connection options', async () => {
    const r = await runCliCaptured(['worker', '--in', 'events']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--redis is required/);
    const w = await runCliCaptured([
      'worker',
      ...['--redis', 'redis://127.0.0.1:1', '--in', 'e', '--group', 'g', '--out', 'o', '--model', 'm.json'],
      ...['--window', '60'],
    ]);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/--window and --by go with --incidents/);
  });
});
