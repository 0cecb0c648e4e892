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
  | 'rare_cloud_api';

/** Every scenario name, in a fixed order. */
export const SCENARIOS: readonly ScenarioName[] = [
  'off_hours_ssh',
  'lateral_movement',
  'brute_force',
  'credential_stuffing',
  'scripted_deviation',
  'privilege_after_new_source',
  'rare_cloud_api',
];

/** The channel an event belongs to; each output format writes the channels it can express. */
export type SimChannel = 'auth' | 'ssh' | 'cloud';

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
  /** The injected scenario, or `null` for normal activity. */
  readonly scenario: ScenarioName | null;
}

/** A simulated person or service account. */
export interface SimUser {
  /** Account name, `U<n>` for people, `SVC<n>` for service accounts. */
  readonly name: string;
  /** Role, which decides the servers used. */
  readonly role: 'engineer' | 'admin' | 'finance' | 'sales' | 'service';
  /** Offset of local time from UTC, in hours. */
  readonly utcOffset: number;
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
