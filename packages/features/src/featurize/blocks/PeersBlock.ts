/**
 * How unusual a value (a destination host, an API call, a repository) is among the entity's peers: the
 * entities that use the same things. At fit, entities are clustered by what they use and each value's use
 * is counted per peer group; the column is −log of the smoothed share of the entity's peers that used the
 * value, so a user's first visit to a host their peers use often is mild and a host no peer uses is not.
 *
 * - Embedding: an entity's usage shares over the most widely used values (at most 256), square-rooted
 *   (the Hellinger embedding, so Euclidean distance compares usage distributions); entities beyond the
 *   entity cap (the least active) are left out of the clustering and read as having no peer group.
 * - Groups: seeded k-means (core's `kMeans`) with k = `groups`, default round(√(E/2)) clamped to [1, 64]
 *   for E clustered entities (the usual rule of thumb, fixed in advance, not tuned).
 * - Share: with u(g, v) entities of group g (size S) that used v, and q(v) = (U(v) + 1)/(E + 2) the
 *   Laplace-smoothed share of all entities that used v, p = (u(g, v) + m·q(v))/(S + m); an entity without
 *   a group (new since fit) gets p = q(v).
 *
 * Learned state, frozen at fit (like rarity) and saved with the pipeline.
 *
 * @module
 */
import { kMeans, Matrix } from '@nexus/ebm-core';
import type { FeaturizerColumn, PeersSpec } from '../spec.js';
import {
  Block,
  type BlockContext,
  type BlockState,
  type FieldHasher,
  grow,
  percent,
  strValue,
} from './Block.js';
import { CountTable } from './CountTable.js';
import { checkInts, relationFields, relationLabel, valueKey } from './relation.js';

/** Values (columns) of the clustering embedding. */
const EMBED_VALUES = 128;
/** Entities the k-means centres are fitted on (the most active); the others join their nearest centre. */
const KMEANS_ROWS = 4096;
const FIT_CAPACITY = 1 << 30;
/** Largest number of peer groups. */
export const MAX_PEER_GROUPS = 64;

/**
 * The default number of peer groups for `entities` clustered entities: round(√(E/2)) in [1, 64].
 *
 * @example
 * ```ts
 * defaultPeerGroups(66); // 6
 * ```
 */
export function defaultPeerGroups(entities: number): number {
  return Math.max(1, Math.min(MAX_PEER_GROUPS, Math.round(Math.sqrt(entities / 2))));
}

interface FitState {
  readonly entityId: Map<string, number>;
  readonly valueId: Map<string, number>;
  readonly values: string[];
  readonly entities: string[];
  /** Per entity: value id → count. */
  readonly uses: Map<number, number>[];
}

export class PeersBlock extends Block {
  private readonly a: string;
  private readonly b: string;
  private readonly groupsOption: number | undefined;
  private readonly prior: number;
  private readonly ha: FieldHasher;
  private readonly hb: FieldHasher;
  private readonly key = new Int32Array(2);
  private fitState: FitState | undefined;
  /** Entity → group index + 1. */
  private groupOf = new CountTable(1);
  /** (group, value) → entities of the group that used the value. */
  private groupUse = new CountTable(1);
  /** Value → entities that used it. */
  private use = new CountTable(1);
  private sizes: number[] = [];
  private clustered = 0;

  constructor(ctx: BlockContext, s: PeersSpec) {
    super(ctx);
    this.a = s.fields[0];
    this.b = s.fields[1];
    this.groupsOption = s.groups;
    this.prior = s.prior ?? 1;
    this.ha = ctx.hasher(this.a);
    this.hb = ctx.hasher(this.b);
  }

  get width(): number {
    return 1;
  }

  rawFields(): string[] {
    return [this.a, this.b];
  }

  columns(): FeaturizerColumn[] {
    const r = relationLabel(this.ctx, this.a, this.b);
    return [
      this.col(
        `${r}:peer_rarity`,
        r,
        'rarity',
        relationFields(this.ctx, this.a, this.b),
        `unusual among the peers of this ${this.ctx.label(this.a)}`,
      ),
    ];
  }

  override observe(e: object): void {
    if (this.fitState === undefined)
      this.fitState = { entityId: new Map(), valueId: new Map(), values: [], entities: [], uses: [] };
    const f = this.fitState;
    const ea = strValue(e, this.a);
    const vb = strValue(e, this.b);
    let ei = f.entityId.get(ea);
    if (ei === undefined) {
      ei = f.entities.length;
      f.entityId.set(ea, ei);
      f.entities.push(ea);
      f.uses.push(new Map());
    }
    let vi = f.valueId.get(vb);
    if (vi === undefined) {
      vi = f.values.length;
      f.valueId.set(vb, vi);
      f.values.push(vb);
    }
    const m = f.uses[ei] as Map<number, number>;
    m.set(vi, (m.get(vi) ?? 0) + 1);
  }

