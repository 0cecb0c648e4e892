/**
 * A worker process for the integration test: scores `x` as energy x², slowly enough that a kill lands
 * mid-stream. Args: URL CONSUMER. Prints `batch N` after every batch; exits 0 after SIGTERM.
 */
import { RedisStreamsTransport } from '../RedisStreamsTransport.js';
import { ScoringWorker } from '../ScoringWorker.js';

const [url, consumer] = process.argv.slice(2);
if (url === undefined || consumer === undefined) throw new Error('workerFixture: usage URL CONSUMER');
const transport = new RedisStreamsTransport({
  url,
  input: 'events',
  group: 'scorers',
  output: 'scores',
  consumer,
});
let batches = 0;
const worker = new ScoringWorker(
  transport,
  {
    current: async () => ({
      version: 'square-v1',
      score: (evs) => {
        process.stdout.write(`batch ${++batches}\n`);
        const until = performance.now() + 15;
        while (performance.now() < until) {
          // simulate scoring work so that batches are in flight when a worker is killed
        }
        return evs.map((e) => {
          const x = Number(e.x);
          return { energy: x * x, flag: x * x > 9 };
        });
      },
    }),
  },
  { batchSize: 100, blockMs: 100, claimIdleMs: 400, claimEveryMs: 200, consumer },
);
process.on('SIGTERM', () => worker.stop());
const stats = await worker.run();
await transport.close();
process.stdout.write(`done ${JSON.stringify(stats)}\n`);
