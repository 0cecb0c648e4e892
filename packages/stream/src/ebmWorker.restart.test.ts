/**
 * `ebm worker` through a Redis restart on a real redis-server (issue 15, case 9): the server is stopped and
 * started again on the same port and data folder mid-run; the worker reconnects with backoff, resumes
 * reading and reclaiming, and every event is scored, none lost. Stopped for good, the worker exits 1 after
 * its outage budget with one line, never an ioredis stack trace.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@nexus/ebm-core';
import { GaussianDensity, registerBuiltinModels } from '@nexus/ebm-energies';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startEbm } from './testing/ebmProcess.js';
import { hasRedisServer, startRedis, type TestRedis } from './testing/redisServer.js';

registerBuiltinModels();
const D = 3;
const dir = mkdtempSync(join(tmpdir(), 'ebm-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function produce(client: Redis, from: number, count: number): Promise<void> {
  const p = client.pipeline();
  for (let i = from; i < from + count; i++) {
    const f: string[] = ['seq', String(i)];
    for (let j = 0; j < D; j++) f.push(`x${j}`, String(((i * 7 + j * 13) % 17) / 4 - 2));
    p.xadd('events', '*', ...f);
  }
  await p.exec();
}

describe.skipIf(!hasRedisServer())('ebm worker through a Redis restart', () => {
  it('reconnects with backoff, loses nothing, and gives up after its outage budget with one line', async () => {
    const r = new Rng(1);
    const X = Array.from({ length: 300 }, () => Array.from({ length: D }, () => r.normal()));
    const model = join(dir, 'model.json');
    writeFileSync(model, JSON.stringify(new GaussianDensity().fit(X).toJSON()));
    const data = join(dir, 'redis');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(data);
    let redis: TestRedis = await startRedis(undefined, { dir: data });
    const port = redis.port;
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    client.on('error', () => undefined);
    let worker: ChildProcess | undefined;
    try {
      await produce(client, 0, 1500);
      const { child, stderr, exited } = startEbm([
        'worker',
        ...['--redis', redis.url, '--in', 'events', '--group', 'scorers', '--out', 'scores'],
        ...['--model', model, '--consumer', 'w1', '--batch', '20', '--block-ms', '100'],
        ...['--claim-idle-ms', '400', '--stats-ms', '200', '--threshold', '9', '--outage-budget', '4'],
      ]);
      worker = child;
      // stop the server while the worker is part-way through
      await until('first results', async () => (await client.xlen('scores')) >= 100, 30_000);
      await redis.stop();
      await sleep(1000);
      redis = await startRedis(port, { dir: data });
      await produce(client, 1500, 500);
      const ids = new Set<string>();
      await until(
        'every event scored',
        async () => {
          ids.clear();
          for (const [, f] of (await client.xrange('scores', '-', '+')) as [string, string[]][]) {
            ids.add(f[f.indexOf('input_id') + 1] as string);
          }
          const pending = (await client.xpending('events', 'scorers')) as [number, ...unknown[]];
          return ids.size === 2000 && pending[0] === 0;
        },
        30_000,
      );
      const inputs = (await client.xrange('events', '-', '+')) as [string, string[]][];
      expect(inputs.length).toBe(2000); // the restart kept the stream
      for (const [id] of inputs) expect(ids.has(id)).toBe(true); // none lost
      expect(child.exitCode).toBeNull(); // still running
      let log = stderr.join('');
      expect(log).toMatch(/"event":"outage"/);
      expect(log).toMatch(/"event":"reconnected","consumer":"w1","down_ms":\d+/);
      expect(log).not.toMatch(/\[ioredis\]|\n\s+at /);
      // stopped for good: the worker gives up after its 4 s budget, with one line
      const t0 = Date.now();
      await redis.stop();
      const code = await Promise.race([exited, sleep(20_000).then(() => 'hung')]);
      expect(code).toBe(1);
      expect(Date.now() - t0).toBeGreaterThan(3500);
      log = stderr.join('');
      const last = log.trimEnd().split('\n').pop() as string;
      expect(last).toMatch(
        /^ebm worker: ScoringWorker: the stream transport has been unreachable for [\d.]+ s, beyond the outage budget \(expected it back within 4\.0 s, got \d+ failed retries; last error: Redis at 127\.0\.0\.1:\d+ is unreachable \(connect ECONNREFUSED/,
      );
      expect(log).not.toMatch(/\[ioredis\]|\n\s+at /);
      console.log(
        `ebm worker restart: 2000 events scored, ${log.split('"event":"reconnected"').length - 1} reconnection(s)`,
      );
    } finally {
      if (worker !== undefined && worker.exitCode === null) worker.kill('SIGKILL');
      client.disconnect();
      await redis.stop();
    }
  }, 90_000);
});
