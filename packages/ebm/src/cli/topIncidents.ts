/**
 * The highest-scoring incidents of a stream (the NDJSON lines of `IncidentRollup`), kept in bounded
 * memory for the report, with the total count.
 *
 * @module
 */
import type { ReportIncident, ReportIncidents } from './report/incidents.js';

interface Parsed {
  readonly score: number;
  readonly start: string | number;
  readonly end: string | number;
  readonly entities: Record<string, string[]>;
  readonly events: number;
  readonly lines: number[];
  readonly reasons: { text: string }[];
}

/**
 * Keeps the `k` highest-scoring incidents offered (ties: the earlier offered), counts all of them.
 *
 * @example
 * ```ts
 * const top = new TopIncidents(20);
 * top.offer(rollup.add(events, X, rows));
 * top.offer(rollup.flush());
 * const section = top.report(labelsByLine, 3600, ['user']);
 * ```
 */
export class TopIncidents {
  private readonly k: number;
  private readonly kept: Parsed[] = [];
  private total = 0;
  private flagged = 0;

  /** @param k - incidents kept. */
  constructor(k: number) {
    this.k = k;
  }

  /** Offers incidents as NDJSON lines. */
  offer(lines: readonly string[]): void {
    for (const line of lines) {
      const inc = JSON.parse(line) as Parsed;
      this.total++;
      this.flagged += inc.events;
      if (this.kept.length === this.k && inc.score <= (this.kept[this.k - 1] as Parsed).score) continue;
      let at = this.kept.length;
      while (at > 0 && (this.kept[at - 1] as Parsed).score < inc.score) at--;
      this.kept.splice(at, 0, inc);
      if (this.kept.length > this.k) this.kept.pop();
    }
  }

  /** The report's incidents: the kept ones with the labels of their listed lines. */
  report(labels: ReadonlyMap<number, string>, window: number, by: readonly string[]): ReportIncidents {
    const top: ReportIncident[] = this.kept.map((inc) => {
      const counts: Record<string, number> = {};
      for (const l of inc.lines) {
        const name = labels.get(l) ?? '?';
        counts[name] = (counts[name] ?? 0) + 1;
      }
      return {
        score: inc.score,
        start: inc.start,
        end: inc.end,
        entities: inc.entities,
        events: inc.events,
        lines: inc.lines,
        labels: counts,
        reasons: inc.reasons.map((r) => r.text),
      };
    });
    return { total: this.total, flagged: this.flagged, window, by, top };
  }
}
