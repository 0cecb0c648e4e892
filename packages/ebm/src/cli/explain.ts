import { formatReasons } from '@nexus/ebm-core';
import { sampleRows } from '../pipeline/Pipeline.js';
import { CliError, type CliIO, type Command, intOpt, type ParsedArgs } from './command.js';
import { eventLine, inputFiles, loadPipelineFile, PIPELINE_FILE_OPTIONS, readAllEvents } from './files.js';

function parseLineList(v: string): number[] {
  const out: number[] = [];
  for (const part of v.split(',')) {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 1) {
      throw new CliError(
        `ebm explain: --lines must list line numbers (expected e.g. 3,17,42, got ${JSON.stringify(v)})`,
        2,
      );
    }
    out.push(n);
  }
  return out;
}

/**
 * `ebm explain`: the top reasons of chosen events (by line number, or the k highest energies), in the
 * raw log's terms: exact per-feature contributions where the energy has them, KernelSHAP otherwise, folded
 * by raw field with the featurizer's column map.
 *
 * @example
 * ```sh
 * ebm explain --model model.json --top-k 5 data/lanl.test.txt
 * ebm explain --model model.json --lines 120,4031 --json data/lanl.test.txt
 * ```
 */
export const explainCommand: Command = {
  name: 'explain',
  summary: 'Explain events (given lines or the top-k energies) with ranked reasons in the raw log’s terms.',
  usage:
    'ebm explain --model FILE [--format FORMAT] [--lines N,N…] [--top-k N] [--reasons N] [--seed N] [--json] LOG',
  options: {
    ...PIPELINE_FILE_OPTIONS,
    lines: { type: 'string', description: 'line numbers to explain (comma-separated)', valueName: 'N,N' },
    'top-k': {
      type: 'string',
      short: 'k',
      description: 'explain the k highest energies',
      valueName: 'N',
      defaultText: '10',
    },
    reasons: { type: 'string', description: 'reasons per event', valueName: 'N', defaultText: '3' },
    seed: { type: 'string', description: 'seed of KernelSHAP sampling', valueName: 'N', defaultText: '1' },
    json: { type: 'boolean', description: 'print one JSON object per event' },
  },
  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    const cmd = 'explain';
    const topK = intOpt(args, 'top-k', 10, { cmd, min: 1, max: 10_000 });
    const nReasons = intOpt(args, 'reasons', 3, { cmd, min: 1, max: 50 });
    const seed = intOpt(args, 'seed', 1, { cmd, min: 0 });
    const wanted = typeof args.values.lines === 'string' ? parseLineList(args.values.lines) : undefined;
    const pipeline = loadPipelineFile(args, cmd);
    const [file] = inputFiles(args, cmd, 1);
    const { events } = await readAllEvents([file as string], pipeline.format, io, cmd);
    // Featurize the whole file in order: stream features (windows, first-seen) depend on what came before.
    const X = pipeline.featurize(events);
    const energy = pipeline.scoreRows(X).energy;
    let picked: number[];
    if (wanted !== undefined) {
      const index = new Map<number, number>();
      events.forEach((e, i) => {
        index.set(eventLine(e, i + 1), i);
      });
      picked = wanted.map((l) => {
        const i = index.get(l);
        if (i === undefined) {
          throw new CliError(
            `ebm explain: no event on line ${l} (expected a line holding a ${pipeline.format} event, got a blank, malformed or missing line)`,
            1,
          );
        }
        return i;
      });
    } else {
      picked = Array.from(energy.keys())
        .sort((a, b) => (energy[b] as number) - (energy[a] as number) || a - b)
        .slice(0, topK);
    }
    const model = pipeline.detector.model;
    const background = model.hasContributions === true ? undefined : sampleRows(X, 32, seed);
    const sel = X.selectRows(picked);
    const why = pipeline.explain(
      picked.map((i) => events[i] as object),
      sel,
      background === undefined ? { top: nReasons, seed } : { top: nReasons, seed, background },
    );
    const method = model.hasContributions === true ? 'exact contributions' : 'KernelSHAP';
    if (args.values.json !== true) io.stdout.write(`reasons by ${method} of ${pipeline.modelName}\n`);
    picked.forEach((i, r) => {
      const e = events[i] as object;
      const line = eventLine(e, i + 1);
      const rs = why[r] ?? [];
      if (args.values.json === true) {
        io.stdout.write(
          `${JSON.stringify({ line, energy: energy[i], method, reasons: rs.map((x) => ({ field: x.field, value: x.value, attribution: x.attribution, text: x.text })) })}\n`,
        );
      } else {
        io.stdout.write(
          `line ${line}  energy ${(energy[i] as number).toPrecision(5)}\n  ${formatReasons(rs, '\n  ') || '(no positive attribution)'}\n`,
        );
      }
    });
    return 0;
  },
};
