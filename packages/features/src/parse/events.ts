/**
 * Event types the parsers yield. Authentication formats (LANL, sshd, Windows) share {@link AuthEvent},
 * so one featurizer serves all three; each adds its own fields. Missing values are empty strings.
 *
 * @module
 */

/**
 * One authentication event, normalised across LANL, sshd, Windows Security, OCSF Authentication and
 * field-mapped JSON logs.
 */
export interface AuthEvent {
  /** The format the event was parsed from. */
  readonly format: 'lanl' | 'sshd' | 'winevt' | 'ocsf' | 'json';
  /** 1-based line number in the input. */
  readonly line: number;
  /** Seconds since the Unix epoch (LANL: seconds since the start of the data set). */
  readonly time: number;
  /** The account that authenticates or is logged on (target / destination user), without domain. */
  readonly user: string;
  /** The account that initiated it (source user), without domain; often equal to `user`. */
  readonly srcUser: string;
  /** Where the authentication came from: a computer name or an IP address. */
  readonly srcHost: string;
  /** Where it went: the computer that logged the event or the target server. */
  readonly dstHost: string;
  /** Authentication package or method: `Kerberos`, `NTLM`, `password`, `publickey`, … */
  readonly authType: string;
  /** Logon type: `Network`, `Interactive`, Windows numbers (`3`, `10`), `ssh`, `sudo`, … */
  readonly logonType: string;
  /** What happened: `LogOn`, `LogOff`, `TGT`, `TGS`, `accepted`, `failed`, `session_opened`, `sudo`, … */
  readonly action: string;
  /** Whether the authentication succeeded. */
  readonly success: boolean;
}

/**
 * A LANL `auth.txt` event (`time,src_user@domain,dst_user@domain,src_computer,dst_computer,auth_type,
 * logon_type,orientation,outcome`). `?` (missing) becomes an empty string.
 *
 * @example
 * ```ts
 * const [e] = parseLines(parsers.lanl(), ['1,U1@DOM1,U1@DOM1,C1,C2,Kerberos,Network,LogOn,Success']).events;
 * e.dstHost; // 'C2'
 * ```
 */
export interface LanlAuthEvent extends AuthEvent {
  readonly format: 'lanl';
  /** Domain of the source user. */
  readonly srcDomain: string;
  /** Domain of the destination user. */
  readonly domain: string;
}

/**
 * A LANL red-team label (`time,user@domain,src_computer,dst_computer`).
 *
 * @example
 * ```ts
 * const [r] = parseLines(parsers['lanl-redteam'](), ['150885,U620@DOM1,C17693,C1003']).events;
 * r.user; // 'U620'
 * ```
 */
export interface LanlRedTeamEvent {
  /** 1-based line number. */
  readonly line: number;
  /** Seconds since the start of the data set. */
  readonly time: number;
  /** User without domain. */
  readonly user: string;
  /** Domain. */
  readonly domain: string;
  /** Source computer. */
  readonly srcHost: string;
  /** Destination computer. */
  readonly dstHost: string;
}

/**
 * An sshd / auth.log event. `srcHost` is the client address, `dstHost` the syslog host name.
 *
 * @example
 * ```ts
 * const [e] = parseLines(parsers.sshd({ year: 2024 }),
 *   ['Feb 22 16:48:04 slave22 sshd[2805]: Accepted publickey for drewr from 69.245.39.97 port 34202 ssh2']).events;
 * e.authType; // 'publickey'
 * ```
 */
export interface SshdEvent extends AuthEvent {
  readonly format: 'sshd';
  /** The logging program (`sshd`, `sudo`, `su`, `login`, …). */
  readonly program: string;
  /** Process id, or -1 when absent. */
  readonly pid: number;
  /** Client port, or -1 when absent. */
  readonly port: number;
  /** `true` for "invalid user" attempts (the account does not exist). */
  readonly invalidUser: boolean;
  /** sudo: the command run (empty otherwise). */
  readonly command: string;
  /** sudo: the account the command ran as (`USER=`); empty otherwise. */
  readonly targetUser: string;
}

/**
 * A Windows Security event (4624, 4625, 4634, 4648, 4672, 4768, 4769, 4776).
 *
 * @example
 * ```ts
 * const [e] = parseLines(parsers.winevt(), [JSON.stringify({ EventID: 4624, TargetUserName: 'bob',
 *   Hostname: 'WS1', IpAddress: '::ffff:10.0.0.5', LogonType: '3', '@timestamp': '2020-08-06T15:56:10Z' })]).events;
 * e.srcHost; // '10.0.0.5'
 * ```
 */
