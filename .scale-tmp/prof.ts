import { Rng } from '../packages/core/src/index.js';
import { GaussianDensity } from '../packages/energies/src/index.js';
import { buildStreamScorer } from '../packages/ebm/src/cli/worker.js';
import { RedisStreamsTransport, ScoringWorker } from '../packages/stream/src/index.js';
import { Redis } from '../packages/stream/src/testing/redisClient.js';
import { startRedis } from '../packages/stream/src/testing/redisServer.js';
const redis = await startRedis();
const c = new Redis(redis.url);
const N = 50000, D = 8;
const rng = new Rng(1);
for (let i0 = 0; i0 < N; i0 += 2000) {
  const p = c.pipeline();
  for (let i = i0; i < i0 + 2000; i++) { const f: string[] = ['seq', String(i)]; for (let j = 0; j < D; j++) f.push(`x${j}`, rng.normal().toFixed(5)); p.xadd('events', '*', ...f); }
  await p.exec();
}
const X = Array.from({ length: 2000 }, () => Array.from({ length: D }, () => rng.normal()));
const scorer = buildStreamScorer(JSON.stringify(new GaussianDensity().fit(X).toJSON()), 'v1', { threshold: 20 });
const t = new RedisStreamsTransport({ url: redis.url, input: 'events', group: 'g', output: 'scores', consumer: 'w' });
const times: Record<string, number> = { read: 0, score: 0, write: 0, ack: 0 };
const wrap = <T extends (...a: never[]) => Promise<unknown>>(k: string, f: T): T => (async (...a: never[]) => { const t0 = performance.now(); const r = await f(...a); times[k]! += performance.now() - t0; return r; }) as T;
t.read = wrap('read', t.read.bind(t)); t.writeResults = wrap('write', t.writeResults.bind(t)); t.ack = wrap('ack', t.ack.bind(t));
const src = { current: async () => ({ version: 'v1', score: (e: readonly Readonly<Record<string, string>>[]) => { const t0 = performance.now(); const r = scorer.score(e); times.score! += performance.now() - t0; return r; } }) };
const w = new ScoringWorker(t, src, { batchSize: 1000, blockMs: 50 });
const t0 = performance.now();
const run = w.run();
while ((await c.xlen('scores')) < N) await new Promise((r) => setTimeout(r, 20));
w.stop(); await run;
const total = performance.now() - t0;
console.log('events/s', N / (total / 1000), JSON.stringify(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(v)]))), 'total ms', Math.round(total));
await t.close(); await c.quit(); await redis.stop();
