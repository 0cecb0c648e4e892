/**
 * `pnpm bench stream-memory [--json] [--lines N] [--model NAME] [--compare-lines M] [--keep DIR]`:
 * training and scoring in bounded memory on a generated LANL-format file of N lines (default 10,000,000;
 * simulated data), each in a child process:
 *
 * - `ebm train` (streaming: three passes over the file, feature rows in a temporary file) on all N lines:
 *   peak resident memory (target: under 1 GB) and throughput in lines/s;
 * - `ebm score` with that pipeline on the same N lines: peak memory (target: under 300 MB) and throughput;
 * - on the first M lines (default 1,000,000; 0 skips it): the streaming `ebm train` against its peer, the
 *   in-memory `trainPipeline` (every event in an array; bench/lib/trainInMemory.ts) — peak memory and time
 *   of each, and how far the two pipelines differ (the featurizer and scaler must be equal, the model and
 *   calibration energies equal to rounding).
 *
 * The file is written chunk by chunk from the simulator (14 simulated days per chunk, a new seed and a
 * later time offset each time), so the benchmark never holds it in memory either. Peak memory is read with
 * `/usr/bin/time -v` when present, else from the child's `VmHWM` in `/proc/PID/status`. The machine's load
 * average is reported with every figure, the pipeline file's size (`pipelineMb`: it keeps every
 * calibration energy, so it grows with the events) with the train and score memory.
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
import type { PipelineJSON } from '@nexus/ebm';
import { formatLanl, simulate } from '@nexus/ebm-features';
import type { BenchContext } from './lib/report.js';

const cli = fileURLToPath(new URL('../packages/ebm/src/cli/main.ts', import.meta.url));
const inMemory = fileURLToPath(new URL('./lib/trainInMemory.ts', import.meta.url));
const load = (): number => Math.round((loadavg()[0] as number) * 100) / 100;
const DAYS = 14;

/** Writes `target` LANL lines to `path`, and the first `head` of them to `headPath`. */
async function generate(
  path: string,
  headPath: string,
  target: number,
  head: number,
  log: (m: string) => void,
): Promise<void> {
  const out = createWriteStream(path);
  const first = createWriteStream(headPath);
  let written = 0;
  for (let c = 0; written < target; c++) {
    const sim = simulate({ seed: c + 1, days: DAYS, trainDays: DAYS, scenarios: [] });
    const { lines } = formatLanl(sim);
    const offset = c * DAYS * 86_400;
    const parts: string[] = [];
    const start = written;
    for (const line of lines) {
      if (written >= target) break;
      const comma = line.indexOf(',');
      parts.push(`${Number(line.slice(0, comma)) + offset}${line.slice(comma)}\n`);
      written++;
    }
    if (start < head) {
      if (!first.write(parts.slice(0, head - start).join(''))) await once(first, 'drain');
    }
    if (!out.write(parts.join(''))) await once(out, 'drain');
    if (c % 10 === 0) log(`  ${written} lines written`);
  }
  for (const s of [out, first]) {
    s.end();
    await once(s, 'finish');
  }
}

