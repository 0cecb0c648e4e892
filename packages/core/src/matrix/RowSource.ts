import { describeValue, message, ParameterError, ShapeError } from '../errors.js';
import { Matrix } from './Matrix.js';
import { checkFiniteRows } from './toMatrix.js';

/**
 * Rows that can be read again and again, block by block, without holding them all in memory (a file of
 * feature rows, a table in a database): what a fit in passes reads. Every call of `blocks()` starts a new
 * pass over the same rows in the same order; the blocks of a pass are consecutive and together hold every
 * row once. A block is valid until the next one is requested (a source may reuse its buffer): copy what
 * you keep. Block sizes are the source's choice, so a result that must not depend on how the rows were
 * delivered should not depend on them either (the sources of this library cut fixed-size blocks).
 *
 * @example
 * ```ts
 * const rows: RowSource = matrixRows(X, 4096);
 * for (const block of rows.blocks()) use(block);
 * ```
 */
export interface RowSource {
  /** Columns of every row. */
  readonly cols: number;
  /** Starts a pass over every row. */
  blocks(): Iterable<Matrix>;
}

/**
 * A {@link RowSource} over a matrix in memory, in blocks of `blockRows` rows (views, not copies).
 *
 * @param X - the rows.
 * @param blockRows - rows per block (the last block may be shorter); default all rows in one block.
 * @example
 * ```ts
 * new GaussianDensity().fitStream(matrixRows(X, 1024));
 * ```
 */
export function matrixRows(X: Matrix, blockRows: number = Math.max(1, X.rows)): RowSource {
  if (!Matrix.isMatrix(X)) {
    throw new ShapeError(message('matrixRows', 'X must be a Matrix', 'a Matrix', describeValue(X)));
  }
  if (!Number.isInteger(blockRows) || blockRows < 1) {
    throw new ParameterError(
      message(
        'matrixRows',
        'blockRows must be a positive integer',
        'an integer ≥ 1',
        describeValue(blockRows),
      ),
    );
  }
  const { rows, cols, data } = X;
  return {
    cols,
    *blocks(): Iterable<Matrix> {
      for (let r = 0; r < rows; r += blockRows) {
        const n = Math.min(blockRows, rows - r);
        yield new Matrix(n, cols, data.subarray(r * cols, (r + n) * cols));
      }
    },
  };
}

/**
 * One pass over a {@link RowSource} with every block checked: a `Matrix` of the source's width, finite
 * values (`ValueError` naming the row of the whole pass and the column). Yields each block with the index
 * of its first row.
 *
 * @example
 * ```ts
 * for (const { block, first } of checkedBlocks(rows, 'MyModel.fitStream')) use(block, first);
 * ```
 */
export function* checkedBlocks(
  source: RowSource,
  api: string,
): Generator<{ readonly block: Matrix; readonly first: number }> {
  let first = 0;
  for (const block of source.blocks()) {
    if (!Matrix.isMatrix(block)) {
      throw new ShapeError(message(api, 'a row block is not a Matrix', 'a Matrix', describeValue(block)));
    }
    if (block.cols !== source.cols) {
      throw new ShapeError(
        message(
          api,
          `the block at row ${first} has the wrong width`,
          `${source.cols} columns`,
          `${block.cols}`,
        ),
      );
    }
    checkFiniteRows(block, api, 0, block.rows, first);
    yield { block, first };
    first += block.rows;
  }
}
