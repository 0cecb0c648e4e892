/**
 * The report's list of the highest-energy events: where they are in the log, their energy, p-value, flag
 * and label, the event's fields and line, and the reasons it stands out, in the log's own terms.
 *
 * @module
 */

import { clip, esc, int, num } from './html.js';
import type { ReportData, ReportEvent, ReportSection } from './htmlReport.js';

function fields(e: ReportEvent): string {
  const parts = Object.entries(e.fields)
    .filter(([, v]) => v !== '')
    .slice(0, 8)
    .map(([k, v]) => `<b>${esc(clip(k, 40))}</b> ${esc(clip(v, 80))}`);
  const raw = e.text === undefined ? '' : `<code class="raw">${esc(clip(e.text, 400))}</code>`;
  return `<div class="fields">${parts.join(' · ')}</div>${raw}`;
}

function reasons(e: ReportEvent): string {
  if (e.reasons.length === 0) return esc(e.note ?? 'no field raises the energy');
  return `<ol class="reasons">${e.reasons.map((r) => `<li>${esc(clip(r.text, 240))}</li>`).join('')}</ol>`;
}

/**
 * The top events table.
 *
 * @example
 * ```ts
 * topEventsSection.render(data); // '<p>The 20 highest energies …'
 * ```
 */
export const topEventsSection: ReportSection = {
  id: 'top-events',
  title: 'Top events',
  render(d: ReportData): string | undefined {
    if (d.top.length === 0) return undefined;
    const flagged = d.top.reduce((a, e) => a + e.flag, 0);
    const rows = d.top.map(
      (e, i) =>
        `<tr><td class="n">${i + 1}</td><td class="n">${int(e.line)}</td><td class="n">${esc(num(e.energy))}</td><td class="n">${esc(num(e.pValue))}</td><td class="${e.flag === 1 ? 'yes' : ''}">${e.flag === 1 ? 'yes' : 'no'}</td><td>${esc(clip(e.label, 40))}</td><td class="ev">${fields(e)}</td><td class="why">${reasons(e)}</td></tr>`,
    );
    return `<p class="sub">The ${int(d.top.length)} highest energies of the log (${int(flagged)} flagged), with reasons by ${esc(d.explainedBy)}: the fields that raise the energy most, strongest first. The label column is the labels file's, for reference.</p><table><thead><tr><th class="n">#</th><th class="n">line</th><th class="n">energy</th><th class="n">p-value</th><th>flagged</th><th>label</th><th>event</th><th>reasons</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  },
};
