/**
 * `@nexus/ebm-features`: parsers and featurizers for security logs, and the realistic log simulator.
 * Helpers for writing your own parser or featurizer block (time parsing, IP normalisation, hashing, the
 * per-entity table) live under `@nexus/ebm-features/extend`.
 *
 * @packageDocumentation
 */

// --- parse ---
export { CloudTrailParser } from './parse/cloudtrail.js';
export type { LineParser, LineSource, ParseOptions, ParsePolicy, ParseSummary } from './parse/common.js';
export {
  BAD,
  MAX_LINE_CHARS,
  ParseSession,
  parseLines,
  parseStream,
  readLineBatches,
  readLines,
  SKIP,
  splitLines,
} from './parse/common.js';
export { parseJsonDocument } from './parse/document.js';
export type { FieldMap, FieldSpec } from './parse/fieldMap.js';
export { checkFieldMap, FieldMapParser } from './parse/fieldMap.js';
export type { OcsfAuthEvent } from './parse/ocsf.js';
export { OcsfAuthParser } from './parse/ocsf.js';
export type { Sniffed, SniffedFormat } from './parse/sniff.js';
export { sniffFormat } from './parse/sniff.js';
export type {
  AuthEvent,
  CloudTrailEvent,
  GithubAuditEvent,
  LanlAuthEvent,
  LanlRedTeamEvent,
  SshdEvent,
  WinEvent,
} from './parse/events.js';
export { GithubAuditParser } from './parse/githubAudit.js';
export { LanlParser, LanlRedTeamParser, labelRedTeam } from './parse/lanl.js';
export type { ParserFormat, ParserOptions } from './parse/registry.js';
export { isParserFormat, parserFormats, parsers } from './parse/registry.js';
export type { SshdOptions } from './parse/sshd.js';
export { SshdParser } from './parse/sshd.js';
export type { WinEventOptions } from './parse/winevt.js';
export { WinEventParser } from './parse/winevt.js';

// --- featurize ---
export type { FeaturePipelineJSON, FeaturizeOptions, StateStats } from './featurize/FeaturePipeline.js';
export { FeaturePipeline, PIPELINE_KIND, PIPELINE_VERSION } from './featurize/FeaturePipeline.js';
export type { ReorderStats, ReorderWindowOptions } from './reorder/ReorderWindow.js';
export {
  DEFAULT_MAX_HELD_EVENTS,
  DEFAULT_MAX_LATENESS_SECONDS,
  ReorderWindow,
} from './reorder/ReorderWindow.js';
export type { PresetOptions } from './featurize/presets.js';
export {
  authFeaturizer,
  cloudTrailFeaturizer,
  featurizers,
  GITHUB_BASELINE_SECONDS,
  githubAuditFeaturizer,
} from './featurize/presets.js';
export type {
  BlockSpec,
  CyclicSpec,
  DecaySpec,
  FailureRatioSpec,
  FeaturizerColumn,
  FirstSeenSpec,
  NewItemsSpec,
  GapSpec,
  HashSpec,
  NumericSpec,
  OneHotSpec,
  PeersSpec,
  PipelineConfig,
  RaritySpec,
  TemporalProfileSpec,
  WindowSpec,
} from './featurize/spec.js';
export { checkConfig } from './featurize/spec.js';

// --- simulate ---
export type { FormattedLogs } from './simulate/format.js';
export {
  formatCloudTrail,
  formatGithubAudit,
  formatLanl,
  formatSshd,
  formatWinevt,
  labelsCsv,
} from './simulate/format.js';
export { GITHUB_ORG, GITHUB_REPOS } from './simulate/github.js';
export { simulate } from './simulate/simulate.js';
export type {
  ScenarioName,
  SimChannel,
  SimEvent,
  SimGithubFields,
  SimShift,
  SimUser,
  SimulatedLogs,
  SimulateOptions,
} from './simulate/types.js';
export { SCENARIO_CHANNEL, SCENARIOS } from './simulate/types.js';
