import { defineConfig } from 'vitest/config';

// CI asks for a machine-readable report too (see .ci/run); `pnpm test` alone prints the usual summary.
const jsonReport = process.env.EBM_JSON_REPORT;
const reporting = jsonReport ? { reporters: ['default', 'json'], outputFile: { json: jsonReport } } : {};

export default defineConfig({
  resolve: { conditions: ['@nexus/source'] },
  ssr: { resolve: { conditions: ['@nexus/source'] } },
  test: {
    ...reporting,
    name: 'data',
    include: ['packages/*/src/**/*.data.test.ts', 'bench/**/*.data.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
