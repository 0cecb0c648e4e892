import { defineConfig } from 'vitest/config';

// CI asks for a machine-readable report too (see .ci/run); `pnpm test` alone prints the usual summary.
const jsonReport = process.env.EBM_JSON_REPORT;
const reporting = jsonReport ? { reporters: ['default', 'json'], outputFile: { json: jsonReport } } : {};

const pkg = (name: string) => ({
  extends: true as const,
  test: {
    name,
    include: [`packages/${name}/src/**/*.test.ts`],
    exclude: ['**/*.data.test.ts', '**/node_modules/**', '**/dist/**'],
  },
});

export default defineConfig({
  resolve: { conditions: ['@nexus/source'] },
  ssr: { resolve: { conditions: ['@nexus/source'] } },
  test: {
    ...reporting,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [pkg('core'), pkg('energies'), pkg('features'), pkg('ebm'), pkg('stream')],
  },
});
