import type { CliIO } from './command.js';

/**
 * A progress bar on stderr: redrawn in place on a terminal, a line every 10 % otherwise.
 *
 * @example
 * ```ts
 * const bar: ProgressBar = progressBar(io, 'scoring', bytes);
 * bar.update(done); bar.finish();
 * ```
 */
export interface ProgressBar {
  /** Sets the done count (and an optional note such as the loss). */
  update(done: number, note?: string): void;
  /** Finishes the bar with a final note. */
  finish(note?: string): void;
}

/**
 * Creates a progress bar for `total` steps labelled `label`.
 *
 * @example
 * ```ts
 * const bar = progressBar(io, 'training', 20);
 * bar.update(1, 'loss 0.41'); bar.finish();
 * ```
 */
export function progressBar(io: CliIO, label: string, total: number, quiet = false): ProgressBar {
  const start = performance.now();
  let lastDecile = -1;
  const render = (done: number, note: string | undefined, final: boolean): void => {
    if (quiet) return;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const secs = ((performance.now() - start) / 1000).toFixed(1);
    const text = `${label.padEnd(14)} ${(frac * 100).toFixed(0).padStart(3)}%  ${secs}s${note !== undefined ? `  ${note}` : ''}`;
    if (io.isTTY) {
      const width = 24;
      const filled = Math.round(frac * width);
      io.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K${final ? '\n' : ''}`,
      );
      return;
    }
    const decile = Math.floor(frac * 10);
    if (decile > lastDecile || (final && note !== undefined)) {
      lastDecile = decile;
      io.stderr.write(`${text}\n`);
    }
  };
  return {
    update(done: number, note?: string): void {
      render(done, note, false);
    },
    finish(note?: string): void {
      render(total, note, true);
    },
  };
}
