/**
 * Format detection (`--format auto`): the first lines of a log (or the first records of a JSON document)
 * are each recognised by the shape only one format writes, and the format is chosen only when every
 * recognised line agrees. Lines no format claims are counted, not guessed at; a sample that splits between
 * formats, or that no format claims, is refused with the counts.
 *
 * @module
 */

import { type JsonObject, parseJsonLine } from './json.js';
import { integerCode } from './numbers.js';
import { SyslogReader } from './syslog.js';

/**
 * The formats format detection can choose.
 */
export type SniffedFormat = 'lanl' | 'sshd' | 'winevt' | 'cloudtrail' | 'github-audit' | 'ocsf';

/**
 * The outcome of {@link sniffFormat}: the chosen format and why, or no format and why not.
 *
 * @example
 * ```ts
 * const s: Sniffed = sniffFormat(lines);
 * if (s.format === undefined) throw new Error(s.why);
 * ```
 */
export interface Sniffed {
  /** The chosen format; undefined when the sample is ambiguous or unrecognised. */
  readonly format: SniffedFormat | undefined;
  /** One sentence: what was seen (counts per shape). */
  readonly why: string;
  /** Lines recognised, per format. */
  readonly counts: Readonly<Partial<Record<SniffedFormat, number>>>;
}

const has = (o: JsonObject, k: string): boolean => Object.hasOwn(o, k);
const dotted = (o: JsonObject, path: string): unknown => {
  if (has(o, path)) return o[path];
  let cur: unknown = o;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, k)) return undefined;
    cur = (cur as JsonObject)[k];
  }
  return cur;
};

/** The shape of one JSON record: [format, shape name] or undefined. */
function jsonShape(o: JsonObject): [SniffedFormat, string] | undefined {
  if (has(o, 'class_uid')) {
    const c = integerCode(o.class_uid);
    if (c === 3002) return ['ocsf', 'OCSF Authentication (3002)'];
    if (c === 6003 || c === 3005) return ['cloudtrail', 'OCSF API Activity (6003)'];
    return undefined;
  }
  if (has(o, 'MESSAGE') && (has(o, '__REALTIME_TIMESTAMP') || has(o, '_HOSTNAME')))
    return ['sshd', 'journald JSON'];
  const dataset = String(dotted(o, 'event.dataset') ?? '');
  if (dataset === 'system.auth') return ['sshd', 'ECS system.auth'];
  if (dataset === 'aws.cloudtrail' || dotted(o, 'aws.cloudtrail') !== undefined)
    return ['cloudtrail', 'ECS aws.cloudtrail'];
  if (dotted(o, 'winlog') !== undefined || dataset === 'system.security' || dataset === 'windows.security')
    return ['winevt', 'Winlogbeat / ECS Windows'];
  if (
    has(o, 'EventID') &&
    (has(o, 'Channel') || has(o, 'Hostname') || has(o, 'Computer') || has(o, 'EventTime'))
  )
    return ['winevt', 'flat Windows event (NXLog)'];
  const ev = o.Event;
  const sys = (ev !== null && typeof ev === 'object' ? (ev as JsonObject).System : undefined) ?? o.System;
  if (sys !== null && typeof sys === 'object' && has(sys as JsonObject, 'EventID'))
    return ['winevt', 'Windows event XML as JSON'];
  if (has(o, 'Records') || (has(o, 'eventName') && (has(o, 'eventSource') || has(o, 'userIdentity'))))
    return ['cloudtrail', 'CloudTrail records'];
  if (has(o, 'digestStartTime') && has(o, 'digestEndTime')) return ['cloudtrail', 'CloudTrail digest'];
  if (has(o, 'action') && has(o, 'actor') && (has(o, 'created_at') || has(o, '@timestamp')))
    return ['github-audit', 'GitHub audit log'];
  if (typeof dotted(o, 'process.name') === 'string' && typeof o.message === 'string' && has(o, '@timestamp'))
    return ['sshd', 'ECS log document (process.name, message)'];
  return undefined;
}

/** Whether a text line is a LANL auth record: a number, then eight comma-separated fields. */
function isLanl(line: string): boolean {
  const parts = line.split(',');
  return (
    parts.length === 9 &&
    /^[0-9]+$/.test(parts[0] as string) &&
    /^(Success|Fail)$/.test((parts[8] as string).trim())
  );
}

/**
 * Recognises the format of a sample of lines (JSON records or text lines; blank lines are ignored). See
 * the module description for the rule.
 *
 * @example
 * ```ts
 * sniffFormat(['Feb 22 16:45:20 h sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2']).format; // 'sshd'
 * ```
 */
export function sniffFormat(lines: readonly string[]): Sniffed {
  const counts: Partial<Record<SniffedFormat, number>> = {};
  const shapes = new Map<string, number>();
  let seen = 0;
  let unknown = 0;
  const syslog = new SyslogReader(2000, 0);
  for (const raw of lines) {
    const line = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (line.trim() === '') continue;
    seen++;
    let hit: [SniffedFormat, string] | undefined;
    if (line.trimStart().startsWith('{')) {
      const o = parseJsonLine(line);
      if (typeof o !== 'string') hit = jsonShape(o);
    } else if (isLanl(line)) hit = ['lanl', 'LANL auth CSV'];
    else if (syslog.read(line)) hit = ['sshd', 'syslog'];
    if (hit === undefined) {
      unknown++;
      continue;
    }
    counts[hit[0]] = (counts[hit[0]] ?? 0) + 1;
    shapes.set(hit[1], (shapes.get(hit[1]) ?? 0) + 1);
  }
  const formats = Object.keys(counts) as SniffedFormat[];
  const seenText = [...shapes].map(([s, n]) => `${n} ${s}`).join(', ');
  const rest = unknown > 0 ? `; ${unknown} not recognised` : '';
  if (formats.length === 1) {
    const format = formats[0] as SniffedFormat;
    return { format, counts, why: `${seenText} of the first ${seen} non-blank lines${rest}` };
  }
  if (formats.length === 0) {
    return {
      format: undefined,
      counts,
      why: `none of the first ${seen} non-blank lines has the shape of a known format`,
    };
  }
  return {
    format: undefined,
    counts,
    why: `the first ${seen} non-blank lines mix formats (${formats.map((f) => `${f}: ${counts[f]}`).join(', ')}; ${seenText}${rest}); name one with --format, or split the file`,
  };
}
