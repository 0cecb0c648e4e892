/**
 * The `ebm` command line as a function (no process side effects): the command list and {@link runCli}.
 *
 * @example
 * ```sh
 * ebm demo
 * ebm generate --out data/ && ebm train --format lanl --out model.json data/lanl.train.txt
 * ```
 */
import { CliError, type CliIO, type Command, helpText, parseCommandArgs } from './command.js';
import { demoCommand } from './demo.js';
import { evalCommand } from './eval.js';
import { explainCommand } from './explain.js';
import { generateCommand } from './generate.js';
import { scoreCommand } from './score.js';
import { trainCommand } from './train.js';
import { workerCommand } from './worker.js';

/**
 * Every subcommand, in the order `ebm --help` lists them.
 *
 * @example
 * ```ts
 * COMMANDS.map((c) => c.name); // ['demo', 'generate', 'train', …]
 * ```
 */
export const COMMANDS: readonly Command[] = [
  demoCommand,
  generateCommand,
  trainCommand,
  scoreCommand,
  evalCommand,
  explainCommand,
  workerCommand,
];

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
