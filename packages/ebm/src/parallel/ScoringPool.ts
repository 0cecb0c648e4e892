import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import {
  EbmError,
  type EnergyModel,
  type MatrixLike,
  ModelFormatError,
  message,
  ParameterError,
  toMatrix,
  ValueError,
} from '@nexus/ebm-core';
import { checkFiniteRows } from '@nexus/ebm-core/extend';
import { packModel } from './modelTransfer.js';
import { scoringBlocks } from './scoringBlocks.js';
import { currentKernels, startWorker } from './workers.js';

/**
 * Options of {@link ScoringPool.create}.
 */
export interface ScoringPoolOptions {
  /** Worker threads (default: the machine's available parallelism). */
  readonly workers?: number;
  /**
   * Modules each worker imports before loading the model — for a user's energy, the module that calls
   * `registerModel` for its kind (absolute paths or `file:` URLs). The built-in energies are always loaded.
   */
  readonly modules?: readonly string[];
  /** Batches smaller than this are scored on the calling thread (default 20,000 rows). */
  readonly minParallelRows?: number;
}

interface Pending {
  resolve(): void;
  /** `block`: the failing block of a scoring job, when the worker reported one. */
  reject(e: Error, block?: number): void;
}

/**
 * A pool of worker threads that score large batches in parallel for any registered energy, including a
 * user's. The model is sent to each worker once — its `toJSON()` tree by structured clone, the long arrays
 * of numbers in one shared buffer (no JSON text, so no text-length limit), validated by each worker as
 * `loadModel` validates a saved model; inputs and outputs live in shared
 * memory (a matrix whose data already lies in a `SharedArrayBuffer` is not copied), and the workers claim
 * near-equal contiguous blocks of rows in turn (a multiple of the workers in number, up to 16 each).
 * Energies are row-independent (the contract), so the result is identical to scoring on one thread.
 *
 * @example
 * ```ts
 * const pool = await ScoringPool.create(model, { workers: 2 });
 * const energies = await pool.energy(X);
 * await pool.close();
 * ```
 */
