/**
 * `@nexus/ebm-stream`: scoring workers over Redis Streams consumer groups (behind a transport interface
 * that a Kafka consumer group can implement later). The only package of the library with a network
 * client; the umbrella `@nexus/ebm` does not depend on it — `ebm worker` loads it only when asked.
 *
 * @packageDocumentation
 */
export { fileScorerSource } from './fileScorerSource.js';
export type { OutageEvent, OutageOptions } from './outage.js';
export { OutageGuard, OutageStopped, StreamOutageError } from './outage.js';
export type { RedisStreamsOptions } from './RedisStreamsTransport.js';
export { RedisStreamsTransport, RedisUnavailableError } from './RedisStreamsTransport.js';
export type {
  ScoredEvent,
  Scorer,
  ScorerSource,
  ScoringWorkerOptions,
  WorkerStats,
} from './ScoringWorker.js';
export { ScoringWorker } from './ScoringWorker.js';
export type { StreamMessage, StreamResult, StreamTransport } from './transport.js';
