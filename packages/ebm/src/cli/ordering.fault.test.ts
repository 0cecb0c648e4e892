/**
 * Fault regressions of issue 15, case 4, through the `ebm` command line: results do not depend on
 * `--chunk`, and any arrival order within the reordering window (`--max-lateness`, default 300 s) gives
 * the results of the time-sorted file; events later than the window are featurized in arrival order,
 * counted and reported. Before the fix, stateful features sorted only within a chunk: a file shuffled
 * within 4 minutes gave 1,017 flags with `--chunk 1` and 397 with `--chunk 8192`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from './testing.js';

const dir = mkdtempSync(join(tmpdir(), 'ebm-order-'));
const p = (f: string): string => join(dir, f);

interface Row {
  line: number;
  energy: number;
  flag: number;
}
const rowsOf = (ndjson: string): Row[] =>
  ndjson
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row);

/** A small seeded generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The lines in a new arrival order and, per new line, the index of the original line. With `maxDelay`
 * each distinct time arrives up to that many seconds late (lines of one time keep their order, so the
 * window's stable sort restores the original exactly); without it, a full shuffle.
 */
function arrive(lines: readonly string[], seed: number, maxDelay?: number): { text: string; from: number[] } {
  const r = rng(seed);
  const idx = lines.map((_, i) => i);
  if (maxDelay === undefined) {
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
    }
  } else {
    const time = lines.map((l) => Number(l.split(',')[0]));
    const delay = new Map<number, number>();
    for (const t of time) if (!delay.has(t)) delay.set(t, Math.floor(r() * (maxDelay + 1)));
    const at = (i: number): number => (time[i] as number) + (delay.get(time[i] as number) as number);
    idx.sort((a, b) => at(a) - at(b) || a - b);
  }
  return { text: `${idx.map((i) => lines[i]).join('\n')}\n`, from: idx };
}

async function score(file: string, ...extra: string[]): Promise<{ rows: Row[]; stderr: string }> {
  const r = await runCliCaptured(['score', '--model', p('lanl.json'), ...extra, p(file)]);
  expect(r.code, r.stderr).toBe(0);
  return { rows: rowsOf(r.stdout), stderr: r.stderr };
}

let sorted: Row[] = [];
let window: number[] = [];

beforeAll(async () => {
  const g = await runCliCaptured([
    'generate',
    '--days',
    '4',
    '--train-days',
    '3',
    '--users',
    '12',
    '--seed',
    '3',
    '--format',
    'lanl',
    '--out',
    dir,
  ]);
  expect(g.code, g.stderr).toBe(0);
  const t = await runCliCaptured([
    'train',
    '--format',
    'lanl',
    '--model',
    'gaussian',
    '--out',
    p('lanl.json'),
    p('lanl.train.txt'),
  ]);
  expect(t.code, t.stderr).toBe(0);
  const lines = readFileSync(p('lanl.test.txt'), 'utf8').trimEnd().split('\n').slice(0, 2000);
  writeFileSync(p('sorted.txt'), `${lines.join('\n')}\n`);
  const w = arrive(lines, 1, 240);
  writeFileSync(p('window.txt'), w.text);
  window = w.from;
  writeFileSync(p('shuffled.txt'), arrive(lines, 2).text);
  sorted = (await score('sorted.txt')).rows;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('case 4: results do not depend on the chunk size or on arrival order within the window', () => {
  it('a file shuffled within 4 minutes: --chunk 1, 7 and 8192 give the flags and energies of the sorted file', async () => {
    expect(window.some((from, k) => from !== k)).toBe(true); // really out of order
    for (const chunk of ['1', '7', '8192']) {
      const { rows, stderr } = await score('window.txt', '--chunk', chunk);
      expect(rows.map((r) => r.line)).toEqual(window.map((_, k) => k + 1)); // file order
      rows.forEach((r, k) => {
        const s = sorted[window[k] as number] as Row;
        expect(r.energy).toBe(s.energy);
        expect(r.flag).toBe(s.flag);
      });
      expect(stderr).not.toMatch(/arrival order/);
    }
  });

  it('a fully shuffled file: identical for every chunk size, the late events counted and reported', async () => {
    const a = await score('shuffled.txt', '--chunk', '1');
    const b = await score('shuffled.txt', '--chunk', '8192', '--json');
    expect(a.rows).toEqual(b.rows);
    const late = /(\d+) event\(s\) came more than 300 s behind/.exec(a.stderr);
    expect(late).not.toBeNull();
    const totals = b.stderr
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { order?: { late: number; max_lateness_seconds: number } })
      .find((o) => o.order !== undefined);
    expect(totals?.order?.max_lateness_seconds).toBe(300);
    expect(totals?.order?.late).toBe(Number(late?.[1]));
    expect(totals?.order?.late).toBeGreaterThan(1000);
    // --max-lateness large enough to span the file reorders everything: the sorted results, nothing late
    const whole = await score('shuffled.txt', '--chunk', '13', '--max-lateness', '1e8');
    expect(whole.stderr).not.toMatch(/arrival order/);
    expect(whole.rows.filter((r) => r.flag === 1).length).toBe(sorted.filter((r) => r.flag === 1).length);
  });

  it('eval and explain see the same energies as score', async () => {
    // the generated labels (line,scenario), moved with their lines
    const given = readFileSync(p('lanl.test.labels.csv'), 'utf8').trimEnd().split('\n').slice(1);
    const label = (i: number): string => (given[i] as string).split(',')[1] as string;
    const labels = ['line,label', ...window.map((from, k) => `${k + 1},${label(from)}`)].join('\n');
    writeFileSync(p('window.labels.csv'), `${labels}\n`);
    const normalFlagged = sorted.filter((r, i) => r.flag === 1 && label(i) === 'normal').length;
    const e = await runCliCaptured([
      'eval',
      '--model',
      p('lanl.json'),
      '--labels',
      p('window.labels.csv'),
      '--json',
      p('window.txt'),
    ]);
    expect(e.code, e.stderr).toBe(0);
    const figures = JSON.parse(e.stdout) as { normal_flagged: number; order: { late: number } };
    expect(figures.normal_flagged).toBe(normalFlagged);
    expect(figures.order.late).toBe(0);
    const x = await runCliCaptured([
      'explain',
      '--model',
      p('lanl.json'),
      '--top-k',
      '3',
      '--json',
      p('window.txt'),
    ]);
    expect(x.code, x.stderr).toBe(0);
    const top = rowsOf(x.stdout);
    const best = [...sorted].sort((a, b) => b.energy - a.energy).slice(0, 3);
    // the same events (score writes energies to 4 decimals)
    expect(top.map((r) => (window[r.line - 1] as number) + 1)).toEqual(best.map((r) => r.line));
    top.forEach((r, k) => {
      expect(r.energy).toBeCloseTo((best[k] as Row).energy, 3);
    });
  });

  it('a bad --max-lateness is one clean line', async () => {
    for (const v of ['-1', 'soon', 'NaN']) {
      const r = await runCliCaptured([
        'score',
        '--model',
        p('lanl.json'),
        '--max-lateness',
        v,
        p('sorted.txt'),
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--max-lateness/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