  override finishFit(): void {
    const f = this.fitState;
    this.fitState = undefined;
    const cap = this.ctx.maxEntities;
    if (f === undefined) return;
    // The most active entities within the cap (ties: first seen first).
    const totals = f.uses.map((m) => {
      let n = 0;
      for (const c of m.values()) n += c;
      return n;
    });
    const kept = f.entities.map((_, i) => i);
    kept.sort((x, y) => (totals[y] as number) - (totals[x] as number) || x - y);
    kept.length = Math.min(kept.length, cap);
    kept.sort((x, y) => x - y);
    const E = kept.length;
    // Value use counts over the clustered entities.
    const usedBy = new Float64Array(f.values.length);
    for (const i of kept)
      for (const v of (f.uses[i] as Map<number, number>).keys()) usedBy[v] = (usedBy[v] as number) + 1;
    const dims = Array.from(usedBy.keys())
      .filter((v) => (usedBy[v] as number) > 0)
      .sort((x, y) => (usedBy[y] as number) - (usedBy[x] as number) || x - y)
      .slice(0, EMBED_VALUES);
    const dimOf = new Map(dims.map((v, j) => [v, j]));
    const X = new Matrix(Math.max(E, 1), Math.max(dims.length, 1));
    kept.forEach((i, r) => {
      const n = totals[i] as number;
      for (const [v, c] of f.uses[i] as Map<number, number>) {
        const j = dimOf.get(v);
        if (j !== undefined) X.data[r * X.cols + j] = Math.sqrt(c / n);
      }
    });
    const k = Math.min(this.groupsOption ?? defaultPeerGroups(E), Math.max(E, 1));
    const labels = clusterRows(
      X,
      E,
      k,
      this.ctx.seed,
      kept.map((i) => totals[i] as number),
    );
    const sizes = new Array<number>(k).fill(0);
    const groupOf = new CountTable(Math.max(1, cap));
    const groupUse = new CountTable(FIT_CAPACITY);
    const use = new CountTable(FIT_CAPACITY);
    const key = this.key;
    kept.forEach((i, r) => {
      const g = labels[r] as number;
      sizes[g] = (sizes[g] as number) + 1;
      valueKey(f.entities[i] as string, undefined, key);
      const s = groupOf.table.slotOf(key[0] as number, key[1] as number, 0);
      if (s >= groupOf.counts.length) groupOf.counts = grow(groupOf.counts, groupOf.table.slotCount);
      groupOf.counts[s] = g + 1;
      for (const v of (f.uses[i] as Map<number, number>).keys()) {
        const value = f.values[v] as string;
        valueKey(String(g), value, key);
        groupUse.add(key[0] as number, key[1] as number);
        valueKey(value, undefined, key);
        use.add(key[0] as number, key[1] as number);
      }
    });
    this.groupOf = groupOf;
    // Keep the most used entries within the cap; pruned ones read as unused.
    this.groupUse = groupUse.pruned(cap);
    this.use = use.pruned(cap);
    this.sizes = sizes;
    this.clustered = E;
  }

  override resetAll(): void {
    this.fitState = undefined;
    this.groupOf = new CountTable(1);
    this.groupUse = new CountTable(1);
    this.use = new CountTable(1);
    this.sizes = [];
    this.clustered = 0;
  }

  /**
   * The share p of the event (see the module description) and its parts. `memo`: use the per-event hash
   * memo (while writing); else hash the values directly (the memo holds the last written event).
   */
  private share(
    e: object,
    memo: boolean,
  ): { p: number; group: number; used: number; size: number; usedAll: number } {
    const k = this.key;
    const vb = strValue(e, this.b);
    let a1: number;
    let a2: number;
    let b1: number;
    let b2: number;
    if (memo) {
      this.ha.of(e);
      this.hb.of(e);
      a1 = this.ha.k1;
      a2 = this.ha.k2;
      b1 = this.hb.k1;
      b2 = this.hb.k2;
    } else {
      valueKey(strValue(e, this.a), undefined, k);
      a1 = k[0] as number;
      a2 = k[1] as number;
      valueKey(vb, undefined, k);
      b1 = k[0] as number;
      b2 = k[1] as number;
    }
    const U = this.use.get(b1, b2);
    const q = (U + 1) / (this.clustered + 2);
    const g = this.groupOf.get(a1, a2) - 1;
    if (g < 0) return { p: q, group: -1, used: 0, size: 0, usedAll: U };
    valueKey(String(g), vb, k);
    const u = this.groupUse.get(k[0] as number, k[1] as number);
    const size = this.sizes[g] as number;
    return { p: (u + this.prior * q) / (size + this.prior), group: g, used: u, size, usedAll: U };
  }

