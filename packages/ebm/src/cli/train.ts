import { writeFileSync } from 'node:fs';
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
import { formatOpt, inputFiles, readAllEvents } from './files.js';
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
    'ebm train [--format lanl|sshd|winevt|cloudtrail|github-audit|csv] [--model NAME] [--seed N] [--false-alarm-rate R] --out FILE LOG…',
  options: {
    format: {
      type: 'string',
      short: 'f',
      description: 'log format',
      valueName: 'FORMAT',
      defaultText: 'lanl',
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
    out: {
      type: 'string',
      short: 'o',
      description: 'pipeline file to write',
      valueName: 'FILE',
      defaultText: 'model.json',
    },
    quiet: { type: 'boolean', short: 'q', description: 'no progress on stderr' },
  },
  async run(args: ParsedArgs, io: CliIO): Promise<number> {
    const cmd = 'train';
    const format = formatOpt(args, cmd);
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
    const quiet = args.values.quiet === true;
    const { events } = await readAllEvents(files, format, io, cmd);
    if (events.length < 10) {
      throw new CliError(
        `ebm train: too few events to train on (expected at least 10, got ${events.length})`,
        1,
      );
    }
    const bar = progressBar(io, `training ${model}`, 1, quiet);
    const start = performance.now();
    const pipeline = trainPipeline(events, {
      format,
      model,
      seed,
      falseAlarmRate: far,
      onProgress: (p) =>
        bar.update(
          p.epoch / Math.max(1, p.epochs),
          p.loss === undefined ? undefined : `loss ${p.loss.toPrecision(4)}`,
        ),
    });
    bar.finish();
    writeFileSync(out, JSON.stringify(pipeline.toJSON()));
    if (pipeline.detector.threshold === Number.POSITIVE_INFINITY) {
      const nCal = pipeline.detector.calibrationEnergies.length;
      io.stderr.write(
        `ebm train: warning: ${nCal} calibration events are too few for a ${far} false-alarm rate, so nothing will be flagged (expected at least ${Math.ceil(1 / far) - 1}; train on more events or raise --false-alarm-rate)\n`,
      );
    }
    io.stderr.write(
      `trained ${model} on ${events.length} ${format} events (${pipeline.featurizer.nFeatures} features) in ${((performance.now() - start) / 1000).toFixed(1)} s; threshold ${pipeline.detector.threshold.toPrecision(4)} for a ${far} false-alarm rate → ${out}\n`,
    );
    return 0;
  },
};
