/**
 * The packages as npm would publish them: `pnpm pack` (which applies `publishConfig`) each one, then check
 * the tarball — LICENSE, README, package.json fields, no sources, tests or test helpers, no
 * `sourcesContent` in source maps, no development export condition — and run publint and
 * @arethetypeswrong/cli on it (every entry point, under node10, node16 (CJS and ESM) and bundler
 * resolution). Tarball sizes are printed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PACKAGES = ['core', 'energies', 'features', 'ebm', 'stream'];
const BIN = join(ROOT, 'node_modules', '.bin');

interface Packed {
  readonly name: string;
  readonly tarball: string;
  readonly dir: string;
  readonly files: string[];
  readonly manifest: Record<string, unknown>;
}

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), base) : [join(dir, e.name).slice(base.length + 1)],
  );
}

describe('packages as published', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ebm-pack-'));
  const packed = new Map<string, Packed>();

  beforeAll(() => {
    const lines: string[] = [];
    for (const p of PACKAGES) {
      const out = join(tmp, p);
      mkdirSync(out, { recursive: true });
      execFileSync('pnpm', ['pack', '--pack-destination', out], {
        cwd: join(ROOT, 'packages', p),
        stdio: 'pipe',
      });
      const tarball = join(out, readdirSync(out).find((f) => f.endsWith('.tgz')) ?? '');
      execFileSync('tar', ['-xzf', tarball, '-C', out]);
      const dir = join(out, 'package');
      const files = walk(dir).sort();
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      const unpacked = files.reduce((s, f) => s + statSync(join(dir, f)).size, 0);
      packed.set(p, { name: manifest.name as string, tarball, dir, files, manifest });
      lines.push(
        `${manifest.name}: ${(statSync(tarball).size / 1024).toFixed(1)} kB packed, ${(unpacked / 1024).toFixed(1)} kB unpacked, ${files.length} files`,
      );
    }
    console.log(`tarballs (pnpm pack):\n  ${lines.join('\n  ')}`);
  }, 300_000);

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  for (const p of PACKAGES) {
    it(`${p}: LICENSE, README, fields, and nothing that is not for users`, () => {
      const { files, manifest, dir } = packed.get(p) as Packed;
      expect(files).toContain('LICENSE');
      expect(files).toContain('README.md');
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
      expect(manifest.license).toBe('MIT');
      expect(manifest.repository).toMatchObject({ type: 'git', directory: `packages/${p}` });
      expect(manifest.engines).toEqual({ node: '>=20' });
      const exportsMap = manifest.exports as Record<string, unknown>;
      expect(exportsMap['./package.json']).toBe('./package.json');
      expect(JSON.stringify(manifest)).not.toContain('@nexus/source');
      expect(JSON.stringify(manifest)).not.toContain('workspace:');
      const unwanted = files.filter(
        (f) =>
          f.startsWith('src/') ||
          /\.test\.|testModels|testEnergies|redisServer|redisClient|workerFixture|userEnergy/.test(f),
      );
      expect(unwanted).toEqual([]);
      const withSources = files
        .filter((f) => f.endsWith('.map'))
        .filter((f) => readFileSync(join(dir, f), 'utf8').includes('"sourcesContent"'));
      expect(withSources).toEqual([]);
    });

    it(`${p}: publint finds nothing`, async () => {
      const { publint } = await import('publint');
      const { messages } = await publint({
        pkgDir: (packed.get(p) as Packed).dir,
        strict: true,
        pack: false,
      });
      expect(messages.map((m) => `${m.type} ${m.code} ${m.path.join('.')}`)).toEqual([]);
    });

    it(`${p}: @arethetypeswrong/cli finds nothing (node10, node16 CJS and ESM, bundler)`, () => {
      const { tarball } = packed.get(p) as Packed;
      let out: string;
      try {
        out = execFileSync(join(BIN, 'attw'), [tarball, '--format', 'json', '--profile', 'strict'], {
          encoding: 'utf8',
          stdio: 'pipe',
        });
      } catch (e) {
        out = (e as { stdout?: string }).stdout ?? String(e);
      }
      const report = JSON.parse(out) as { analysis?: { problems?: unknown[] } };
      expect(report.analysis?.problems ?? ['no analysis']).toEqual([]);
    });
  }
});
