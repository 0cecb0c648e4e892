#!/usr/bin/env node
/**
 * The `ebm` command-line tool. Subcommands live one per file in this folder.
 *
 * @example
 * ```sh
 * ebm demo
 * ebm generate --out data/ && ebm train --format lanl --out model.json data/lanl.train.txt
 * ```
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError, type CliIO, type Command, helpText, parseCommandArgs } from './command.js';
import { generateCommand } from './generate.js';

/** Every subcommand, in the order `ebm --help` lists them. */
export const COMMANDS: readonly Command[] = [generateCommand];

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'ebm — energy-based anomaly detection for security logs',
    '',
    'usage: ebm <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    "Run 'ebm <command> --help' for a command's options.",
    '',
  ].join('\n');
}

/**
 * Runs the `ebm` command line with the given arguments; resolves to the exit code (0 ok, 1 bad input or
 * failure, 2 bad arguments).
 *
 * @example
 * ```ts
 * const code = await runCli(['generate', '--out', 'data'], { stdout: process.stdout, stderr: process.stderr, isTTY: false });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(topHelp());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (cmd === undefined) {
    io.stderr.write(
      `ebm: unknown command (expected one of ${COMMANDS.map((c) => c.name).join(', ')}, got ${JSON.stringify(name)})\n`,
    );
    return 2;
  }
  try {
    const args = parseCommandArgs(cmd, rest);
    if (args.values.help === true) {
      io.stdout.write(helpText(cmd));
      return 0;
    }
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr.write(`${e.message}\n`);
      return e.exitCode;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr.write(`ebm ${cmd.name}: ${msg}\n`);
    return 1;
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: process.stderr.isTTY === true,
  });
  process.exitCode = code;
}
