import { describe, expect, it } from 'vitest';
import { type OutageEvent, OutageGuard, OutageStopped, StreamOutageError } from './outage.js';
import { ScoringWorker } from './ScoringWorker.js';
import type { StreamMessage, StreamResult, StreamTransport } from './transport.js';

const down = (): Error =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });

describe('OutageGuard (issue 15, case 9)', () => {
  it('retries a failing call with doubling waits and reports the outage once, then its end', async () => {
    const events: OutageEvent[] = [];
    const g = new OutageGuard({
      budgetMs: 5000,
      initialDelayMs: 5,
      maxDelayMs: 20,
      onEvent: (e) => events.push(e),
    });
    let calls = 0;
    const stamps: number[] = [];
    const v = await g.run('read', async () => {
      stamps.push(performance.now());
      if (++calls < 5) throw down();
      return 42;
    });
    expect(v).toBe(42);
    expect(calls).toBe(5);
    const waits = stamps.slice(1).map((t, i) => t - (stamps[i] as number));
    expect(waits[1] as number).toBeGreaterThanOrEqual(9); // 5, 10, 20, 20 ms
    expect(waits[3] as number).toBeGreaterThanOrEqual(19);
    expect(events.map((e) => e.state)).toEqual(['lost', 'restored']);
    expect(events[0]).toMatchObject({ operation: 'read', error: 'connect ECONNREFUSED 127.0.0.1:6379' });
    expect(events[1]).toMatchObject({ retries: 4 });
    expect(g.down).toBe(false);
  });

  it('gives up after the budget with one line naming the budget and the last error', async () => {
    const g = new OutageGuard({ budgetMs: 60, initialDelayMs: 5, maxDelayMs: 10 });
    const t0 = performance.now();
    const err = await g
      .run('commit', async () => {
        throw down();
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamOutageError);
    const text = (err as Error).message;
    expect(text).not.toMatch(/\n/);
    expect(text).toMatch(
      /outage budget \(expected it back within 0\.1 s, got \d+ failed retries; last error: connect ECONNREFUSED/,
    );
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('passes a non-transient error through at once, and a stop ends the waiting', async () => {
    const g = new OutageGuard({
      budgetMs: 10_000,
      initialDelayMs: 5,
      maxDelayMs: 10,
      isTransient: (e) => (e as Error).message.startsWith('connect'),
    });
    let calls = 0;
    await expect(
      g.run('read', async () => {
        calls++;
        throw new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
      }),
    ).rejects.toThrow(/WRONGTYPE/);
    expect(calls).toBe(1);
    let stop = false;
    const s = new OutageGuard({ budgetMs: 10_000, initialDelayMs: 5, maxDelayMs: 10, stopping: () => stop });
    setTimeout(() => {
      stop = true;
    }, 40);
    await expect(s.run('read', async () => Promise.reject(down()))).rejects.toBeInstanceOf(OutageStopped);
  });

  it('rejects a bad budget or delay', () => {
    expect(() => new OutageGuard({ budgetMs: -1, initialDelayMs: 5, maxDelayMs: 10 })).toThrow(
      /outageBudgetMs/,
    );
    expect(() => new OutageGuard({ budgetMs: 1, initialDelayMs: 0, maxDelayMs: 10 })).toThrow(/retryDelayMs/);
    expect(() => new OutageGuard({ budgetMs: 1, initialDelayMs: 50, maxDelayMs: 10 })).toThrow(
      /maxRetryDelayMs/,
    );
  });
});

/**
 * An in-memory consumer group whose calls fail while `offline` is set, or for `len` calls from the
 * `at`-th call on (deterministic outages, whatever the machine's speed).
 */
class FlakyTransport implements StreamTransport {
  offline = false;
  failures = 0;
  calls = 0;
  readonly results = new Map<string, number>();
  /** The fields of each input's last result. */
  readonly fields = new Map<string, Readonly<Record<string, string>>>();
  private readonly queue: StreamMessage[];
  private readonly pending = new Map<string, StreamMessage>();
  constructor(
    n: number,
    private readonly outages: readonly { readonly at: number; readonly len: number }[] = [],
  ) {
    this.queue = Array.from({ length: n }, (_, i) => ({ id: `${i + 1}-0`, fields: { x: String(i) } }));
  }
  /** Yields to timers as a network call would (an empty read returns at once otherwise). */
  private async gate(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    const k = ++this.calls;
    if (this.offline || this.outages.some((o) => k >= o.at && k < o.at + o.len)) {
      this.failures++;
      throw down();
    }
  }
  async ensureGroup(): Promise<void> {
    await this.gate();
  }
  async read(count: number): Promise<StreamMessage[]> {
    await this.gate();
    const batch = this.queue.splice(0, count);
    for (const m of batch) this.pending.set(m.id, m);
    return batch;
  }
  async claimIdle(): Promise<StreamMessage[]> {
    await this.gate();
    return [];
  }
  async writeResults(results: readonly StreamResult[]): Promise<void> {
    await this.gate();
    for (const r of results) {
      this.results.set(r.inputId, (this.results.get(r.inputId) ?? 0) + 1);
      this.fields.set(r.inputId, r.fields);
    }
  }
  async ack(ids: readonly string[]): Promise<void> {
    await this.gate();
    for (const id of ids) this.pending.delete(id);
  }
  async lag(): Promise<number> {
    await this.gate();
    return this.queue.length + this.pending.size;
  }
  async close(): Promise<void> {}
}

describe('ScoringWorker through outages', () => {
  const scorer = {
    version: 'v1',
    score: (evs: readonly Readonly<Record<string, string>>[]) =>
      evs.map((e) => ({ energy: Number(e.x), flag: false })),
  };

  it('rides out outages mid-stream: every event scored and acknowledged, none lost', async () => {
    // three outages mid-stream: 3, 5 and 8 failed calls in a row
    const t = new FlakyTransport(1000, [
      { at: 5, len: 3 },
      { at: 20, len: 5 },
      { at: 40, len: 8 },
    ]);
    const w = new ScoringWorker(
      t,
      { current: async () => scorer },
      {
        batchSize: 37,
        blockMs: 0,
        claimEveryMs: 0,
        retryDelayMs: 2,
        maxRetryDelayMs: 8,
        outageBudgetMs: 5000,
      },
    );
    const done = (async () => {
      while (t.results.size < 1000) await new Promise((r) => setTimeout(r, 2));
      w.stop();
    })();
    const stats = await w.run();
    await done;
    expect(t.failures).toBeGreaterThan(0);
    expect(t.failures).toBe(16);
    expect(stats.outages).toBe(3);
    expect(t.results.size).toBe(1000);
    expect(stats.processed).toBe(1000);
  });

  it('gives up with a StreamOutageError once the budget is spent, and a stop during an outage returns', async () => {
    const t = new FlakyTransport(10);
    t.offline = true;
    const w = new ScoringWorker(t, { current: async () => scorer }, { retryDelayMs: 5, outageBudgetMs: 50 });
    await expect(w.run()).rejects.toBeInstanceOf(StreamOutageError);
    const u = new FlakyTransport(10);
    u.offline = true;
    const v = new ScoringWorker(
      u,
      { current: async () => scorer },
      { retryDelayMs: 5, outageBudgetMs: 60_000 },
    );
    setTimeout(() => v.stop(), 30);
    await expect(v.run()).resolves.toMatchObject({ processed: 0 });
  });
});

describe('ScoringWorker results', () => {
  it('writes late 1 for an event the scorer featurized out of time order, and counts it', async () => {
    const t = new FlakyTransport(50);
    const scorer = {
      version: 'v1',
      score: (evs: readonly Readonly<Record<string, string>>[]) =>
        evs.map((e) => ({
          energy: Number(e.x),
          flag: false,
          ...(Number(e.x) % 10 === 3 ? { late: true } : {}),
        })),
    };
    const w = new ScoringWorker(
      t,
      { current: async () => scorer },
      { batchSize: 7, blockMs: 0, claimEveryMs: 0 },
    );
    const done = (async () => {
      while (t.results.size < 50) await new Promise((r) => setTimeout(r, 2));
      w.stop();
    })();
    const stats = await w.run();
    await done;
    expect(stats.late).toBe(5);
    expect(t.fields.get('4-0')?.late).toBe('1'); // x = 3
    expect(t.fields.get('5-0')?.late).toBeUndefined();
  });
});
