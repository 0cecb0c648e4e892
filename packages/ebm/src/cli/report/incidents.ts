/**
 * The report's incidents: the flagged events rolled up per entity and time window (as `ebm score
 * --incidents` writes them), the highest-scoring ones listed with their entities, span, labels and merged
 * reasons.
 *
 * @module
 */
import { clip, esc, int, num } from './html.js';
import type { ReportData, ReportSection } from './htmlReport.js';

/**
 * One incident of the report (from the NDJSON object of `ebm score --incidents`), with the labels of its
 * listed events.
 *
 * @example
 * ```ts
 * const i: ReportIncident = { score: 11.8, start: '2026-03-14T02:10:00.000Z', end: '2026-03-14T02:25:00.000Z', entities: { user: ['U12'] }, events: 3, lines: [4411, 4415, 4420], labels: { off_hours_ssh: 3 }, reasons: ['Sat 02:10 is unusual for user U12 (…)'] };
 * ```
 */
export interface ReportIncident {
  readonly score: number;
  readonly start: string | number;
  readonly end: string | number;
  readonly entities: Readonly<Record<string, readonly string[]>>;
  /** Flagged events in it. */
  readonly events: number;
  /** Lines of its first events (at most 100). */
  readonly lines: readonly number[];
  /** Label file values of those lines, with counts. */
  readonly labels: Readonly<Record<string, number>>;
  /** Merged reasons, strongest first. */
  readonly reasons: readonly string[];
}

/**
 * What the report shows of the incidents.
 *
 * @example
 * ```ts
 * const s: ReportIncidents = { total: 106, flagged: 1226, window: 3600, by: ['user', 'srcHost'], top: [] };
 * ```
 */
export interface ReportIncidents {
  /** Incidents in the log. */
  readonly total: number;
  /** Flagged events they hold. */
  readonly flagged: number;
  /** The window (seconds) and the linking fields. */
  readonly window: number;
  readonly by: readonly string[];
  /** Those with the highest scores, highest first. */
  readonly top: readonly ReportIncident[];
}

function when(v: string | number): string {
  return typeof v === 'string' ? v.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC') : String(v);
}

/**
 * The incidents section.
 *
 * @example
 * ```ts
 * incidentsSection.render(data); // '<p>106 incidents …'
 * ```
 */
export const incidentsSection: ReportSection = {
  id: 'incidents',
  title: 'Incidents',
  render(d: ReportData): string | undefined {
    const s = d.incidents;
    if (s === undefined) return undefined;
    const link = s.by.length === 0 ? 'nothing (each flagged event alone)' : s.by.map(esc).join(', ');
    const head = `<p class="sub">${int(s.flagged)} flagged events rolled up into ${int(s.total)} incidents: a flagged event joins an incident sharing its ${link} within ${int(s.window)} s. Score: −log₁₀ of Fisher's combined p-value of its events plus its novelty for the entity (0.4 with no history, near 0 for an entity with an incident every day; a ranking, not a probability). The labels column counts the labels file's values on its listed lines, for reference.</p>`;
    if (s.top.length === 0) return head;
    const rows = s.top.map((inc, i) => {
      const who = Object.entries(inc.entities)
        .map(
          ([f, vs]) =>
            `<b>${esc(clip(f, 40))}</b> ${esc(clip(vs.slice(0, 4).join(', '), 120))}${vs.length > 4 ? ` (+${vs.length - 4})` : ''}`,
        )
        .join('<br>');
      const span = inc.start === inc.end ? when(inc.start) : `${when(inc.start)} – ${when(inc.end)}`;
      const labels = Object.entries(inc.labels)
        .sort((a, b) => b[1] - a[1])
        .map(([l, n]) => `${esc(clip(l, 40))} (${int(n)})`)
        .join(', ');
      const why =
        inc.reasons.length === 0
          ? ''
          : `<ol class="reasons">${inc.reasons.map((r) => `<li>${esc(clip(r, 240))}</li>`).join('')}</ol>`;
      const lines = inc.lines.slice(0, 5).map(int).join(', ') + (inc.events > 5 ? ', …' : '');
      return `<tr><td class="n">${i + 1}</td><td class="n">${esc(num(inc.score))}</td><td>${who}</td><td>${esc(span)}</td><td class="n">${int(inc.events)}</td><td>${lines}</td><td>${labels}</td><td class="why">${why}</td></tr>`;
    });
    return `${head}<table><thead><tr><th class="n">#</th><th class="n">score</th><th>entities</th><th>span</th><th class="n">events</th><th>lines</th><th>labels</th><th>reasons</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  },
};
