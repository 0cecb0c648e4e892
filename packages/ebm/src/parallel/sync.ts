/**
 * Thread synchronisation of the data-parallel trainers: a barrier on a shared `Int32Array` that spins on
 * `Atomics.load` for an adaptive, bounded number of iterations before sleeping in `Atomics.wait`; the
 * fixed split of a range into per-worker parts; the reduction of per-worker gradients in worker order;
 * the helpers' command loop.
 *
 * @module
 */
import { CMD, CTRL } from './trainProtocol.js';

/**
 * Most iterations a thread spins on `Atomics.load` before it sleeps in `Atomics.wait`: about 0.2 ms at
 * the ~10 ns an iteration takes here, longer than the usual imbalance between workers on one step (so a
 * step on a quiet machine costs no futex wake-up) and shorter than a scheduler time slice.
 *
 * @example
 * ```ts
 * SPIN_ITERATIONS; // 20000
 * ```
 */
export const SPIN_ITERATIONS = 20_000;

/**
 * Fewest iterations a thread spins before sleeping. The spin budget adapts (see {@link Barrier}): it
 * drops to a quarter after a wait that slept for more than {@link LONG_WAIT_MS} and doubles after any
 * other wait, within [`MIN_SPIN_ITERATIONS`, {@link SPIN_ITERATIONS}]. When the machine is busy and a
 * partner thread is often descheduled, spinning only burns the CPU share the partner needs, so the
 * budget shrinks; on a quiet machine it stays at the maximum.
 *
 * @example
 * ```ts
 * MIN_SPIN_ITERATIONS; // 200
 * ```
 */
export const MIN_SPIN_ITERATIONS = 200;

/**
 * A sleep longer than this (milliseconds, about the time of a full spin budget) marks a long wait: the
 * partner was descheduled or busy elsewhere, and spinning would not have caught it.
 *
 * @example
 * ```ts
 * LONG_WAIT_MS; // 0.25
 * ```
 */
export const LONG_WAIT_MS = 0.25;

/**
 * The contiguous part `[start, end)` of `n` items that worker `w` of `k` owns: `floor(w·n/k)` to
 * `floor((w+1)·n/k)` (empty when n < k for some workers).
 *
 * @example
 * ```ts
 * partOf(1, 2, 5); // [2, 5]
 * ```
 */
export function partOf(w: number, k: number, n: number): [number, number] {
  return [Math.floor((w * n) / k), Math.floor(((w + 1) * n) / k)];
}

/**
 * `out[i] = Σ_w weights[w] · slots[w][pa + i]` for i < pn, summed in Float64 from 0 in worker order
 * (slots of weight 0 skipped) and rounded once to Float32. One and two workers have fused loops with the
 * same arithmetic as the general one, which accumulates in `acc`. The result depends only on the
 * slots, the weights and the worker count: the same inputs always give the same bits.
 *
 * @example
 * ```ts
 * reduceRange(slots, Float64Array.of(0.5, 0.5), 0, np, new Float64Array(np), gsum);
 * ```
 */
export function reduceRange(
  slots: readonly Float32Array[],
  weights: Float64Array,
  pa: number,
  pn: number,
  acc: Float64Array,
  out: Float32Array,
): void {
  const k = slots.length;
  const s0 = slots[0] as Float32Array;
  const w0 = weights[0] as number;
  if (k === 1) {
    for (let i = 0; i < pn; i++) out[i] = 0 + w0 * (s0[pa + i] as number);
    return;
  }
  if (k === 2 && w0 !== 0 && (weights[1] as number) !== 0) {
    const s1 = slots[1] as Float32Array;
    const w1 = weights[1] as number;
    for (let i = 0; i < pn; i++) out[i] = 0 + w0 * (s0[pa + i] as number) + w1 * (s1[pa + i] as number);
    return;
  }
  acc.fill(0);
  for (let w = 0; w < k; w++) {
    const wt = weights[w] as number;
    if (wt === 0) continue;
    const slot = slots[w] as Float32Array;
    for (let i = 0; i < pn; i++) acc[i] = (acc[i] as number) + wt * (slot[pa + i] as number);
  }
  for (let i = 0; i < pn; i++) out[i] = acc[i] as number;
}

/**
 * A reusable barrier for `parties` threads on the shared control array (slots `CTRL.ARRIVE` and
 * `CTRL.STOP`). Arrivals only ever increase `ARRIVE`, so the b-th barrier of a run completes when
 * `ARRIVE` reaches `b · parties`; each thread counts its own barriers. A waiting thread spins on
 * `Atomics.load` for its spin budget (adaptive, between {@link MIN_SPIN_ITERATIONS} and
 * {@link SPIN_ITERATIONS}), then sleeps in `Atomics.wait`; the last thread to arrive wakes the sleepers.
 * {@link Barrier.stop} (the coordinator, on an error or an abort) releases every waiter for good: `wait`
 * then returns false.
 *
 * @example
 * ```ts
 * const bar = new Barrier(new Int32Array(buffers.ctrl), workers);
 * if (!bar.wait()) return; // stopped
 * ```
 */
