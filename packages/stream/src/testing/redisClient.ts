/**
 * The Redis client this package uses (ioredis), re-exported for tests and benchmarks outside the package
 * (the repository root does not depend on ioredis itself).
 *
 * @example
 * ```ts
 * import { Redis } from '../packages/stream/src/testing/redisClient.js';
 * const c = new Redis('redis://127.0.0.1:6379');
 * ```
 *
 * @module
 */
export { Redis } from 'ioredis';
