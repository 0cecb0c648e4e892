/**
 * The declarative description of a feature pipeline: plain JSON data (so it is saved with the model),
 * checked once by {@link checkConfig}.
 *
 * @module
 */
import { type FeatureColumn, message, ParameterError } from '@nexus/ebm-core';
import { isTimeZone } from './zone.js';

/**
 * A numeric field, optionally `log1p`-transformed (sign-preserving) and clipped.
 *
 * @example
 * ```ts
 * const s: NumericSpec = { type: 'numeric', field: 'bytes', transform: 'log1p', clip: [0, 20] };
 * ```
 */
export interface NumericSpec {
  readonly type: 'numeric';
  readonly field: string;
  /** `none` (default) or `log1p` (sign(x)·log(1+|x|)). */
  readonly transform?: 'none' | 'log1p';
  /** Clip the (transformed) value into [lo, hi]. */
  readonly clip?: readonly [number, number];
}

/**
 * One-hot encoding of a categorical field with the vocabulary fitted on training data, plus an explicit
 * `<unseen>` column for values outside it.
 *
 * @example
 * ```ts
 * const s: OneHotSpec = { type: 'onehot', field: 'authType', maxCategories: 16 };
 * ```
 */
export interface OneHotSpec {
  readonly type: 'onehot';
  readonly field: string;
  /** Keep at most this many most frequent values (default 32). */
  readonly maxCategories?: number;
  /** Keep only values seen at least this often in training (default 1). */
  readonly minCount?: number;
}

/**
 * The hashing trick: a seeded hash of the value picks one of `width` columns, set to ±1.
 *
 * @example
 * ```ts
 * const s: HashSpec = { type: 'hash', field: 'dstHost', width: 16 };
 * ```
 */
export interface HashSpec {
  readonly type: 'hash';
  readonly field: string;
  /** Number of columns (default 16, at most 4096). */
  readonly width?: number;
}

/**
 * Cyclic time: hour of day and day of week as sine and cosine (four columns).
 *
 * @example
 * ```ts
 * const s: CyclicSpec = { type: 'cyclic', field: 'time', utcOffsetMinutes: 60 };
 * ```
 */
export interface CyclicSpec {
  readonly type: 'cyclic';
  /** Field holding seconds since the Unix epoch (default: the pipeline's time field). */
  readonly field?: string;
  /** Local zone in minutes east of UTC (default: the pipeline's `utcOffsetMinutes`). */
  readonly utcOffsetMinutes?: number;
  /** IANA zone (e.g. `Europe/Berlin`, with daylight saving time); overrides the offsets when set. */
  readonly timeZone?: string;
}

/**
 * 1 when the value (one field) or pair of values (two fields, e.g. user → host) has never been seen
 * before in the stream (training events included), else 0. With `within`, 1 also on the later events of
 * the value or pair while they come within `within` seconds of its first event (e.g. everything an actor
 * does in a repository in the first hour after they first touched it).
 *
 * @example
 * ```ts
 * const s: FirstSeenSpec = { type: 'firstSeen', fields: ['user', 'dstHost'] };
 * const fresh: FirstSeenSpec = { type: 'firstSeen', fields: ['actor', 'repo'], within: 3600 };
 * ```
 */
export interface FirstSeenSpec {
  readonly type: 'firstSeen';
  readonly fields: readonly [string] | readonly [string, string];
  /** Seconds after the first event during which later events count as new too (default: none). */
  readonly within?: number;
  /**
   * A learning period in seconds (default: none): the flag is 1 only on events whose first field's value
   * (for a pair, e.g. the actor) — or, for one field, the stream — was first seen at least this long before,
   * so an entity's (or a new featurizer's) first hours do not call everything new.
   */
  readonly baseline?: number;
}

/**
 * How many items of a list-valued field (an array of names, e.g. the secrets passed to a workflow job) have
 * never been seen before with the event's entity value (e.g. the repository), in the stream (training
 * events included): one column, log(1 + n). The item-per-entity pairs are long-term stream state like
 * first-seen sets (saved, continued while scoring, bounded by `maxEntities` and `maxAgeSeconds`). A string
 * value counts as one item; repeats within one event count once.
 *
 * @example
 * ```ts
 * const s: NewItemsSpec = { type: 'newItems', entity: 'repo', field: 'secretNames' };
 * ```
 */
export interface NewItemsSpec {
  readonly type: 'newItems';
  /** The entity the items are new for (e.g. `repo`). */
  readonly entity: string;
  /** The list-valued field (e.g. `secretNames`). */
  readonly field: string;
  /** A learning period in seconds (default: none): items count as new only once the entity value has been seen this long. */
  readonly baseline?: number;
}

