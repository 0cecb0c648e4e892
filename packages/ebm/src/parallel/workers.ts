import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EbmError } from '@nexus/ebm-core';

const here = import.meta.url;
const fromSource = here.endsWith('.ts');

/**
 * Where a worker script of this folder lives: beside this file in source; in the bundles,
 * `dist/parallel/NAME.js` (reached from `dist/index.js` or `dist/cli/main.js`).
 */
function workerUrl(name: string, api: string): URL {
  if (fromSource) return new URL(`./${name}.ts`, here);
  for (const rel of [`./parallel/${name}.js`, `../parallel/${name}.js`, `./${name}.js`]) {
    const u = new URL(rel, here);
    if (existsSync(fileURLToPath(u))) return u;
  }
  throw new EbmError(`${api}: worker script not found next to ${here} (expected dist/parallel/${name}.js)`);
}

/**
 * Starts the worker script `NAME` of this folder. From source (tests, `tsx`), the worker registers tsx's
 * loader before importing the TypeScript file; from the bundles it runs `dist/parallel/NAME.js`.
 *
 * @example
 * ```ts
 * const w = startWorker('scoreWorker', { model: json, modules: [] }, 'ScoringPool.create');
 * ```
 */
export function startWorker(name: string, workerData: unknown, api: string): Worker {
  const url = workerUrl(name, api);
  return fromSource
    ? new Worker(
        `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })`,
        { eval: true, workerData, execArgv: ['--conditions=@nexus/source'] },
      )
    : new Worker(url, { workerData });
}
