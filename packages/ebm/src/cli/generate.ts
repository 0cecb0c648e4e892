import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type FormattedLogs,
  formatCloudTrail,
  formatGithubAudit,
  formatLanl,
  formatSshd,
  formatWinevt,
  labelsCsv,
  type SimulatedLogs,
  simulate,
} from '@nexus/ebm-features';
import {
  CliError,
  type CliIO,
  type Command,
  choiceOpt,
  intOpt,
  type ParsedArgs,
  stringOpt,
} from './command.js';
import { writeOutput } from './outputs.js';

const WRITERS = {
  lanl: formatLanl,
  sshd: formatSshd,
  winevt: formatWinevt,
  cloudtrail: formatCloudTrail,
  'github-audit': formatGithubAudit,
} as const satisfies Record<string, (s: SimulatedLogs) => FormattedLogs>;
/** The formats `ebm generate` writes (one per writer), or all of them. */
const FORMATS: readonly (keyof typeof WRITERS | 'all')[] = [
  ...(Object.keys(WRITERS) as (keyof typeof WRITERS)[]),
  'all',
];
const EXT: Record<keyof typeof WRITERS, string> = {
  lanl: 'txt',
  sshd: 'log',
  winevt: 'jsonl',
  cloudtrail: 'jsonl',
  'github-audit': 'jsonl',
};

function split(logs: FormattedLogs, testStart: number): { train: FormattedLogs; test: FormattedLogs } {
  let cut = logs.times.findIndex((t) => t >= testStart);
  if (cut < 0) cut = logs.times.length;
  const part = (a: number, b: number): FormattedLogs => ({
    lines: logs.lines.slice(a, b),
    labels: logs.labels.slice(a, b),
    times: logs.times.slice(a, b),
    incidents: logs.incidents.slice(a, b),
  });
  return { train: part(0, cut), test: part(cut, logs.lines.length) };
}

/**
 * `ebm generate`: writes simulated enterprise logs with labelled red-team scenarios — for each format a
 * training file (normal days only), a test file and the test file's labels (`line,scenario`).
 *
 * @example
 * ```sh
 * ebm generate --format lanl --seed 7 --out data/
 * ```
 */
export const generateCommand: Command = {
  name: 'generate',
  summary: 'Generate simulated enterprise logs with labelled red-team scenarios (simulated, not real data).',
  usage: `ebm generate [--format ${FORMATS.join('|')}] [--seed N] [--days N] [--train-days N] [--users N] --out DIR`,
  options: {
    format: { type: 'string', description: 'output format', valueName: 'FORMAT', defaultText: 'all' },
    seed: { type: 'string', description: 'random seed', valueName: 'N', defaultText: '1' },
    days: { type: 'string', description: 'days to simulate', valueName: 'N', defaultText: '14' },
    'train-days': {
      type: 'string',
      description: 'leading days of normal activity only',
      valueName: 'N',
      defaultText: '10',
    },
    users: { type: 'string', description: 'number of people', valueName: 'N', defaultText: '60' },
    out: {
      type: 'string',
      short: 'o',
      description: 'output folder',
      valueName: 'DIR',
      defaultText: 'ebm-data',
    },
  },
  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    const format = choiceOpt(args, 'format', FORMATS, 'all', 'generate');
    const days = intOpt(args, 'days', 14, { cmd: 'generate', min: 2, max: 3650 });
    const trainDays = intOpt(args, 'train-days', Math.min(10, days - 1), {
      cmd: 'generate',
      min: 1,
      max: days - 1,
    });
    const sim = simulate({
      seed: intOpt(args, 'seed', 1, { cmd: 'generate', min: 0 }),
      days,
      trainDays,
      users: intOpt(args, 'users', 60, { cmd: 'generate', min: 4, max: 100_000 }),
    });
    const out = stringOpt(args, 'out', 'ebm-data');
    try {
      mkdirSync(out, { recursive: true });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new CliError(
        `ebm generate: cannot create --out (expected a folder that can be created or written, got ${JSON.stringify(out)}: ${err.code ?? err.message})`,
        1,
      );
    }
    const formats = format === 'all' ? (Object.keys(WRITERS) as (keyof typeof WRITERS)[]) : [format];
    for (const f of formats) {
      const { train, test } = split(WRITERS[f](sim), sim.testStart);
      const base = join(out, f);
      const text = (l: readonly string[]): string => (l.length > 0 ? `${l.join('\n')}\n` : '');
      writeOutput(`${base}.train.${EXT[f]}`, text(train.lines), 'generate', '--out');
      writeOutput(`${base}.test.${EXT[f]}`, text(test.lines), 'generate', '--out');
      writeOutput(`${base}.test.labels.csv`, labelsCsv(test), 'generate', '--out');
      const anomalies = test.labels.filter((l) => l !== null).length;
      io.stderr.write(
        `${f.padEnd(10)} train ${String(train.lines.length).padStart(7)} lines, test ${String(test.lines.length).padStart(7)} lines (${anomalies} labelled anomalous) → ${base}.{train,test}.${EXT[f]}\n`,
      );
    }
    return 0;
  },
};
