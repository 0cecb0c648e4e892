/**
 * Benchmark reporting: every figure is one object; with `--json` each prints as one JSON line, otherwise
 * as a row of a readable table. Field names are stable (other tooling reads them): `bench`, `name`,
 * `value`, `unit`, and where relevant `backend`, `peer`, `ratio`, `dataset`, `model`, `protocol`.
 */
import { machineInfo } from './machine.js';
export interface Figure {
  bench: string;
  name: string;
  value: number;
  unit: string;
  backend?: 'ts' | 'wasm';
  peer?: string;
  /** How many times better we are (ours ÷ peer for throughputs, peer ÷ ours for times): > 1 means we win. */
  ratio?: number;
  dataset?: string;
  model?: string;
  protocol?: string;
  [extra: string]: string | number | boolean | undefined;
}

/** Command-line context handed to every benchmark. */
export interface BenchContext {
  readonly json: boolean;
  /** Arguments after the benchmark name, without `--json`. */
  readonly args: readonly string[];
  /** Records and prints one figure. */
  report(f: Figure): void;
  /** Prints a progress or info line (to stderr, so JSON output stays clean). */
  log(msg: string): void;
  /** Value of `--name value` or `--name=value` among the args. */
  flag(name: string): string | undefined;
  /** All figures reported so far. */
  readonly figures: readonly Figure[];
}

/** Units where smaller is better (times): ratio = peer ÷ ours. */
const TIME_UNITS = new Set(['ms', 's', 'us', 'ns', 'ms/event']);

/**
 * The ratio of our figure to a peer's, oriented so that > 1 means we win.
 *
 * @example
 * ratioOf(2.0, 0.5, 'GFLOP/s'); // 4
 */
export function ratioOf(ours: number, peer: number, unit: string): number {
  const r = TIME_UNITS.has(unit) ? peer / ours : ours / peer;
  return Math.round(r * 1000) / 1000;
}

function round(v: number): number {
  if (!Number.isFinite(v)) return v;
  const a = Math.abs(v);
  // Small figures (differences, error rates) keep three significant digits instead of rounding to 0.
  if (a > 0 && a < 0.01) return Number(v.toPrecision(3));
  const digits = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 3 : 4;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/**
 * The context of one run of benchmark `bench`. Prints the machine header first (see {@link machineInfo}):
 * with `--json` one line `{"bench", "header": "machine", cpu, cores, flags, simd, node, v8, threads,
 * loadavg, date}` (it has no `value`, so readers of figures skip it), otherwise a `# machine:` line.
 */
export function createContext(args: readonly string[], bench = 'bench'): BenchContext {
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  const figures: Figure[] = [];
  let headerPrinted = false;
  const m = machineInfo();
  if (json) process.stdout.write(`${JSON.stringify({ bench, header: 'machine', ...m })}\n`);
  else {
    const threads = Object.entries(m.threads)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    process.stdout.write(
      `# machine: ${m.cpu}, ${m.cores} cores, ${m.simd || 'no SIMD flags reported'}; Node ${m.node}; load ${m.loadavg.join(' ')}${threads ? `; ${threads}` : ''}\n`,
    );
  }
  return {
    json,
    args: rest,
    figures,
    report(f: Figure): void {
      const fig: Figure = { ...f, value: round(f.value) };
      if (fig.ratio !== undefined) fig.ratio = round(fig.ratio);
      figures.push(fig);
      if (json) {
        process.stdout.write(`${JSON.stringify(fig)}\n`);
        return;
      }
      if (!headerPrinted) {
        process.stdout.write(
          `${'name'.padEnd(48)} ${'value'.padStart(12)} unit         backend  peer / ratio\n`,
        );
        headerPrinted = true;
      }
      const peer =
        fig.peer !== undefined ? `${fig.peer}${fig.ratio !== undefined ? `  ratio ${fig.ratio}×` : ''}` : '';
      process.stdout.write(
        `${fig.name.padEnd(48)} ${String(fig.value).padStart(12)} ${fig.unit.padEnd(12)} ${(fig.backend ?? '').padEnd(8)} ${peer}\n`,
      );
    },
    log(msg: string): void {
      process.stderr.write(`${msg}\n`);
    },
    flag(name: string): string | undefined {
      for (let i = 0; i < rest.length; i++) {
        const a = rest[i] as string;
        if (a === `--${name}`) return rest[i + 1];
        if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
      }
      return undefined;
    },
  };
}

/**
 * Times `fn` repeatedly and returns the median seconds per call (after `warmup` untimed calls).
 *
 * @example
 * const s = timeMedian(() => work(), { reps: 5 });
 */
export function timeMedian(
  fn: () => void,
  opts: { reps?: number; warmup?: number; minSeconds?: number } = {},
): number {
  const reps = opts.reps ?? 5;
  const warmup = opts.warmup ?? 1;
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  for (
    let i = 0;
    i < reps || (opts.minSeconds !== undefined && (performance.now() - start) / 1000 < opts.minSeconds);
    i++
  ) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** Async version of {@link timeMedian}. */
export async function timeMedianAsync(
  fn: () => Promise<void>,
  opts: { reps?: number; warmup?: number } = {},
): Promise<number> {
  const reps = opts.reps ?? 5;
  const warmup = opts.warmup ?? 1;
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}
