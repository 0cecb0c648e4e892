import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { minCalibrationRows } from '@nexus/ebm-core';
import { DEFAULT_MAX_LATENESS_SECONDS } from '@nexus/ebm-features';
import { fileRowStore } from '../pipeline/fileRowStore.js';
import {
  calibrationHoldout,
  DEFAULT_CALIBRATION_FRACTION,
  DEFAULT_WARMUP_SECONDS,
  MIN_TRAINING_EVENTS,
  minTrainingEvents,
  WARMUP_MAX_FIT_SHARE,
  WARMUP_MAX_SPAN_SHARE,
} from '../pipeline/holdout.js';
import { DEFAULT_MODEL, isModelName, MODEL_NAMES } from '../pipeline/models.js';
import { PIPELINE_FORMATS } from '../pipeline/Pipeline.js';
import { DEFAULT_SAMPLE_ROWS, trainPipelineStream } from '../pipeline/trainPipelineStream.js';
import { LineAccount } from './accounting.js';
import {
  CliError,
  type CliIO,
  type Command,
  intOpt,
  numberOpt,
  type ParsedArgs,
  stringOpt,
} from './command.js';
import { fileEventPasses, formatOpt, inputFiles, readFieldMap, resolveFormat } from './files.js';
import { maxLatenessOpt, OrderReport } from './ordering.js';
import { checkOutputs, OutputFile } from './outputs.js';
import { type ProgressBar, progressBar } from './progress.js';

/**
 * `ebm train`: fits the format's featurizer, a robust scaler, an energy and the flag threshold on normal
 * logs and saves them in one pipeline file. The logs are read three times and never held in memory
 * (`trainPipelineStream`): the feature rows wait in a temporary file under `--temp-dir` (8 bytes per value,
 * deleted at the end), so memory stays bounded however large the input.
 *
 * @example
 * ```sh
 * ebm train --format lanl --model gaussian --out model.json data/lanl.train.txt
 * ```
 */
