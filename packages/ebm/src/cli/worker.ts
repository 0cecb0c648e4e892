import { hostname } from 'node:os';
import { type EnergyModel, Matrix, message, ParameterError } from '@nexus/ebm-core';
import { parseModelJSON } from '@nexus/ebm-core/extend';
import { splitLines } from '@nexus/ebm-features';
import { decimalNumber } from '@nexus/ebm-features/extend';
import { loadModel } from '../persistence/loadModel.js';
import { csvRowOfFields } from '../pipeline/csv.js';
import type { IncidentOptions } from '../pipeline/incidents.js';
import { Pipeline } from '../pipeline/Pipeline.js';
import { type StreamScores, scoreWhole } from '../pipeline/PipelineStream.js';
import {
  CliError,
  type CliIO,
  type Command,
  intOpt,
  numberOpt,
  type ParsedArgs,
  stringOpt,
} from './command.js';
import { IncidentRollup } from './incidentRollup.js';
import { INCIDENT_OPTIONS, incidentOptionsOf } from './score.js';

/**
 * One event's score, as `@nexus/ebm-stream`'s `ScoredEvent`.
 */
export interface StreamScore {
  /** Energy (higher = more anomalous). */
  readonly energy: number;
  /** Conformal p-value (pipelines only). */
  readonly pValue?: number;
  /** Above the threshold. */
  readonly flag: boolean;
  /** Top reasons, `; `-separated (flagged events of models with exact contributions). */
  readonly reasons?: string;
  /** Why the event could not be scored. */
  readonly error?: string;
  /**
   * The event came later than the reordering window (behind an event of an earlier batch, or more than
   * the pipeline's `maxLatenessSeconds` behind one before it) and was featurized out of time order.
   */
  readonly late?: boolean;
}

/**
 * A scorer of stream events (string fields), as `@nexus/ebm-stream`'s `Scorer`.
 *
 * @example
 * ```ts
 * const scorer: StreamScorer = buildStreamScorer(text, 'v1');
 * scorer.score([{ line }]);
 * ```
 */
export interface StreamScorer {
  /** Model version (a hash of the model file). */
  readonly version: string;
  /** One score per event, in order; `ids` (the events' stream ids) name the events of incidents. */
  score(events: readonly Readonly<Record<string, string>>[], ids?: readonly string[]): StreamScore[];
  /** With {@link StreamScorerOptions.incidents}: the incidents closed so far, each once (see ebm-stream). */
  takeIncidents?(final: boolean): readonly string[];
}

/**
 * Options of {@link buildStreamScorer}.
 */
