/**
 * `pnpm bench stream [--json] [--events N] [--workers K] [--batch B] [--producers P]`: end-to-end events/s of
 * `ebm worker` on Redis Streams on this machine — produce N events (default 300,000, 8 numeric fields) into
 * an input stream, score them with a full-covariance Gaussian in K `ebm worker` processes of one consumer
 * group (default 3), and wait until every result is in the output stream. Starts its own redis-server on a
 * loopback port (Debian's `redis-server`). Two phases with the same workers:
 * - backlog: the workers are paused (SIGSTOP) while N events are produced, then resumed; the clock runs
 *   from the resume to the last result (scoring throughput, comparable with the bare consumer group);
 * - live: N more events are produced while the workers score; the clock runs from the first event
 *   produced to the last result (the producer competes for the same cores).
 * Lost and duplicate results are counted over both phases from the output stream.
 *
 * As a reference, the same run also measures a bare consumer group (read + XACK, no scoring, no results)
 * with K consumers in this process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@nexus/ebm-core';
import { GaussianDensity } from '@nexus/ebm-energies';
import { Redis } from '../packages/stream/src/testing/redisClient.js';
import { hasRedisServer, startRedis } from '../packages/stream/src/testing/redisServer.js';
import type { BenchContext } from './lib/report.js';

const cli = fileURLToPath(new URL('../packages/ebm/src/cli/main.ts', import.meta.url));
const D = 8;
const load = (): number => Math.round((loadavg()[0] as number) * 100) / 100;

function startWorker(url: string, name: string, model: string, batch: number, group: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@nexus/source',
      cli,
      'worker',
      ...['--redis', url, '--in', 'events', '--group', group, '--out', 'scores', '--model', model],
      ...['--consumer', name, '--batch', String(batch), '--block-ms', '200', '--stats-ms', '60000'],
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

async function produce(url: string, n: number, producers: number, first: number): Promise<void> {
  const rng = new Rng(3);
  // pre-format the field values so the producers measure Redis, not number formatting
  const values = Array.from({ length: 4096 }, () =>
    Array.from({ length: D }, () => (rng.normal() * (rng.uniform() < 0.01 ? 5 : 1)).toFixed(5)),
  );
  const per = Math.ceil(n / producers);
  await Promise.all(
    Array.from({ length: producers }, async (_, p) => {
      const c = new Redis(url);
      const end = Math.min(n, (p + 1) * per);
      for (let i0 = p * per; i0 < end; i0 += 2000) {
        const pipe = c.pipeline();
        for (let i = i0; i < Math.min(end, i0 + 2000); i++) {
          const v = values[i % values.length] as string[];
          const f: string[] = ['seq', String(first + i)];
          for (let j = 0; j < D; j++) f.push(`x${j}`, v[j] as string);
          pipe.xadd('events', '*', ...f);
        }
        await pipe.exec();
      }
      await c.quit();
    }),
  );
}

/** Distinct input ids and total results in the output stream, read in pages. */
async function countResults(c: Redis): Promise<{ total: number; distinct: number }> {
  const seen = new Set<string>();
  let total = 0;
  let start = '-';
  for (;;) {
    const page = (await c.xrange('scores', start, '+', 'COUNT', 20_000)) as [string, string[]][];
    if (page.length === 0) break;
    for (const [, f] of page) {
      seen.add(f[f.indexOf('input_id') + 1] as string);
      total++;
    }
    start = `(${(page[page.length - 1] as [string, string[]])[0]}`;
  }
  return { total, distinct: seen.size };
}

