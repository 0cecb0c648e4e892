/**
 * `pnpm bench stream-memory [--json] [--lines N] [--model NAME] [--keep DIR]`: `ebm score` on a generated
 * LANL-format file of N lines (default 5,000,000) in a child process; reports its peak resident memory
 * (target: under 300 MB) and its throughput in lines/s.
 *
 * The file is written chunk by chunk from the simulator (14 simulated days per chunk, a new seed and a
 * later time offset each time), so the benchmark never holds it in memory either. The pipeline is trained
 * with `ebm train` on the first chunk. Peak memory is read with `/usr/bin/time -v` when present, else from
 * the child's `VmHWM` in `/proc/PID/status`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLanl, simulate } from '../packages/features/src/index.js';
import type { BenchContext } from './lib/report.js';

const cli = fileURLToPath(new URL('../packages/ebm/src/cli/main.ts', import.meta.url));
const load = (): number => Math.round((loadavg()[0] as number) * 100) / 100;
const DAYS = 14;

/** Writes `target` LANL lines to `path`; returns the number of lines of the first chunk (the training part). */
async function generate(
  path: string,
  trainPath: string,
  target: number,
  log: (m: string) => void,
): Promise<void> {
  const out = createWriteStream(path);
  let written = 0;
  for (let c = 0; written < target; c++) {
    const sim = simulate({ seed: c + 1, days: DAYS, trainDays: DAYS, scenarios: [] });
    const { lines } = formatLanl(sim);
    const offset = c * DAYS * 86_400;
    const parts: string[] = [];
    for (const line of lines) {
      if (written >= target) break;
      const comma = line.indexOf(',');
      parts.push(`${Number(line.slice(0, comma)) + offset}${line.slice(comma)}\n`);
      written++;
    }
    const text = parts.join('');
    if (c === 0) {
      const t = createWriteStream(trainPath);
      t.end(text);
      await once(t, 'finish');
    }
    if (!out.write(text)) await once(out, 'drain');
    if (c % 10 === 0) log(`  ${written} lines written`);
  }
  out.end();
  await once(out, 'finish');
}

interface Run {
  code: number | null;
  seconds: number;
  peakKb: number;
  stderr: string;
}

function readHwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]);
  } catch {
    return 0;
  }
}

async function run(args: readonly string[]): Promise<Run> {
  const node = [process.execPath, '--import', 'tsx', '--conditions=@nexus/source', cli, ...args];
  const useTime = existsSync('/usr/bin/time');
  const child = useTime
    ? spawn('/usr/bin/time', ['-v', ...node], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(node[0] as string, node.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString('utf8');
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  let peak = 0;
  const poll = setInterval(() => {
    if (!useTime && child.pid !== undefined) peak = Math.max(peak, readHwmKb(child.pid));
  }, 100);
  const t0 = performance.now();
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(poll);
  const seconds = (performance.now() - t0) / 1000;
  if (useTime) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    peak = m === null ? 0 : Number(m[1]);
  }
  return { code, seconds, peakKb: peak, stderr };
}

export default async function streamMemory(ctx: BenchContext): Promise<void> {
  const lines = Number(ctx.flag('lines') ?? 5_000_000);
  const model = ctx.flag('model') ?? 'gaussian';
  const keep = ctx.flag('keep');
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'ebm-bench-memory-'));
  if (keep !== undefined) mkdirSync(keep, { recursive: true });
  const big = join(dir, `lanl-${lines}.txt`);
  const train = join(dir, 'lanl-train.txt');
  const pipeline = join(dir, `pipeline-${model}.json`);
  try {
    if (!existsSync(big) || !existsSync(train)) {
      ctx.log(`writing ${lines} LANL lines to ${big} (load average ${load()})`);
      await generate(big, train, lines, (m) => ctx.log(m));
    }
    ctx.log(
      `file: ${(statSync(big).size / 2 ** 20).toFixed(0)} MiB; training a ${model} pipeline on ${train}`,
    );
    const tr = await run([
      'train',
      '--format',
      'lanl',
      '--model',
      model,
      '--quiet',
      '--out',
      pipeline,
      train,
    ]);
    if (tr.code !== 0) throw new Error(`ebm train failed (code ${tr.code}): ${tr.stderr.slice(-2000)}`);
    ctx.log(`ebm score on ${lines} lines (load average ${load()})`);
    const sc = await run(['score', '--model', pipeline, '--out', '/dev/null', big]);
    if (sc.code !== 0) throw new Error(`ebm score failed (code ${sc.code}): ${sc.stderr.slice(-2000)}`);
    const peakMb = sc.peakKb / 1024;
    ctx.report({
      bench: 'stream-memory',
      name: `ebm score ${lines} LANL lines, peak RSS`,
      value: peakMb,
      unit: 'MB',
      model,
      limit: 300,
      withinLimit: peakMb < 300,
      loadavg: load(),
    });
    ctx.report({
      bench: 'stream-memory',
      name: `ebm score ${lines} LANL lines, throughput`,
      value: lines / sc.seconds,
      unit: 'lines/s',
      model,
      seconds: Math.round(sc.seconds * 10) / 10,
      loadavg: load(),
    });
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