  write(e: object, _t: number, out: Float64Array, off: number): void {
    out[off] = -Math.log(this.share(e, true).p);
  }

  override saveState(): BlockState {
    const g = this.groupOf.save();
    const gu = this.groupUse.save();
    const u = this.use.save();
    return {
      sizes: this.sizes.slice(),
      clustered: this.clustered,
      groupK1: g.k1,
      groupK2: g.k2,
      group: g.counts.map((x) => x - 1),
      groupUseK1: gu.k1,
      groupUseK2: gu.k2,
      groupUse: gu.counts,
      useK1: u.k1,
      useK2: u.k2,
      use: u.counts,
    };
  }

  override loadState(s: BlockState): void {
    const cap = this.ctx.maxEntities;
    if (!Array.isArray(s.sizes) || s.sizes.length > MAX_PEER_GROUPS)
      throw new TypeError(`peers sizes must be an array of at most ${MAX_PEER_GROUPS} numbers`);
    const sizes = checkInts(s.sizes, 'peers sizes', s.sizes.length);
    const [clustered] = checkInts([s.clustered], 'peers clustered', 1) as [number];
    if (sizes.some((x) => x < 0) || clustered < 0 || sizes.reduce((a, b) => a + b, 0) !== clustered)
      throw new TypeError('peers sizes must be non-negative and add up to clustered');
    const groups = CountTable.load(
      s.groupK1,
      s.groupK2,
      s.group,
      'peers group',
      cap,
      Math.max(0, sizes.length - 1),
    );
    // Stored as group + 1 so that 0 reads as "no group".
    groups.table.each((_a, _b, slot) => {
      groups.counts[slot] = (groups.counts[slot] as number) + 1;
    });
    this.groupOf = groups;
    this.groupUse = CountTable.load(s.groupUseK1, s.groupUseK2, s.groupUse, 'peers groupUse', cap, clustered);
    this.use = CountTable.load(s.useK1, s.useK2, s.use, 'peers use', cap, clustered);
    this.sizes = sizes;
    this.clustered = clustered;
  }

  /** E.g. `dst_computer C1003 is used by 0 of the 12 users in user U12's peer group (2 % of all users)`. */
  reason(_j: number, e: object): string {
    const s = this.share(e, false);
    const la = this.ctx.label(this.a);
    const what = `${this.ctx.label(this.b)} ${this.show(e, this.b)}`;
    const all = `${percent(s.usedAll / Math.max(1, this.clustered))} of all ${la}s`;
    if (s.group < 0)
      return `${what} is unusual for ${la} ${this.show(e, this.a)} (no peer group; used by ${all})`;
    return `${what} is used by ${s.used} of the ${s.size} ${la}s in ${la} ${this.show(e, this.a)}'s peer group (${all})`;
  }
}

/**
 * Peer-group labels of the first `n` rows of X: k-means centres fitted on the `KMEANS_ROWS` rows of
 * largest `weight` (ties: lower index), then every row joins its nearest centre.
 */
function clusterRows(X: Matrix, n: number, k: number, seed: number, weight: readonly number[]): Int32Array {
  if (n === 0) return new Int32Array(0);
  const d = X.cols;
  let sample = Array.from({ length: n }, (_, i) => i);
  if (n > KMEANS_ROWS) {
    sample.sort((a, b) => (weight[b] as number) - (weight[a] as number) || a - b);
    sample = sample.slice(0, KMEANS_ROWS).sort((a, b) => a - b);
  }
  const fitted = kMeans(n > KMEANS_ROWS ? X.selectRows(sample) : X, k, { seed, maxIter: 30 });
  if (n <= KMEANS_ROWS) return fitted.labels;
  const c = fitted.centres.data;
  const kk = fitted.centres.rows;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bd = Number.POSITIVE_INFINITY;
    for (let j = 0; j < kk; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = (X.data[i * d + t] as number) - (c[j * d + t] as number);
        s += v * v;
      }
      if (s < bd) {
        bd = s;
        best = j;
      }
    }
    labels[i] = best;
  }
  return labels;
}
