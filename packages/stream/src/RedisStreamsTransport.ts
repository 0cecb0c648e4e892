import { createHash } from 'node:crypto';
import { message, ParameterError } from '@nexus/ebm-core';
import { Redis } from 'ioredis';
import type { StreamMessage, StreamResult, StreamTransport } from './transport.js';

/**
 * Options of {@link RedisStreamsTransport}.
 */
export interface RedisStreamsOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  readonly url: string;
  /** Input stream key. */
  readonly input: string;
  /** Consumer group name. */
  readonly group: string;
  /** Output stream key for results. */
  readonly output: string;
  /** This consumer's name, unique within the group. */
  readonly consumer: string;
  /** Cap of the output stream's length (approximate `MAXLEN ~`); unbounded when omitted. */
  readonly outputMaxLen?: number;
}

/**
 * Redis could not be reached (connection refused, reset or closed while a command was in flight): an
 * outage a worker rides out ({@link RedisStreamsTransport.isTransient}).
 *
 * @example
 * ```ts
 * if (e instanceof RedisUnavailableError) console.error(e.message);
 * ```
 */
export class RedisUnavailableError extends Error {
  constructor(text: string) {
    super(text);
    this.name = 'RedisUnavailableError';
  }
}

/** Error replies of a server that is starting, failing over or busy: retried like a lost connection. */
const TRANSIENT_REPLIES = ['LOADING', 'BUSY', 'TRYAGAIN', 'MASTERDOWN', 'CLUSTERDOWN', 'READONLY'];

function isReply(e: unknown): e is Error {
  return e instanceof Error && e.name === 'ReplyError';
}

/** `host:port` of a Redis URL, without credentials. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'the given URL';
  }
}

function toFields(flat: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const k = String(flat[i]);
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    out[k] = String(flat[i + 1]);
  }
  return out;
}

function toMessages(entries: unknown): StreamMessage[] {
  const out: StreamMessage[] = [];
  if (!Array.isArray(entries)) return out;
  for (const e of entries) {
    if (!Array.isArray(e) || e.length < 2 || e[1] === null) continue; // deleted entries come back as null
    out.push({ id: String(e[0]), fields: toFields(e[1]) });
  }
  return out;
}

/**
 * Server-side commit of one batch: `XADD` every result to KEYS[1], then `XACK` the given ids on KEYS[2] for
 * group ARGV[1] (in chunks, to stay within Lua's stack). ARGV[2] is the output's approximate MAXLEN or '',
 * ARGV[3] the number of ids to acknowledge and ARGV[4] the number of results; then the ids; then per
 * result: input id, field count, fields and values.
 */
const COMMIT_SCRIPT = `
local out, inp, group, maxlen = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
local nIds = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local i = 5 + nIds
for r = 1, n do
  local id = ARGV[i]
  local nf = tonumber(ARGV[i + 1])
  i = i + 2
  local args = {}
  if maxlen ~= '' then
    args[1] = 'MAXLEN'; args[2] = '~'; args[3] = maxlen
  end
  args[#args + 1] = '*'; args[#args + 1] = 'input_id'; args[#args + 1] = id
  for f = 1, 2 * nf do
    args[#args + 1] = ARGV[i]
    i = i + 1
  end
  redis.call('XADD', out, unpack(args))
end
for s = 5, 4 + nIds, 1000 do
  redis.call('XACK', inp, group, unpack(ARGV, s, math.min(s + 999, 4 + nIds)))
end
return n
`;
const COMMIT_SHA = createHash('sha1').update(COMMIT_SCRIPT).digest('hex');

/**
 * {@link StreamTransport} over Redis Streams consumer groups (`XREADGROUP`, `XAUTOCLAIM`, `XADD`, `XACK`).
 * A worker's batch is committed with {@link RedisStreamsTransport.commit}: one Lua script that `XADD`s the
 * results and then `XACK`s the inputs, atomically and in one round trip (`writeResults` and `ack` remain
 * for callers that need them apart). A worker that dies before the commit leaves its inputs pending:
 * another worker reclaims them after the idle time and scores them again. A result can still be written
 * twice when a live but stalled worker's entries are reclaimed; both copies carry the same `input_id`.
 *
 * Outages: the client reconnects on its own (backoff from 50 ms doubling to 1 s), a command fails fast
 * while the server is away ({@link RedisUnavailableError}, one line naming the server and the cause) so
 * the worker can retry it within its outage budget, and connection errors never reach the console. A
 * group lost with the server's data (a restart without persistence) is created again on the next read.
 *
 * @example
 * ```ts
 * const t = new RedisStreamsTransport({ url: 'redis://127.0.0.1:6379', input: 'events', group: 'g', output: 'scores', consumer: 'w1' });
 * ```
 */
export class RedisStreamsTransport implements StreamTransport {
  private readonly redis: Redis;
  private readonly opts: RedisStreamsOptions;
  private readonly server: string;
  /** The latest connection error (reported through commands, never printed). */
  private lastError: Error | undefined;

