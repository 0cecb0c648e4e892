import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

export default defineConfig(
  libraryBuild({
    index: 'src/index.ts',
    kernels: 'src/kernels.ts',
    wasm: 'src/wasm.ts',
    extend: 'src/extend.ts',
    'testing/index': 'src/testing/index.ts',
  }),
);
