import { message, ParameterError } from '@nexus/ebm-core';
import { Redis } from 'ioredis';
import type { StreamMessage, StreamResult, StreamTransport } from './transport.js';

/** Options of {@link RedisStreamsTransport}. */
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
 * {@link StreamTransport} over Redis Streams consumer groups (`XREADGROUP`, `XAUTOCLAIM`, `XADD`, `XACK`).
 * Results are written with `XADD` in one pipeline before the inputs are acknowledged, so a worker that
 * dies between the two leaves its inputs pending: another worker reclaims them and scores them again,
 * and the duplicate result carries the same `input_id`.
 *
 * @example
 * ```ts
 * const t = new RedisStreamsTransport({ url: 'redis://127.0.0.1:6379', input: 'events', group: 'g', output: 'scores', consumer: 'w1' });
 * ```
 */
export class RedisStreamsTransport implements StreamTransport {
  private readonly redis: Redis;
  private readonly opts: RedisStreamsOptions;

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
    this.redis = new Redis(options.url, {
      maxRetriesPerRequest: 3,
      enableAutoPipelining: false,
      lazyConnect: false,
    });
  }

  async ensureGroup(): Promise<void> {
    try {
      await this.redis.call('XGROUP', 'CREATE', this.opts.input, this.opts.group, '0', 'MKSTREAM');
    } catch (e) {
      if (!(e instanceof Error) || !e.message.includes('BUSYGROUP')) throw e;
    }
  }

  async read(count: number, blockMs: number): Promise<StreamMessage[]> {
    const r = await this.redis.call(
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
    );
    if (!Array.isArray(r) || r.length === 0) return [];
    // RESP2: [[key, entries]]; RESP3 maps in ioredis' legacy mapping: [key, entries]
    const entries = typeof r[0] === 'string' ? r[1] : (r[0] as unknown[])[1];
    return toMessages(entries);
  }

  async claimIdle(minIdleMs: number, count: number): Promise<StreamMessage[]> {
    const r = (await this.redis.call(
      'XAUTOCLAIM',
      this.opts.input,
      this.opts.group,
      this.opts.consumer,
      String(minIdleMs),
      '0-0',
      'COUNT',
      String(count),
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
    const replies = await p.exec();
    for (const [err] of replies ?? []) if (err) throw err;
  }

  async ack(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.call('XACK', this.opts.input, this.opts.group, ...ids);
  }

  async lag(): Promise<number> {
    const groups = (await this.redis.call('XINFO', 'GROUPS', this.opts.input)) as unknown[];
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
    await this.redis.quit().catch(() => undefined);
  }
}