/**
 * Rarity from training frequencies (frozen at fit): one field gives −log((c(v)+α)/(N+α(K+1))); two fields
 * give the conditional −log((c(a,b)+α)/(c(a)+α(K_b+1))), "how unusual is b for this a".
 * With `stream: true` the counts are instead stream state, continued while scoring (as first-seen sets):
 * two fields give −log((c(a,b)+α)/(n(a)+α(K(a)+1))) over the entity's events so far, so a value new to
 * the entity is rare at first and usual once it keeps coming back.
 *
 * @example
 * ```ts
 * const s: RaritySpec = { type: 'rarity', fields: ['user', 'dstHost'] };
 * ```
 */
export interface RaritySpec {
  readonly type: 'rarity';
  readonly fields: readonly [string] | readonly [string, string];
  /** Additive smoothing α (default 1). */
  readonly alpha?: number;
  /** Count in the stream (continued while scoring) instead of freezing the training counts (default false). */
  readonly stream?: boolean;
}

/**
 * Count of an entity's events (and optionally distinct values of another field) in a sliding window
 * ending at the current event, as log(1 + n). Counts saturate at `capacity` events per entity.
 *
 * @example
 * ```ts
 * const s: WindowSpec = { type: 'window', entity: 'user', window: 'hour', distinct: 'dstHost' };
 * ```
 */
export interface WindowSpec {
  readonly type: 'window';
  readonly entity: string;
  /** `minute`, `hour`, `day` or a number of seconds. */
  readonly window: 'minute' | 'hour' | 'day' | number;
  /** Also count distinct values of this field in the window. */
  readonly distinct?: string;
  /** Events remembered per entity (default 256, at most 4096). */
  readonly capacity?: number;
}

/**
 * Exponentially decayed failure ratio of an entity (and log(1 + decayed failures)).
 *
 * @example
 * ```ts
 * const s: FailureRatioSpec = { type: 'failureRatio', entity: 'srcHost', outcome: 'success' };
 * ```
 */
export interface FailureRatioSpec {
  readonly type: 'failureRatio';
  readonly entity: string;
  /** Field that is true / "Success" for a success (default `success`). */
  readonly outcome?: string;
  /** Half-life in seconds (default 3600). */
  readonly halfLife?: number;
}

/**
 * Regularity of the gaps between an entity's events: coefficient of variation and median absolute
 * deviation ÷ median over the last `history` gaps (low = regular = scripted). Both are 1 (neutral) until
 * `minGaps` gaps are known, and clipped to [0, 10].
 *
 * @example
 * ```ts
 * const s: GapSpec = { type: 'gaps', entity: 'user', history: 16 };
 * ```
 */
export interface GapSpec {
  readonly type: 'gaps';
  readonly entity: string;
  /** Gaps remembered per entity (default 16, 2 … 256). */
  readonly history?: number;
  /** Gaps needed before the statistics are computed (default 3). */
  readonly minGaps?: number;
}

/**
 * Exponentially decayed event rate of an entity, as log(1 + decayed count).
 *
 * @example
 * ```ts
 * const s: DecaySpec = { type: 'decay', entity: 'dstHost', halfLife: 600 };
 * ```
 */
export interface DecaySpec {
  readonly type: 'decay';
  readonly entity: string;
  /** Half-life in seconds (default 600). */
  readonly halfLife?: number;
}

/**
 * How unusual the local hour (and hour × weekday/weekend) is *for this entity*: two columns, −log of the
 * entity's smoothed share of events in that hour of day and in that hour of a weekday or weekend day,
 * smoothed towards the population's profile by a prior of `prior` pseudo-events (so an entity with little
 * history reads like everyone). Each count spreads over its hour (½) and the neighbouring hours (¼ each).
 * The population profile is learned at fit and frozen; the per-entity counts persist from training into
 * scoring like first-seen sets (saved, bounded by the entity caps). Local time is the pipeline's zone unless
 * given here.
 *
 * @example
 * ```ts
 * const s: TemporalProfileSpec = { type: 'temporalProfile', entity: 'user' };
 * ```
 */
export interface TemporalProfileSpec {
  readonly type: 'temporalProfile';
  /** The entity whose profile is kept (e.g. `user`). */
  readonly entity: string;
  /** Weight of the population profile, in pseudo-events (default 10). */
  readonly prior?: number;
  /** Field holding seconds since the Unix epoch (default: the pipeline's time field). */
  readonly field?: string;
  /** Local zone in minutes east of UTC (default: the pipeline's `utcOffsetMinutes`). */
  readonly utcOffsetMinutes?: number;
  /** IANA zone (with daylight saving time); overrides the offsets when set. */
  readonly timeZone?: string;
}

