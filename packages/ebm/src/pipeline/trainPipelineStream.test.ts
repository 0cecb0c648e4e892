import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KernelDensity, KnnDensity } from '@nexus/ebm-energies';
import { type AuthEvent, formatLanl, parseLines, parsers, simulate } from '@nexus/ebm-features';
import { describe, expect, it } from 'vitest';
import { fileRowStore } from './fileRowStore.js';
import type { PipelineJSON } from './Pipeline.js';
import { trainPipeline } from './trainPipeline.js';
import { type EventPasses, trainPipelineStream } from './trainPipelineStream.js';

/** Two simulated days of LANL authentication events (simulated data), in time order: 6,277 events. */
const events: AuthEvent[] = parseLines(
  parsers.lanl(),
  formatLanl(simulate({ seed: 1, days: 2, trainDays: 2, users: 8, scenarios: [] })).lines.join('\n'),
).events;
/** Later events to score. */
const later: AuthEvent[] = parseLines(
  parsers.lanl(),
  formatLanl(simulate({ seed: 2, days: 1, trainDays: 1, users: 8, scenarios: [] }))
    .lines.map((l) => {
      const c = l.indexOf(',');
      return `${Number(l.slice(0, c)) + 2 * 86_400}${l.slice(c)}`;
    })
    .join('\n'),
).events;

/** The events as passes of chunks of `size` (a new pass per call, as a file read again). */
function passes(list: readonly object[], size: number): EventPasses {
  return function* () {
    for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
  };
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(1, Math.abs(x)));
  }
  return worst;
}

const json = (p: { toJSON(): PipelineJSON }): PipelineJSON => JSON.parse(JSON.stringify(p.toJSON()));

