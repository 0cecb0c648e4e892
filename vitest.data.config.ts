import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { reporting, sourceResolution } from './vitest.shared.js';

// The data suites read ../shared/data (or EBM_DATA_DIR); on a clone without it they are skipped, once, here.
const dataDir =
  process.env.EBM_DATA_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../shared/data');
const hasData = existsSync(dataDir);
if (!hasData)
  console.warn(`test:data skipped: no data folder at ${dataDir} (set EBM_DATA_DIR or place ../shared/data)`);

export default defineConfig({
  ...sourceResolution,
  test: {
    ...reporting,
    name: 'data',
    include: hasData ? ['packages/*/src/**/*.data.test.ts', 'bench/**/*.data.test.ts'] : [],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
