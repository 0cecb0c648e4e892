/**
 * Runs the code blocks of README.md and docs/*.md as a reader would, in order, from the repository root:
 * a fenced block tagged `sh` runs in bash (`set -euo pipefail`), one tagged `ts` is saved under
 * tmp/doc-blocks/ and run with `tsx --conditions=@nexus/source` (the sources; no build needed). A block
 * whose fence says `no-run` (```ts no-run) is an excerpt and is not run; untagged blocks (output, usage)
 * are never run. Everything a block writes goes under tmp/ (git-ignored). One failing block is reported
 * with its file, line and the tail of its output; the run ends with `docs: N passed, M failed` and writes
 * {"numPassedTests","numFailedTests"} to OUTFILE for CI.
 *
 * usage: tsx scripts/docBlocks.ts [OUTFILE]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** One fenced block of a Markdown file. */
export interface DocBlock {
  readonly file: string;
  readonly line: number;
  readonly lang: string;
  readonly run: boolean;
  readonly code: string;
}

/** The fenced blocks of a Markdown text (fences of three backticks at the start of a line). */
export function docBlocks(file: string, text: string): DocBlock[] {
  const out: DocBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    const lang = open[1] ?? '';
    out.push({
      file,
      line: start + 1,
      lang,
      run: (lang === 'sh' || lang === 'ts') && !/\bno-run\b/.test(open[2] ?? ''),
      code: body.join('\n'),
    });
  }
  return out;
}

/** README.md and every docs/*.md, in that order. */
export function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(ROOT, 'docs', f));
  return [join(ROOT, 'README.md'), ...docs];
}

function runBlock(b: DocBlock, n: number): { ok: boolean; output: string } {
  const env = { ...process.env, FORCE_COLOR: '0' };
  if (b.lang === 'sh') {
    const r = spawnSync('bash', ['-c', `set -euo pipefail\n${b.code}`], { cwd: ROOT, env, encoding: 'utf8' });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  }
  const dir = join(ROOT, 'tmp', 'doc-blocks');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, `${relative(ROOT, b.file).replaceAll('/', '-').replace(/\.md$/, '')}-${n}.ts`);
  writeFileSync(script, `${b.code}\n`);
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  const r = spawnSync(tsx, ['--conditions=@nexus/source', script], { cwd: ROOT, env, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

function main(): void {
  const outFile = process.argv[2];
  let passed = 0;
  let failed = 0;
  let n = 0;
  for (const file of docFiles()) {
    for (const b of docBlocks(file, readFileSync(file, 'utf8'))) {
      if (!b.run) continue;
      n += 1;
      const started = Date.now();
      const { ok, output } = runBlock(b, n);
      const where = `${relative(ROOT, b.file)}:${b.line} (${b.lang})`;
      if (ok) {
        passed += 1;
        console.log(`doc block ${where}: ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } else {
        failed += 1;
        console.log(`doc block ${where}: FAILED`);
        console.log(
          output
            .trimEnd()
            .split('\n')
            .slice(-30)
            .map((l) => `    ${l}`)
            .join('\n'),
        );
      }
    }
  }
  if (outFile !== undefined) {
    mkdirSync(dirname(resolve(outFile)), { recursive: true });
    writeFileSync(outFile, `${JSON.stringify({ numPassedTests: passed, numFailedTests: failed })}\n`);
  }
  console.log(`docs: ${passed} passed, ${failed} failed`);
  if (failed > 0) process.exit(1);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
