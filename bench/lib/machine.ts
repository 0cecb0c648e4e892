/**
 * What a benchmark ran on: CPU model and flags, cores, Node and V8 versions, thread settings and the load
 * when it started. Every run prints it first (`createContext`), because absolute speeds move severalfold
 * between machines of the same kind — figures are judged by same-run ratios, read beside this header.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';

/** The machine header of a benchmark run. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  /** Every CPU flag the kernel reports (`/proc/cpuinfo`), space-separated; empty where unavailable. */
  readonly flags: string;
  /** The SIMD-related subset of `flags` (SSE, AVX, FMA, NEON …), for a reader. */
  readonly simd: string;
  readonly node: string;
  readonly v8: string;
  /** Thread settings in the environment that peers and pools read (unset ones omitted). */
  readonly threads: Readonly<Record<string, string>>;
  /** 1-, 5- and 15-minute load averages at the start of the run. */
  readonly loadavg: readonly number[];
  readonly date: string;
}

const THREAD_VARS = [
  'OMP_NUM_THREADS',
  'OPENBLAS_NUM_THREADS',
  'MKL_NUM_THREADS',
  'UV_THREADPOOL_SIZE',
  'EBM_BACKEND',
  'EBM_PYTHON',
];

function cpuinfo(): { model: string | undefined; flags: string } {
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const field = (name: string): string | undefined =>
      new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
    return { model: field('model name'), flags: field('flags') ?? field('Features') ?? '' };
  } catch {
    return { model: undefined, flags: '' };
  }
}

/**
 * Reads the machine header (cheap; no process is started).
 *
 * @example
 * machineInfo().simd; // 'sse sse2 ssse3 sse4_1 sse4_2 avx avx2 fma f16c'
 */
export function machineInfo(): MachineInfo {
  const info = cpuinfo();
  const flags = info.flags;
  const simd = flags
    .split(/\s+/)
    .filter((f) => /^(sse|ssse|avx|fma|f16c|neon|asimd|sve|sha|aes)/.test(f))
    .join(' ');
  const threads: Record<string, string> = {};
  for (const v of THREAD_VARS) {
    const value = process.env[v];
    if (value !== undefined && value !== '') threads[v] = value;
  }
  return {
    cpu: info.model ?? cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    flags,
    simd,
    node: process.version,
    v8: process.versions.v8,
    threads,
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
    date: new Date().toISOString(),
  };
}
