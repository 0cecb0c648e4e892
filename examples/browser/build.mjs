// Bundles the page for the browser with esbuild into OUTDIR (default examples/browser/dist): app.js (the
// library and the page, minified), index.html and style.css. Usage: node build.mjs [OUTDIR]
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** Writes the page into `outDir`; returns the bundle's path. */
export async function buildPage(outDir = join(here, 'dist')) {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'app.js');
  await build({
    entryPoints: [join(here, 'app.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outfile,
    logLevel: 'warning',
    // tsup's entry files import shared chunks for ordering only; dropping those bare imports is harmless
    logOverride: { 'ignored-bare-import': 'silent' },
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(join(here, f), join(outDir, f));
  return outfile;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildPage(process.argv[2]);
  console.log(`built ${out}`);
}
