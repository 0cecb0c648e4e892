/**
 * `@nexus/ebm-features/extend`: helpers for writing your own log parser or featurizer block — numbers and
 * timestamp parsing, IP normalisation, string hashing, the bounded per-entity table the stateful blocks use,
 * the JSON-document readers and the event-order helpers the pipelines share.
 *
 * @packageDocumentation
 */

export { EntityTable } from './featurize/EntityTable.js';
export { hashString } from './featurize/hash.js';
export { isJsonDocument, jsonDocumentRecords } from './parse/document.js';
export { decimalNumber, integerCode } from './parse/numbers.js';
export { isoTimeEnd, monthIndex, parseBsdTime, parseIsoTime, parseJsonTime } from './parse/time.js';
export { normalizeIp } from './parse/winevt.js';
export { checkMaxLateness, releaseOrder } from './reorder/ReorderWindow.js';
