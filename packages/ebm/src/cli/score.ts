import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Pipeline } from '../pipeline/Pipeline.js';
import { CliError, type CliIO, type Command, choiceOpt, intOpt, type ParsedArgs } from './command.js';
import {
  eventChunks,
  eventLine,
  inputFiles,
  loadPipelineFile,
  PIPELINE_FILE_OPTIONS,
  type ReadStats,
  reportBad,
} from './files.js';

/**
 * One scored event.
 *
 * @example
 * ```ts
 * const row: ScoredEvent = { line: 12, energy: 41.7, pValue: 0.0009, flag: 1 };
 * ```
 */
export interface ScoredEvent {
  /** Line number in the input. */
  readonly line: number;
  /** Energy (higher = more anomalous). */
  readonly energy: number;
  /** Conformal p-value. */
  readonly pValue: number;
  /** 1 when above the threshold. */
  readonly flag: number;
}

/**
 * Streams the scored events of a log file in chunks (constant memory): parse, featurize and score
 * `chunk` events at a time, in file order.
 *
 * @example
 * ```ts
 * for await (const rows of scoreFile(pipeline, 'test.txt', io, 8192, stats)) write(rows);
 * ```
 */
export async function* scoreFile(
  pipeline: Pipeline,
  file: string,
  io: CliIO,
  chunk: number,
  stats: ReadStats,
): AsyncGenerator<ScoredEvent[]> {
  let n = 0;
  for await (const events of eventChunks(file, pipeline.format, io, 'scoring', chunk, stats)) {
    const s = pipeline.score(events);
    const rows: ScoredEvent[] = new Array(events.length);
    for (let i = 0; i < events.length; i++) {
      rows[i] = {
        line: eventLine(events[i] as object, n + i + 1),
        energy: s.energy[i] as number,
        pValue: s.pValue[i] as number,
        flag: s.flag[i] as number,
      };
    }
    n += events.length;
    yield rows;
  }
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(8))) : String(x);
}

/**
 * `ebm score`: energy, p-value and flag per event of a log file, as NDJSON or CSV, streamed.
 *
 * @example
 * ```sh
 * ebm score --model model.json --out scores.ndjson data/lanl.test.txt
 * ```
 */
export const scoreCommand: Command = {
  name: 'score',
  summary:
    'Score a log file of any size with a trained pipeline: energy, p-value and flag per event (streamed).',
  usage: 'ebm score --model FILE [--format FORMAT] [--output-format ndjson|csv] [--chunk N] [--out FILE] LOG',
  options: {
    ...PIPELINE_FILE_OPTIONS,
    'output-format': {
      type: 'string',
      description: 'ndjson or csv',
      valueName: 'FMT',
      defaultText: 'ndjson',
    },
    chunk: {
      type: 'string',
      description: 'events featurized and scored at a time',
      valueName: 'N',
      defaultText: '8192',
    },
    out: {
      type: 'string',
      short: 'o',
      description: 'output file',
      valueName: 'FILE',
      defaultText: 'standard output',
    },
  },
  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    const cmd = 'score';
    const outFormat = choiceOpt(args, 'output-format', ['ndjson', 'csv'] as const, 'ndjson', cmd);
    const chunk = intOpt(args, 'chunk', 8192, { cmd, min: 1, max: 1_000_000 });
    const pipeline = loadPipelineFile(args, cmd);
    const [file] = inputFiles(args, cmd, 1);
    const outPath = args.values.out;
    const sink = typeof outPath === 'string' ? createWriteStream(outPath) : io.stdout;
    const write = async (text: string): Promise<void> => {
      if (!sink.write(text)) await once(sink, 'drain');
    };
    if (outFormat === 'csv') await write('line,energy,p_value,flag\n');
    const stats: ReadStats = { lines: 0, bad: 0, firstBad: undefined };
    let n = 0;
    let flagged = 0;
    for await (const rows of scoreFile(pipeline, file as string, io, chunk, stats)) {
      const parts: string[] = [];
      for (const r of rows) {
        flagged += r.flag;
        parts.push(
          outFormat === 'csv'
            ? `${r.line},${fmt(r.energy)},${fmt(r.pValue)},${r.flag}\n`
            : `{"line":${r.line},"energy":${fmt(r.energy)},"p_value":${fmt(r.pValue)},"flag":${r.flag}}\n`,
        );
      }
      n += rows.length;
      await write(parts.join(''));
    }
    if (typeof outPath === 'string') {
      sink.end();
      await once(sink, 'finish');
    }
    reportBad(stats, io, cmd, pipeline.format);
    if (n === 0) {
      throw new CliError(
        `ebm score: no ${pipeline.format} events in the input (expected ${pipeline.format} log lines, got ${stats.lines} lines${stats.firstBad === undefined ? '' : `; first problem: ${stats.firstBad}`})`,
        1,
      );
    }
    io.stderr.write(
      `scored ${n} events, ${flagged} flagged (threshold ${pipeline.detector.threshold.toPrecision(4)})\n`,
    );
    return 0;
  },
};
