import { describeValue, message, ParameterError, ShapeError } from '../errors.js';
import { Matrix } from '../matrix/Matrix.js';
import { Rng } from './Rng.js';

/**
 * A seeded uniform sample of `capacity` rows from a stream of rows of unknown length, in memory of the
 * sample's size (reservoir sampling, Vitter's Algorithm R): the first `capacity` rows fill the reservoir;
 * row i after them (0-based) replaces a uniformly chosen slot with probability capacity/(i + 1). One draw
 * per row in stream order, so the sample depends on the seed and the rows only, never on how the stream
 * was cut into blocks; with no more rows than `capacity` the sample is every row.
 *
 * @example
 * ```ts
 * const r = new RowReservoir(10_000, X.cols, 1);
 * for (const block of blocks) r.add(block);
 * const sample = r.sample(); // ≤ 10,000 rows, in stream order
 * ```
 */
export class RowReservoir {
  /** Rows kept at most. */
  readonly capacity: number;
  /** Columns of every row. */
  readonly cols: number;
  private readonly rng: Rng;
  private data: Float64Array;
  /** Stream index of the row in each slot. */
  private index: Float64Array;
  private n = 0;

  /**
   * @param capacity - rows kept at most (≥ 1).
   * @param cols - columns of every row (≥ 1).
   * @param seed - seed of the replacement draws.
   */
  constructor(capacity: number, cols: number, seed: number | string) {
    const api = 'RowReservoir';
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new ParameterError(
        message(api, 'capacity must be a positive integer', 'an integer ≥ 1', describeValue(capacity)),
      );
    }
    if (!Number.isInteger(cols) || cols < 1) {
      throw new ParameterError(
        message(api, 'cols must be a positive integer', 'an integer ≥ 1', describeValue(cols)),
      );
    }
    this.capacity = capacity;
    this.cols = cols;
    this.rng = new Rng(seed);
    // Grown as rows come, so a short stream does not pay for the full capacity.
    this.data = new Float64Array(Math.min(capacity, 1024) * cols);
    this.index = new Float64Array(Math.min(capacity, 1024));
  }

  /** Rows offered so far. */
  get seen(): number {
    return this.n;
  }

  /**
   * Offers the rows of a block, in order.
   *
   * @example
   * ```ts
   * reservoir.add(block);
   * ```
   */
  add(block: Matrix): void {
    if (block.cols !== this.cols) {
      throw new ShapeError(
        message('RowReservoir.add', 'the block has the wrong width', `${this.cols} columns`, `${block.cols}`),
      );
    }
    const { capacity: k, cols: d } = this;
    const src = block.data;
    for (let i = 0; i < block.rows; i++, this.n++) {
      let slot = this.n;
      if (slot >= k) {
        slot = this.rng.int(this.n + 1);
        if (slot >= k) continue;
      } else if (slot >= this.index.length) this.grow();
      this.data.set(src.subarray(i * d, (i + 1) * d), slot * d);
      this.index[slot] = this.n;
    }
  }

  /**
   * The sampled rows in stream order (a new matrix of min(capacity, seen) rows).
   *
   * @example
   * ```ts
   * const { sample, rows } = { sample: reservoir.sample(), rows: reservoir.rowIndices() };
   * ```
   */
  sample(): Matrix {
    const order = this.order();
    const d = this.cols;
    const out = new Matrix(order.length, d);
    order.forEach((slot, r) => {
      out.data.set(this.data.subarray(slot * d, (slot + 1) * d), r * d);
    });
    return out;
  }

  /**
   * The stream indices of the sampled rows, ascending (row r of {@link RowReservoir.sample} is row
   * `rowIndices()[r]` of the stream).
   *
   * @example
   * ```ts
   * reservoir.rowIndices(); // Float64Array [0, 17, 40, …]
   * ```
   */
  rowIndices(): Float64Array {
    return Float64Array.from(this.order(), (slot) => this.index[slot] as number);
  }

  private grow(): void {
    const slots = Math.min(this.capacity, 2 * this.index.length);
    const data = new Float64Array(slots * this.cols);
    data.set(this.data);
    this.data = data;
    const index = new Float64Array(slots);
    index.set(this.index);
    this.index = index;
  }

  private order(): number[] {
    const m = Math.min(this.n, this.capacity);
    return Array.from({ length: m }, (_, s) => s).sort(
      (a, b) => (this.index[a] as number) - (this.index[b] as number),
    );
  }
}
