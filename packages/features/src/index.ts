/**
 * `@nexus/ebm-features`: parsers and featurizers for security logs, and the realistic log simulator.
 *
 * @packageDocumentation
 */

// --- parse (issue 5) ---

// --- featurize (issue 5) ---

// --- simulate (issue 7) ---
export type { FormattedLogs } from './simulate/format.js';
export { formatCloudTrail, formatLanl, formatSshd, formatWinevt, labelsCsv } from './simulate/format.js';
export { simulate } from './simulate/simulate.js';
export type {
  ScenarioName,
  SimChannel,
  SimEvent,
  SimUser,
  SimulatedLogs,
  SimulateOptions,
} from './simulate/types.js';
export { SCENARIOS } from './simulate/types.js';
