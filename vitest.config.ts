import { defineConfig } from 'vitest/config';
import { reporting, sourceResolution } from './vitest.shared.js';

const pkg = (name: string) => ({
  extends: true as const,
  test: {
    name,
    include: [`packages/${name}/src/**/*.test.ts`],
    exclude: ['**/*.data.test.ts', '**/node_modules/**', '**/dist/**'],
  },
});

export default defineConfig({
  ...sourceResolution,
  test: {
    ...reporting,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      pkg('core'),
      pkg('energies'),
      pkg('features'),
      pkg('ebm'),
      pkg('stream'),
      // the benchmarks' own helpers (the figures themselves are `pnpm bench NAME`, never timed here)
      {
        extends: true as const,
        test: { name: 'bench', include: ['bench/**/*.test.ts'], exclude: ['bench/**/*.data.test.ts'] },
      },
      // repository checks (the API report, option tables); *.dist.test.ts run on the built packages (pnpm test:dist)
      {
        extends: true as const,
        test: { name: 'scripts', include: ['scripts/**/*.test.ts'], exclude: ['scripts/**/*.dist.test.ts'] },
      },
    ],
  },
});
