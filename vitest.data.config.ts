import { defineConfig } from 'vitest/config';
import { reporting, sourceResolution } from './vitest.shared';

export default defineConfig({
  ...sourceResolution,
  test: {
    ...reporting,
    name: 'data',
    include: ['packages/*/src/**/*.data.test.ts', 'bench/**/*.data.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
