/**
 * Types of the realistic enterprise log simulator. Everything it produces is simulated, not real data.
 *
 * @module
 */

/** The red-team scenarios the simulator can inject, each labelled on the events it produces. */
export type ScenarioName =
  | 'off_hours_ssh'
  | 'lateral_movement'
  | 'brute_force'
  | 'credential_stuffing'
  | 'scripted_deviation'
  | 'privilege_after_new_source'
  | 'rare_cloud_api'
  | 'token_new_address'
  | 'workflow_secrets'
  | 'mass_clone'
  | 'protection_force_push'
  | 'rogue_runner';

/** Every scenario name, in a fixed order. */
export const SCENARIOS: readonly ScenarioName[] = [
  'off_hours_ssh',
  'lateral_movement',
  'brute_force',
  'credential_stuffing',
  'scripted_deviation',
  'privilege_after_new_source',
  'rare_cloud_api',
  'token_new_address',
  'workflow_secrets',
  'mass_clone',
  'protection_force_push',
  'rogue_runner',
];

/**
 * The channel an event belongs to; each output format writes the channels it can express: `auth` and
 * `ssh` (LANL, sshd, Windows), `cloud` (CloudTrail), `github` (the GitHub audit log).
 */
export type SimChannel = 'auth' | 'ssh' | 'cloud' | 'github';

/**
 * The channel whose events carry a scenario (the stream it is judged in).
 *
 * @example
 * ```ts
 * SCENARIO_CHANNEL.mass_clone; // 'github'
 * ```
 */
export const SCENARIO_CHANNEL: Readonly<Record<ScenarioName, 'auth' | 'cloud' | 'github'>> = Object.freeze({
  off_hours_ssh: 'auth',
  lateral_movement: 'auth',
  brute_force: 'auth',
  credential_stuffing: 'auth',
  scripted_deviation: 'auth',
  privilege_after_new_source: 'auth',
  rare_cloud_api: 'cloud',
  token_new_address: 'github',
  workflow_secrets: 'github',
  mass_clone: 'github',
  protection_force_push: 'github',
  rogue_runner: 'github',
});

/**
 * One simulated event, in a format-neutral shape close to LANL's authentication records, with the extra
 * fields the sshd, Windows and CloudTrail writers need.
 */
export interface SimEvent {
  /** Seconds since the Unix epoch (UTC). */
  readonly time: number;
  /** Channel: Windows/Kerberos authentication, sshd, or cloud API. */
  readonly channel: SimChannel;
  /** Acting user (e.g. `U42`, `SVC3`, or an IAM user name for cloud events). */
  readonly user: string;
  /** Account used at the destination (usually `user`; `Administrator` for privilege use). */
  readonly dstUser: string;
  /** Source computer (LANL-style `C123`) or `EXT` for outside sources. */
  readonly src: string;
  /** Destination computer. */
  readonly dst: string;
  /** `Kerberos`, `NTLM`, `Negotiate`, `password`, `publickey`, `?`. */
  readonly authType: string;
  /** `Interactive`, `Network`, `Batch`, `Service`, `RemoteInteractive`, `?`. */
  readonly logonType: string;
  /** `LogOn`, `LogOff`, `TGT`, `TGS`, `AuthMap`. */
  readonly orientation: string;
  /** Whether the attempt succeeded. */
  readonly success: boolean;
  /** Source IP address. */
  readonly srcIp: string;
  /** Special privileges assigned at this logon (Windows 4672). */
  readonly privileged: boolean;
  /** Cloud events: API name (e.g. `GetObject`). */
  readonly api?: string;
  /** Cloud events: service (e.g. `s3.amazonaws.com`). */
  readonly service?: string;
  /** Cloud events: region. */
  readonly region?: string;
  /** GitHub events: the audit-log fields. */
  readonly github?: SimGithubFields;
  /** The injected scenario, or `null` for normal activity. */
  readonly scenario: ScenarioName | null;
  /** Which injection of the scenario (0, 1, … over all scenarios), or `null` for normal activity. */
  readonly incident: number | null;
}

