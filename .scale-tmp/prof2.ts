import { Rng } from '../packages/core/src/index.js';
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
for (const mode of ['call', 'callBuffer', 'xreadgroup']) {
  const g = `g${mode}`;
  await c.xgroup('CREATE', 'events', g, '0');
  const t0 = performance.now();
  let n = 0;
  const cpu0 = process.cpuUsage();
  for (;;) {
    const args = ['GROUP', g, 'c', 'COUNT', '1000', 'STREAMS', 'events', '>'];
    const r = mode === 'call' ? await c.call('XREADGROUP', ...args) : mode === 'callBuffer' ? await c.callBuffer('XREADGROUP', ...args) : await (c as any).xreadgroup(...args);
    const e = (r as any)?.[0]?.[1] ?? [];
    if (e.length === 0) break;
    n += e.length;
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(mode, n, Math.round(performance.now() - t0), 'ms wall', Math.round((cpu.user + cpu.system) / 1000), 'ms client cpu');
}
await c.quit(); await redis.stop();
