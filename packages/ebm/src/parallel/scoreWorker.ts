/**
 * Worker thread of {@link ScoringPool}: loads the model once (from the first message, its `toJSON()` tree
 * with the long number arrays in shared memory — see modelTransfer.ts —, validated by `loadModel` as a
 * saved model is, with the built-in energies registered and after importing any modules that register a
 * user's energy), then scores row ranges of a shared input matrix into a shared output array.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BaseEnergyModel, type EnergyModel, Matrix } from '@nexus/ebm-core';
import { checkFiniteRows } from '@nexus/ebm-core/extend';
import { loadModel } from '../persistence/loadModel.js';
import { type PackedModel, unpackModel } from './modelTransfer.js';
import { followKernels, type KernelChoice } from './workers.js';

interface Init {
  readonly modules: readonly string[];
  readonly kernels: KernelChoice;
}
/**
 * One batch: rows `[0, rows)` of `input` split into blocks of `block` rows; every worker claims the next
 * block with `Atomics.add(claim, 0, 1)` until none is left (so a worker slowed by anything else on the
 * machine simply claims fewer), scores it into `output` and stops at its first failing block.
 */
interface Job {
  readonly id: number;
  readonly input: SharedArrayBuffer;
  readonly inputOffset: number;
  readonly output: SharedArrayBuffer;
  readonly claim: SharedArrayBuffer;
  readonly cols: number;
  readonly rows: number;
  readonly block: number;
}

const init = workerData as Init;

// No top-level await: the CJS bundle of this file must load too.
async function start(): Promise<void> {
  followKernels(init.kernels); // the caller's kernels: results identical to scoring on the calling thread
  for (const m of init.modules) await import(m);
  const port = parentPort;
  if (port === null) throw new Error('scoreWorker: must run in a worker thread');
  // the model comes as the first message (not in workerData, which would keep its numbers alive)
  const packed = await new Promise<PackedModel>((resolve) => {
    port.once('message', (m: { model: PackedModel }) => resolve(m.model));
  });
  let model: EnergyModel;
  try {
    model = loadModel(unpackModel(packed));
  } catch (err) {
    port.postMessage({
      ready: false,
      name: err instanceof Error ? err.name : 'Error',
      error: err instanceof Error ? err.message : String(err),
    });
    return;
  }
  port.on('message', (job: Job) => {
    const claim = new Int32Array(job.claim);
    const blocks = Math.ceil(job.rows / job.block);
    for (;;) {
      const b = Atomics.add(claim, 0, 1);
      if (b >= blocks) break;
      const start = b * job.block;
      const rows = Math.min(job.block, job.rows - start);
      try {
        const x = new Float64Array(job.input, job.inputOffset + start * job.cols * 8, rows * job.cols);
        const m = new Matrix(rows, job.cols, x);
        // the pool left the finiteness check of this block to us; errors name rows of the whole batch (a
        // model built on BaseEnergyModel checks in its own pass where it has one, else scans first)
        let e: Float64Array;
        if (model instanceof BaseEnergyModel) e = model.energyOfBlock(m, 'ScoringPool.energy', start);
        else {
          checkFiniteRows(m, 'ScoringPool.energy', 0, rows, start);
          e = model.energy(m);
        }
        new Float64Array(job.output, start * 8, rows).set(e);
      } catch (err) {
        port.postMessage({
          id: job.id,
          ok: false,
          block: b,
          name: err instanceof Error ? err.name : 'Error',
          error: err instanceof Error ? err.message : String(err),
        });
        return;
      }
    }
    port.postMessage({ id: job.id, ok: true });
  });
  port.postMessage({ ready: true });
}

start().catch((err: unknown) => {
  throw err instanceof Error ? err : new Error(String(err));
});