/**
 * How unusual a value (destination, API call, repository) is among the entity's *peers*: at fit, entities
 * are clustered by what they use (seeded k-means over their usage shares) and each value's use is counted
 * per peer group; the column is −log of the smoothed share of the peers that used the value (entities
 * unseen at fit get the share of all entities). Learned at fit and frozen.
 *
 * @example
 * ```ts
 * const s: PeersSpec = { type: 'peers', fields: ['user', 'dstHost'] };
 * ```
 */
export interface PeersSpec {
  readonly type: 'peers';
  /** `[entity, value]`, e.g. `['user', 'dstHost']`. */
  readonly fields: readonly [string, string];
  /** Number of peer groups (default round(√(entities/2)) in [1, 64]). */
  readonly groups?: number;
  /** Weight of the all-entities share, in peers (default 1). */
  readonly prior?: number;
}

/**
 * Any building block of a pipeline.
 *
 * @example
 * ```ts
 * const blocks: BlockSpec[] = [{ type: 'cyclic' }, { type: 'onehot', field: 'action' }];
 * ```
 */
export type BlockSpec =
  | NumericSpec
  | OneHotSpec
  | HashSpec
  | CyclicSpec
  | FirstSeenSpec
  | NewItemsSpec
  | RaritySpec
  | WindowSpec
  | FailureRatioSpec
  | GapSpec
  | DecaySpec
  | TemporalProfileSpec
  | PeersSpec;

/**
 * Configuration of a {@link FeaturePipeline}: plain JSON, saved with the model.
 *
 * @example
 * ```ts
 * const config: PipelineConfig = {
 *   name: 'auth', seed: 7, labels: { dstHost: 'dst_computer' },
 *   blocks: [{ type: 'cyclic' }, { type: 'firstSeen', fields: ['user', 'dstHost'] }],
 * };
 * ```
 */
export interface PipelineConfig {
  /** A name for the pipeline (default `custom`). */
  readonly name?: string;
  /** The blocks, in column order. */
  readonly blocks: readonly BlockSpec[];
  /** Seed of the hashing trick (default 0). */
  readonly seed?: number;
  /** Field holding the event time in seconds (default `time`). */
  readonly timeField?: string;
  /** Zone of cyclic time features, in minutes east of UTC (default 0). */
  readonly utcOffsetMinutes?: number;
  /** IANA zone of cyclic time features (e.g. `America/New_York`); overrides `utcOffsetMinutes`. */
  readonly timeZone?: string;
  /** Display names of raw fields for column names and reasons, e.g. `{ dstHost: 'dst_computer' }`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Entities (or pairs) kept per stateful block (default 100000); beyond it the least recent are evicted. */
  readonly maxEntities?: number;
  /** Entities idle longer than this many seconds are evicted (default 30 days; `0` = never). */
  readonly maxAgeSeconds?: number;
}

/**
 * A feature column with the raw fields it came from. Compatible with core's `FeatureColumn`; `fields`
 * lists every raw field (by display name) involved, so a reason can quote their values from
 * `describe(event)`.
 *
 * @example
 * ```ts
 * const c: FeaturizerColumn = { name: 'user→dst_computer:first_seen', field: 'user→dst_computer',
 *   kind: 'flag', fields: ['user', 'dst_computer'], block: 4, description: 'first seen' };
 * ```
 */
export interface FeaturizerColumn extends FeatureColumn {
  /** The raw fields involved, by display name (one, or two for relations). */
  readonly fields: readonly string[];
  /** Index of the block that made the column. */
  readonly block: number;
}

function fail(api: string, what: string, expected: string, got: unknown): never {
  throw new ParameterError(message(api, what, expected, JSON.stringify(got) ?? String(got)));
}

function checkField(api: string, name: string, v: unknown): void {
  if (typeof v !== 'string' || v === '' || v.length > 200)
    fail(api, `${name} must be a non-empty field name`, 'a string', v);
  if (v === '__proto__' || v === 'constructor' || v === 'prototype')
    fail(api, `${name} is a reserved name`, 'a field name', v);
}

function checkInt(api: string, name: string, v: unknown, lo: number, hi: number): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    fail(api, `${name} must be an integer in [${lo}, ${hi}]`, `${lo} … ${hi}`, v);
}

function checkPositive(api: string, name: string, v: unknown): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
    fail(api, `${name} must be a positive number`, '> 0', v);
}