export class Barrier {
  private readonly ctrl: Int32Array;
  private readonly parties: number;
  private passed = 0;
  private spinBudget = SPIN_ITERATIONS;

  /**
   * @param ctrl - the shared control array
   * @param parties - the number of threads that meet at the barrier
   */
  constructor(ctrl: Int32Array, parties: number) {
    this.ctrl = ctrl;
    this.parties = parties;
  }

  /**
   * Arrives and waits for the other parties. Returns true when all arrived, false when the barrier was
   * stopped.
   *
   * @example
   * ```ts
   * if (!barrier.wait()) throw new Error('stopped');
   * ```
   */
  wait(): boolean {
    const ctrl = this.ctrl;
    this.passed++;
    const target = this.passed * this.parties;
    const now = Atomics.add(ctrl, CTRL.ARRIVE, 1) + 1;
    if (now === target) {
      Atomics.notify(ctrl, CTRL.ARRIVE);
      return Atomics.load(ctrl, CTRL.STOP) === 0;
    }
    const budget = this.spinBudget;
    let sleptAt = 0;
    for (let spin = 0; ; spin++) {
      if (Atomics.load(ctrl, CTRL.STOP) !== 0) return false;
      const cur = Atomics.load(ctrl, CTRL.ARRIVE);
      if (cur >= target) break;
      if (spin >= budget) {
        if (sleptAt === 0) sleptAt = performance.now();
        Atomics.wait(ctrl, CTRL.ARRIVE, cur);
      }
    }
    // a wait the full spin would have covered says "spin"; a long one (the partner was descheduled, or
    // the coordinator did epoch-end work) says "sleep sooner"
    const long = sleptAt !== 0 && performance.now() - sleptAt > LONG_WAIT_MS;
    this.spinBudget = long
      ? Math.max(MIN_SPIN_ITERATIONS, budget >> 2)
      : Math.min(SPIN_ITERATIONS, budget * 2);
    return Atomics.load(ctrl, CTRL.STOP) === 0;
  }

  /**
   * Releases every waiting thread for good (their `wait` returns false), including one about to sleep:
   * `ARRIVE` changes, so its `Atomics.wait` returns at once.
   *
   * @example
   * ```ts
   * try { train(); } finally { barrier.stop(); }
   * ```
   */
  stop(): void {
    Atomics.store(this.ctrl, CTRL.STOP, 1);
    Atomics.add(this.ctrl, CTRL.ARRIVE, 1 << 20);
    Atomics.notify(this.ctrl, CTRL.ARRIVE);
  }
}

/**
 * A helper's command loop: wait at the barrier that publishes a command, do this worker's share, meet
 * the others at the second barrier, then (STEP) reduce and update this worker's parameter range. A
 * failure of `work` is flagged in `ERROR` and passed to `report`, and the helper still meets every
 * barrier, so the coordinator never waits for it in vain.
 *
 * @example
 * ```ts
 * if (index !== 0) return helperLoop(ctrl, bar, work, reduceUpdate, (e) => post(errorMessage(e)));
 * ```
 */
export function helperLoop(
  ctrl: Int32Array,
  bar: Barrier,
  work: (cmd: number, a: number, rows: number) => void,
  reduceUpdate: (rows: number) => boolean,
  report: (err: unknown) => void,
): void {
  for (;;) {
    if (!bar.wait()) return;
    const cmd = Atomics.load(ctrl, CTRL.CMD);
    if (cmd === CMD.EXIT) return;
    const a = Atomics.load(ctrl, CTRL.A);
    const rows = Atomics.load(ctrl, CTRL.B);
    try {
      work(cmd, a, rows);
    } catch (err) {
      Atomics.store(ctrl, CTRL.ERROR, 1);
      report(err);
    }
    if (!bar.wait()) return;
    if (cmd === CMD.STEP && !reduceUpdate(rows)) return;
  }
}

/**
 * The name of a thrown value (`'Error'` for a non-Error).
 *
 * @example
 * ```ts
 * errName(new RangeError('x')); // 'RangeError'
 * ```
 */
export function errName(e: unknown): string {
  return e instanceof Error ? e.name : 'Error';
}

/**
 * The message of a thrown value.
 *
 * @example
 * ```ts
 * errMessage('boom'); // 'boom'
 * ```
 */
export function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * What a job holds in WebAssembly memory (buffers, resident rows), disposed when the job ends.
 */
export type Owned = { dispose(): void }[];

/**
 * Records something of the current job that holds WebAssembly memory, to be disposed when the job ends
 * (a pooled thread runs many jobs in one WebAssembly memory), and returns it.
 *
 * @example
 * ```ts
 * const P = own(owned, new WasmF32Buffer(np, rt));
 * ```
 */
export function own<T extends { dispose(): void }>(owned: Owned, item: T): T {
  owned.push(item);
  return item;
}
