/**
 * `pnpm bench NAME [--json] [args…]`: runs bench/NAME.ts, whose default export takes a BenchContext.
 * Without a name, lists the benchmarks.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BenchContext, createContext } from './lib/report.js';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...rest] = process.argv.slice(2).filter((a) => a !== '--');
if (name === undefined || name === '--help' || !available.includes(name)) {
  if (name !== undefined && name !== '--help')
    process.stderr.write(
      `bench: unknown benchmark (expected one of ${available.join(', ')}, got ${JSON.stringify(name)})\n`,
    );
  process.stderr.write(`usage: pnpm bench NAME [--json]\nbenchmarks: ${available.join(', ')}\n`);
  process.exit(name === undefined || name === '--help' ? 0 : 2);
}
const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as {
  default: (ctx: BenchContext) => Promise<void> | void;
};
await mod.default(createContext(rest, name));