export interface WinEvent extends AuthEvent {
  readonly format: 'winevt';
  /** The event id. */
  readonly eventId: number;
  /** Domain of the target user. */
  readonly domain: string;
  /** Normalised client IP address (empty when absent or `-`). */
  readonly ipAddress: string;
  /** Workstation name reported by the event (empty when absent). */
  readonly workstation: string;
  /** Kerberos service name (4768, 4769) or target server (4648); empty otherwise. */
  readonly service: string;
  /** Status code (`0x0` on success, NTSTATUS otherwise). */
  readonly status: string;
}

/**
 * One AWS CloudTrail record.
 *
 * @example
 * ```ts
 * const [e] = parseLines(parsers.cloudtrail(), ['{"eventTime":"2014-07-16T15:49:27Z","eventName":"ConsoleLogin",' +
 *   '"eventSource":"signin.amazonaws.com","userIdentity":{"type":"IAMUser","userName":"JohnDoe"}}']).events;
 * e.user; // 'JohnDoe'
 * ```
 */
export interface CloudTrailEvent {
  /** 1-based line number. */
  readonly line: number;
  /** Seconds since the Unix epoch (`eventTime`, else `@timestamp`). */
  readonly time: number;
  /** API call, e.g. `GetObject`. */
  readonly eventName: string;
  /** Service, e.g. `s3.amazonaws.com`. */
  readonly eventSource: string;
  /** Region. */
  readonly awsRegion: string;
  /** Caller IP address (or AWS service name). */
  readonly sourceIp: string;
  /** User agent. */
  readonly userAgent: string;
  /** Identity type: `IAMUser`, `AssumedRole`, `Root`, `AWSService`, … */
  readonly userType: string;
  /** The principal: user name, role session (`role/session`), or principal id. */
  readonly user: string;
  /** Account id of the caller. */
  readonly accountId: string;
  /** `AwsApiCall`, `AwsConsoleSignIn`, … */
  readonly eventType: string;
  /** The record's error code (empty when it has none: on success, and on a failed console login). */
  readonly errorCode: string;
  /** The record's error message (empty when it has none). */
  readonly errorMessage: string;
  /** `false` when the call failed (error code, or a failed console login). */
  readonly success: boolean;
  /** Whether MFA was used (console logins and sessions), when reported. */
  readonly mfa: boolean;
}

/**
 * One GitHub audit-log event.
 *
 * @example
 * ```ts
 * const [e] = parseLines(parsers['github-audit'](),
 *   ['{"actor":"octo","action":"repo.create","repo":"org/r","created_at":1583763373109}']).events;
 * e.category; // 'repo'
 * ```
 */
export interface GithubAuditEvent {
  /** 1-based line number. */
  readonly line: number;
  /** Seconds since the Unix epoch (`created_at`, else `@timestamp`). */
  readonly time: number;
  /** The action, e.g. `repo.destroy`. */
  readonly action: string;
  /** The action's category (the part before the first dot), e.g. `repo`. */
  readonly category: string;
  /** Who did it. */
  readonly actor: string;
  /** Organisation. */
  readonly org: string;
  /** Repository (`org/name`). */
  readonly repo: string;
  /** Affected user. */
  readonly user: string;
  /** Actor's country code. */
  readonly country: string;
  /** User agent. */
  readonly userAgent: string;
  /** `create`, `modify`, `remove`, `access`, … */
  readonly operationType: string;
  /** How a token was used (`personal_access_token`, …). */
  readonly accessType: string;
  /** Git transport protocol (`http`, `ssh`). */
  readonly transport: string;
  /** The actor's address (`actor_ip`, when the organisation shows addresses), else `''`. */
  readonly actorIp: string;
  /** The token used (`hashed_token`, else `token_id`), or `''` for a web session or SSH. */
  readonly token: string;
  /** Number of secrets passed to a workflow job (`secrets_passed`), else 0. */
  readonly secrets: number;
  /** Names of the secrets passed to a workflow job (`secrets_passed`), else empty. */
  readonly secretNames: readonly string[];
  /** Self-hosted runner name (`runner_name`), else `''`. */
  readonly runner: string;
}
