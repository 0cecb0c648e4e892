import { formatReasons } from '@nexus/ebm-core';
import { integerCode } from '@nexus/ebm-features/extend';
import { type PipelineBatchScores, sampleRows } from '../pipeline/Pipeline.js';
import { CliError, type CliIO, type Command, intOpt, type ParsedArgs } from './command.js';
import { finiteValue, isOverflow } from './energyText.js';
import { eventLine, inputFiles, loadPipelineFile, PIPELINE_FILE_OPTIONS, readAllEvents } from './files.js';
import { MAX_LATENESS_OPTION, maxLatenessOpt, OrderReport } from './ordering.js';
import { checkOutputs, OutputFile } from './outputs.js';

function parseLineList(v: string): number[] {
  const out: number[] = [];
  for (const part of v.split(',')) {
    const n = integerCode(part);
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
    'ebm explain --model FILE [--format FORMAT] [--lines N,N…] [--top-k N] [--reasons N] [--seed N] [--max-lateness SECONDS] [--json] [--out FILE] LOG',
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
    ...MAX_LATENESS_OPTION,
    json: {
      type: 'boolean',
      description: 'print one JSON object per event (and the line accounting as JSON on stderr)',
    },
    out: {
      type: 'string',
      short: 'o',
      description: 'output file (written whole or not at all; never an input or the model)',
      valueName: 'FILE',
      defaultText: 'standard output',
    },
  },
  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    const cmd = 'explain';
    const topK = intOpt(args, 'top-k', 10, { cmd, min: 1, max: 10_000 });
    const nReasons = intOpt(args, 'reasons', 3, { cmd, min: 1, max: 50 });
    const seed = intOpt(args, 'seed', 1, { cmd, min: 0 });
    const wanted = typeof args.values.lines === 'string' ? parseLineList(args.values.lines) : undefined;
    const lateness = maxLatenessOpt(args, cmd);
    const pipeline = loadPipelineFile(args, cmd);
    const [file] = inputFiles(args, cmd, 1);
    const json = args.values.json === true;
    const order = new OrderReport(lateness ?? pipeline.maxLatenessSeconds);
    const outPath = args.values.out;
    let out: OutputFile | undefined;
    if (typeof outPath === 'string') {
      checkOutputs(
        cmd,
        [{ path: outPath, what: '--out' }],
        [
          { path: args.values.model as string, what: '--model' },
          { path: file as string, what: 'the input log' },
        ],
      );
      out = OutputFile.open(outPath, cmd, '--out');
    }
    const explainTo = async (out: OutputFile | undefined): Promise<void> => {
      const write = (text: string): void => {
        if (out === undefined) io.stdout.write(text);
        else out.write(text);
      };
      const { events, account } = await readAllEvents(
        [file as string],
        { format: pipeline.format, fieldMap: pipeline.fieldMap },
        io,
        cmd,
        pipeline.csvColumns,
      );
      account.report(io, json);
      // Featurize the whole file through the reordering window, as score does: stream features (windows,
      // first-seen) depend on what came before.
      let scored: PipelineBatchScores;
      try {
        scored = pipeline.score(events, {
          ...(lateness === undefined ? {} : { maxLatenessSeconds: lateness }),
          label: (e, i) => `line ${eventLine(e, i + 1)}`,
        });
      } catch (e) {
        throw new CliError(`ebm ${cmd}: ${file}: ${e instanceof Error ? e.message : String(e)}`, 1);
      }
      order.add({ late: scored.late });
      if (json) io.stderr.write(`${JSON.stringify({ order: order.toJSON() })}\n`);
      else order.report(io, cmd);
      const X = scored.rows;
      const energy = scored.energy;
      const nan = energy.findIndex((v) => Number.isNaN(v));
      if (nan >= 0) {
        throw new CliError(
          `ebm explain: ${file} line ${eventLine(events[nan] as object, nan + 1)}: the model gave no energy (expected a number, got NaN)`,
          1,
        );
      }
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
      // An energy beyond the double range has no finite split into reasons: such events are reported
      // with "overflow" and no reasons; the others are explained as usual.
      const finite = picked.filter((i) => !isOverflow(energy[i] as number));
      const explained =
        finite.length === 0
          ? []
          : pipeline.explain(
              finite.map((i) => events[i] as object),
              X.selectRows(finite),
              background === undefined ? { top: nReasons, seed } : { top: nReasons, seed, background },
            );
      const why = new Map(finite.map((i, r) => [i, explained[r] ?? []]));
      const method = model.hasContributions === true ? 'exact contributions' : 'KernelSHAP';
      if (!json) write(`reasons by ${method} of ${pipeline.modelName}\n`);
      picked.forEach((i) => {
        const e = events[i] as object;
        const line = eventLine(e, i + 1);
        const rs = why.get(i) ?? [];
        if (json) {
          const v = energy[i] as number;
          write(
            `${JSON.stringify({ line, energy: finiteValue(v), ...(isOverflow(v) ? { overflow: true } : {}), method, reasons: rs.map((x) => ({ field: x.field, value: x.value, attribution: finiteValue(x.attribution), text: x.text })) })}\n`,
          );
        } else {
          write(
            `line ${line}  energy ${isOverflow(energy[i] as number) ? `${finiteValue(energy[i] as number)} (overflow: beyond the double range, no reasons)` : (energy[i] as number).toPrecision(5)}\n  ${formatReasons(rs, '\n  ') || '(no positive attribution)'}\n`,
          );
        }
      });
    };
    try {
      await explainTo(out);
      out?.commit();
    } finally {
      out?.abort();
    }
    return 0;
  },
};
