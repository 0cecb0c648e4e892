import { parseArgs } from 'node:util';
import { decimalNumber } from '@nexus/ebm-features/extend';

/**
 * Where a command writes: injectable so tests can capture output.
 */
export interface CliIO {
  /** Standard output (results). */
  readonly stdout: NodeJS.WritableStream;
  /** Standard error (progress, messages). */
  readonly stderr: NodeJS.WritableStream;
  /** Whether stderr is a terminal (progress bars redraw in place only then). */
  readonly isTTY: boolean;
}

/**
 * An option of a subcommand, for parsing and for `--help`.
 */
export interface OptionSpec {
  /** `string` takes a value; `boolean` is a flag. */
  readonly type: 'string' | 'boolean';
  /** One-letter alias. */
  readonly short?: string;
  /** Shown in `--help`. */
  readonly description: string;
  /** Shown in `--help` as the placeholder of the value. */
  readonly valueName?: string;
  /** Default shown in `--help` (and applied by the command itself). */
  readonly defaultText?: string;
}

/**
 * A subcommand of `ebm`: one per file in this folder.
 *
 * @example
 * ```ts
 * const hello: Command = { name: 'hello', summary: 'Say hello.', usage: 'ebm hello', options: {},
 * async run(_args, io) { io.stdout.write('hello\\n'); return 0; } };
 * ```
 */
export interface Command {
  /** Name typed after `ebm`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Usage line, e.g. `ebm score --model FILE [--format lanl] FILE…`. */
  readonly usage: string;
  /** Options (each also accepts `--help`). */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Runs the command; resolves to the process exit code. */
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

/**
 * Parsed options and positionals.
 */
export interface ParsedArgs {
  /** Option values by long name. */
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  /** Positional arguments. */
  readonly positionals: readonly string[];
}

/**
 * A usage error: bad arguments or bad input. `exitCode` 2 for arguments, 1 for input.
 *
 * @example
 * ```ts
 * throw new CliError('ebm score: --model is required (expected a model file, got nothing)', 2);
 * ```
 */
export class CliError extends Error {
  /** Process exit code. */
  readonly exitCode: number;
  /** @param msg - the message; @param exitCode - 2 for usage errors, 1 for bad input. */
  constructor(msg: string, exitCode = 2) {
    super(msg);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/**
 * Parses `argv` against a command's options; unknown options and missing values are `CliError`s.
 *
 * @example
 * ```ts
 * const args = parseCommandArgs(cmd, ['--seed', '3', 'in.log']);
 * ```
 */
export function parseCommandArgs(cmd: Command, argv: readonly string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [k, spec] of Object.entries(cmd.options)) {
    options[k] = spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short };
  }
  try {
    const r = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new CliError(`ebm ${cmd.name}: ${msg} (see 'ebm ${cmd.name} --help')`, 2);
  }
}

/**
 * The `--help` text of a command.
 *
 * @example
 * ```ts
 * process.stdout.write(helpText(cmd));
 * ```
 */
export function helpText(cmd: Command): string {
  const lines = [`${cmd.summary}`, '', `usage: ${cmd.usage}`, '', 'options:'];
  const entries = Object.entries(cmd.options);
  const left = (k: string, s: OptionSpec): string =>
    `${s.short !== undefined ? `-${s.short}, ` : '    '}--${k}${s.type === 'string' ? ` ${s.valueName ?? 'VALUE'}` : ''}`;
  const width = Math.max(20, ...entries.map(([k, s]) => left(k, s).length)) + 2;
  for (const [k, s] of entries) {
    lines.push(
      `  ${left(k, s).padEnd(width)}${s.description}${s.defaultText !== undefined ? ` (default ${s.defaultText})` : ''}`,
    );
  }
  lines.push(`  ${'-h, --help'.padEnd(width)}show this help`);
  return `${lines.join('\n')}\n`;
}

/**
 * Reads a string option, or its default.
 *
 * @example
 * ```ts
 * const out = stringOpt(args, 'out', 'model.json');
 * ```
 */
export function stringOpt(args: ParsedArgs, name: string, fallback: string): string {
  const v = args.values[name];
  return typeof v === 'string' ? v : fallback;
}

/**
 * Reads an integer option within bounds, or its default; anything else is a `CliError`.
 *
 * @example
 * ```ts
 * const seed = intOpt(args, 'seed', 1, { cmd: 'generate', min: 0 });
 * ```
 */
export function intOpt(
  args: ParsedArgs,
  name: string,
  fallback: number,
  bounds: { cmd: string; min?: number; max?: number },
): number {
  const v = args.values[name];
  if (v === undefined || typeof v === 'boolean') return fallback;
  const n = decimalNumber(v);
  const min = bounds.min ?? Number.MIN_SAFE_INTEGER;
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliError(
      `ebm ${bounds.cmd}: --${name} must be an integer (expected ${min}…${max}, got ${JSON.stringify(v)})`,
      2,
    );
  }
  return n;
}

/**
 * Reads a number option within bounds, or its default.
 *
 * @example
 * ```ts
 * const rate = numberOpt(args, 'contamination', 0.01, { cmd: 'train', min: 0, max: 0.5 });
 * ```
 */
export function numberOpt(
  args: ParsedArgs,
  name: string,
  fallback: number,
  bounds: { cmd: string; min?: number; max?: number },
): number {
  const v = args.values[name];
  if (v === undefined || typeof v === 'boolean') return fallback;
  const n = decimalNumber(v);
  const min = bounds.min ?? -Infinity;
  const max = bounds.max ?? Infinity;
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new CliError(
      `ebm ${bounds.cmd}: --${name} must be a number (expected ${min}…${max}, got ${JSON.stringify(v)})`,
      2,
    );
  }
  return n;
}

/**
 * Reads an option restricted to a set of choices.
 *
 * @example
 * ```ts
 * const format = choiceOpt(args, 'format', ['lanl', 'sshd'] as const, 'lanl', 'score');
 * ```
 */
export function choiceOpt<T extends string>(
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
  fallback: T,
  cmd: string,
): T {
  const v = args.values[name];
  if (v === undefined || typeof v === 'boolean') return fallback;
  if (!(choices as readonly string[]).includes(v)) {
    throw new CliError(
      `ebm ${cmd}: unknown --${name} (expected ${choices.join(' | ')}, got ${JSON.stringify(v)})`,
      2,
    );
  }
  return v as T;
}
