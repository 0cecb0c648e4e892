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
      /unknown --format \(expected lanl \| sshd \| winevt \| cloudtrail \| all, got "xml"\)/,
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
