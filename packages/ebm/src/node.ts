/**
 * `@nexus/ebm/node`: the Node-only parts of `@nexus/ebm` — scoring and training on worker threads
 * (`ScoringPool`, `TrainingPool`, the parallel trainers), and the `ebm` command and demo as functions.
 * Import from here only in Node; `@nexus/ebm` itself bundles for browsers.
 *
 * @packageDocumentation
 */

export type { CliIO, Command, OptionSpec, ParsedArgs } from './cli/command.js';
export { CliError } from './cli/command.js';
export type { DemoFigure, DemoOptions, DemoReport, DemoTopEvent } from './cli/demo.js';
export { runDemo } from './cli/demo.js';
export { COMMANDS, runCli } from './cli/run.js';
export type { ScoringPoolOptions } from './parallel/ScoringPool.js';
export { energyParallel, ScoringPool } from './parallel/ScoringPool.js';
export { averageAutoencoders, fitMixtureSharded } from './parallel/shards.js';
export type { TrainingPoolOptions } from './parallel/TrainingPool.js';
export { TrainingPool } from './parallel/TrainingPool.js';
export type { ParallelFitOptions } from './parallel/trainParallel.js';
export { fitGaussianParallel, trainAutoencoderParallel } from './parallel/trainParallel.js';
export { trainRbmParallel } from './parallel/trainRbmParallel.js';
export { fileRowStore } from './pipeline/fileRowStore.js';
