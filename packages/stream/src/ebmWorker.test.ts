/**
 * `ebm worker` end to end on a real redis-server: three CLI worker processes score events with a real
 * model file, one is SIGKILLed mid-stream, the model file is replaced mid-stream (hot reload), and every
 * result's energy is checked against the model version it names.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EnergyModel, loadModel, Rng } from '@nexus/ebm-core';
import { GaussianDensity, registerBuiltinModels } from '@nexus/ebm-energies';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../ebm/src/cli/testing.js';
import { type EbmProcess, startEbm } from './testing/ebmProcess.js';
import { hasRedisServer, startRedis, type TestRedis } from './testing/redisServer.js';

registerBuiltinModels();
const D = 4;

function ebmWorker(url: string, name: string, model: string): EbmProcess {
  return startEbm([
    'worker',
    ...['--redis', url, '--in', 'events', '--group', 'scorers', '--out', 'scores'],
    ...['--model', model, '--consumer', name, '--batch', '50', '--block-ms', '100'],
    ...['--claim-idle-ms', '500', '--reload-ms', '150', '--stats-ms', '300', '--threshold', '12'],
  ]);
}

function fitModel(seed: number, shift: number): string {
  const r = new Rng(seed);
  const X = Array.from({ length: 400 }, () => Array.from({ length: D }, () => shift + r.normal()));
  return JSON.stringify(new GaussianDensity().fit(X).toJSON());
}

const version = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 12);

async function produce(client: Redis, from: number, count: number, rng: Rng): Promise<void> {
  const p = client.pipeline();
  for (let i = from; i < from + count; i++) {
    const f: string[] = ['seq', String(i)];
    for (let j = 0; j < D; j++)
      f.push(`x${j}`, String(Number((rng.normal() * (i % 97 === 0 ? 6 : 1)).toFixed(6))));
    p.xadd('events', '*', ...f);
  }
  await p.exec();
}

describe.skipIf(!hasRedisServer())('ebm worker on a real redis-server', () => {
  let redis: TestRedis;
  let client: Redis;
  let dir: string;
  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    dir = mkdtempSync(join(tmpdir(), 'ebm-worker-'));
  });
  afterAll(async () => {
    await client.quit();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scores with the model file, survives a SIGKILL, loses nothing and hot-reloads a new model', async () => {
    const modelPath = join(dir, 'model.json');
    const v1 = fitModel(1, 0);
    const v2 = fitModel(2, 0.5);
    const models = new Map<string, EnergyModel>([
      [version(v1), loadModel(v1)],
      [version(v2), loadModel(v2)],
    ]);
    writeFileSync(modelPath, v1);
    const rng = new Rng(7);
    let produced = 0;
    await produce(client, produced, 1000, rng);
    produced += 1000;
    const workers = ['w1', 'w2', 'w3'].map((n) => ebmWorker(redis.url, n, modelPath));
    const victim = workers[0] as EbmProcess;
    // kill w1 once it has written results, while events keep arriving
    const deadline0 = Date.now() + 40_000;
    while (Date.now() < deadline0) {
      const byVictim = (await client.xrange('scores', '-', '+')).some(([, f]) => f.includes('w1'));
      if (byVictim) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    victim.child.kill('SIGKILL');
    await produce(client, produced, 1000, rng);
    produced += 1000;
    // a new model version: picked up without a restart
    writeFileSync(modelPath, v2);
    // wait until both live workers report the new version in their stats
    const v2Id = version(v2);
    const deadline1 = Date.now() + 30_000;
    while (Date.now() < deadline1 && !workers.slice(1).every((w) => w.stderr.join('').includes(v2Id))) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await produce(client, produced, 1000, rng);
    produced += 1000;

    const inputs = new Map<string, number[]>();
    for (const [id, f] of (await client.xrange('events', '-', '+')) as [string, string[]][]) {
      inputs.set(
        id,
        Array.from({ length: D }, (_, j) => Number(f[f.indexOf(`x${j}`) + 1])),
      );
    }
    const seen = new Map<string, number>();
    let results: [string, string[]][] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      results = (await client.xrange('scores', '-', '+')) as [string, string[]][];
      seen.clear();
      for (const [, f] of results) {
        const id = f[f.indexOf('input_id') + 1] as string;
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      const pending = (await client.xpending('events', 'scorers')) as [number, ...unknown[]];
      if (seen.size === produced && pending[0] === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const w of workers.slice(1)) w.child.kill('SIGTERM');
    const codes = await Promise.all(workers.slice(1).map((w) => w.exited));
    expect(seen.size).toBe(produced); // none lost
    expect(codes).toEqual([0, 0]); // graceful shutdown
    const versions = new Set<string>();
    let flagged = 0;
    for (const [, f] of results) {
      const get = (k: string): string | undefined => {
        const i = f.indexOf(k);
        return i < 0 ? undefined : f[i + 1];
      };
      const v = get('model_version') as string;
      versions.add(v);
      const model = models.get(v);
      expect(model).toBeDefined();
      const x = inputs.get(get('input_id') as string) as number[];
      const expected = (model as EnergyModel).energy([x])[0] as number;
      expect(Number(get('energy'))).toBe(expected);
      const flag = get('flag');
      expect(flag).toBe(expected > 12 ? '1' : '0');
      if (flag === '1') {
        flagged++;
        expect(get('reasons')).toMatch(/^x\d = /);
      }
    }
    expect(versions).toEqual(new Set([version(v1), version(v2)])); // the new model was picked up
    expect(flagged).toBeGreaterThan(0);
    // stats lines on stderr: lag and events/s, then the final stats after SIGTERM
    const log = workers[1]?.stderr.join('') ?? '';
    expect(log).toMatch(/"event":"stats".*"lag":\d+.*"eventsPerSecond":/);
    expect(log).toMatch(/"event":"stopped"/);
    console.log(
      `ebm worker integration: ${produced} events, ${results.length} results, ${results.length - seen.size} duplicates, model versions ${versions.size}`,
    );
  }, 120_000);

  it('writes incidents to the output stream: the incidents of ebm score --incidents, with input ids', async () => {
    const gen = await runCliCaptured([
      'generate',
      ...[
        '--format',
        'lanl',
        '--days',
        '5',
        '--train-days',
        '3',
        '--users',
        '12',
        '--seed',
        '4',
        '--out',
        dir,
      ],
    ]);
    expect(gen.code).toBe(0);
    const model = join(dir, 'lanl.json');
    const train = await runCliCaptured([
      'train',
      ...['--format', 'lanl', '--model', 'gaussian', '--out', model, join(dir, 'lanl.train.txt')],
    ]);
    expect(train.code).toBe(0);
    const test = join(dir, 'lanl.test.txt');
    const scored = await runCliCaptured(['score', '--model', model, '--incidents', '--window', '1800', test]);
    expect(scored.code).toBe(0);
    const want = scored.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(want.length).toBeGreaterThan(0);
    const lines = readFileSync(test, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const p = client.pipeline();
    for (const line of lines) p.xadd('lanl', '*', 'line', line);
    const added = (await p.exec())?.map(([, id]) => id as string) ?? [];
    const { child, exited } = startEbm([
      'worker',
      ...['--redis', redis.url, '--in', 'lanl', '--group', 'g', '--out', 'lanl-scores'],
      ...['--model', model, '--batch', '200', '--block-ms', '100', '--incidents', '--window', '1800'],
    ]);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await client.xlen('lanl-scores')) < lines.length)
      await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM'); // open incidents are closed and written on the way out
    expect(await exited).toBe(0);
    const fieldsOf = (f: string[]): Record<string, string> => {
      const o: Record<string, string> = {};
      for (let k = 0; k + 1 < f.length; k += 2) o[f[k] as string] = f[k + 1] as string;
      return o;
    };
    const got = ((await client.xrange('lanl-scores', '-', '+')) as [string, string[]][])
      .map(([, f]) => fieldsOf(f))
      .filter((f) => f.type === 'incident')
      .map((f) => JSON.parse(f.incident as string) as Record<string, unknown>);
    expect(got.map((g) => g.incident)).toEqual(want.map((w) => w.incident));
    got.forEach((g, k) => {
      const w = want[k] as Record<string, unknown>;
      expect({ ...g, input_ids: undefined }).toEqual({ ...w, lines: undefined, input_ids: undefined });
      expect(g.input_ids).toEqual((w.lines as number[]).map((l) => added[l - 1]));
    });
  }, 120_000);
});