  /** @param options - connection, streams, group and consumer. */
  constructor(options: RedisStreamsOptions) {
    for (const k of ['url', 'input', 'group', 'output', 'consumer'] as const) {
      const v = options[k];
      if (typeof v !== 'string' || v.length === 0) {
        throw new ParameterError(
          message('RedisStreamsTransport', `${k} must be a non-empty string`, 'a string', String(v)),
        );
      }
    }
    this.opts = options;
    this.server = where(options.url);
    this.redis = new Redis(options.url, {
      // fail a command after one failed reconnection: the worker retries it within its outage budget
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times - 1, 5), 1000),
      enableAutoPipelining: false,
      lazyConnect: false,
    });
    // Without a listener ioredis prints every connection error with its stack on the console.
    this.redis.on('error', (e: unknown) => {
      if (e instanceof Error) this.lastError = e;
    });
    this.redis.on('ready', () => {
      this.lastError = undefined;
    });
  }

  /**
   * Whether an error of this transport is an outage (Redis unreachable, loading, failing over) that a
   * worker should retry, rather than a reply that retrying cannot change.
   *
   * @example
   * ```ts
   * transport.isTransient(new RedisUnavailableError('…')); // true
   * ```
   */
  isTransient(error: unknown): boolean {
    if (error instanceof RedisUnavailableError) return true;
    if (isReply(error)) return TRANSIENT_REPLIES.some((c) => error.message.startsWith(c));
    return false;
  }

  /** Runs a command, turning a lost connection into one clean {@link RedisUnavailableError}. */
  private async guarded<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      if (isReply(e) || !(e instanceof Error)) throw e;
      const cause = this.lastError?.message ?? e.message;
      throw new RedisUnavailableError(`Redis at ${this.server} is unreachable (${cause})`);
    }
  }

  /** Runs a group command; a group lost with the server's data is created again once. */
  private async inGroup<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await this.guarded(op);
    } catch (e) {
      if (!isReply(e) || !e.message.startsWith('NOGROUP')) throw e;
      await this.ensureGroup();
      return await this.guarded(op);
    }
  }

  async ensureGroup(): Promise<void> {
    try {
      await this.guarded(() =>
        this.redis.call('XGROUP', 'CREATE', this.opts.input, this.opts.group, '0', 'MKSTREAM'),
      );
    } catch (e) {
      if (!(e instanceof Error) || !e.message.includes('BUSYGROUP')) throw e;
    }
  }

  async read(count: number, blockMs: number): Promise<StreamMessage[]> {
    const r = await this.inGroup(() =>
      this.redis.call(
        'XREADGROUP',
        'GROUP',
        this.opts.group,
        this.opts.consumer,
        'COUNT',
        String(count),
        'BLOCK',
        String(blockMs),
        'STREAMS',
        this.opts.input,
        '>',
      ),
    );
    if (!Array.isArray(r) || r.length === 0) return [];
    // RESP2: [[key, entries]]; RESP3 maps in ioredis' legacy mapping: [key, entries]
    const entries = typeof r[0] === 'string' ? r[1] : (r[0] as unknown[])[1];
    return toMessages(entries);
  }

  async claimIdle(minIdleMs: number, count: number): Promise<StreamMessage[]> {
    const r = (await this.inGroup(() =>
      this.redis.call(
        'XAUTOCLAIM',
        this.opts.input,
        this.opts.group,
        this.opts.consumer,
        String(minIdleMs),
        '0-0',
        'COUNT',
        String(count),
      ),
    )) as unknown[];
    return toMessages(r[1]);
  }

  async writeResults(results: readonly StreamResult[]): Promise<void> {
    if (results.length === 0) return;
    const p = this.redis.pipeline();
    for (const res of results) {
      const args: string[] = [this.opts.output];
      if (this.opts.outputMaxLen !== undefined) args.push('MAXLEN', '~', String(this.opts.outputMaxLen));
      args.push('*', 'input_id', res.inputId);
      for (const [k, v] of Object.entries(res.fields)) args.push(k, v);
      p.call('XADD', ...args);
    }
    const replies = await this.guarded(() => p.exec());
    for (const [err] of replies ?? []) if (err) throw err;
  }

  /**
   * Writes the results and acknowledges the inputs atomically, in one round trip (a Lua script run with
   * `EVALSHA`, loaded with `EVAL` the first time). With Redis Cluster, give the input and output streams
   * the same hash tag (`{ebm}events`, `{ebm}scores`) so the script may touch both.
   *
   * @example
   * ```ts
   * await t.commit([{ inputId: '1-0', fields: { energy: '3.2' } }], ['1-0']);
   * ```
   */
  async commit(results: readonly StreamResult[], ids: readonly string[]): Promise<void> {
    if (results.length === 0 && ids.length === 0) return;
    const args: string[] = [
      this.opts.group,
      this.opts.outputMaxLen === undefined ? '' : String(this.opts.outputMaxLen),
      String(ids.length),
      String(results.length),
      ...ids,
    ];
    for (const res of results) {
      const entries = Object.entries(res.fields);
      args.push(res.inputId, String(entries.length));
      for (const [k, v] of entries) args.push(k, v);
    }
    try {
      await this.guarded(() =>
        this.redis.call('EVALSHA', COMMIT_SHA, '2', this.opts.output, this.opts.input, ...args),
      );
    } catch (e) {
      // a restarted server has lost its script cache
      if (!(e instanceof Error) || !e.message.includes('NOSCRIPT')) throw e;
      await this.guarded(() =>
        this.redis.call('EVAL', COMMIT_SCRIPT, '2', this.opts.output, this.opts.input, ...args),
      );
    }
  }

  async ack(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.guarded(() => this.redis.call('XACK', this.opts.input, this.opts.group, ...ids));
  }

  async lag(): Promise<number> {
    const groups = (await this.guarded(() =>
      this.redis.call('XINFO', 'GROUPS', this.opts.input),
    )) as unknown[];
    for (const g of groups) {
      const f = toFields(g);
      if (f.name === this.opts.group) {
        const lag = Number(f.lag);
        const pending = Number(f.pending);
        return (Number.isFinite(lag) ? lag : 0) + (Number.isFinite(pending) ? pending : 0);
      }
    }
    return 0;
  }

  async close(): Promise<void> {
    // quit waits for the server's reply; a client that is reconnecting is simply disconnected
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    else this.redis.disconnect();
  }
}
