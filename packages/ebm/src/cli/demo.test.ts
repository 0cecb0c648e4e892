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