function checkZone(api: string, v: unknown): void {
  if (v === undefined) return;
  if (typeof v !== 'string' || v.length > 100 || !isTimeZone(v))
    fail(api, 'timeZone must be an IANA time zone name', "e.g. 'Europe/Berlin'", v);
}

function checkFields(api: string, v: unknown): void {
  if (!Array.isArray(v) || (v.length !== 1 && v.length !== 2))
    fail(api, 'fields must list one or two fields', '[a] or [a, b]', v);
  for (const f of v as unknown[]) checkField(api, 'fields[]', f);
}

/** Every option of each block type, beside `type` (an option outside its list is refused). */
const BLOCK_KEYS: {
  readonly [T in BlockSpec['type']]: readonly Exclude<keyof Extract<BlockSpec, { type: T }>, 'type'>[];
} = {
  numeric: ['field', 'transform', 'clip'],
  onehot: ['field', 'maxCategories', 'minCount'],
  hash: ['field', 'width'],
  cyclic: ['field', 'utcOffsetMinutes', 'timeZone'],
  firstSeen: ['fields', 'within', 'baseline'],
  newItems: ['entity', 'field', 'baseline'],
  rarity: ['fields', 'alpha', 'stream'],
  window: ['entity', 'window', 'distinct', 'capacity'],
  failureRatio: ['entity', 'outcome', 'halfLife'],
  gaps: ['entity', 'history', 'minGaps'],
  decay: ['entity', 'halfLife'],
  temporalProfile: ['entity', 'field', 'prior', 'utcOffsetMinutes', 'timeZone'],
  peers: ['fields', 'groups', 'prior'],
};

/** Every option of a pipeline config. */
const CONFIG_KEYS: readonly (keyof PipelineConfig)[] = [
  'name',
  'blocks',
  'seed',
  'timeField',
  'utcOffsetMinutes',
  'timeZone',
  'labels',
  'maxEntities',
  'maxAgeSeconds',
];

/**
 * Refuses an option the library does not know: a config (or a saved featurizer) written for a later
 * version, or with a misspelt option, would otherwise run without it — a silently different featurizer.
 */
function checkKeys(where: string, o: Record<string, unknown>, known: readonly string[], skip?: string): void {
  for (const k of Object.keys(o)) {
    if (k !== skip && !known.includes(k)) {
      fail(where, `unknown option ${JSON.stringify(k)}`, `one of ${known.join(', ')}`, k);
    }
  }
}

/**
 * Checks a pipeline configuration (from code or from saved JSON); throws `ParameterError` naming the
 * first problem.
 *
 * @example
 * ```ts
 * checkConfig({ blocks: [{ type: 'hash', field: 'user', width: 0 }] }); // throws: width must be …
 * ```
 */