/** The GitHub audit-log fields of a simulated GitHub event (`user` is the actor, `srcIp` its address). */
export interface SimGithubFields {
  /** The action, e.g. `git.clone`. */
  readonly action: string;
  /** Repository `org/name`, or `''` for organisation-level actions. */
  readonly repo: string;
  /** Actor's country code. */
  readonly country: string;
  /** User agent. */
  readonly userAgent: string;
  /** `create`, `access`, `modify`, `remove`. */
  readonly operationType: string;
  /** Hashed token of programmatic access, or `''` for a web session or SSH. */
  readonly token: string;
  /** `programmatic_access_type` (e.g. `Personal access token (classic)`), or `''`. */
  readonly accessType: string;
  /** Git transport (`http`, `ssh`) of `git.*` actions, else `''`. */
  readonly transport: string;
  /** Branch of workflow events, else `''`. */
  readonly branch: string;
  /** Job name of `workflows.prepared_workflow_job`, else `''`. */
  readonly job: string;
  /** Secrets passed to a workflow job (`workflows.prepared_workflow_job`). */
  readonly secrets: readonly string[];
  /** Self-hosted runner name of runner events, else `''`. */
  readonly runner: string;
}

/**
 * When a person works: `day` (weekdays), `night` (shifts starting in the evening, Sunday to Thursday),
 * `weekend` (Friday to Monday).
 */
export type SimShift = 'day' | 'night' | 'weekend';

/** A simulated person or service account. */
export interface SimUser {
  /** Account name, `U<n>` for people, `SVC<n>` for service accounts. */
  readonly name: string;
  /** Role, which decides the servers used. */
  readonly role: 'engineer' | 'admin' | 'finance' | 'sales' | 'service';
  /** Offset of local time from UTC, in hours. */
  readonly utcOffset: number;
  /** The working pattern. */
  readonly shift: SimShift;
  /** On call every other week (paged at night now and then, and logs on from home). */
  readonly onCall: boolean;
  /** The address the person works from when not in the office (home, VPN egress). */
  readonly homeIp: string;
  /** Local hour the working day starts. */
  readonly workStart: number;
  /** Length of the working day in hours. */
  readonly workHours: number;
  /** The user's own workstation. */
  readonly workstation: string;
  /** Servers the user normally reaches. */
  readonly servers: readonly string[];
  /** Linux hosts the user normally reaches over SSH (engineers and admins). */
  readonly sshHosts: readonly string[];
  /** The workstation's IP address. */
  readonly ip: string;
  /** Service accounts: seconds between scripted runs. */
  readonly period?: number;
}

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** Seed of every random choice (default 1). */
  readonly seed?: number;
  /** Number of days (default 14). */
  readonly days?: number;
  /** Days at the start with normal activity only, for training (default 10). */
  readonly trainDays?: number;
  /** Number of people (default 60). */
  readonly users?: number;
  /** Number of service accounts (default 6). */
  readonly serviceAccounts?: number;
  /** First day, an ISO date (default `2026-03-02`, a Monday). */
  readonly start?: string;
  /** Scenarios to inject in the test days (default all). */
  readonly scenarios?: readonly ScenarioName[];
  /** How many times each scenario is injected over the test days (default 4). */
  readonly incidentsPerScenario?: number;
  /** Simulate the engineering organisation's GitHub audit log (default true). */
  readonly github?: boolean;
}

/** What {@link simulate} returns. */
export interface SimulatedLogs {
  /** Every event, sorted by time. */
  readonly events: readonly SimEvent[];
  /** The simulated population. */
  readonly users: readonly SimUser[];
  /** Start of the first day, seconds since the epoch. */
  readonly start: number;
  /** First second of the test days (events before it are normal-only training data). */
  readonly testStart: number;
  /** Options used, with defaults filled in. */
  readonly options: Required<Omit<SimulateOptions, 'scenarios'>> & {
    readonly scenarios: readonly ScenarioName[];
  };
}
