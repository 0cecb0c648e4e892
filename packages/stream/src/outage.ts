/**
 * Riding out transport outages (a Redis restart, a network blip): retry with exponential backoff, give up
 * only after an outage budget.
 *
 * @module
 */
import { EbmError, message, ParameterError } from '@nexus/ebm-core';

/**
 * Thrown by a worker when its transport stayed unreachable longer than the outage budget. The message is
 * one line: how long, the budget, and the last error of the transport.
 *
 * @example
 * ```ts
 * try { await worker.run(); } catch (e) { if (e instanceof StreamOutageError) console.error(e.message); }
 * ```
 */
export class StreamOutageError extends EbmError {
  /** How long the transport had been failing, in ms. */
  readonly downMs: number;

  /**
   * @param text - the message.
   * @param downMs - the length of the outage so far.
   */
  constructor(text: string, downMs: number) {
    super(text);
    this.name = 'StreamOutageError';
    this.downMs = downMs;
  }
}

/**
 * A change of the transport's state, reported by {@link OutageGuard}.
 *
 * @example
 * ```ts
 * const e: OutageEvent = { state: 'lost', operation: 'read', error: 'connect ECONNREFUSED 127.0.0.1:6379' };
 * ```
 */
export type OutageEvent =
  | {
      /** The first failure of an outage. */
      readonly state: 'lost';
      /** The transport call that failed. */
      readonly operation: string;
      /** Its error message (one line). */
      readonly error: string;
    }
  | {
      /** The first success after an outage. */
      readonly state: 'restored';
      /** How long the outage lasted, in ms. */
      readonly downMs: number;
      /** Failed attempts during it. */
      readonly retries: number;
    };

/**
 * Options of {@link OutageGuard}.
 *
 * @example
 * ```ts
 * const o: OutageOptions = { budgetMs: 60_000, initialDelayMs: 100, maxDelayMs: 2000 };
 * ```
 */
export interface OutageOptions {
  /** Give up when the transport has failed for longer than this, in ms. */
  readonly budgetMs: number;
  /** The first wait before a retry, in ms; it doubles after each failure. */
  readonly initialDelayMs: number;
  /** The longest wait between retries, in ms. */
  readonly maxDelayMs: number;
  /** Whether an error is an outage worth retrying (default: every error is). */
  readonly isTransient?: (e: unknown) => boolean;
  /** Told when an outage starts and ends. */
  readonly onEvent?: (e: OutageEvent) => void;
  /** Checked while waiting: true ends the wait and the retries ({@link OutageStopped}). */
  readonly stopping?: () => boolean;
}

/**
 * Thrown by {@link OutageGuard.run} when the caller asked to stop during an outage.
 *
 * @example
 * ```ts
 * try { await guard.run('read', op); } catch (e) { if (e instanceof OutageStopped) return; }
 * ```
 */
export class OutageStopped extends EbmError {
  constructor() {
    super('OutageGuard: stopped during an outage');
    this.name = 'OutageStopped';
  }
}

/** One line of an error, for a message (no stack, no line breaks). */
export function errorLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function checkMs(name: string, v: number, min: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new ParameterError(
      message('ScoringWorker', `${name} must be a number of ms ≥ ${min}`, `≥ ${min}`, String(v)),
    );
  }
  return v;
}

/**
 * Runs transport calls through one outage clock: a call that fails with a transient error is retried after
 * a wait that starts at `initialDelayMs` and doubles up to `maxDelayMs`; the outage ends with the first
 * success of any call, and the guard gives up with a {@link StreamOutageError} once the calls have been
 * failing for longer than `budgetMs`. A non-transient error passes through at once.
 *
 * @example
 * ```ts
 * const guard = new OutageGuard({ budgetMs: 60_000, initialDelayMs: 100, maxDelayMs: 2000 });
 * const batch = await guard.run('read', () => transport.read(500, 1000));
 * ```
 */
export class OutageGuard {
  private readonly opts: OutageOptions;
  /** `performance.now()` of the first failure of the current outage, or undefined when connected. */
  private since: number | undefined;
  private retries = 0;
  private delay: number;

  /** @param options - budget, backoff and callbacks. */
  constructor(options: OutageOptions) {
    checkMs('outageBudgetMs', options.budgetMs, 0);
    checkMs('retryDelayMs', options.initialDelayMs, 1);
    checkMs('maxRetryDelayMs', options.maxDelayMs, options.initialDelayMs);
    this.opts = options;
    this.delay = options.initialDelayMs;
  }

  /** Whether an outage is in progress. */
  get down(): boolean {
    return this.since !== undefined;
  }

  /**
   * Runs `op` until it succeeds, waiting with backoff between failures, within the outage budget.
   *
   * @example
   * ```ts
   * await guard.run('commit', () => transport.commit(results, ids));
   * ```
   */
  async run<T>(operation: string, op: () => Promise<T>): Promise<T> {
    for (;;) {
      let value: T;
      try {
        value = await op();
      } catch (e) {
        if (!(this.opts.isTransient?.(e) ?? true)) throw e;
        const now = performance.now();
        if (this.since === undefined) {
          this.since = now;
          this.retries = 0;
          this.delay = this.opts.initialDelayMs;
          this.opts.onEvent?.({ state: 'lost', operation, error: errorLine(e) });
        }
        const down = now - this.since;
        if (down > this.opts.budgetMs) {
          throw new StreamOutageError(
            message(
              'ScoringWorker',
              `the stream transport has been unreachable for ${(down / 1000).toFixed(1)} s, beyond the outage budget`,
              `it back within ${(this.opts.budgetMs / 1000).toFixed(1)} s`,
              `${this.retries} failed retries; last error: ${errorLine(e)}`,
            ),
            down,
          );
        }
        this.retries++;
        // never sleep past the budget: the last retry comes just after it runs out
        await this.sleep(Math.min(this.delay, this.opts.budgetMs - down + 1));
        this.delay = Math.min(this.delay * 2, this.opts.maxDelayMs);
        continue;
      }
      if (this.since !== undefined) {
        const downMs = performance.now() - this.since;
        this.since = undefined;
        this.opts.onEvent?.({ state: 'restored', downMs, retries: this.retries });
      }
      return value;
    }
  }

  private async sleep(ms: number): Promise<void> {
    const until = performance.now() + ms;
    for (;;) {
      if (this.opts.stopping?.() === true) throw new OutageStopped();
      const left = until - performance.now();
      if (left <= 0) return;
      await new Promise((r) => setTimeout(r, Math.min(left, 50)));
    }
  }
}
