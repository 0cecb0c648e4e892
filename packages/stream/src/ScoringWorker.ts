import { message, ParameterError } from '@nexus/ebm-core';
import { type OutageEvent, OutageGuard, OutageStopped } from './outage.js';
import type { StreamMessage, StreamResult, StreamTransport } from './transport.js';

/**
 * The score of one event.
 */
export interface ScoredEvent {
  /** Energy (higher = more anomalous). */
  readonly energy: number;
  /** Calibrated p-value, when the scorer has calibration energies. */
  readonly pValue?: number;
  /** Whether the energy is over the threshold. */
  readonly flag: boolean;
  /** Top reasons as text, for flagged events. */
  readonly reasons?: string;
  /** Why the event could not be scored (it is acknowledged anyway, so a bad event cannot loop forever). */
  readonly error?: string;
  /** The event was featurized out of time order (later than the scorer's reordering window). */
  readonly late?: boolean;
}

/**
 * Scores a batch of events given as string fields (as they arrive on a stream).
 *
 * @example
 * ```ts
 * const scorer: Scorer = { version: 'v1', score: (evs) => evs.map((e) => ({ energy: Number(e.x), flag: Number(e.x) > 3 })) };
 * ```
 */
export interface Scorer {
  /** Model version, written with every result. */
  readonly version: string;
  /** One score per event, in order; `ids` are the events' transport ids. */
  score(events: readonly Readonly<Record<string, string>>[], ids?: readonly string[]): ScoredEvent[];
  /**
   * Optional: the incidents (flagged events rolled up per entity and time window, one JSON text each)
   * that the events scored so far have closed, each handed over once; `final` also closes the open ones
   * (the worker is stopping or switching to a new model version).
   */
  takeIncidents?(final: boolean): readonly string[];
}

/**
 * Supplies the current scorer; polled so a new model version is picked up without a restart.
 *
 * @example
 * ```ts
 * const source: ScorerSource = { current: async () => scorer };
 * ```
 */
export interface ScorerSource {
  /** The newest scorer (may return the same object while nothing changed). */
  current(): Promise<Scorer>;
}

/**
 * Counters of a worker.
 *
 * @example
 * ```ts
 * const stats: WorkerStats = await worker.run();
 * console.log(stats.processed, stats.lag, stats.eventsPerSecond);
 * ```
 */
export interface WorkerStats {
  /** Events scored (including redeliveries). */
  processed: number;
  /** Batches handled. */
  batches: number;
  /** Events taken over from dead consumers. */
  reclaimed: number;
  /** Events that could not be scored. */
  errors: number;
  /** Incidents written (scorers that roll events up into incidents). */
  incidents: number;
  /** Model reloads after the first load. */
  reloads: number;
  /** Model version in use. */
  modelVersion: string;
  /** Last measured lag (undelivered + pending) of the group. */
  lag: number;
  /** Events per second since the start. */
  eventsPerSecond: number;
  /** Transport outages ridden out (each ended by a successful call). */
  outages: number;
  /** Events scored out of time order (results with `late` 1: later than the scorer's reordering window). */
  late: number;
}

/**
 * Options of {@link ScoringWorker}.
 */
export interface ScoringWorkerOptions {
  /** Events per read (default 500). */
  readonly batchSize?: number;
  /** How long a read waits for new events, in ms (default 500). */
  readonly blockMs?: number;
  /** Pending entries idle longer than this (ms) are reclaimed from dead consumers (default 30,000). */
  readonly claimIdleMs?: number;
  /** How often to look for entries to reclaim, in ms (default 5,000). */
  readonly claimEveryMs?: number;
  /** How often to ask the scorer source for a new model, in ms (default 2,000). */
  readonly reloadEveryMs?: number;
  /** How often to report stats, in ms (default 5,000). */
  readonly statsEveryMs?: number;
  /** Called with the stats every `statsEveryMs`. */
  readonly onStats?: (s: Readonly<WorkerStats>) => void;
  /** Consumer name written into each result (default none). */
  readonly consumer?: string;
  /**
   * How long the transport may fail (a Redis restart, a network cut) before {@link ScoringWorker.run}
   * gives up with a {@link StreamOutageError}, in ms (default 60,000). Until then every call is retried
   * with exponential backoff, and reading and reclaiming resume where they were.
   */
  readonly outageBudgetMs?: number;
  /** The first wait before a retry, in ms; doubled after each failure (default 100). */
  readonly retryDelayMs?: number;
  /** The longest wait between retries, in ms (default 2,000). */
  readonly maxRetryDelayMs?: number;
  /** Told when an outage starts (`lost`) and when the transport answers again (`restored`). */
  readonly onOutage?: (e: OutageEvent) => void;
}

