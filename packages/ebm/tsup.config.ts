import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

export default defineConfig(
  libraryBuild(
    {
      index: 'src/index.ts',
      node: 'src/node.ts',
      extend: 'src/extend.ts',
      'cli/main': 'src/cli/main.ts',
      // loaded by ScoringPool with `new URL('./scoreWorker.js', import.meta.url)`
      'parallel/scoreWorker': 'src/parallel/scoreWorker.ts',
      // loaded by trainAutoencoderParallel / fitGaussianParallel through parallel/workers.ts
      'parallel/trainWorker': 'src/parallel/trainWorker.ts',
    },
    { shims: true },
  ),
);
