/**
 * Bundles the browser scenario (browser/entry.js, which imports `@nexus/ebm` as a user would: through
 * node_modules to the BUILT packages) with esbuild, Vite and webpack for the browser, minified. Each
 * bundler fails on a Node built-in reached from the entry (esbuild and webpack cannot resolve it; Vite's
 * "externalized for browser compatibility" warning is turned into a failure). Sizes are measured on the
 * output: bytes, and gzip at level 9.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
export const BROWSER_ENTRY: string = join(HERE, 'browser', 'entry.js');

/** One bundle: where it is and how big. */
export interface BundleResult {
  readonly bundler: 'esbuild' | 'vite' | 'webpack';
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

function sized(bundler: BundleResult['bundler'], file: string): BundleResult {
  const buf = readFileSync(file);
  return { bundler, file, bytes: buf.length, gzipBytes: gzipSync(buf, { level: 9 }).length };
}

/** esbuild, platform browser, ES module, minified. */
export async function bundleEsbuild(outDir: string, entry: string = BROWSER_ENTRY): Promise<BundleResult> {
  const { build } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'esbuild.js');
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outfile,
    logLevel: 'silent',
  });
  return sized('esbuild', outfile);
}

/** Vite (library mode, ES module, minified); any "externalized for browser compatibility" is an error. */
export async function bundleVite(outDir: string, entry: string = BROWSER_ENTRY): Promise<BundleResult> {
  const vite = await import('vite');
  const warnings: string[] = [];
  const logger = vite.createLogger('warn', { allowClearScreen: false });
  const quiet = {
    ...logger,
    warn: (msg: string) => warnings.push(msg),
    warnOnce: (msg: string) => warnings.push(msg),
    info: () => {},
  };
  await vite.build({
    configFile: false,
    root: dirname(entry),
    logLevel: 'warn',
    customLogger: quiet,
    build: {
      outDir,
      emptyOutDir: false,
      minify: true,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: () => 'vite.js' },
    },
  });
  const external = warnings.filter((w) => /externalized for browser compatibility|browser-external/.test(w));
  if (external.length > 0)
    throw new Error(`vite: Node built-ins reached from the entry:\n${external.join('\n')}`);
  return sized('vite', join(outDir, 'vite.js'));
}

/** webpack 5, target web, production mode (minified). */
export async function bundleWebpack(outDir: string, entry: string = BROWSER_ENTRY): Promise<BundleResult> {
  const { default: webpack } = await import('webpack');
  await new Promise<void>((resolve, reject) => {
    webpack(
      {
        mode: 'production',
        target: 'web',
        entry,
        output: { path: outDir, filename: 'webpack.js' },
        performance: { hints: false },
        infrastructureLogging: { level: 'error' },
      },
      (err, stats) => {
        if (err) reject(err);
        else if (stats?.hasErrors())
          reject(new Error(`webpack: ${stats.toString({ all: false, errors: true, colors: false })}`));
        else resolve();
      },
    );
  });
  return sized('webpack', join(outDir, 'webpack.js'));
}
