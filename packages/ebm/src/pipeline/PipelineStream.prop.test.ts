import { formatLanl, simulate } from '@nexus/ebm-features';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineParser, Pipeline } from './Pipeline.js';
import { trainPipeline } from './trainPipeline.js';

interface Ev {
  readonly line: number;
  readonly time: number;
}

const sim = simulate({ seed: 5, days: 3, trainDays: 2, users: 10 });
const logs = formatLanl(sim);
const split = logs.times.findIndex((t) => t >= sim.testStart);
function parse(lines: readonly string[], from: number): Ev[] {
  const p = lineParser('lanl');
  const out: object[] = [];
  lines.forEach((l, i) => {
    p.parseLine(l, from + i + 1, out);
  });
  return out as Ev[];
}
const train = parse(logs.lines.slice(0, split), 0);
const test = parse(logs.lines.slice(split, split + 400), split);
const saved = JSON.stringify(
  trainPipeline(train, { format: 'lanl', model: 'gaussian', seed: 1, falseAlarmRate: 0.05 }).toJSON(),
);
const fresh = (): Pipeline => Pipeline.fromJSON(saved);

/** Scores `events` pushed in chunks of the given sizes (cycled); energy per event `line`. */
function streamed(events: readonly Ev[], sizes: readonly number[], lateness?: number): Map<number, number> {
  const s = fresh().stream(lateness === undefined ? {} : { maxLatenessSeconds: lateness });
  const byLine = new Map<number, number>();
  let next = 0;
  const take = (r: { first: number; events: readonly object[]; energy: Float64Array }): void => {
    expect(r.first).toBe(next); // consecutive, in arrival order
    r.events.forEach((e, k) => {
      byLine.set((e as Ev).line, r.energy[k] as number);
    });
    next += r.events.length;
  };
  for (let i = 0, c = 0; i < events.length; c++) {
    const n = sizes[c % sizes.length] as number;
    take(s.push(events.slice(i, i + n)));
    i += n;
  }
  take(s.flush());
  expect(next).toBe(events.length);
  return byLine;
}

describe('PipelineStream (issue 15, case 4)', () => {
  const sorted = fresh().score(test);
  const reference = new Map(test.map((e, i) => [e.line, sorted.energy[i] as number]));

  it('property: any arrival order within the window and any chunk sizes give the energies of the sorted run, line by line', () => {
    const times = [...new Set(test.map((e) => e.time))];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: times.length, maxLength: times.length }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
        (delays, sizes) => {
          // Each distinct time arrives up to 300 s (the default window) late; equal times keep their order.
          const delay = new Map(times.map((t, k) => [t, delays[k] as number]));
          const arrivals = test
            .map((e, i) => ({ e, i, a: e.time + (delay.get(e.time) as number) }))
            .sort((x, y) => x.a - y.a || x.i - y.i)
            .map((x) => x.e);
          const got = streamed(arrivals, sizes);
          for (const e of test) expect(got.get(e.line)).toBe(reference.get(e.line));
        },
      ),
      { numRuns: 12, seed: 21 },
    );
  });

  it('property: whatever the arrival order, results do not depend on the chunk sizes, and late events are counted', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(test, { minLength: test.length, maxLength: test.length }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(0, 60, 300),
        (shuffled, sizes, lateness) => {
          const whole = fresh().score(shuffled, { maxLatenessSeconds: lateness });
          const got = streamed(shuffled, sizes, lateness);
          shuffled.forEach((e, i) => {
            expect(got.get(e.line)).toBe(whole.energy[i]);
          });
          if (lateness === 0) expect(whole.late).toBeGreaterThan(0);
        },
      ),
      { numRuns: 10, seed: 22 },
    );
  });

  it('featurize and score agree on the order, and the lateness is saved with the pipeline', () => {
    const shuffled = [...test].reverse();
    const a = fresh();
    const X = a.featurize(shuffled);
    const b = fresh().score(shuffled);
    expect(Array.from(a.scoreRows(X).energy)).toEqual(Array.from(b.energy));
    expect(b.late).toBeGreaterThan(0);
    const p = trainPipeline(train, {
      format: 'lanl',
      model: 'gaussian',
      seed: 1,
      falseAlarmRate: 0.05,
      maxLatenessSeconds: 30,
    });
    expect(p.maxLatenessSeconds).toBe(30);
    expect(Pipeline.fromJSON(JSON.stringify(p.toJSON())).maxLatenessSeconds).toBe(30);
    expect(fresh().maxLatenessSeconds).toBe(300);
    expect(() => fresh().score(test, { maxLatenessSeconds: -1 })).toThrow(/maxLatenessSeconds/);
  });
});
