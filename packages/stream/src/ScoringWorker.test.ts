import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer, startRedis, type TestRedis } from './testing/redisServer.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, 'testing', 'workerFixture.ts');
const N = 6000;

function startWorker(
  url: string,
  name: string,
): { child: ChildProcess; output: string[]; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@nexus/source', fixture, url, name],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const output: string[] = [];
  child.stdout?.on('data', (b: Buffer) => output.push(b.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

describe.skipIf(!hasRedisServer())('ScoringWorker on a real redis-server', () => {
  let redis: TestRedis;
  let client: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    await client.quit();
    await redis.stop();
  });

  it('three workers, one SIGKILLed mid-stream: every event is scored, none lost, duplicates counted', async () => {
    const p = client.pipeline();
    for (let i = 0; i < N; i++) p.xadd('events', '*', 'seq', String(i), 'x', String((i % 7) - 3));
    await p.exec();
    const workers = ['w1', 'w2', 'w3'].map((n) => startWorker(redis.url, n));
    const victim = workers[0]!;
    // kill w1 as soon as it has handled a couple of batches: it holds pending entries at that moment
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (
          victim.output
            .join('')
            .split('\n')
            .filter((l) => l.startsWith('batch')).length >= 2
        ) {
          clearInterval(t);
          victim.child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    const deadline = Date.now() + 60_000;
    let distinct = 0;
    let total = 0;
    const seen = new Map<string, number>();
    while (Date.now() < deadline) {
      const entries = (await client.xrange('scores', '-', '+')) as [string, string[]][];
      seen.clear();
      for (const [, f] of entries) {
        const id = f[f.indexOf('input_id') + 1]!;
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      distinct = seen.size;
      total = entries.length;
      const pending = (await client.xpending('events', 'scorers')) as [number, ...unknown[]];
      if (distinct === N && pending[0] === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const w of workers.slice(1)) w.child.kill('SIGTERM');
    const codes = await Promise.all(workers.slice(1).map((w) => w.exited));
    const duplicates = total - distinct;
    expect(distinct).toBe(N); // none lost
    expect(codes).toEqual([0, 0]); // graceful shutdown
    const inputs = (await client.xrange('events', '-', '+')) as [string, string[]][];
    for (const [id] of inputs) expect(seen.has(id)).toBe(true);
    const pending = (await client.xpending('events', 'scorers')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
    // the graceful workers report their final stats, including reclaimed entries of the killed one
    const finals = workers
      .slice(1)
      .map(
        (w) =>
          JSON.parse(w.output.join('').split('done ')[1] ?? '{}') as { reclaimed: number; processed: number },
      );
    expect(finals.reduce((s, f) => s + f.processed, 0)).toBeGreaterThan(0);
    const reclaimed = finals.reduce((s, f) => s + f.reclaimed, 0);
    console.log(
      `stream integration: ${N} events, ${total} results, ${distinct} distinct, ${duplicates} duplicates, ${reclaimed} reclaimed from the killed worker`,
    );
  }, 90_000);
});
