/**
 * Checks shared by the training pool and the data-parallel trainers: the worker count, the feature names,
 * and the rebuilding of an error a worker reported.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { AbortError, EbmError, message, ParameterError, ValueError } from '@nexus/ebm-core';

/**
 * Checks a worker count (default: the machine's available parallelism) and returns it.
 *
 * @example
 * ```ts
 * const k = checkWorkers('trainRbmParallel', parallel.workers);
 * ```
 */
export function checkWorkers(api: string, w: number | undefined): number {
  const n = w ?? availableParallelism();
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new ParameterError(message(api, 'workers must be an integer', '1…256', String(n)));
  }
  return n;
}

/**
 * Checks that `featureNames`, when given, has one name per column.
 *
 * @example
 * ```ts
 * checkNames('trainRbmParallel', parallel.featureNames, m.cols);
 * ```
 */
export function checkNames(api: string, names: readonly string[] | undefined, cols: number): void {
  if (names !== undefined && names.length !== cols) {
    throw new ParameterError(
      message(api, 'featureNames has the wrong length', `${cols} (one per column)`, String(names.length)),
    );
  }
}

/**
 * Rebuilds an error a worker reported, keeping the library's error kinds that matter to callers.
 *
 * @example
 * ```ts
 * reject(workerError(api, msg.name, msg.message));
 * ```
 */
export function workerError(api: string, name: string, text: string): Error {
  if (name === 'AbortError') return new AbortError(api);
  if (name === 'ValueError') return new ValueError(text);
  return new EbmError(`${api}: a worker failed: ${text}`);
}