export interface StreamScorerOptions {
  /** Field holding the raw log line, for pipelines of log formats (default `line`). */
  readonly lineField?: string;
  /** Reasons per flagged event (default 3; 0 = none). */
  readonly top?: number;
  /** Flag threshold for a plain model file (which has none of its own); default: never flag. */
  readonly threshold?: number;
  /**
   * Roll flagged events up into incidents (pipelines only): the scorer's `takeIncidents` hands over each
   * closed incident as the JSON of `ebm score --incidents`, with `input_ids` (the events' stream ids,
   * else their positions in this scorer's input) instead of `lines`.
   */
  readonly incidents?: IncidentOptions;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function pipelineScorer(p: Pipeline, version: string, options: StreamScorerOptions): StreamScorer {
  const lineField = options.lineField ?? 'line';
  const top = options.top ?? 3;
  const exact = p.detector.model.hasContributions === true;
  const rollup =
    options.incidents === undefined ? undefined : new IncidentRollup(p, options.incidents, 'input_ids');
  const closed: string[] = [];
  let lineNo = 0;
  // One reordering window across batches: each batch is released in time order within the window and
  // flushed at its end (its results are committed with it), so an event behind an earlier batch's events
  // is featurized out of time order — marked `late` and counted, as `ebm score` counts it.
  let stream = p.stream();
  return {
    version,
    ...(rollup === undefined
      ? {}
      : {
          takeIncidents(final: boolean): readonly string[] {
            if (final) closed.push(...rollup.flush());
            return closed.splice(0, closed.length).map((t) => t.trimEnd());
          },
        }),
    score(events, ids) {
      const out: StreamScore[] = new Array(events.length);
      const parsed: object[] = [];
      const at: number[] = [];
      const seq: number[] = [];
      const parser = p.format === 'csv' ? null : p.lineParser();
      for (let i = 0; i < events.length; i++) {
        const f = events[i] as Readonly<Record<string, string>>;
        lineNo++;
        if (parser === null) {
          // numeric CSV pipelines: the event's fields are the columns, read like a CSV file's cells
          const row = csvRowOfFields(f, lineNo);
          if (typeof row === 'string') {
            out[i] = { energy: Number.NaN, flag: false, error: `not a csv event: ${row}` };
            continue;
          }
          parsed.push(row);
          at.push(i);
          seq.push(lineNo);
          continue;
        }
        const field = f[lineField];
        // One stream message holds one log line: a trailing LF or CRLF is dropped by the library's
        // line splitter; anything that splits into several lines is an error, not one event.
        const lines = field === undefined ? [] : splitLines(field);
        const raw = lines[0] ?? (field === undefined ? undefined : '');
        if (lines.length > 1) {
          out[i] = {
            energy: Number.NaN,
            flag: false,
            error: `field "${lineField}" holds ${lines.length} lines (expected one ${p.format} log line)`,
          };
          continue;
        }
        if (raw === undefined) {
          out[i] = {
            energy: Number.NaN,
            flag: false,
            error: `no "${lineField}" field with a ${p.format} log line`,
          };
          continue;
        }
        const evs: object[] = [];
        const r = parser.parseLine(raw, lineNo, evs);
        if (r < 1 || evs.length === 0) {
          out[i] = { energy: Number.NaN, flag: false, error: `not a ${p.format} event: ${parser.reason}` };
          continue;
        }
        parsed.push(evs[0] as object);
        at.push(i);
        seq.push(lineNo);
      }
      if (parsed.length > 0) {
        let s: StreamScores;
        try {
          s = scoreWhole(stream, parsed);
        } catch (e) {
          // a failed batch may leave events in the window: start a new one (the featurizer's state stays)
          stream = p.stream();
          throw e;
        }
        const X = s.rows;
        const flagged: number[] = [];
        for (let q = 0; q < parsed.length; q++) {
          out[at[q] as number] = {
            energy: s.energy[q] as number,
            pValue: s.pValue[q] as number,
            flag: s.flag[q] === 1,
            ...(s.late[q] === 1 ? { late: true } : {}),
          };
          if (s.flag[q] === 1) flagged.push(q);
        }
        if (rollup !== undefined) {
          const rows = parsed.map((_, q) => ({
            line: seq[q] as number,
            energy: s.energy[q] as number,
            pValue: s.pValue[q] as number,
            flag: s.flag[q] as number,
          }));
          const refs = ids === undefined ? undefined : at.map((i) => ids[i] as string);
          closed.push(...rollup.add(parsed, X, rows, refs));
        }
        if (exact && top > 0 && flagged.length > 0) {
          const fx = new Matrix(flagged.length, X.cols);
          for (let r = 0; r < flagged.length; r++) {
            const q = flagged[r] as number;
            fx.data.set(X.data.subarray(q * X.cols, (q + 1) * X.cols), r * X.cols);
          }
          const why = p.explain(
            flagged.map((q) => parsed[q] as object),
            fx,
            { top },
          );
          flagged.forEach((q, r) => {
            const i = at[q] as number;
            const text = (why[r] ?? []).map((x) => x.text).join('; ');
            if (text.length > 0) out[i] = { ...(out[i] as StreamScore), reasons: text };
          });
        }
      }
      return out;
    },
  };
}

function modelScorer(model: EnergyModel, version: string, options: StreamScorerOptions): StreamScorer {
  const d = model.nFeatures;
  const names = model.featureNames ?? Array.from({ length: d }, (_, j) => `x${j}`);
  const threshold = options.threshold ?? Number.POSITIVE_INFINITY;
  const top = options.top ?? 3;
  return {
    version,
    score(events) {
      const out: StreamScore[] = new Array(events.length);
      const rows: number[] = [];
      const buf = new Float64Array(events.length * d);
      let n = 0;
      for (let i = 0; i < events.length; i++) {
        const f = events[i] as Readonly<Record<string, string>>;
        let bad: string | undefined;
        for (let j = 0; j < d; j++) {
          const raw = f[names[j] as string];
          const v = typeof raw === 'string' ? decimalNumber(raw) : Number.NaN;
          if (!Number.isFinite(v)) {
            bad = `field "${names[j]}" must be a finite number (got ${raw === undefined ? 'nothing' : JSON.stringify(raw)})`;
            break;
          }
          buf[n * d + j] = v;
        }
        if (bad !== undefined) out[i] = { energy: Number.NaN, flag: false, error: bad };
        else {
          rows.push(i);
          n++;
        }
      }
      if (n === 0) return out;
      const X = new Matrix(n, d, buf.subarray(0, n * d));
      const e = model.energy(X);
      const flagged: number[] = [];
      for (let q = 0; q < n; q++) {
        const v = e[q] as number;
        out[rows[q] as number] = { energy: v, flag: v > threshold };
        if (v > threshold) flagged.push(q);
      }
      if (
        top > 0 &&
        flagged.length > 0 &&
        model.contributions !== undefined &&
        model.hasContributions !== false
      ) {
        const fx = new Matrix(flagged.length, d);
        for (let r = 0; r < flagged.length; r++) {
          const q = flagged[r] as number;
          fx.data.set(X.data.subarray(q * d, (q + 1) * d), r * d);
        }
        const c = model.contributions(fx);
        flagged.forEach((q, r) => {
          const parts = Array.from(c.row(r), (v, j) => ({ v, j }))
            .filter((p) => p.v > 0)
            .sort((a, b) => b.v - a.v || a.j - b.j)
            .slice(0, top)
            .map((p) => `${names[p.j]} = ${buf[q * d + p.j]} +${Number(p.v.toPrecision(4))}`);
          if (parts.length > 0) {
            const i = rows[q] as number;
            out[i] = { ...(out[i] as StreamScore), reasons: parts.join('; ') };
          }
        });
      }
      return out;
    },
  };
}

/**
 * Builds a stream scorer from the text of a model file: a pipeline saved by `ebm train` (events carry the
 * raw log line in `lineField`, or the columns themselves for `csv` pipelines; results get energy, p-value,
 * flag and, when flagged, the top reasons) or a plain model saved with `toJSON` (events carry the model's
 * feature names, or `x0 … x{d−1}`, as numeric fields; flagged above `threshold`).
 *
 * @example
 * ```ts
 * const scorer = buildStreamScorer(readFileSync('model.json', 'utf8'), 'v1');
 * scorer.score([{ line: '1,U1@DOM1,U1@DOM1,C1,C2,NTLM,Network,LogOn,Success' }]);
 * ```
 */
export function buildStreamScorer(
  text: string,
  version: string,
  options: StreamScorerOptions = {},
): StreamScorer {
  const json = parseModelJSON(text);
  if (typeof json === 'object' && json !== null && (json as { kind?: unknown }).kind === 'ebm/pipeline') {
    return pipelineScorer(Pipeline.fromJSON(json), version, options);
  }
  if (options.incidents !== undefined)
    throw new ParameterError(
      message(
        'buildStreamScorer',
        'incidents need a pipeline file',
        "a file written by 'ebm train'",
        'a plain model',
      ),
    );
  return modelScorer(loadModel(text), version, options);
}

/** The part of `@nexus/ebm-stream` this command uses (loaded only when `ebm worker` runs). */
interface StreamModule {
  RedisStreamsTransport: new (o: {
    url: string;
    input: string;
    group: string;
    output: string;
    consumer: string;
    outputMaxLen?: number;
  }) => { close(): Promise<void> };
  ScoringWorker: new (
    transport: unknown,
    source: unknown,
    options: Record<string, unknown>,
  ) => { run(): Promise<Record<string, unknown>>; stop(): void };
  fileScorerSource(
    path: string,
    build: (text: string, version: string) => StreamScorer,
    onError?: (e: unknown) => void,
  ): unknown;
}

async function loadStream(): Promise<StreamModule> {
  const spec = '@nexus/ebm-stream';
  try {
    return (await import(spec)) as StreamModule;
  } catch (e) {
    throw new CliError(
      `ebm worker: the optional package @nexus/ebm-stream is needed (expected it installed, got: ${errorText(e)})`,
      1,
    );
  }
}

function required(args: ParsedArgs, name: string, what: string): string {
  const v = args.values[name];
  if (typeof v !== 'string' || v.length === 0) {
    throw new CliError(`ebm worker: --${name} is required (expected ${what}, got nothing)`, 2);
  }
  return v;
}

/**
 * `ebm worker`: a scoring worker in a Redis Streams consumer group. Reads events in batches, scores them
 * with the model file (reloaded when it changes), writes one result per event to the output stream
 * (`input_id`, `energy`, `p_value`, `flag`, `reasons`, `model_version`; with `--incidents`, also one
 * entry per closed incident: `type` `incident`, `incident` its JSON) and acknowledges the inputs only
 * after the results are written; reclaims entries of dead consumers; stops gracefully on SIGTERM/SIGINT;
 * prints stats (lag, events/s) as JSON lines on stderr.
 *
 * @example
 * ```sh
 * ebm worker --redis redis://127.0.0.1:6379 --in events --group scorers --out scores --model model.json
 * ```
 */
export const workerCommand: Command = {
  name: 'worker',
  summary: 'Score a Redis stream in a consumer group (many workers, many machines); needs @nexus/ebm-stream.',
  usage: 'ebm worker --redis URL --in STREAM --group GROUP --out STREAM --model FILE [options]',
  options: {
    redis: { type: 'string', description: 'Redis URL', valueName: 'URL' },
    in: { type: 'string', description: 'input stream', valueName: 'STREAM' },
    group: { type: 'string', description: 'consumer group (created if missing)', valueName: 'GROUP' },
    out: { type: 'string', description: 'output stream of results', valueName: 'STREAM' },
    model: {
      type: 'string',
      short: 'm',
      description: "pipeline file of 'ebm train', or a plain model JSON; reloaded when it changes",
      valueName: 'FILE',
    },
    consumer: {
      type: 'string',
      description: 'consumer name, unique in the group',
      valueName: 'NAME',
      defaultText: 'HOST-PID',
    },
    batch: { type: 'string', description: 'events per read', valueName: 'N', defaultText: '500' },
    'block-ms': {
      type: 'string',
      description: 'wait for new events (ms)',
      valueName: 'MS',
      defaultText: '1000',
    },
    'claim-idle-ms': {
      type: 'string',
      description: 'reclaim entries pending this long with dead consumers (ms)',
      valueName: 'MS',
      defaultText: '30000',
    },
    'reload-ms': {
      type: 'string',
      description: 'check the model file (ms)',
      valueName: 'MS',
      defaultText: '2000',
    },
    'stats-ms': { type: 'string', description: 'stats interval (ms)', valueName: 'MS', defaultText: '5000' },
    field: {
      type: 'string',
      description: 'event field with the raw log line (pipelines)',
      valueName: 'NAME',
      defaultText: 'line',
    },
    top: { type: 'string', description: 'reasons per flagged event', valueName: 'N', defaultText: '3' },
    threshold: {
      type: 'string',
      description: 'flag threshold for a plain model file',
      valueName: 'E',
      defaultText: 'never flag',
    },
    ...INCIDENT_OPTIONS,
    'max-len': {
      type: 'string',
      description: 'cap the output stream (approximate MAXLEN)',
      valueName: 'N',
      defaultText: 'unbounded',
    },
    'outage-budget': {
      type: 'string',
      description:
        'keep retrying an unreachable Redis (backoff 0.1 s doubling to 2 s) this long, then exit 1',
      valueName: 'SECONDS',
      defaultText: '60',
    },
  },
  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    const cmd = 'worker';
    const url = required(args, 'redis', 'a Redis URL such as redis://127.0.0.1:6379');
    const input = required(args, 'in', 'the input stream key');
    const group = required(args, 'group', 'a consumer group name');
    const output = required(args, 'out', 'the output stream key');
    const modelPath = required(args, 'model', "a file written by 'ebm train' or a model's JSON");
    const consumer = stringOpt(args, 'consumer', `${hostname()}-${process.pid}`);
    const batchSize = intOpt(args, 'batch', 500, { cmd, min: 1, max: 100_000 });
    const blockMs = intOpt(args, 'block-ms', 1000, { cmd, min: 0 });
    const claimIdleMs = intOpt(args, 'claim-idle-ms', 30_000, { cmd, min: 0 });
    const reloadEveryMs = intOpt(args, 'reload-ms', 2000, { cmd, min: 0 });
    const statsEveryMs = intOpt(args, 'stats-ms', 5000, { cmd, min: 0 });
    const top = intOpt(args, 'top', 3, { cmd, min: 0, max: 100 });
    const lineField = stringOpt(args, 'field', 'line');
    const threshold = numberOpt(args, 'threshold', Number.POSITIVE_INFINITY, { cmd });
    const maxLen = intOpt(args, 'max-len', 0, { cmd, min: 0 });
    const incidents = incidentOptionsOf(args, cmd);
    const outageBudget = numberOpt(args, 'outage-budget', 60, { cmd, min: 0, max: 1e7 });
    const stream = await loadStream();
    const build = (text: string, version: string): StreamScorer =>
      buildStreamScorer(text, version, {
        lineField,
        top,
        threshold,
        ...(incidents === undefined ? {} : { incidents }),
      });
    const source = stream.fileScorerSource(modelPath, build, (e) =>
      io.stderr.write(
        `ebm worker: keeping the current model; the new file failed to load: ${errorText(e)}\n`,
      ),
    );
    const transport = new stream.RedisStreamsTransport({
      url,
      input,
      group,
      output,
      consumer,
      ...(maxLen > 0 ? { outputMaxLen: maxLen } : {}),
    });
    const line = (kind: string, s: Record<string, unknown>): void => {
      io.stderr.write(`${JSON.stringify({ event: kind, consumer, ...s })}\n`);
    };
    const worker = new stream.ScoringWorker(transport, source, {
      batchSize,
      blockMs,
      claimIdleMs,
      claimEveryMs: Math.max(100, Math.min(5000, claimIdleMs / 2)),
      reloadEveryMs,
      statsEveryMs,
      consumer,
      outageBudgetMs: outageBudget * 1000,
      onStats: (s: Record<string, unknown>) => line('stats', s),
      onOutage: (e: {
        state: string;
        operation?: string;
        error?: string;
        downMs?: number;
        retries?: number;
      }) =>
        e.state === 'lost'
          ? line('outage', { operation: e.operation, error: e.error })
          : line('reconnected', { down_ms: Math.round(e.downMs ?? 0), retries: e.retries }),
    });
    const stop = (): void => worker.stop();
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    try {
      line('start', { input, group, output, model: modelPath });
      const stats = await worker.run();
      line('stopped', stats);
    } catch (e) {
      throw new CliError(`ebm worker: ${errorText(e)}`, 1);
    } finally {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      await transport.close();
    }
    return 0;
  },
};
