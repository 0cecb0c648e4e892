/**
 * The `--max-lateness` option and the report of events that came later than the reordering window.
 *
 * @module
 */
import type { CliIO, OptionSpec, ParsedArgs } from './command.js';
import { numberOpt } from './command.js';

/**
 * The `--max-lateness` option of the commands that featurize logs.
 *
 * @example
 * ```ts
 * const options = { ...MAX_LATENESS_OPTION };
 * ```
 */
export const MAX_LATENESS_OPTION: Readonly<Record<'max-lateness', OptionSpec>> = {
  'max-lateness': {
    type: 'string',
    description:
      'reordering window: events up to this far behind the latest time seen are featurized in time order; later ones in arrival order, counted',
    valueName: 'SECONDS',
    defaultText: "the model's (300 unless trained otherwise)",
  },
};

/**
 * Reads `--max-lateness` (seconds ≥ 0), or undefined when not given.
 *
 * @example
 * ```ts
 * const lateness = maxLatenessOpt(args, 'score');
 * ```
 */
export function maxLatenessOpt(args: ParsedArgs, cmd: string): number | undefined {
  const v = args.values['max-lateness'];
  if (v === undefined || typeof v === 'boolean') return undefined;
  return numberOpt(args, 'max-lateness', 0, { cmd, min: 0, max: 1e9 });
}

/**
 * What the reordering window did in one run: its lateness and the events it could not put in order.
 *
 * @example
 * ```ts
 * const order = new OrderReport(300);
 * order.add(stream.stats());
 * ```
 */
export class OrderReport {
  /** The window's lateness in seconds. */
  readonly maxLatenessSeconds: number;
  /** Events later than the window, featurized in arrival order. */
  late = 0;
  /** Events released early because the window was full. */
  forced = 0;

  /** @param maxLatenessSeconds - the window's lateness. */
  constructor(maxLatenessSeconds: number) {
    this.maxLatenessSeconds = maxLatenessSeconds;
  }

  /**
   * Adds the counters of a finished stream or training run.
   *
   * @example
   * ```ts
   * order.add({ late: 3, forced: 0 });
   * ```
   */
  add(s: { readonly late: number; readonly forced?: number }): void {
    this.late += s.late;
    this.forced += s.forced ?? 0;
  }

  /**
   * The `order` object of `--json` output.
   *
   * @example
   * ```ts
   * JSON.stringify({ order: order.toJSON() });
   * ```
   */
  toJSON(): { max_lateness_seconds: number | null; late: number; forced: number } {
    return {
      max_lateness_seconds: Number.isFinite(this.maxLatenessSeconds) ? this.maxLatenessSeconds : null,
      late: this.late,
      forced: this.forced,
    };
  }

  /**
   * Says on stderr, in one line, how many events were out of order beyond the window (nothing when none).
   *
   * @example
   * ```ts
   * order.report(io, 'score');
   * ```
   */
  report(io: CliIO, cmd: string): void {
    if (this.late === 0 && this.forced === 0) return;
    const parts: string[] = [];
    if (this.late > 0) {
      parts.push(
        `${this.late} event(s) came more than ${this.maxLatenessSeconds} s behind a later-stamped one and were featurized in arrival order (raise --max-lateness to reorder them)`,
      );
    }
    if (this.forced > 0) {
      parts.push(`${this.forced} event(s) left the full reordering window early`);
    }
    io.stderr.write(`ebm ${cmd}: ${parts.join('; ')}\n`);
  }
}
