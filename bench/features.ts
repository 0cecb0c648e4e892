/**
 * `pnpm bench features [--json] [--lines N] [--reps R]`: parse and featurize the real LANL sample
 * (../shared/data/logs/lanl, or $EBM_DATA_DIR/logs/lanl), repeated to at least N lines (default 1,000,000;
 * each copy shifted by 3 days so the stream moves forward in time), single-threaded, in lines per second.
 *
 * Figures (median of R runs; `best` = the fastest run): end-to-end streaming (sync chunked parse → `transformOne` into one reused
 * row), end-to-end batch (parse a chunk → `transform` to a Matrix), parse only (with a naive `split(',')`
 * parser as the peer), featurize only. Each throughput is also given per CPU second (`process.cpuUsage`),
 * which is steadier than wall time when the machine is shared. Target: ≥ 250,000 lines/s end to end.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AuthEvent,
  authFeaturizer,
  type LanlAuthEvent,
  ParseSession,
  parsers,
} from '@nexus/ebm-features';
import type { BenchContext } from './lib/report.js';
import { ratioOf } from './lib/report.js';

const CHUNK = 8192;
const TARGET = 250_000;

interface Timing {
  wall: number;
  cpu: number;
  /** Fastest run (least disturbed by other load). */
  bestWall: number;
  bestCpu: number;
}

function timed(fn: () => void): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  return { wall, cpu, bestWall: wall, bestCpu: cpu };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** The peer: a straightforward `split(',')` parser building the same event objects. */
function naiveParse(line: string, lineNo: number): LanlAuthEvent | undefined {
  const f = line.split(',');
  if (f.length !== 9) return undefined;
  const [t, su, du, sc, dc, at, lt, or, oc] = f as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const time = Number(t);
  if (!Number.isInteger(time) || (oc !== 'Success' && oc !== 'Fail')) return undefined;
  const [srcUser = '', srcDomain = ''] = su.split('@');
  const [user = '', domain = ''] = du.split('@');
  const q = (s: string): string => (s === '?' ? '' : s);
  return {
    format: 'lanl',
    line: lineNo,
    time,
    user,
    srcUser,
    srcHost: q(sc),
    dstHost: q(dc),
    authType: q(at),
    logonType: q(lt),
    action: q(or),
    success: oc === 'Success',
    srcDomain,
    domain,
  };
}

export default function run(ctx: BenchContext): void {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dataDir = process.env.EBM_DATA_DIR ?? path.resolve(here, '..', '..', 'shared', 'data');
  const file = path.join(dataDir, 'logs', 'lanl', 'auth_lanl_decoded_from_safekit.txt');
  if (!existsSync(file)) {
    ctx.log(`features: LANL sample not found at ${file} (set EBM_DATA_DIR)`);
    process.exitCode = 2;
    return;
  }
  const minLines = Number(ctx.flag('lines') ?? 1_000_000);
  const reps = Number(ctx.flag('reps') ?? 3);
  const sample = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const copies = Math.ceil(minLines / sample.length);
  const lines: string[] = [];
  for (let r = 0; r < copies; r++) {
    const shift = r * 3 * 86400;
    for (const l of sample) {
      const c = l.indexOf(',');
      lines.push(`${Number(l.slice(0, c)) + shift}${l.slice(c)}`);
    }
  }
  const n = lines.length;
  ctx.log(`features: ${n} LANL lines (${copies} shifted copies of ${sample.length}), ${reps} runs each`);

  const trainEvents = new ParseSession(parsers.lanl()).parseLines(sample);
  const makeFeaturizer = () => {
    const f = authFeaturizer({ seed: 1 });
    f.fit(trainEvents);
    return f;
  };
  const nFeatures = makeFeaturizer().nFeatures;

  const measure = (name: string, body: () => void): Timing => {
    const walls: number[] = [];
    const cpus: number[] = [];
    body(); // warm-up
    for (let r = 0; r < reps; r++) {
      const t = timed(body);
      walls.push(t.wall);
      cpus.push(t.cpu);
    }
    const t = {
      wall: median(walls),
      cpu: median(cpus),
      bestWall: Math.min(...walls),
      bestCpu: Math.min(...cpus),
    };
    ctx.log(`  ${name}: ${(n / t.wall).toFixed(0)} lines/s wall, ${(n / t.cpu).toFixed(0)} lines per CPU s`);
    return t;
  };

  // End to end, streaming: one reused row.
  const stream = measure('end-to-end stream', () => {
    const f = makeFeaturizer();
    const session = new ParseSession(parsers.lanl());
    const row = new Float64Array(f.nFeatures);
    const buf: LanlAuthEvent[] = [];
    for (let i = 0; i < n; i += CHUNK) {
      buf.length = 0;
      const end = Math.min(n, i + CHUNK);
      for (let k = i; k < end; k++) session.parseLine(lines[k] as string, buf);
      for (let k = 0; k < buf.length; k++) f.transformOne(buf[k] as AuthEvent, row);
    }
  });
  // End to end, batch: a Matrix per chunk.
  const batch = measure('end-to-end batch', () => {
    const f = makeFeaturizer();
    const session = new ParseSession(parsers.lanl());
    const buf: LanlAuthEvent[] = [];
    for (let i = 0; i < n; i += CHUNK) {
      buf.length = 0;
      const end = Math.min(n, i + CHUNK);
      for (let k = i; k < end; k++) session.parseLine(lines[k] as string, buf);
      f.transform(buf);
    }
  });
  // Parse only, ours and the naive peer.
  const parseOurs = measure('parse (ours)', () => {
    const session = new ParseSession(parsers.lanl());
    const buf: LanlAuthEvent[] = [];
    for (let i = 0; i < n; i++) {
      if (buf.length >= CHUNK) buf.length = 0;
      session.parseLine(lines[i] as string, buf);
    }
  });
  const parsePeer = measure('parse (split peer)', () => {
    const buf: LanlAuthEvent[] = [];
    for (let i = 0; i < n; i++) {
      if (buf.length >= CHUNK) buf.length = 0;
      const e = naiveParse(lines[i] as string, i + 1);
      if (e !== undefined) buf.push(e);
    }
  });
  // Featurize only, on pre-parsed events (one chunk's worth at a time, reused).
  const events = new ParseSession(parsers.lanl()).parseLines(lines);
  const feat = measure('featurize only', () => {
    const f = makeFeaturizer();
    const row = new Float64Array(f.nFeatures);
    for (let i = 0; i < events.length; i++) f.transformOne(events[i] as AuthEvent, row);
  });

  const common = { dataset: 'lanl', lines: n, features: nFeatures, target: TARGET };
  const report = (name: string, t: Timing, extra: Record<string, string | number> = {}): void => {
    const best = (x: number): number => Math.round(n / x);
    ctx.report({
      bench: 'features',
      name,
      value: n / t.wall,
      unit: 'lines/s',
      best: best(t.bestWall),
      ...common,
      ...extra,
    });
    ctx.report({
      bench: 'features',
      name: `${name} (per CPU s)`,
      value: n / t.cpu,
      unit: 'lines/s',
      best: best(t.bestCpu),
      ...common,
      ...extra,
    });
  };
  report('lanl end-to-end stream', stream);
  report('lanl end-to-end batch', batch);
  report('lanl parse', parseOurs);
  ctx.report({
    bench: 'features',
    name: 'lanl parse',
    value: n / parsePeer.wall,
    unit: 'lines/s',
    peer: 'split(",") parser',
    ratio: ratioOf(n / parseOurs.wall, n / parsePeer.wall, 'lines/s'),
    ...common,
  });
  report('lanl featurize', feat);
}
