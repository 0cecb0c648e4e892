/**
 * Test helper: runs the `ebm` command from the source tree (through tsx) as a child process.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../../ebm/src/cli/main.ts', import.meta.url));

/** A running `ebm` process: stdout ignored, stderr collected as it arrives. */
export interface EbmProcess {
  readonly child: ChildProcess;
  readonly stderr: string[];
  /** Resolves to the exit code (`null` when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `ebm ARGS` (e.g. `['worker', '--redis', url, …]`).
 *
 * @example
 * ```ts
 * const w = startEbm(['worker', '--redis', url, '--in', 'events', '--group', 'g', '--out', 'scores', '--model', file]);
 * w.child.kill('SIGTERM');
 * await w.exited;
 * ```
 */
export function startEbm(args: readonly string[]): EbmProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@nexus/source', cli, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (b: Buffer) => stderr.push(b.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr, exited };
}
