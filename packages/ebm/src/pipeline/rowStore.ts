/**
 * Where training in passes keeps feature rows between passes: written once while the events are
 * featurized, then read back block by block as often as the scaler, the model and the calibration need.
 * {@link memoryRowStore} keeps them in memory (8 bytes per value — far less than the events they came
 * from); `fileRowStore` of `@nexus/ebm/node` keeps them in a temporary file, so memory stays bounded.
 *
 * @module
 */
import { Matrix, message, ParameterError, type RowSource, ShapeError } from '@nexus/ebm-core';
import { describeValue } from '@nexus/ebm-core/extend';

/**
 * Feature rows written once and read back in passes of fixed-size blocks.
 *
 * @example
 * ```ts
 * const store = memoryRowStore(X.cols);
 * store.append(X.data, X.rows);
 * for (const block of store.source(4096).blocks()) use(block);
 * store.dispose();
 * ```
 */
export interface RowStore {
  /** Columns of every row. */
  readonly cols: number;
  /** Rows appended so far. */
  readonly rows: number;
  /** Appends `rows` rows (row-major, `rows × cols` values; copied). */
  append(data: Float64Array, rows: number): void;
  /**
   * The rows as a {@link RowSource} of blocks of `blockRows` rows (the last may be shorter), whatever
   * the sizes they were appended in. A block is valid until the next one is read: copy what you keep.
   */
  source(blockRows: number): RowSource;
  /** Frees the rows (a file store deletes its file); the store is unusable afterwards. */
  dispose(): void;
}

/**
 * Makes a {@link RowStore} for rows of `cols` columns.
 */
export type RowStoreFactory = (cols: number) => RowStore;

/**
 * Checks the arguments of {@link RowStore.append} (shared by the stores).
 *
 * @example
 * ```ts
 * checkAppend('memoryRowStore', 3, data, rows);
 * ```
 */
export function checkAppend(api: string, cols: number, data: Float64Array, rows: number): void {
  if (!(data instanceof Float64Array)) {
    throw new ShapeError(message(api, 'rows must be a Float64Array', 'a Float64Array', describeValue(data)));
  }
  if (!Number.isInteger(rows) || rows < 0 || data.length < rows * cols) {
    throw new ShapeError(
      message(
        api,
        'the row count does not fit the data',
        `at most ${Math.floor(data.length / cols)} rows`,
        describeValue(rows),
      ),
    );
  }
}

/**
 * Checks `blockRows` of {@link RowStore.source}.
 *
 * @example
 * ```ts
 * checkBlockRows('memoryRowStore', 4096);
 * ```
 */
export function checkBlockRows(api: string, blockRows: number): void {
  if (!Number.isInteger(blockRows) || blockRows < 1) {
    throw new ParameterError(
      message(api, 'blockRows must be a positive integer', 'an integer ≥ 1', describeValue(blockRows)),
    );
  }
}

/**
 * A {@link RowStore} in memory: the appended rows are copied into chunks and re-cut into blocks when read.
 *
 * @param cols - columns of every row.
 * @example
 * ```ts
 * trainPipelineStream(passes, { format: 'lanl', rowStore: memoryRowStore });
 * ```
 */
export function memoryRowStore(cols: number): RowStore {
  const api = 'memoryRowStore';
  if (!Number.isInteger(cols) || cols < 1) {
    throw new ParameterError(
      message(api, 'cols must be a positive integer', 'an integer ≥ 1', describeValue(cols)),
    );
  }
  let chunks: Float64Array[] = [];
  let rows = 0;
  return {
    cols,
    get rows(): number {
      return rows;
    },
    append(data: Float64Array, n: number): void {
      checkAppend(api, cols, data, n);
      if (n === 0) return;
      chunks.push(data.slice(0, n * cols));
      rows += n;
    },
    source(blockRows: number): RowSource {
      checkBlockRows(api, blockRows);
      const parts = chunks;
      const total = rows;
      return {
        cols,
        *blocks(): Iterable<Matrix> {
          const buf = new Float64Array(Math.min(blockRows, Math.max(1, total)) * cols);
          let fill = 0;
          for (const part of parts) {
            let at = 0;
            while (at < part.length) {
              const take = Math.min(part.length - at, buf.length - fill);
              buf.set(part.subarray(at, at + take), fill);
              fill += take;
              at += take;
              if (fill === buf.length) {
                yield new Matrix(fill / cols, cols, buf.subarray(0, fill));
                fill = 0;
              }
            }
          }
          if (fill > 0) yield new Matrix(fill / cols, cols, buf.subarray(0, fill));
        },
      };
    },
    dispose(): void {
      chunks = [];
      rows = 0;
    },
  };
}
