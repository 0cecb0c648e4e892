import { minCalibrationRows } from '@nexus/ebm-core';
import { calibrationHoldout, DEFAULT_CALIBRATION_FRACTION, minTrainingEvents } from '../pipeline/holdout.js';
import { isModelName, MODEL_NAMES } from '../pipeline/models.js';
import { trainPipeline } from '../pipeline/Pipeline.js';
import {
  CliError,
  type CliIO,
  type Command,
  intOpt,
  numberOpt,
  type ParsedArgs,
  stringOpt,
} from './command.js';
import { formatOpt, inputFiles, readAllEvents, readFieldMap, resolveFormat } from './files.js';
import { checkOutputs, OutputFile } from './outputs.js';
import { progressBar } from './progress.js';

/**
 * `ebm train`: fits the format's featurizer, a robust scaler, an energy and the flag threshold on normal
 * logs and saves them in one pipeline file.
 *
 * @example
 * ```sh
 * ebm train --format lanl --model gaussian --out model.json data/lanl.train.txt
 * ```
 */
export const trainCommand: Command = {
  name: 'train',
  summary: 'Train a pipeline (featurizer, scaler, energy, threshold) on normal logs and save it to one file.',
  usage:
    'ebm train [--format auto|lanl|sshd|winevt|cloudtrail|github-audit|ocsf|json|csv] [--map MAP.json] [--model NAME] [--seed N] [--false-alarm-rate R] [--allow-coarse-threshold] --out FILE LOG…',
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
      defaultText: 'gaussian',
    },
    seed: { type: 'string', description: 'random seed', valueName: 'N', defaultText: '1' },
    'false-alarm-rate': {
      type: 'string',
      description: 'target false-alarm rate that sets the flag threshold',
      valueName: 'R',
      defaultText: '0.01',
    },
    'allow-coarse-threshold': {
      type: 'boolean',
      description:
        'when the held-back events are too few for the rate, flag above the largest calibration energy instead of failing',
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
    const model = stringOpt(args, 'model', 'gaussian');
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
    checkOutputs(
      cmd,
      [{ path: out, what: '--out' }],
      files.map((f) => ({ path: f, what: 'an input log' })),
    );
    // Opened before the long work, so an unwritable path fails at once; renamed into place at the end.
    const outFile = OutputFile.open(out, cmd, '--out');
    const train = async (outFile: OutputFile): Promise<void> => {
      const { events, account } = await readAllEvents(files, { format, fieldMap }, io, cmd);
      account.report(io, json);
      if (events.length < 10) {
        throw new CliError(
          `ebm train: too few events to train on (expected at least 10, got ${events.length})`,
          1,
        );
      }
      const { calibration } = calibrationHoldout(events.length, DEFAULT_CALIBRATION_FRACTION);
      if (!allowCoarse && calibration < minCalibrationRows(far)) {
        throw new CliError(
          `ebm train: too few events to calibrate a ${far} false-alarm rate: with n held-back events no p-value is below 1/(n + 1), so nothing could be flagged (expected at least ${minTrainingEvents(far, DEFAULT_CALIBRATION_FRACTION)} events, ${minCalibrationRows(far)} of them held back; add events, raise --false-alarm-rate or pass --allow-coarse-threshold, got ${events.length} events, ${calibration} held back)`,
          1,
        );
      }
      const bar = progressBar(io, `training ${model}`, 1, quiet);
      const start = performance.now();
      const pipeline = trainPipeline(events, {
        format,
        ...(fieldMap === undefined ? {} : { fieldMap }),
        model,
        seed,
        falseAlarmRate: far,
        allowCoarseThreshold: allowCoarse,
        onProgress: (p) =>
          bar.update(
            p.epoch / Math.max(1, p.epochs),
            p.loss === undefined ? undefined : `loss ${p.loss.toPrecision(4)}`,
          ),
      });
      bar.finish();
      outFile.write(JSON.stringify(pipeline.toJSON()));
      outFile.commit();
      const det = pipeline.detector;
      if (det.coarseThreshold) {
        io.stderr.write(
          `ebm train: warning: coarse threshold: ${calibration} held-back events support at best a ${det.effectiveFalseAlarmRate.toPrecision(3)} false-alarm rate, not ${far}; the threshold is the largest calibration energy (--allow-coarse-threshold)\n`,
        );
      }
      const seconds = (performance.now() - start) / 1000;
      const t = det.threshold;
      if (json) {
        io.stdout.write(
          `${JSON.stringify({ model, format, out, events: events.length, features: pipeline.featurizer.nFeatures, threshold: t, false_alarm_rate: far, effective_false_alarm_rate: det.effectiveFalseAlarmRate, coarse_threshold: det.coarseThreshold, calibration_events: calibration, seconds: Number(seconds.toFixed(2)), read: account.toJSON() })}\n`,
        );
      }
      const rate = det.coarseThreshold
        ? `${det.effectiveFalseAlarmRate.toPrecision(3)} (coarse; requested ${far})`
        : String(far);
      io.stderr.write(
        `trained ${model} on ${events.length} ${format} events (${pipeline.featurizer.nFeatures} features) in ${seconds.toFixed(1)} s; threshold ${t.toPrecision(4)} for a ${rate} false-alarm rate, calibrated on the ${calibration} most recent events → ${out}\n`,
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