export class ScoringPool {
  private readonly workers: Worker[];
  private readonly model: EnergyModel;
  private readonly minParallelRows: number;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  private constructor(model: EnergyModel, workers: Worker[], minParallelRows: number) {
    this.model = model;
    this.workers = workers;
    this.minParallelRows = minParallelRows;
    for (const w of workers) {
      w.on('message', (m: { id: number; ok: boolean; block?: number; name?: string; error?: string }) => {
        const p = this.pending.get(m.id);
        if (p === undefined) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve();
        else if (m.name === 'ValueError')
          p.reject(new ValueError(m.error ?? 'ScoringPool.energy: invalid input'), m.block);
        else
          p.reject(
            new EbmError(`ScoringPool.energy: a worker failed: ${m.error ?? 'unknown error'}`),
            m.block,
          );
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
    }
  }

  /**
   * Starts the workers and sends them the fitted model.
   *
   * @example
   * ```ts
   * const pool = await ScoringPool.create(new GaussianDensity().fit(train));
   * ```
   */
  static async create(model: EnergyModel, options: ScoringPoolOptions = {}): Promise<ScoringPool> {
    const api = 'ScoringPool.create';
    const n = options.workers ?? availableParallelism();
    if (!Number.isInteger(n) || n < 1 || n > 256) {
      throw new ParameterError(message(api, 'workers must be an integer', '1…256', String(n)));
    }
    const minRows = options.minParallelRows ?? 20_000;
    // No JSON text: the tree by structured clone, its long number arrays in one shared buffer that every
    // worker reads in place (a model of any size within loadModel's limits can be pooled).
    const packed = packModel(model.toJSON());
    const workerData = { modules: options.modules ?? [], kernels: currentKernels() };
    const workers: Worker[] = [];
    await Promise.all(
      Array.from({ length: n }, async () => {
        const w = startWorker('scoreWorker', workerData, api);
        workers.push(w);
        try {
          w.postMessage({ model: packed });
        } catch (e) {
          // structured clone refuses what JSON would have dropped or mangled (functions, symbols)
          throw new ModelFormatError(
            message(api, 'the model JSON cannot be sent to a worker', 'plain JSON data', String(e)),
          );
        }
        await new Promise<void>((resolve, reject) => {
          const onMsg = (m: { ready?: boolean; name?: string; error?: string }): void => {
            if (m.ready === undefined) return;
            w.off('message', onMsg);
            if (m.ready) resolve();
            else reject(loadError(api, m.name, m.error));
          };
          w.on('message', onMsg);
          w.once('error', reject);
          w.once('exit', (code) =>
            reject(new EbmError(`${api}: a worker exited during start-up (code ${code})`)),
          );
        });
      }),
    ).catch(async (e: unknown) => {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    });
    return new ScoringPool(model, workers, minRows);
  }

  /** Number of worker threads. */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Energies of every row, computed in parallel (on the calling thread for small batches). A batch scored
   * on the workers comes back without a copy, in a `Float64Array` over a `SharedArrayBuffer` that no other
   * thread uses any more.
   *
   * @example
   * ```ts
   * const e = await pool.energy(X);
   * ```
   */
  async energy(X: MatrixLike): Promise<Float64Array> {
    const api = 'ScoringPool.energy';
    if (this.closed) throw new EbmError(`${api}: the pool is closed`);
    // Finiteness is checked by the workers, each on its own rows, in parallel (see below).
    const m = toMatrix(X, { api, cols: this.model.nFeatures, checkFinite: false });
    if (m.rows < this.minParallelRows) {
      checkFiniteRows(m, api, 0, m.rows);
      return this.model.energy(m);
    }
    // rows already in shared memory (e.g. a matrix built on a SharedArrayBuffer) are not copied
    let input: SharedArrayBuffer;
    let inputOffset = 0;
    if (m.data.buffer instanceof SharedArrayBuffer) {
      input = m.data.buffer;
      inputOffset = m.data.byteOffset;
    } else {
      input = new SharedArrayBuffer(m.data.byteLength);
      new Float64Array(input).set(m.data);
    }
    const output = new SharedArrayBuffer(m.rows * 8);
    const k = this.workers.length;
    // Near-equal blocks, a multiple of k of them: the workers claim them in turn, so a worker that the
    // machine slows down takes fewer and none waits for a straggler.
    const { block, count } = scoringBlocks(m.rows, k);
    const claim = new SharedArrayBuffer(4);
    const used = Math.min(k, count);
    const jobs: Promise<{ block: number; error: Error } | null>[] = [];
    for (let w = 0; w < used; w++) {
      const id = this.nextId++;
      jobs.push(
        new Promise((resolve) => {
          this.pending.set(id, {
            resolve: () => resolve(null),
            reject: (error: Error, failed?: number) => resolve({ block: failed ?? -1, error }),
          });
        }),
      );
      this.workers[w]?.postMessage({
        id,
        input,
        inputOffset,
        output,
        claim,
        cols: m.cols,
        rows: m.rows,
        block,
      });
    }
    // Wait for every worker, then report the failure of the first failing block: blocks are claimed in
    // increasing order and a worker stops at its first failure, so the lowest failing block holds the
    // first bad row in row-major order, whichever worker finished first.
    let first: { block: number; error: Error } | null = null;
    for (const r of await Promise.all(jobs)) {
      if (r !== null && (first === null || r.block < first.block)) first = r;
    }
    if (first !== null) throw first.error;
    // no copy: the workers are done with this buffer, which belongs to the caller from here on
    return new Float64Array(output);
  }

  /**
   * Stops the workers.
   *
   * @example
   * ```ts
   * await pool.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The error a worker reported when it could not load the model, as the class `loadModel` threw. */
function loadError(api: string, name: string | undefined, error: string | undefined): Error {
  const text = error ?? 'unknown error';
  return name === 'ModelFormatError'
    ? new ModelFormatError(text)
    : new EbmError(`${api}: a worker could not load the model: ${text}`);
}

/**
 * Scores X on `workers` threads and shuts them down: {@link ScoringPool} for one batch.
 *
 * @example
 * ```ts
 * const e = await energyParallel(model, X, { workers: 2 });
 * ```
 */
export async function energyParallel(
  model: EnergyModel,
  X: MatrixLike,
  options: ScoringPoolOptions = {},
): Promise<Float64Array> {
  const pool = await ScoringPool.create(model, { ...options, minParallelRows: 0 });
  try {
    return await pool.energy(X);
  } finally {
    await pool.close();
  }
}
