import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'cli/main': 'src/cli/main.ts',
    // loaded by ScoringPool with `new URL('./scoreWorker.js', import.meta.url)`
    'parallel/scoreWorker': 'src/parallel/scoreWorker.ts',
    // loaded by trainAutoencoderParallel / fitGaussianParallel through parallel/workers.ts
    'parallel/trainWorker': 'src/parallel/trainWorker.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  shims: true,
  target: 'node20',
});
