import { PassThrough } from 'node:stream';
import type { CliIO } from './command.js';
import { runCli } from './run.js';

/**
 * Output of {@link runCliCaptured}.
 */
export interface CapturedRun {
  /** Exit code. */
  readonly code: number;
  /** Everything written to stdout. */
  readonly stdout: string;
  /** Everything written to stderr. */
  readonly stderr: string;
}

/**
 * Runs the CLI in-process with captured output (for tests and examples).
 *
 * @example
 * ```ts
 * const { code, stdout } = await runCliCaptured(['--help']);
 * ```
 */
export async function runCliCaptured(argv: readonly string[]): Promise<CapturedRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  out.on('data', (b: Buffer) => o.push(b));
  err.on('data', (b: Buffer) => e.push(b));
  const io: CliIO = { stdout: out, stderr: err, isTTY: false };
  const code = await runCli(argv, io);
  return { code, stdout: Buffer.concat(o).toString('utf8'), stderr: Buffer.concat(e).toString('utf8') };
}
