import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';

/**
 * A throwaway redis-server on a loopback port (for tests and benchmarks).
 *
 * @example
 * ```ts
 * const redis: TestRedis = await startRedis();
 * await redis.stop();
 * ```
 */
export interface TestRedis {
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  /** The port. */
  readonly port: number;
  /** Stops the server. */
  stop(): Promise<void>;
}

/**
 * Whether a `redis-server` binary is on the PATH.
 *
 * @example
 * ```ts
 * if (!hasRedisServer()) console.log('skipping');
 * ```
 */
export function hasRedisServer(): boolean {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tryOnce = (): void => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.end();
        resolve();
      });
      s.on('error', () => {
        s.destroy();
        if (Date.now() > deadline)
          reject(new Error(`redis-server: not listening on 127.0.0.1:${port} after ${timeoutMs} ms`));
        else setTimeout(tryOnce, 50);
      });
    };
    tryOnce();
  });
}

/**
 * Starts `redis-server` on 127.0.0.1 at a free-ish port, without persistence unless given a folder.
 *
 * @example
 * ```ts
 * const redis = await startRedis(); try { … } finally { await redis.stop(); }
 * ```
 */
export async function startRedis(
  port: number = 20000 + Math.floor(Math.random() * 20000),
  options: { readonly dir?: string } = {},
): Promise<TestRedis> {
  // With `dir`: an append-only file there, fsynced on every write, so a restart on the same folder keeps
  // the streams, groups and pending entries.
  const persistence =
    options.dir === undefined
      ? ['--save', '', '--appendonly', 'no']
      : ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', options.dir];
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', ...persistence, '--protected-mode', 'yes'],
    { stdio: 'ignore' },
  );
  await waitForPort(port, 5000);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