export default async function stream(ctx: BenchContext): Promise<void> {
  if (!hasRedisServer()) {
    ctx.log('stream: redis-server not found on the PATH (apt-get install redis-server); skipped');
    return;
  }
  const n = Number(ctx.flag('events') ?? 300_000);
  const k = Number(ctx.flag('workers') ?? 3);
  const batch = Number(ctx.flag('batch') ?? 1000);
  const producers = Number(ctx.flag('producers') ?? 2);
  const dir = mkdtempSync(join(tmpdir(), 'ebm-bench-stream-'));
  const redis = await startRedis();
  const client = new Redis(redis.url);
  const workers: ChildProcess[] = [];
  try {
    const rng = new Rng(1);
    const X = Array.from({ length: 5000 }, () => Array.from({ length: D }, () => rng.normal()));
    const model = join(dir, 'gaussian.json');
    writeFileSync(model, JSON.stringify(new GaussianDensity().fit(X).toJSON()));

    // reference: a bare consumer group (XREADGROUP + XACK) with k consumers in this process
    await produce(redis.url, n, producers, 0);
    await client.xgroup('CREATE', 'events', 'bare', '0');
    const tb = performance.now();
    let bareCount = 0;
    await Promise.all(
      Array.from({ length: k }, async (_, w) => {
        const c = new Redis(redis.url);
        for (;;) {
          const r = (await c.xreadgroup(
            'GROUP',
            'bare',
            `b${w}`,
            'COUNT',
            batch,
            'STREAMS',
            'events',
            '>',
          )) as [string, [string, string[]][]][] | null;
          const entries = r?.[0]?.[1] ?? [];
          if (entries.length === 0) break;
          await c.xack('events', 'bare', ...entries.map((e) => e[0]));
          bareCount += entries.length;
        }
        await c.quit();
      }),
    );
    const bareRate = bareCount / ((performance.now() - tb) / 1000);
    await client.del('events');

    ctx.log(`starting ${k} ebm worker processes (load average ${load()})`);
    const ready: Promise<void>[] = [];
    for (let w = 0; w < k; w++) {
      const child = startWorker(redis.url, `w${w}`, model, batch, 'scorers');
      workers.push(child);
      ready.push(
        new Promise((resolve, reject) => {
          let buf = '';
          child.stderr?.on('data', (b: Buffer) => {
            buf += b.toString('utf8');
            if (buf.includes('"event":"start"')) resolve();
          });
          child.once('exit', (code) => reject(new Error(`ebm worker exited early (code ${code}): ${buf}`)));
        }),
      );
    }
    await Promise.all(ready);
    // let every worker block in XREADGROUP on the (new) group before the clock starts
    await new Promise((r) => setTimeout(r, 1500));
    const waitFor = async (count: number): Promise<void> => {
      const deadline = Date.now() + 600_000;
      while (Date.now() < deadline && (await client.xlen('scores')) < count) {
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    // 1. backlog: the workers are paused (SIGSTOP) while the events are produced, then resumed
    for (const w of workers) w.kill('SIGSTOP');
    ctx.log(`backlog: producing ${n} events with the workers paused (load average ${load()})`);
    await produce(redis.url, n, producers, 0);
    const tb0 = performance.now();
    for (const w of workers) w.kill('SIGCONT');
    await waitFor(n);
    const backlogSeconds = (performance.now() - tb0) / 1000;
    // 2. live: produce while the workers score
    ctx.log(`live: producing ${n} more events while the workers score (load average ${load()})`);
    const t0 = performance.now();
    await produce(redis.url, n, producers, n);
    const tProduced = performance.now();
    await waitFor(2 * n);
    const seconds = (performance.now() - t0) / 1000;
    const { total, distinct } = await countResults(client);
    const pending = (await client.xpending('events', 'scorers')) as [number, ...unknown[]];
    const common = { model: 'gaussian', workers: k, batch, loadavg: load() };
    ctx.report({
      bench: 'stream',
      name: `end to end gaussian ${k} ebm workers, live`,
      value: n / seconds,
      unit: 'events/s',
      ...common,
      events: n,
      produceSeconds: Math.round((tProduced - t0) / 10) / 100,
      seconds: Math.round(seconds * 100) / 100,
    });
    ctx.report({
      bench: 'stream',
      name: `scoring gaussian ${k} ebm workers, backlog`,
      value: n / backlogSeconds,
      unit: 'events/s',
      ...common,
      events: n,
      seconds: Math.round(backlogSeconds * 100) / 100,
    });
    ctx.report({
      bench: 'stream',
      name: `scoring gaussian ${k} ebm workers, backlog`,
      value: bareRate,
      unit: 'events/s',
      peer: `bare consumer group (${k} consumers, read + XACK only)`,
      ratio: n / backlogSeconds / bareRate,
      events: n,
      loadavg: load(),
    });
    ctx.report({
      bench: 'stream',
      name: `results lost (of ${2 * n})`,
      value: 2 * n - distinct,
      unit: 'events',
      duplicates: total - distinct,
      pendingAtEnd: pending[0],
      loadavg: load(),
    });
  } finally {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.exitCode !== null) return resolve();
            w.once('exit', () => resolve());
            w.kill('SIGTERM');
          }),
      ),
    );
    await client.quit();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
