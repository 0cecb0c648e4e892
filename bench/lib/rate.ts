/** Throughput on both clocks, for benchmarks run on a shared machine where wall time alone misleads. */

/** A throughput measured on both clocks: samples per wall-clock second and per CPU second of this process. */
export interface Rate {
  wall: number;
  cpu: number;
}

/** Seconds on both clocks (wall from `performance.now`, CPU from `process.cpuUsage`). */
export function now(): Rate {
  const c = process.cpuUsage();
  return { wall: performance.now() / 1000, cpu: (c.user + c.system) / 1e6 };
}

/** Samples per second on both clocks since `start` (from {@link now}). */
export function rate(samples: number, start: Rate): Rate {
  const t = now();
  return { wall: samples / (t.wall - start.wall), cpu: samples / (t.cpu - start.cpu) };
}

/** Median throughput of `fn` (processing `samples` rows) over `reps` timed calls after one warm-up call. */
export function medianRate(fn: () => void, samples: number, reps: number): Rate {
  fn();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = now();
    fn();
    const r = rate(samples, t);
    walls.push(r.wall);
    cpus.push(r.cpu);
  }
  const mid = (a: number[]): number => a.sort((x, y) => x - y)[Math.floor(a.length / 2)] as number;
  return { wall: mid(walls), cpu: mid(cpus) };
}