interface Run {
  code: number | null;
  seconds: number;
  peakKb: number;
  stdout: string;
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

/** Runs a TypeScript script (default: the `ebm` command) in a child process, measuring its peak memory. */
async function run(args: readonly string[], script: string = cli): Promise<Run> {
  const node = [process.execPath, '--import', 'tsx', '--conditions=@nexus/source', script, ...args];
  const useTime = existsSync('/usr/bin/time');
  const child = useTime
    ? spawn('/usr/bin/time', ['-v', ...node], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(node[0] as string, node.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (b: Buffer) => {
    stdout += b.toString('utf8');
    if (stdout.length > 200_000) stdout = stdout.slice(-100_000);
  });
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
  return { code, seconds, peakKb: peak, stdout, stderr };
}

/** The largest relative difference between two arrays of numbers (|a − b| / max(1, |a|)). */
function maxRelDiff(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    worst = Math.max(worst, Math.abs(x - (b[i] as number)) / Math.max(1, Math.abs(x)));
  }
  return worst;
}

/** Every number of a JSON value, in order. */
function numbers(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else if (Array.isArray(v)) for (const x of v) numbers(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) numbers(x, out);
  return out;
}

/** `--json` output of `ebm train` (the last stdout line). */
function trainJson(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(line) as Record<string, unknown>;
}

export default async function streamMemory(ctx: BenchContext): Promise<void> {
  const lines = Number(ctx.flag('lines') ?? 10_000_000);
  const compare = Math.min(lines, Number(ctx.flag('compare-lines') ?? 1_000_000));
  const model = ctx.flag('model') ?? 'gaussian';
  const keep = ctx.flag('keep');
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'ebm-bench-memory-'));
  if (keep !== undefined) mkdirSync(keep, { recursive: true });
  const big = join(dir, `lanl-${lines}.txt`);
  const head = join(dir, `lanl-${lines}-first-${compare}.txt`);
  const pipeline = join(dir, `pipeline-${model}.json`);
  const common = { bench: 'stream-memory', model };
  try {
    if (!existsSync(big) || !existsSync(head)) {
      ctx.log(`writing ${lines} LANL lines to ${big} (load average ${load()})`);
      await generate(big, head, lines, compare, (m) => ctx.log(m));
    }
    ctx.log(
      `file: ${(statSync(big).size / 2 ** 20).toFixed(0)} MiB; ebm train (streaming) on ${lines} lines (load average ${load()})`,
    );
    const tr = await run([
      'train',
      '--format',
      'lanl',
      '--model',
      model,
      '--quiet',
      '--json',
      '--temp-dir',
      dir,
      '--out',
      pipeline,
      big,
    ]);
    if (tr.code !== 0) throw new Error(`ebm train failed (code ${tr.code}): ${tr.stderr.slice(-2000)}`);
    const trainMb = tr.peakKb / 1024;
    // The pipeline file holds every calibration energy (the most recent fifth of the events), so its size
    // — and the memory `ebm score` needs to load it — grows with the training events.
    const pipelineMb = Math.round((statSync(pipeline).size / 2 ** 20) * 10) / 10;
    ctx.report({
      ...common,
      name: `ebm train ${lines} LANL lines, peak RSS`,
      value: trainMb,
      unit: 'MB',
      limit: 1000,
      withinLimit: trainMb < 1000,
      pipelineMb,
      loadavg: load(),
    });
    ctx.report({
      ...common,
      name: `ebm train ${lines} LANL lines, throughput`,
      value: lines / tr.seconds,
      unit: 'lines/s',
      seconds: Math.round(tr.seconds * 10) / 10,
      loadavg: load(),
    });

    ctx.log(`ebm score on ${lines} lines (load average ${load()})`);
    const sc = await run(['score', '--model', pipeline, '--out', '/dev/null', big]);
    if (sc.code !== 0) throw new Error(`ebm score failed (code ${sc.code}): ${sc.stderr.slice(-2000)}`);
    const peakMb = sc.peakKb / 1024;
    ctx.report({
      ...common,
      name: `ebm score ${lines} LANL lines, peak RSS`,
      value: peakMb,
      unit: 'MB',
      limit: 300,
      withinLimit: peakMb < 300,
      pipelineMb,
      loadavg: load(),
    });
    ctx.report({
      ...common,
      name: `ebm score ${lines} LANL lines, throughput`,
      value: lines / sc.seconds,
      unit: 'lines/s',
      seconds: Math.round(sc.seconds * 10) / 10,
      loadavg: load(),
    });

    if (compare <= 0) return;
    ctx.log(`streaming against in-memory training on the first ${compare} lines (load average ${load()})`);
    const oursFile = join(dir, `pipeline-${model}-${compare}-stream.json`);
    const peerFile = join(dir, `pipeline-${model}-${compare}-memory.json`);
    const ours = await run([
      'train',
      '--format',
      'lanl',
      '--model',
      model,
      '--quiet',
      '--json',
      '--temp-dir',
      dir,
      '--out',
      oursFile,
      head,
    ]);
    if (ours.code !== 0) throw new Error(`ebm train failed (code ${ours.code}): ${ours.stderr.slice(-2000)}`);
    const peer = await run([head, peerFile, model, '1'], inMemory);
    if (peer.code !== 0)
      throw new Error(`in-memory training failed (code ${peer.code}): ${peer.stderr.slice(-2000)}`);
    const name = `train ${compare} LANL lines`;
    ctx.report({
      ...common,
      name: `${name}, peak RSS`,
      value: ours.peakKb / 1024,
      unit: 'MB',
      loadavg: load(),
    });
    ctx.report({
      ...common,
      name: `${name}, peak RSS`,
      value: peer.peakKb / 1024,
      unit: 'MB',
      peer: 'in-memory trainPipeline',
      ratio: peer.peakKb / Math.max(1, ours.peakKb),
      loadavg: load(),
    });
    ctx.report({ ...common, name: `${name}, time`, value: ours.seconds, unit: 's', loadavg: load() });
    ctx.report({
      ...common,
      name: `${name}, time`,
      value: peer.seconds,
      unit: 's',
      peer: 'in-memory trainPipeline',
      ratio: peer.seconds / ours.seconds,
      loadavg: load(),
    });
    const a = JSON.parse(readFileSync(oursFile, 'utf8')) as PipelineJSON;
    const b = JSON.parse(readFileSync(peerFile, 'utf8')) as PipelineJSON;
    const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);
    const modelDiff = maxRelDiff(
      numbers((a.detector.model as { state: unknown }).state),
      numbers((b.detector.model as { state: unknown }).state),
    );
    const calDiff = maxRelDiff(a.detector.calibration, b.detector.calibration);
    ctx.report({
      ...common,
      name: `${name}, streaming vs in-memory pipeline, max relative difference`,
      value: Math.max(modelDiff, calDiff),
      unit: 'relative',
      featurizerEqual: same(a.featurizer, b.featurizer),
      scalerEqual: same(a.detector.scaler, b.detector.scaler),
      modelStateDiff: modelDiff,
      calibrationDiff: calDiff,
      thresholdDiff: Math.abs((a.detector.threshold ?? 0) - (b.detector.threshold ?? 0)),
      trainRowPasses: (trainJson(ours.stdout).passes as { rows?: number } | undefined)?.rows ?? 0,
      loadavg: load(),
    });
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