function checkPositive(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v < 0) {
    throw new ParameterError(
      message('ScoringWorker', `${name} must be a non-negative number`, '≥ 0', String(v)),
    );
  }
  return v;
}

/**
 * A scoring worker: joins a consumer group, reads events in batches, scores them, writes one result per
 * event (keyed by the input id) and acknowledges the inputs only after the results are written. It
 * reclaims entries left pending by dead consumers, picks up new model versions from its
 * {@link ScorerSource}, and on {@link ScoringWorker.stop} finishes the batch in hand before `run` resolves.
 * A scorer with `takeIncidents` also gets its closed incidents written (`type` `incident`), committed with
 * the batch that closed them; the rest when it is replaced or the worker stops.
 *
 * @example
 * ```ts
 * const worker = new ScoringWorker(transport, source, { batchSize: 500 });
 * process.on('SIGTERM', () => worker.stop());
 * await worker.run();
 * ```
 */
export class ScoringWorker {
  private readonly transport: StreamTransport;
  private readonly source: ScorerSource;
  private readonly batchSize: number;
  private readonly blockMs: number;
  private readonly claimIdleMs: number;
  private readonly claimEveryMs: number;
  private readonly reloadEveryMs: number;
  private readonly statsEveryMs: number;
  private readonly onStats: ((s: Readonly<WorkerStats>) => void) | undefined;
  private readonly consumer: string | undefined;
  private readonly guard: OutageGuard;
  private stopping = false;
  /** Id of the last input handled: the `input_id` of incidents closed without a batch. */
  private lastId = '0-0';
  /** Live counters. */
  readonly stats: WorkerStats = {
    processed: 0,
    batches: 0,
    reclaimed: 0,
    errors: 0,
    incidents: 0,
    reloads: 0,
    modelVersion: '',
    lag: 0,
    eventsPerSecond: 0,
    outages: 0,
    late: 0,
  };

  /**
   * @param transport - where events come from and results go.
   * @param source - supplies the (current) scorer.
   * @param options - batching, reclaiming and reload intervals.
   */
  constructor(transport: StreamTransport, source: ScorerSource, options: ScoringWorkerOptions = {}) {
    this.transport = transport;
    this.source = source;
    this.batchSize = Math.max(1, Math.floor(checkPositive('batchSize', options.batchSize, 500)));
    this.blockMs = checkPositive('blockMs', options.blockMs, 500);
    this.claimIdleMs = checkPositive('claimIdleMs', options.claimIdleMs, 30_000);
    this.claimEveryMs = checkPositive('claimEveryMs', options.claimEveryMs, 5_000);
    this.reloadEveryMs = checkPositive('reloadEveryMs', options.reloadEveryMs, 2_000);
    this.statsEveryMs = checkPositive('statsEveryMs', options.statsEveryMs, 5_000);
    this.onStats = options.onStats;
    this.consumer = options.consumer;
    const onOutage = options.onOutage;
    this.guard = new OutageGuard({
      budgetMs: checkPositive('outageBudgetMs', options.outageBudgetMs, 60_000),
      initialDelayMs: Math.max(1, checkPositive('retryDelayMs', options.retryDelayMs, 100)),
      maxDelayMs: Math.max(
        1,
        checkPositive('retryDelayMs', options.retryDelayMs, 100),
        checkPositive('maxRetryDelayMs', options.maxRetryDelayMs, 2_000),
      ),
      ...(transport.isTransient === undefined
        ? {}
        : { isTransient: (e: unknown) => (transport.isTransient as (e: unknown) => boolean)(e) }),
      onEvent: (e) => {
        if (e.state === 'restored') this.stats.outages++;
        onOutage?.(e);
      },
      stopping: () => this.stopping,
    });
  }

  /** Asks the worker to stop after the batch in hand; `run` then resolves. */
  stop(): void {
    this.stopping = true;
  }

  /** Whether {@link ScoringWorker.stop} was called. */
  get stopped(): boolean {
    return this.stopping;
  }

