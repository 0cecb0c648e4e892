/**
 * A row store in a temporary file (Node only): what keeps `ebm train`'s memory bounded however many
 * events it reads. Disk use is 8 bytes per value (the rows × columns of the training events).
 *
 * @module
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matrix, message, ParameterError, type RowSource, ValueError } from '@nexus/ebm-core';
import { describeValue } from '@nexus/ebm-core/extend';
import { checkAppend, checkBlockRows, type RowStore } from './rowStore.js';

/**
 * A {@link RowStore} backed by a file in a new temporary folder under `dir` (default: the system's
 * temporary folder), deleted with the folder by `dispose()`.
 *
 * @param cols - columns of every row.
 * @param dir - the folder to create the temporary folder in.
 * @example
 * ```ts
 * const store = fileRowStore(50, '/var/tmp');
 * try { store.append(rows, n); … } finally { store.dispose(); }
 * ```
 */
export function fileRowStore(cols: number, dir: string = tmpdir()): RowStore {
  const api = 'fileRowStore';
  if (!Number.isInteger(cols) || cols < 1) {
    throw new ParameterError(
      message(api, 'cols must be a positive integer', 'an integer ≥ 1', describeValue(cols)),
    );
  }
  const folder = mkdtempSync(join(dir, 'ebm-rows-'));
  const path = join(folder, 'rows.f64');
  let fd = openSync(path, 'w+');
  let rows = 0;
  let open = true;
  const rowBytes = 8 * cols;
  const need = (what: string): void => {
    if (!open)
      throw new ValueError(message(api, `${what} after dispose()`, 'an open store', 'a disposed one'));
  };
  return {
    cols,
    get rows(): number {
      return rows;
    },
    append(data: Float64Array, n: number): void {
      need('append');
      checkAppend(api, cols, data, n);
      const bytes = new Uint8Array(data.buffer, data.byteOffset, n * rowBytes);
      let done = 0;
      while (done < bytes.length)
        done += writeSync(fd, bytes, done, bytes.length - done, rows * rowBytes + done);
      rows += n;
    },
    source(blockRows: number): RowSource {
      need('source');
      checkBlockRows(api, blockRows);
      const total = rows;
      return {
        cols,
        *blocks(): Iterable<Matrix> {
          need('reading');
          const buf = new Float64Array(Math.min(blockRows, Math.max(1, total)) * cols);
          const bytes = new Uint8Array(buf.buffer);
          for (let r = 0; r < total; ) {
            const m = Math.min(blockRows, total - r);
            const want = m * rowBytes;
            let got = 0;
            while (got < want) {
              const k = readSync(fd, bytes, got, want - got, r * rowBytes + got);
              if (k === 0) {
                throw new ValueError(
                  message(
                    api,
                    `the row file ${path} is shorter than written`,
                    `${total * rowBytes} bytes`,
                    `${r * rowBytes + got}`,
                  ),
                );
              }
              got += k;
            }
            yield new Matrix(m, cols, buf.subarray(0, m * cols));
            r += m;
          }
        },
      };
    },
    dispose(): void {
      if (!open) return;
      open = false;
      closeSync(fd);
      fd = -1;
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
