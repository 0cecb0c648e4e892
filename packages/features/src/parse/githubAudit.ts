/**
 * GitHub audit-log parser (JSON lines, as exported or streamed): `action`, `actor`, `org`, `repo`,
 * `user`, `created_at` / `@timestamp` (epoch milliseconds or ISO), `actor_location.country_code`,
 * `user_agent`, `operation_type`, `programmatic_access_type`, `transport_protocol_name`, `actor_ip`,
 * `hashed_token` (else `token_id`), `secrets_passed` (of `workflows.prepared_workflow_job`: the names of
 * the secrets handed to the job, kept as `secretNames` and counted as `secrets`) and `runner_name`.
 *
 * @module
 */
import { BAD, type LineParser } from './common.js';
import type { GithubAuditEvent } from './events.js';
import { asObject, asString, firstString, getPath, jsonObjectOfLine } from './json.js';
import { parseJsonTime } from './time.js';

/**
 * Parser of GitHub audit-log events. Yields {@link GithubAuditEvent}s.
 *
 * @example
 * ```ts
 * const out: GithubAuditEvent[] = [];
 * new GithubAuditParser().parseLine('{"actor":"a","action":"repo.destroy","created_at":1611623457848}', 1, out); // 1
 * ```
 */
export class GithubAuditParser implements LineParser<GithubAuditEvent> {
  /** Format name. */
  readonly format: string = 'github-audit';
  /** Why the last line was skipped or rejected. */
  reason = '';

  /** Parses one line; see {@link LineParser.parseLine}. */
  parseLine(line: string, lineNo: number, out: GithubAuditEvent[]): number {
    const o = jsonObjectOfLine(line, this);
    if (typeof o === 'number') return o;
    const action = asString(o.action);
    if (action === '') {
      this.reason = 'no action';
      return BAD;
    }
    const time = parseJsonTime(o.created_at ?? o['@timestamp'] ?? o.timestamp);
    if (Number.isNaN(time)) {
      this.reason = 'no valid created_at or @timestamp';
      return BAD;
    }
    const dot = action.indexOf('.');
    out.push({
      line: lineNo,
      time,
      action,
      category: dot > 0 ? action.slice(0, dot) : action,
      actor: asString(o.actor),
      org: asString(o.org),
      repo: asString(o.repo),
      user: asString(o.user),
      country: firstString(
        getPath(o, 'actor_location.country_code'),
        asObject(o.actor_location)?.country_code,
      ),
      userAgent: asString(o.user_agent),
      operationType: asString(o.operation_type),
      accessType: asString(o.programmatic_access_type),
      transport: firstString(o.transport_protocol_name, o.transport_protocol),
      actorIp: asString(o.actor_ip),
      token: firstString(o.hashed_token, o.token_id),
      secrets: Array.isArray(o.secrets_passed) ? o.secrets_passed.length : 0,
      secretNames: Array.isArray(o.secrets_passed) ? o.secrets_passed.filter(isName) : [],
      runner: firstString(o.runner_name, getPath(o, 'data.runner_name')),
    });
    return 1;
  }
}

/** A secret's name in `secrets_passed` (GitHub writes an array of names; anything else is skipped). */
function isName(x: unknown): x is string {
  return typeof x === 'string' && x !== '';
}