  private async handle(scorer: Scorer, batch: readonly StreamMessage[]): Promise<void> {
    let scores: ScoredEvent[];
    let incidents: readonly string[] = [];
    try {
      scores = scorer.score(
        batch.map((m) => m.fields),
        batch.map((m) => m.id),
      );
      incidents = scorer.takeIncidents?.(false) ?? [];
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      scores = batch.map(() => ({ energy: Number.NaN, flag: false, error: why }));
    }
    const results: StreamResult[] = batch.map((m, i) => {
      const s = scores[i] ?? { energy: Number.NaN, flag: false, error: 'scorer returned too few results' };
      const fields: Record<string, string> = { model_version: scorer.version };
      if (s.error !== undefined) {
        this.stats.errors++;
        fields.error = s.error;
      } else {
        fields.energy = String(s.energy);
        fields.flag = s.flag ? '1' : '0';
        if (s.pValue !== undefined) fields.p_value = String(s.pValue);
        if (s.flag && s.reasons !== undefined) fields.reasons = s.reasons;
        if (s.late === true) {
          fields.late = '1';
          this.stats.late++;
        }
      }
      if (this.consumer !== undefined) fields.consumer = this.consumer;
      return { inputId: m.id, fields };
    });
    this.lastId = (batch[batch.length - 1] as StreamMessage).id;
    // Incidents closed by this batch are committed with it, keyed by its last input.
    for (const text of incidents) results.push(this.incidentResult(scorer, text));
    const ids = batch.map((m) => m.id);
    const t = this.transport;
    // Retried through an outage: at worst a result is written twice (same input_id), never lost.
    if (t.commit !== undefined) {
      const commit = t.commit.bind(t);
      await this.guard.run('commit', () => commit(results, ids));
    } else {
      await this.guard.run('writeResults', () => t.writeResults(results));
      await this.guard.run('ack', () => t.ack(ids));
    }
    this.stats.processed += batch.length;
    this.stats.batches++;
  }

  private incidentResult(scorer: Scorer, text: string): StreamResult {
    this.stats.incidents++;
    const fields: Record<string, string> = {
      model_version: scorer.version,
      type: 'incident',
      incident: text.trimEnd(),
    };
    if (this.consumer !== undefined) fields.consumer = this.consumer;
    return { inputId: this.lastId, fields };
  }

  /** Writes the incidents a scorer still holds open (it is being replaced, or the worker stops). */
  private async closeIncidents(scorer: Scorer): Promise<void> {
    const rest = scorer.takeIncidents?.(true) ?? [];
    if (rest.length > 0) {
      const results = rest.map((t) => this.incidentResult(scorer, t));
      await this.guard.run('writeResults', () => this.transport.writeResults(results));
    }
  }

  /**
   * Runs until {@link ScoringWorker.stop}; resolves to the final stats. Transport failures are retried
   * with backoff within the outage budget (see {@link ScoringWorkerOptions.outageBudgetMs}); beyond it,
   * rejects with a {@link StreamOutageError} whose message is one line. A stop during an outage ends the
   * run at once: a batch in hand stays pending in the group and is reclaimed later.
   *
   * @example
   * ```ts
   * const stats = await worker.run();
   * ```
   */
  async run(): Promise<WorkerStats> {
    try {
      await this.loop();
    } catch (e) {
      if (!(e instanceof OutageStopped)) throw e;
      return this.stats;
    }
    if (!this.guard.down) this.stats.lag = await this.transport.lag().catch(() => this.stats.lag);
    return this.stats;
  }

  private async loop(): Promise<void> {
    const t = this.transport;
    await this.guard.run('ensureGroup', () => t.ensureGroup());
    let scorer = await this.source.current();
    this.stats.modelVersion = scorer.version;
    const t0 = performance.now();
    let lastClaim = -Infinity;
    let lastReload = performance.now();
    let lastStats = performance.now();
    while (!this.stopping) {
      const now = performance.now();
      if (now - lastReload >= this.reloadEveryMs) {
        lastReload = now;
        const next = await this.source.current();
        if (next.version !== scorer.version) {
          await this.closeIncidents(scorer);
          scorer = next;
          this.stats.modelVersion = next.version;
          this.stats.reloads++;
        }
      }
      let batch: StreamMessage[] = [];
      if (now - lastClaim >= this.claimEveryMs) {
        lastClaim = now;
        batch = await this.guard.run('claimIdle', () => t.claimIdle(this.claimIdleMs, this.batchSize));
        this.stats.reclaimed += batch.length;
      }
      if (batch.length === 0 && !this.stopping) {
        batch = await this.guard.run('read', () => t.read(this.batchSize, this.blockMs));
      }
      if (batch.length > 0) await this.handle(scorer, batch);
      const tn = performance.now();
      this.stats.eventsPerSecond = this.stats.processed / Math.max(1e-9, (tn - t0) / 1000);
      if (this.onStats !== undefined && tn - lastStats >= this.statsEveryMs) {
        lastStats = tn;
        // the lag is informative only: a failure keeps the last value (the next read rides the outage)
        this.stats.lag = await t.lag().catch(() => this.stats.lag);
        this.onStats(this.stats);
      }
    }
    await this.closeIncidents(scorer);
  }
}