describe('trainPipelineStream', () => {
  const options = { format: 'lanl' as const, seed: 3 };

  it('gaussian: equals trainPipeline — featurizer and scaler exactly, energies to rounding — for any chunks', async () => {
    const whole = trainPipeline(events, { ...options, model: 'gaussian' });
    const a = await trainPipelineStream(passes(events, 997), { ...options, model: 'gaussian' });
    // One block of rows (all 5,022 training rows): the same arithmetic, the same file.
    expect(json(a.pipeline)).toEqual(json(whole));
    expect(a.stats).toMatchObject({ events: 6277, fitEvents: 5022, calibrationEvents: 1255, outOfOrder: 0 });
    // Blocks of 512 rows: statistics merged block by block, equal to rounding.
    const b = await trainPipelineStream(passes(events, 1), { ...options, model: 'gaussian', blockRows: 512 });
    const c = await trainPipelineStream(passes(events, 6277), {
      ...options,
      model: 'gaussian',
      blockRows: 512,
    });
    expect(json(c.pipeline)).toEqual(json(b.pipeline)); // chunks of 1 or all: the same model
    const jb = json(b.pipeline);
    const jw = json(whole);
    expect(jb.featurizer).toEqual(jw.featurizer);
    expect(jb.detector.scaler).toEqual(jw.detector.scaler);
    expect(maxRelDiff(jb.detector.calibration, jw.detector.calibration)).toBeLessThan(1e-9);
    expect(maxRelDiff(b.pipeline.score(later).energy, whole.score(later).energy)).toBeLessThan(1e-9);
    expect(b.stats.rowPasses).toBeGreaterThanOrEqual(3);
  });

  it('histogram: equals trainPipeline exactly, whatever the blocks', async () => {
    const whole = trainPipeline(events, { ...options, model: 'histogram' });
    const s = await trainPipelineStream(passes(events, 333), {
      ...options,
      model: 'histogram',
      blockRows: 100,
    });
    expect(json(s.pipeline)).toEqual(json(whole));
  });

  it('a model without fitStream trains on all rows when they fit the sample, else on a seeded sample', async () => {
    const small = { ...options, model: 'mixture' as const };
    const whole = trainPipeline(events, small);
    const all = await trainPipelineStream(passes(events, 4096), { ...small, blockRows: 700 });
    expect(json(all.pipeline)).toEqual(json(whole));
    expect(all.stats.sampledRows).toBeUndefined();
    const one = await trainPipelineStream(passes(events, 50), { ...small, sampleRows: 1000 });
    const two = await trainPipelineStream(passes(events, 5000), {
      ...small,
      sampleRows: 1000,
      blockRows: 99,
    });
    expect(one.stats.sampledRows).toBe(1000);
    expect(json(two.pipeline)).toEqual(json(one.pipeline));
    expect(json(one.pipeline)).not.toEqual(json(whole));
    expect(one.pipeline.score(later).energy.every(Number.isFinite)).toBe(true);
  });

  it('knn and kde: the seeded sample, then their own ≤ maxRows subsample — equal to trainPipeline when every row fits', async () => {
    for (const model of ['knn', 'kde'] as const) {
      const whole = trainPipeline(events, { ...options, model });
      const all = await trainPipelineStream(passes(events, 1500), { ...options, model, blockRows: 640 });
      expect(all.stats.sampledRows).toBeUndefined();
      expect(json(all.pipeline)).toEqual(json(whole));
      const part = await trainPipelineStream(passes(events, 800), { ...options, model, sampleRows: 600 });
      expect(part.stats.sampledRows).toBe(600);
      expect((part.pipeline.detector.model as KnnDensity | KernelDensity).rowsKept).toBe(600);
      expect(part.pipeline.score(later).energy.every(Number.isFinite)).toBe(true);
    }
  });

  it('a file row store gives the same pipeline as the memory store, and leaves no file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ebm-stream-test-'));
    try {
      let stores = 0;
      const s = await trainPipelineStream(passes(events, 1000), {
        ...options,
        model: 'gaussian',
        rowStore: (cols) => {
          stores++;
          return fileRowStore(cols, dir);
        },
      });
      const m = await trainPipelineStream(passes(events, 1000), { ...options, model: 'gaussian' });
      expect(json(s.pipeline)).toEqual(json(m.pipeline));
      expect(stores).toBe(2);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('featurizes events later than the window where they arrive, whatever the chunks, and counts them', async () => {
    const shuffled = events.slice();
    for (let i = 100; i < shuffled.length; i += 150) {
      const t = shuffled[i] as AuthEvent;
      shuffled[i] = shuffled[i - 60] as AuthEvent;
      shuffled[i - 60] = t;
    }
    // window 0: every event earlier than one before it is late
    const o = { ...options, model: 'histogram' as const, maxLatenessSeconds: 0 };
    const a = await trainPipelineStream(passes(shuffled, 7), o);
    const b = await trainPipelineStream(passes(shuffled, 5000), o);
    expect(a.stats.outOfOrder).toBeGreaterThan(0);
    expect(b.stats.outOfOrder).toBe(a.stats.outOfOrder);
    expect(a.pipeline.lateTrainingEvents).toBe(a.stats.outOfOrder);
    expect(json(b.pipeline)).toEqual(json(a.pipeline));
    // the same events through the window the library uses: the pipeline trainPipeline gives
    const w = { ...options, model: 'histogram' as const, maxLatenessSeconds: 1e9 };
    const c = await trainPipelineStream(passes(shuffled, 7), w);
    expect(c.stats.outOfOrder).toBe(0);
    expect(json(c.pipeline)).toEqual(json(trainPipeline(shuffled, w)));
  });

  it('refuses too few events, a pass that changes and non-array chunks, with clear messages', async () => {
    await expect(trainPipelineStream(passes(events.slice(0, 9), 4), { ...options })).rejects.toThrow(
      /too few training events \(expected at least 10, got 9\)/,
    );
    await expect(trainPipelineStream(passes(events.slice(0, 400), 64), { ...options })).rejects.toThrow(
      /too few events to calibrate/,
    );
    let pass = 0;
    const shrinking: EventPasses = function* () {
      pass++;
      yield events.slice(0, pass === 1 ? 3000 : 2000);
    };
    await expect(trainPipelineStream(shrinking, { ...options, model: 'gaussian' })).rejects.toThrow(
      /the events changed between passes/,
    );
    const bad = (() => [42]) as unknown as EventPasses;
    await expect(trainPipelineStream(bad, options)).rejects.toThrow(/is not an array/);
    await expect(trainPipelineStream(passes(events, 10), { ...options, sampleRows: 0 })).rejects.toThrow(
      /sampleRows must be a positive integer/,
    );
  });
});
