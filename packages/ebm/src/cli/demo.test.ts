import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runDemo } from './demo.js';
import { runCliCaptured } from './testing.js';

const io = { stdout: new PassThrough(), stderr: new PassThrough(), isTTY: false };

describe('ebm demo', () => {
  it('measures every scenario and overall, and explains the top events (small run)', async () => {
    const r = await runDemo(
      { seed: 2, users: 12, days: 5, trainDays: 3, models: ['gaussian'], quiet: true },
      io,
    );
    const overall = r.figures.find((f) => f.dataset === 'overall' && f.unit === 'roc_auc');
    expect(overall?.value).toBeGreaterThan(0.9);
    const scenarios = new Set(r.figures.map((f) => f.dataset));
    expect(scenarios.has('brute_force')).toBe(true);
    expect(scenarios.has('rare_cloud_api')).toBe(true);
    expect(r.top.length).toBe(10);
    expect(r.top.filter((t) => t.label !== 'normal').length).toBeGreaterThan(5);
    expect(r.top[0]?.reasons).not.toBe('');
    // the observed false-alarm rate per stream and overall (issue 15, case 6), a share of normal events
    const far = r.figures.filter((f) => f.unit === 'false_alarm_rate');
    expect(far.map((f) => f.dataset).sort()).toEqual(['cloudtrail', 'github-audit', 'lanl', 'overall']);
    for (const f of far) expect(f.value).toBeGreaterThanOrEqual(0);
    expect(far.find((f) => f.dataset === 'lanl')?.value).toBeLessThan(0.5);
    // Incident figures beside the event figures: recalls are shares, incidents fewer than flagged events.
    const fig = (d: string, u: string): number | undefined =>
      r.figures.find((f) => f.dataset === d && f.unit === u)?.value;
    for (const d of ['lanl', 'overall']) {
      for (const u of ['top10_recall', 'top10_ceiling', 'flagged_recall']) {
        expect(fig(d, u)).toBeGreaterThanOrEqual(0);
        expect(fig(d, u)).toBeLessThanOrEqual(1);
      }
      expect(fig(d, 'incidents_per_day')).toBeGreaterThan(0);
      expect(fig(d, 'incidents_per_day')).toBeLessThanOrEqual(fig(d, 'flagged_per_day') as number);
      expect(fig(d, 'top10_recall')).toBeLessThanOrEqual(fig(d, 'flagged_recall') as number);
    }
    expect(fig('brute_force', 'top10_recall')).toBeDefined();
    // Deterministic under a seed.
    const again = await runDemo(
      { seed: 2, users: 12, days: 5, trainDays: 3, models: ['gaussian'], quiet: true },
      io,
    );
    expect(again.figures).toEqual(r.figures);
  }, 60_000);

  it('rejects bad arguments', async () => {
    const r = await runCliCaptured(['demo', '--users', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--users must be an integer \(expected 4…2000, got "1"\)/);
    const p = await runCliCaptured(['demo', 'extra']);
    expect(p.code).toBe(2);
  });
});
