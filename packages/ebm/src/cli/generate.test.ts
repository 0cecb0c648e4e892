import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from './testing.js';

describe('ebm generate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ebm-gen-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes train, test and label files whose lines line up', async () => {
    const r = await runCliCaptured([
      'generate',
      '--format',
      'lanl',
      '--days',
      '5',
      '--train-days',
      '3',
      '--users',
      '12',
      '--out',
      dir,
    ]);
    expect(r.code).toBe(0);
    const test = readFileSync(join(dir, 'lanl.test.txt'), 'utf8').trimEnd().split('\n');
    const labels = readFileSync(join(dir, 'lanl.test.labels.csv'), 'utf8').trimEnd().split('\n');
    expect(labels.length).toBe(test.length + 1);
    expect(labels.slice(1).some((l) => !l.endsWith(',normal'))).toBe(true);
    const train = readFileSync(join(dir, 'lanl.train.txt'), 'utf8').trimEnd().split('\n');
    expect(train.length).toBeGreaterThan(test.length);
  });

  it('writes a GitHub audit log that trains and evaluates end to end', async () => {
    const g = await runCliCaptured([
      'generate',
      '--format',
      'github-audit',
      '--days',
      '8',
      '--train-days',
      '5',
      '--users',
      '30',
      '--out',
      dir,
    ]);
    expect(g.code).toBe(0);
    const model = join(dir, 'gh.json');
    const t = await runCliCaptured([
      'train',
      '--format',
      'github-audit',
      '--model',
      'mixture',
      '--out',
      model,
      join(dir, 'github-audit.train.jsonl'),
    ]);
    expect(t.code).toBe(0);
    const e = await runCliCaptured([
      'eval',
      '--model',
      model,
      '--labels',
      join(dir, 'github-audit.test.labels.csv'),
      '--json',
      join(dir, 'github-audit.test.jsonl'),
    ]);
    expect(e.code).toBe(0);
    const figures = JSON.parse(e.stdout.trim().split('\n').pop() as string) as { roc_auc: number };
    expect(figures.roc_auc).toBeGreaterThan(0.85);
  }, 60_000);

  it('is reproducible under a seed', async () => {
    await runCliCaptured([
      'generate',
      '--format',
      'sshd',
      '--days',
      '4',
      '--train-days',
      '2',
      '--users',
      '10',
      '--seed',
      '5',
      '--out',
      dir,
    ]);
    const a = readFileSync(join(dir, 'sshd.test.log'), 'utf8');
    await runCliCaptured([
      'generate',
      '--format',
      'sshd',
      '--days',
      '4',
      '--train-days',
      '2',
      '--users',
      '10',
      '--seed',
      '5',
      '--out',
      dir,
    ]);
    expect(readFileSync(join(dir, 'sshd.test.log'), 'utf8')).toBe(a);
  });

  it('rejects bad arguments with exit code 2 and a clear message', async () => {
    const r = await runCliCaptured(['generate', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /unknown --format \(expected lanl \| sshd \| winevt \| cloudtrail \| github-audit \| all, got "xml"\)/,
    );
    const u = await runCliCaptured(['generate', '--bogus']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/ebm generate: Unknown option '--bogus'/);
    const c = await runCliCaptured(['nonsense']);
    expect(c.code).toBe(2);
  });

  it('prints help', async () => {
    const r = await runCliCaptured(['generate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/usage: ebm generate/);
  });
});
