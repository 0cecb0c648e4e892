import { defineConfig } from 'vitest/config';
import { reporting } from './vitest.shared.js';

/**
 * Tests of the BUILT packages (`pnpm build` first): packaging (publint, attw, tarball contents), the
 * CJS/ESM pair, bundlers and headless Chromium. No `@nexus/source` condition: `@nexus/*` resolves to
 * `packages/*\/dist` as it does for users.
 */
export default defineConfig({
  test: {
    ...reporting,
    name: 'dist',
    include: ['scripts/release/*.dist.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
