import type { Options } from 'tsup';

/**
 * The build every package shares: ESM and CJS with code splitting in both (one copy of each module's
 * state per format, so a subpath and the root share classes and registries), type declarations, source
 * maps without embedded sources (stack traces still name `src/…` files and lines), and class and
 * function names kept (`GaussianDensity.fit: …`, not `_GaussianDensity.fit`). Platform-neutral output for
 * ES2022, so bundlers can take every entry that imports no Node built-in into a browser bundle.
 */
export function libraryBuild(entry: Record<string, string>, extra: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    keepNames: true,
    removeNodeProtocol: false,
    target: 'es2022',
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
    ...extra,
  };
}