export const trainCommand: Command = {
  name: 'train',
  summary: 'Train a pipeline (featurizer, scaler, energy, threshold) on normal logs and save it to one file.',
  usage: `ebm train [--format ${['auto', ...PIPELINE_FORMATS].join('|')}] [--map MAP.json] [--model NAME] [--seed N] [--false-alarm-rate R] [--allow-coarse-threshold] [--sample-rows N] [--temp-dir DIR] [--max-lateness SECONDS] [--warmup SECONDS] --out FILE LOG…`,
  options: {
    format: {
      type: 'string',
      short: 'f',
      description: "log format; 'auto' picks it from the first lines and says why",
      valueName: 'FORMAT',
      defaultText: 'lanl',
    },
    map: {
      type: 'string',
      description: 'field map of --format json (JSON paths → event fields; saved with the model)',
      valueName: 'MAP.json',
    },
    model: {
      type: 'string',
      short: 'm',
      description: `energy: ${MODEL_NAMES.join(' | ')}`,
      valueName: 'NAME',
      defaultText: DEFAULT_MODEL,
    },
    seed: { type: 'string', description: 'random seed', valueName: 'N', defaultText: '1' },
    'false-alarm-rate': {
      type: 'string',
      description: 'target false-alarm rate that sets the flag threshold',
      valueName: 'R',
      defaultText: '0.01',
    },
    'max-lateness': {
      type: 'string',
      description:
        'reordering window: events up to this far behind the latest time seen are featurized in time order, later ones in arrival order (counted); saved as the default for scoring',
      valueName: 'SECONDS',
      defaultText: '300',
    },
    warmup: {
      type: 'string',
      description: `warm-up: the featurizer learns from the first SECONDS of events, the model is not fitted on their rows (their history is empty); at most ${WARMUP_MAX_SPAN_SHARE * 100} % of the training span and ${WARMUP_MAX_FIT_SHARE * 100} % of the events before the hold-out; none for csv`,
      valueName: 'SECONDS',
      defaultText: String(DEFAULT_WARMUP_SECONDS),
    },
    'allow-coarse-threshold': {
      type: 'boolean',
      description:
        'when the held-back events are too few for the rate, flag above the largest calibration energy instead of failing',
    },
    'sample-rows': {
      type: 'string',
      description:
        'rows a mixture, autoencoder, RBM, knn, kde or inne trains on: a seeded sample of the training rows (all when fewer)',
      valueName: 'N',
      defaultText: String(DEFAULT_SAMPLE_ROWS),
    },
    'temp-dir': {
      type: 'string',
      description: 'folder for the temporary file of feature rows (8 bytes per value; deleted at the end)',
      valueName: 'DIR',
      defaultText: 'the system temporary folder',
    },
    out: {
      type: 'string',
      short: 'o',
      description: 'pipeline file to write (written whole or not at all; never an input)',
      valueName: 'FILE',
      defaultText: 'model.json',
    },
    quiet: { type: 'boolean', short: 'q', description: 'no progress on stderr' },
    json: { type: 'boolean', description: 'print the result and the line accounting as one JSON object' },
  },
  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    const cmd = 'train';
    const formatArg = formatOpt(args, cmd);
    const mapFile = args.values.map;
    if (typeof mapFile === 'string' && formatArg !== 'json') {
      throw new CliError(`ebm train: --map is read only with --format json (got --format ${formatArg})`, 2);
    }
    if (formatArg === 'json' && typeof mapFile !== 'string') {
      throw new CliError('ebm train: --format json needs --map (expected a field map file, got nothing)', 2);
    }
    const fieldMap = typeof mapFile === 'string' ? readFieldMap(mapFile, cmd) : undefined;
    const model = stringOpt(args, 'model', DEFAULT_MODEL);
    if (!isModelName(model)) {
      throw new CliError(
        `ebm train: unknown --model (expected ${MODEL_NAMES.join(' | ')}, got ${JSON.stringify(model)})`,
        2,
      );
    }
    const seed = intOpt(args, 'seed', 1, { cmd, min: 0 });
    const far = numberOpt(args, 'false-alarm-rate', 0.01, { cmd, min: 1e-9, max: 0.5 });
    const out = stringOpt(args, 'out', 'model.json');
    const files = inputFiles(args, cmd);
    const format = resolveFormat(formatArg, files, io, cmd);
    const quiet = args.values.quiet === true;
    const json = args.values.json === true;
    const allowCoarse = args.values['allow-coarse-threshold'] === true;
    const sampleRows =
      args.values['sample-rows'] === undefined
        ? undefined
        : intOpt(args, 'sample-rows', DEFAULT_SAMPLE_ROWS, { cmd, min: 1 });
    const tempDir = stringOpt(args, 'temp-dir', tmpdir());
    if (!existsSync(tempDir) || !statSync(tempDir).isDirectory()) {
      throw new CliError(
        `ebm train: cannot use --temp-dir (expected a folder, got ${JSON.stringify(tempDir)})`,
        1,
      );
    }
    const lateness = maxLatenessOpt(args, cmd) ?? DEFAULT_MAX_LATENESS_SECONDS;
    const warmupSeconds = numberOpt(args, 'warmup', DEFAULT_WARMUP_SECONDS, { cmd, min: 0 });
    checkOutputs(
      cmd,
      [{ path: out, what: '--out' }],
      files.map((f) => ({ path: f, what: 'an input log' })),
    );
    // Opened before the long work, so an unwritable path fails at once; renamed into place at the end.
    const outFile = OutputFile.open(out, cmd, '--out');
    const train = async (outFile: OutputFile): Promise<void> => {
      const start = performance.now();
      const account = new LineAccount(cmd, format);
      let stage = 'reading';
      let calibration = 0;
      const passes = fileEventPasses(
        files,
        { format, fieldMap },
        io,
        cmd,
        account,
        () => stage,
        (n) => {
          // Checked after the first (counting) pass, before the long work.
          account.report(io, json);
          if (n < MIN_TRAINING_EVENTS) {
            throw new CliError(
              `ebm train: too few events to train on (expected at least ${MIN_TRAINING_EVENTS}, got ${n})`,
              1,
            );
          }
          calibration = calibrationHoldout(n, DEFAULT_CALIBRATION_FRACTION).calibration;
          if (!allowCoarse && calibration < minCalibrationRows(far)) {
            throw new CliError(
              `ebm train: too few events to calibrate a ${far} false-alarm rate: with n held-back events no p-value is below 1/(n + 1), so nothing could be flagged (expected at least ${minTrainingEvents(far, DEFAULT_CALIBRATION_FRACTION)} events, ${minCalibrationRows(far)} of them held back; add events, raise --false-alarm-rate or pass --allow-coarse-threshold, got ${n} events, ${calibration} held back)`,
              1,
            );
          }
        },
      );
      let bar: ProgressBar | undefined;
      const { pipeline, stats } = await trainPipelineStream(passes, {
        format,
        ...(fieldMap === undefined ? {} : { fieldMap }),
        model,
        seed,
        falseAlarmRate: far,
        allowCoarseThreshold: allowCoarse,
        ...(sampleRows === undefined ? {} : { sampleRows }),
        rowStore: (cols) => fileRowStore(cols, tempDir),
        onPass: (p) => {
          stage = p.what;
          bar?.finish();
          bar = p.stage === 'rows' ? progressBar(io, p.what, 1, quiet) : undefined;
        },
        maxLatenessSeconds: lateness,
        warmupSeconds,
        onProgress: (p) =>
          bar?.update(
            p.epoch / Math.max(1, p.epochs),
            p.loss === undefined ? undefined : `loss ${p.loss.toPrecision(4)}`,
          ),
      });
      bar?.finish();
      outFile.write(JSON.stringify(pipeline.toJSON()));
      outFile.commit();
      const det = pipeline.detector;
      const order = new OrderReport(lateness);
      order.add({ late: pipeline.lateTrainingEvents });
      if (!json) order.report(io, cmd);
      if (det.coarseThreshold) {
        io.stderr.write(
          `ebm train: warning: coarse threshold: ${calibration} held-back events support at best a ${det.effectiveFalseAlarmRate.toPrecision(3)} false-alarm rate, not ${far}; the threshold is the largest calibration energy (--allow-coarse-threshold)\n`,
        );
      }
      const days = trainingDays(format, stats.minTime, stats.maxTime);
      const warnings: string[] = [];
      if (days !== null && days < WEEK_DAYS) {
        warnings.push(`training spans ${days.toFixed(1)} days; weekly patterns (weekends) are not learned`);
      }
      if (det.thresholdTies) {
        warnings.push(
          `calibration energies tie with the threshold, so it delivers a false-alarm rate of ${det.effectiveFalseAlarmRate.toPrecision(3)}, not the requested ${far} (the energy takes few distinct values at this rate)`,
        );
      }
      for (const w of warnings) io.stderr.write(`ebm train: warning: ${w}\n`);
      const seconds = (performance.now() - start) / 1000;
      const perSecond = stats.events / Math.max(seconds, 1e-9);
      const peakMb = process.resourceUsage().maxRSS / 1024;
      const t = det.threshold;
      if (json) {
        io.stdout.write(
          `${JSON.stringify({ model, format, out, events: stats.events, features: pipeline.featurizer.nFeatures, threshold: t, false_alarm_rate: far, effective_false_alarm_rate: det.effectiveFalseAlarmRate, coarse_threshold: det.coarseThreshold, calibration_events: stats.calibrationEvents, warmup_events: stats.warmupEvents, training_days: days === null ? null : Number(days.toFixed(2)), warnings, sampled_rows: stats.sampledRows ?? null, out_of_order: stats.outOfOrder, order: order.toJSON(), passes: { events: stats.eventPasses, rows: stats.rowPasses }, seconds: Number(seconds.toFixed(2)), events_per_second: Math.round(perSecond), peak_rss_mb: Math.round(peakMb), read: account.toJSON() })}\n`,
        );
      }
      const rate = det.coarseThreshold
        ? `${det.effectiveFalseAlarmRate.toPrecision(3)} (coarse; requested ${far})`
        : det.thresholdTies
          ? `${det.effectiveFalseAlarmRate.toPrecision(3)} (ties; requested ${far})`
          : String(far);
      const modelRows = stats.fitEvents - stats.warmupEvents;
      const sampled =
        stats.sampledRows === undefined
          ? ''
          : `; the model on a seeded sample of ${stats.sampledRows} of the ${modelRows} training rows`;
      const warmed =
        stats.warmupEvents === 0
          ? ''
          : `; the model skipped the ${stats.warmupEvents} warm-up events at the start (they built the featurizer's history)`;
      io.stderr.write(
        `trained ${model} on ${stats.events} ${format} events (${pipeline.featurizer.nFeatures} features${sampled}) in ${seconds.toFixed(1)} s (${Math.round(perSecond)} events/s, peak RSS ${Math.round(peakMb)} MB); threshold ${t.toPrecision(4)} for a ${rate} false-alarm rate, calibrated on the ${stats.calibrationEvents} most recent events${warmed} → ${out}\n`,
      );
    };
    try {
      await train(outFile);
    } finally {
      outFile.abort();
    }
    return 0;
  },
};

/** Training that spans less than this many days cannot have seen a weekend next to weekdays. */
const WEEK_DAYS = 7;

/**
 * Days between the earliest and the latest training event, or `null` for numeric CSV (whose `time`
 * column, if any, need not be seconds).
 */
function trainingDays(format: string, minTime: number, maxTime: number): number | null {
  if (format === 'csv' || !(maxTime >= minTime)) return null;
  return (maxTime - minTime) / 86400;
}
