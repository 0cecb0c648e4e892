/**
 * The transport a scoring worker reads events from and writes results to. Redis Streams consumer groups
 * implement it first; a Kafka consumer group can implement the same semantics later: at-least-once
 * delivery, results written before the input is acknowledged, and pending entries of dead consumers
 * reclaimed after an idle time.
 *
 * @module
 */

/**
 * One input event: an id assigned by the transport and its string fields.
 */
export interface StreamMessage {
  /** Transport id (a Redis stream entry id such as `1700000000000-0`). */
  readonly id: string;
  /** The event's fields. */
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * One result to write: keyed by the id of the input event, so a redelivery is recognisable.
 */
export interface StreamResult {
  /** Id of the input event this result belongs to. */
  readonly inputId: string;
  /** Result fields (energy, p-value, flag, reasons, model version…). */
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * A consumer-group transport.
 *
 * @example
 * ```ts
 * const t: StreamTransport = new RedisStreamsTransport({ url, input: 'events', group: 'scorers', output: 'scores', consumer: 'w1' });
 * await t.ensureGroup();
 * const batch = await t.read(500, 1000);
 * ```
 */
export interface StreamTransport {
  /** Creates the consumer group (and the input stream) if missing. Idempotent. */
  ensureGroup(): Promise<void>;
  /** New messages for this consumer: up to `count`, waiting up to `blockMs` when none are ready. */
  read(count: number, blockMs: number): Promise<StreamMessage[]>;
  /** Takes over up to `count` messages pending longer than `minIdleMs` with other (dead) consumers. */
  claimIdle(minIdleMs: number, count: number): Promise<StreamMessage[]>;
  /** Writes results; resolves only once they are stored. */
  writeResults(results: readonly StreamResult[]): Promise<void>;
  /** Acknowledges processed inputs (call only after their results are written). */
  ack(ids: readonly string[]): Promise<void>;
  /**
   * Optional: writes the results and acknowledges `ids` in one atomic step (a Redis script; a Kafka
   * transaction that produces the results and commits the offsets). A worker uses it when present instead
   * of `writeResults` then `ack`: either both happen or neither, so a crash leaves no result without its
   * acknowledgement — the input is simply redelivered.
   */
  commit?(results: readonly StreamResult[], ids: readonly string[]): Promise<void>;
  /** Entries of the input stream not yet delivered to the group plus those pending. */
  lag(): Promise<number>;
  /**
   * Optional: whether an error of this transport is an outage worth retrying (connection refused or
   * reset, a server loading its data, a failover) rather than a mistake that retrying cannot fix (a
   * wrong key type, a script error). A worker retries what this accepts within its outage budget; without
   * it, every error is retried.
   */
  isTransient?(error: unknown): boolean;
  /** Closes connections. */
  close(): Promise<void>;
}
