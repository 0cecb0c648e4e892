/**
 * The parser registry, keyed by the format names the `ebm` CLI accepts (`--format …`).
 *
 * @module
 */
import { CloudTrailParser } from './cloudtrail.js';
import { GithubAuditParser } from './githubAudit.js';
import { LanlParser, LanlRedTeamParser } from './lanl.js';
import { OcsfAuthParser } from './ocsf.js';
import { type SshdOptions, SshdParser } from './sshd.js';
import { type WinEventOptions, WinEventParser } from './winevt.js';

/**
 * Options any parser factory accepts (each uses what applies to it).
 */
export interface ParserOptions extends SshdOptions, WinEventOptions {}

/**
 * Factories of fresh parsers, by format name. Use a new parser per input (the sshd parser tracks the
 * year roll-over).
 *
 * @example
 * ```ts
 * const { events, summary } = parseLines(parsers.sshd({ year: 2024 }), text, { policy: 'collect' });
 * const fmt: ParserFormat = 'lanl';
 * const p = parsers[fmt]();
 * ```
 */
export const parsers: {
  readonly lanl: (options?: ParserOptions) => LanlParser;
  readonly 'lanl-redteam': (options?: ParserOptions) => LanlRedTeamParser;
  readonly sshd: (options?: ParserOptions) => SshdParser;
  readonly winevt: (options?: ParserOptions) => WinEventParser;
  readonly cloudtrail: (options?: ParserOptions) => CloudTrailParser;
  readonly 'github-audit': (options?: ParserOptions) => GithubAuditParser;
  readonly ocsf: (options?: ParserOptions) => OcsfAuthParser;
} = Object.freeze({
  lanl: (): LanlParser => new LanlParser(),
  'lanl-redteam': (): LanlRedTeamParser => new LanlRedTeamParser(),
  sshd: (options: ParserOptions = {}): SshdParser => new SshdParser(options),
  winevt: (options: ParserOptions = {}): WinEventParser => new WinEventParser(options),
  cloudtrail: (): CloudTrailParser => new CloudTrailParser(),
  'github-audit': (): GithubAuditParser => new GithubAuditParser(),
  ocsf: (): OcsfAuthParser => new OcsfAuthParser(),
});

/**
 * A registered format name.
 */
export type ParserFormat = keyof typeof parsers;

/**
 * The registered format names.
 *
 * @example
 * ```ts
 * parserFormats; // ['lanl', 'lanl-redteam', 'sshd', 'winevt', 'cloudtrail', 'github-audit', 'ocsf']
 * ```
 */
export const parserFormats: readonly ParserFormat[] = Object.freeze(Object.keys(parsers) as ParserFormat[]);

/**
 * Whether a string names a registered format (for CLI argument checks).
 *
 * @example
 * ```ts
 * isParserFormat('sshd'); // true
 * ```
 */
export function isParserFormat(name: string): name is ParserFormat {
  return Object.hasOwn(parsers, name);
}
