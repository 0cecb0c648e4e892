import { GITHUB_ORG } from './github.js';
import type { ScenarioName, SimEvent, SimulatedLogs } from './types.js';

/** Formatted log lines and, aligned with them, the scenario label of each line (`null` = normal). */
export interface FormattedLogs {
  /** One log line per event the format can express. */
  readonly lines: string[];
  /** `labels[i]` is the injected scenario of `lines[i]`, or `null`. */
  readonly labels: (ScenarioName | null)[];
  /** `times[i]` is the event time of `lines[i]`, seconds since the epoch. */
  readonly times: number[];
  /** `incidents[i]` numbers the injection `lines[i]` belongs to (one per injected incident), or `null`. */
  readonly incidents: (number | null)[];
}

/** Lines with their labels, times and incident numbers, built in step. */
class Sink implements FormattedLogs {
  readonly lines: string[] = [];
  readonly labels: (ScenarioName | null)[] = [];
  readonly times: number[] = [];
  readonly incidents: (number | null)[] = [];
  push(line: string, e: SimEvent): void {
    this.lines.push(line);
    this.labels.push(e.scenario);
    this.times.push(e.time);
    this.incidents.push(e.incident);
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LOGON_TYPE_CODES: Record<string, number> = {
  Interactive: 2,
  Network: 3,
  Batch: 4,
  Service: 5,
  Unlock: 7,
  NetworkCleartext: 8,
  RemoteInteractive: 10,
};

function collect(
  sim: SimulatedLogs,
  channels: readonly SimEvent['channel'][],
  line: (e: SimEvent, i: number) => string | null,
): FormattedLogs {
  const out = new Sink();
  let i = 0;
  for (const e of sim.events) {
    if (!channels.includes(e.channel)) continue;
    const l = line(e, i++);
    if (l !== null) out.push(l, e);
  }
  return out;
}

/**
 * LANL "Comprehensive, Multi-Source Cyber-Security Events" authentication format:
 * `time,src_user@domain,dst_user@domain,src_computer,dst_computer,auth_type,logon_type,orientation,outcome`,
 * with `time` in seconds since the start of the simulation (as LANL counts from its epoch). Authentication
 * and SSH events are written (SSH logons carry the auth type `password` or `publickey`); cloud calls are not.
 *
 * @example
 * ```ts
 * const { lines, labels } = formatLanl(simulate({ seed: 1 }));
 * ```
 */
export function formatLanl(sim: SimulatedLogs): FormattedLogs {
  return collect(sim, ['auth', 'ssh'], (e) => {
    const t = e.time - sim.start;
    const dom = e.user.startsWith('EXT') ? 'EXT' : 'DOM1';
    return `${t},${e.user}@${dom},${e.dstUser}@DOM1,${e.src},${e.dst},${e.authType},${e.logonType},${e.orientation},${e.success ? 'Success' : 'Fail'}`;
  });
}

function syslogTime(t: number): string {
  const d = new Date(t * 1000);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${day} ${hh}:${mm}:${ss}`;
}

/**
 * OpenSSH `auth.log` lines with BSD syslog timestamps in UTC (`Mar  2 09:13:01 C201 sshd[4242]: …`):
 * `Accepted publickey|password for …`, `Failed password for [invalid user] …`, and the PAM
 * `session opened` line after each accepted login. Only SSH events are written.
 *
 * @example
 * ```ts
 * const { lines } = formatSshd(simulate({ seed: 1 }));
 * ```
 */
export function formatSshd(sim: SimulatedLogs): FormattedLogs {
  const known = new Set(sim.users.map((u) => u.name.toLowerCase()));
  const out = new Sink();
  let pid = 3000;
  for (const e of sim.events) {
    if (e.channel !== 'ssh') continue;
    pid = 3000 + ((pid * 7 + 13) % 60000);
    const user = e.user.toLowerCase();
    const port = 40000 + (pid % 20000);
    const head = `${syslogTime(e.time)} ${e.dst} sshd[${pid}]:`;
    const push = (l: string): void => out.push(l, e);
    if (e.success) {
      push(`${head} Accepted ${e.authType} for ${user} from ${e.srcIp} port ${port} ssh2`);
      push(`${head} pam_unix(sshd:session): session opened for user ${user} by (uid=0)`);
    } else if (known.has(user)) {
      push(`${head} Failed ${e.authType} for ${user} from ${e.srcIp} port ${port} ssh2`);
    } else {
      push(`${head} Invalid user ${user} from ${e.srcIp} port ${port}`);
      push(`${head} Failed ${e.authType} for invalid user ${user} from ${e.srcIp} port ${port} ssh2`);
    }
  }
  return out;
}

/**
 * Windows Security events as flat JSON lines: 4624 / 4625 logons (with `LogonType`, `IpAddress`,
 * `WorkstationName`, `AuthenticationPackageName`), 4634 logoffs, 4672 special privileges after privileged
 * logons, 4768 / 4769 Kerberos tickets. Authentication events only.
 *
 * @example
 * ```ts
 * const { lines } = formatWinevt(simulate({ seed: 1 }));
 * ```
 */
export function formatWinevt(sim: SimulatedLogs): FormattedLogs {
  const out = new Sink();
  let logonId = 0x10000;
  for (const e of sim.events) {
    if (e.channel !== 'auth') continue;
    const when = new Date(e.time * 1000).toISOString();
    const common = { TimeCreated: when, Computer: `${e.dst}.dom1.local`, TargetDomainName: 'DOM1' };
    const push = (o: Record<string, unknown>): void => out.push(JSON.stringify(o), e);
    if (e.orientation === 'TGT' || e.orientation === 'TGS') {
      push({
        EventID: e.orientation === 'TGT' ? 4768 : 4769,
        ...common,
        TargetUserName: e.user,
        IpAddress: `::ffff:${e.srcIp}`,
        Status: e.success ? '0x0' : '0x18',
        ServiceName: e.orientation === 'TGT' ? 'krbtgt' : `${e.dst}$`,
      });
      continue;
    }
    const logonType = LOGON_TYPE_CODES[e.logonType] ?? 3;
    if (e.orientation === 'LogOff') {
      push({ EventID: 4634, ...common, TargetUserName: e.dstUser, LogonType: logonType });
      continue;
    }
    logonId += 7;
    push({
      EventID: e.success ? 4624 : 4625,
      ...common,
      TargetUserName: e.dstUser,
      SubjectUserName: e.user,
      LogonType: logonType,
      IpAddress: e.src === e.dst ? '-' : e.srcIp,
      WorkstationName: e.src,
      AuthenticationPackageName: e.authType === '?' ? 'Negotiate' : e.authType,
      TargetLogonId: `0x${logonId.toString(16)}`,
      ...(e.success ? {} : { Status: '0xc000006d', SubStatus: '0xc000006a' }),
    });
    if (e.privileged && e.success) {
      push({
        EventID: 4672,
        ...common,
        SubjectUserName: e.dstUser,
        SubjectLogonId: `0x${logonId.toString(16)}`,
        PrivilegeList: 'SeDebugPrivilege SeBackupPrivilege SeTakeOwnershipPrivilege',
      });
    }
  }
  return out;
}

/**
 * AWS CloudTrail records as JSON lines (`eventTime`, `eventSource`, `eventName`, `awsRegion`,
 * `sourceIPAddress`, `userIdentity`, `userAgent`). Cloud API events only.
 *
 * @example
 * ```ts
 * const { lines } = formatCloudTrail(simulate({ seed: 1 }));
 * ```
 */
export function formatCloudTrail(sim: SimulatedLogs): FormattedLogs {
  return collect(sim, ['cloud'], (e, i) =>
    JSON.stringify({
      eventVersion: '1.08',
      eventTime: new Date(e.time * 1000).toISOString().replace('.000Z', 'Z'),
      eventSource: e.service ?? 'sts.amazonaws.com',
      eventName: e.api ?? 'GetCallerIdentity',
      awsRegion: e.region ?? 'us-east-1',
      sourceIPAddress: e.srcIp,
      userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1',
      userIdentity: {
        type: 'IAMUser',
        userName: e.user.toLowerCase(),
        arn: `arn:aws:iam::123456789012:user/${e.user.toLowerCase()}`,
        accountId: '123456789012',
      },
      eventType: 'AwsApiCall',
      eventID: `sim-${String(i).padStart(8, '0')}`,
      recipientAccountId: '123456789012',
    }),
  );
}

function stableId(s: string, base: number): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
  return base + (h % 9_000_000);
}

/**
 * GitHub audit-log events as JSON lines, with GitHub's field names (as in an organisation's audit-log
 * stream or export): `@timestamp` and `created_at` (epoch ms), `action`, `actor`, `actor_id`, `actor_ip`,
 * `actor_location.country_code`, `org`, `business`, `operation_type`, `user_agent`; `repo`, `repo_id`,
 * `public_repo` for repository actions; `repository`, `repository_public`, `transport_protocol_name` for
 * `git.*`; `hashed_token`, `programmatic_access_type`, `token_scopes` for token access; `data.head_branch`,
 * `data.event`, `data.workflow_id`, `data.workflow_run_id` for workflow runs; `job_name`, `job_workflow_ref`,
 * `secrets_passed`, `runner_name` for `workflows.prepared_workflow_job`; `runner_name` for runner
 * registration. GitHub events only.
 *
 * @example
 * ```ts
 * const { lines } = formatGithubAudit(simulate({ seed: 1 }));
 * ```
 */
export function formatGithubAudit(sim: SimulatedLogs): FormattedLogs {
  let run = 4_100_000_000;
  return collect(sim, ['github'], (e) => {
    const g = e.github;
    if (g === undefined) return null;
    const ms = e.time * 1000;
    const o: Record<string, unknown> = {
      '@timestamp': ms,
      action: g.action,
      actor: e.user,
      actor_id: stableId(e.user, 1_000_000),
    };
    if (e.srcIp !== '') o.actor_ip = e.srcIp;
    o.actor_location = { country_code: g.country };
    o.business = GITHUB_ORG;
    o.created_at = ms;
    o.operation_type = g.operationType;
    o.org = GITHUB_ORG;
    o.org_id = 91_503_210;
    if (g.repo !== '') {
      o.repo = g.repo;
      o.repo_id = stableId(g.repo, 300_000_000);
      o.public_repo = false;
    }
    if (g.action.startsWith('git.')) {
      o.repository = g.repo;
      o.repository_public = false;
      o.transport_protocol_name = g.transport;
    }
    if (g.token !== '') {
      o.hashed_token = g.token;
      o.programmatic_access_type = g.accessType;
      if (g.accessType.includes('classic')) o.token_scopes = 'repo,workflow';
    }
    if (g.action === 'workflows.created_workflow_run' || g.action === 'workflows.completed_workflow_run') {
      o.data = {
        event: 'push',
        head_branch: g.branch,
        workflow_id: stableId(`${g.repo}/ci`, 50_000_000),
        workflow_run_id: g.action === 'workflows.created_workflow_run' ? ++run : run,
      };
    }
    if (g.action === 'workflows.prepared_workflow_job') {
      o.job_name = g.job;
      o.job_workflow_ref = `${g.repo}/.github/workflows/ci.yml@refs/heads/${g.branch}`;
      o.secrets_passed = g.secrets;
    }
    if (g.runner !== '') o.runner_name = g.runner;
    if (g.userAgent !== '') o.user_agent = g.userAgent;
    return JSON.stringify(o);
  });
}

/**
 * The labels of formatted logs as CSV (`line,scenario`, 1-based line numbers, `normal` for unlabelled
 * lines), to be written beside the logs.
 *
 * @example
 * ```ts
 * const csv = labelsCsv(formatLanl(simulate()));
 * ```
 */
export function labelsCsv(logs: FormattedLogs): string {
  const out: string[] = ['line,scenario'];
  for (let i = 0; i < logs.labels.length; i++) out.push(`${i + 1},${logs.labels[i] ?? 'normal'}`);
  return `${out.join('\n')}\n`;
}