export function checkConfig(config: unknown, api = 'FeaturePipeline'): asserts config is PipelineConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    fail(api, 'config must be an object', 'an object', config);
  const c = config as Record<string, unknown>;
  checkKeys(api, c, CONFIG_KEYS);
  if (c.name !== undefined && (typeof c.name !== 'string' || c.name.length > 200))
    fail(api, 'name must be a string', 'a string', c.name);
  if (!Array.isArray(c.blocks) || c.blocks.length === 0 || c.blocks.length > 1000)
    fail(api, 'blocks must be a non-empty array (at most 1000)', 'an array of block specs', c.blocks);
  if (c.seed !== undefined && (typeof c.seed !== 'number' || !Number.isInteger(c.seed)))
    fail(api, 'seed must be an integer', 'an integer', c.seed);
  if (c.timeField !== undefined) checkField(api, 'timeField', c.timeField);
  checkInt(api, 'utcOffsetMinutes', c.utcOffsetMinutes, -1080, 1080);
  checkZone(api, c.timeZone);
  checkInt(api, 'maxEntities', c.maxEntities, 1, 10_000_000);
  if (c.maxAgeSeconds !== undefined && (typeof c.maxAgeSeconds !== 'number' || !(c.maxAgeSeconds >= 0)))
    fail(api, 'maxAgeSeconds must be a non-negative number', '≥ 0 (0 = never)', c.maxAgeSeconds);
  if (c.labels !== undefined) {
    if (c.labels === null || typeof c.labels !== 'object' || Array.isArray(c.labels))
      fail(api, 'labels must be an object', 'field → name', c.labels);
    for (const [k, v] of Object.entries(c.labels as Record<string, unknown>)) {
      checkField(api, 'labels key', k);
      checkField(api, `labels.${k}`, v);
    }
  }
  (c.blocks as unknown[]).forEach((b, i) => {
    const where = `${api}: blocks[${i}]`;
    if (b === null || typeof b !== 'object' || Array.isArray(b))
      fail(where, 'block must be an object', 'a block spec', b);
    const s = b as Record<string, unknown>;
    if (typeof s.type === 'string' && Object.hasOwn(BLOCK_KEYS, s.type)) {
      checkKeys(where, s, BLOCK_KEYS[s.type as BlockSpec['type']], 'type');
    }
    switch (s.type) {
      case 'numeric':
        checkField(where, 'field', s.field);
        if (s.transform !== undefined && s.transform !== 'none' && s.transform !== 'log1p')
          fail(where, 'unknown transform', "'none' or 'log1p'", s.transform);
        if (s.clip !== undefined) {
          const cl = s.clip as unknown[];
          if (
            !Array.isArray(cl) ||
            cl.length !== 2 ||
            !cl.every((x) => typeof x === 'number' && Number.isFinite(x)) ||
            (cl[0] as number) > (cl[1] as number)
          )
            fail(where, 'clip must be [lo, hi] with lo ≤ hi', '[number, number]', s.clip);
        }
        break;
      case 'onehot':
        checkField(where, 'field', s.field);
        checkInt(where, 'maxCategories', s.maxCategories, 1, 10_000);
        checkInt(where, 'minCount', s.minCount, 1, Number.MAX_SAFE_INTEGER);
        break;
      case 'hash':
        checkField(where, 'field', s.field);
        checkInt(where, 'width', s.width, 1, 4096);
        break;
      case 'cyclic':
        if (s.field !== undefined) checkField(where, 'field', s.field);
        checkInt(where, 'utcOffsetMinutes', s.utcOffsetMinutes, -1080, 1080);
        checkZone(where, s.timeZone);
        break;
      case 'firstSeen':
        checkFields(where, s.fields);
        checkPositive(where, 'within', s.within);
        checkPositive(where, 'baseline', s.baseline);
        break;
      case 'newItems':
        checkField(where, 'entity', s.entity);
        checkField(where, 'field', s.field);
        checkPositive(where, 'baseline', s.baseline);
        break;
      case 'rarity':
        checkFields(where, s.fields);
        checkPositive(where, 'alpha', s.alpha);
        if (s.stream !== undefined && typeof s.stream !== 'boolean')
          fail(where, 'stream must be a boolean', 'true or false', s.stream);
        break;
      case 'window':
        checkField(where, 'entity', s.entity);
        if (
          !(
            s.window === 'minute' ||
            s.window === 'hour' ||
            s.window === 'day' ||
            (typeof s.window === 'number' && Number.isFinite(s.window) && s.window > 0)
          )
        )
          fail(
            where,
            'window must be minute, hour, day or a positive number of seconds',
            "'minute' | 'hour' | 'day' | seconds",
            s.window,
          );
        if (s.distinct !== undefined) checkField(where, 'distinct', s.distinct);
        checkInt(where, 'capacity', s.capacity, 1, 4096);
        break;
      case 'failureRatio':
        checkField(where, 'entity', s.entity);
        if (s.outcome !== undefined) checkField(where, 'outcome', s.outcome);
        checkPositive(where, 'halfLife', s.halfLife);
        break;
      case 'gaps':
        checkField(where, 'entity', s.entity);
        checkInt(where, 'history', s.history, 2, 256);
        checkInt(where, 'minGaps', s.minGaps, 2, 256);
        break;
      case 'decay':
        checkField(where, 'entity', s.entity);
        checkPositive(where, 'halfLife', s.halfLife);
        break;
      case 'temporalProfile':
        checkField(where, 'entity', s.entity);
        if (s.field !== undefined) checkField(where, 'field', s.field);
        checkPositive(where, 'prior', s.prior);
        checkInt(where, 'utcOffsetMinutes', s.utcOffsetMinutes, -1080, 1080);
        checkZone(where, s.timeZone);
        break;
      case 'peers':
        if (!Array.isArray(s.fields) || s.fields.length !== 2)
          fail(where, 'fields must list two fields', '[entity, value]', s.fields);
        for (const f of s.fields as unknown[]) checkField(where, 'fields[]', f);
        checkInt(where, 'groups', s.groups, 1, 64);
        checkPositive(where, 'prior', s.prior);
        break;
      default:
        fail(
          where,
          'unknown block type',
          'numeric, onehot, hash, cyclic, firstSeen, newItems, rarity, window, failureRatio, gaps, decay, temporalProfile or peers',
          s.type,
        );
    }
  });
}
