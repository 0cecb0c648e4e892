/** Fewest rows per block once a batch is large enough (smaller blocks cost more claims than they balance). */
export const MIN_BLOCK_ROWS = 1024;
/** Most blocks per worker: enough for a worker slowed by the machine to claim fewer, few enough to stay cheap. */
export const MAX_BLOCKS_PER_WORKER = 16;

/** How {@link scoringBlocks} splits a batch. */
export interface ScoringBlocks {
  /** Rows per block (the last block may be shorter). */
  readonly block: number;
  /** Number of blocks: ⌈rows ÷ block⌉. */
  readonly count: number;
}

/**
 * Splits `rows` rows for `workers` workers that claim blocks in turn: a multiple of `workers` blocks of
 * near-equal size (between 1 and {@link MAX_BLOCKS_PER_WORKER} per worker, each of at least
 * {@link MIN_BLOCK_ROWS} rows when the batch allows), so that equally fast workers finish together. A
 * fixed block size does not: 20,000 rows in blocks of 4,096 are five blocks, three for one worker and two for
 * the other, and 2 workers could never be more than 1.69× one. O(1).
 *
 * @param rows - rows in the batch (≥ 1).
 * @param workers - workers claiming blocks (≥ 1).
 * @internal
 */
export function scoringBlocks(rows: number, workers: number): ScoringBlocks {
  const perWorker = Math.max(
    1,
    Math.min(MAX_BLOCKS_PER_WORKER, Math.floor(rows / (workers * MIN_BLOCK_ROWS))),
  );
  const block = Math.max(1, Math.ceil(rows / (workers * perWorker)));
  return { block, count: Math.ceil(rows / block) };
}
