/**
 * The HTML report of `ebm eval`: one self-contained file (inline SVG and CSS; no script, no network; it
 * declares its own strict Content-Security-Policy, the style sheet allowed by its hash), made of sections.
 * Each section is one function in its own file, listed in {@link REPORT_SECTIONS}: adding a section is a
 * file and a line here.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { LineAccountJSON } from '../accounting.js';
import { curvesSection } from './curves.js';
import { energySection } from './energies.js';
import { esc, int, num, pct } from './html.js';
import { incidentsSection, type ReportIncidents } from './incidents.js';
import { scenarioSection } from './scenarios.js';
import { summarySection } from './summary.js';
import { topEventsSection } from './topEvents.js';

/**
 * One event of the report's list of top events.
 */
export interface ReportEvent {
  /** Its line in the log. */
  readonly line: number;
  readonly energy: number;
  readonly pValue: number;
  /** 1 when above the threshold. */
  readonly flag: number;
  /** Its label in the labels file (a scenario name, `normal`, or 0/1). */
  readonly label: string;
  /** The event's fields as the featurizer names them (user, hosts, …). */
  readonly fields: Readonly<Record<string, string>>;
  /** The log line itself (shortened when long), when it could be read back. */
  readonly text?: string;
  /** Its ranked reasons, strongest first. */
  readonly reasons: readonly { readonly text: string; readonly attribution: number }[];
  /** Why there are no reasons, when there are none (e.g. an energy beyond the double range). */
  readonly note?: string;
}

/** Why a threshold delivers another false-alarm rate than the requested one. */
export type RateReason = 'coarse' | 'bounded' | 'ties';

/**
 * Everything the evaluation report shows. Strings may come from logs, label files and file names: the
 * report escapes every one.
 */
export interface ReportData {
  /** Title (the input log). */
  readonly title: string;
  /** The files evaluated. */
  readonly files: { readonly log: string; readonly labels: string; readonly model: string };
  /** The log format and the model kind. */
  readonly format: string;
  readonly model: string;
  /** Feature columns of the pipeline. */
  readonly features: number;
  /** The line accounting of the log. */
  readonly read: LineAccountJSON;
  /** 1 = anomalous, 0 = normal, per event. */
  readonly labels: Uint8Array;
  /** The label file's value per event (a scenario name, `normal`, or 0/1). */
  readonly labelNames: readonly string[];
  /** Energy per event. */
  readonly energies: Float64Array;
  /** 1 when above the threshold, per event. */
  readonly flags: Uint8Array;
  /** The flag threshold (an energy). */
  readonly threshold: number;
  /**
   * The false-alarm rate requested and, when the threshold delivers another one, that rate and why: a
   * coarse threshold (too few calibration events), calibration energies tied with the threshold, or a
   * bounded calibration set's kept quantile.
   */
  readonly falseAlarmRate: {
    readonly requested: number;
    readonly effective?: number;
    readonly why?: RateReason;
  };
  /** Headline figures computed by `ebm eval`. */
  readonly figures: {
    readonly rocAuc: number;
    readonly averagePrecision: number;
    readonly precisionAtK: number;
    readonly k: number;
  };
  /** The highest-energy events with their reasons, highest first. */
  readonly top: readonly ReportEvent[];
  /** How the reasons were computed (`exact contributions` or `KernelSHAP`). */
  readonly explainedBy: string;
  /** The flagged events rolled up into incidents, when computed. */
  readonly incidents?: ReportIncidents;
}

/**
 * One section of the report: its anchor id, its heading (none for the opening summary) and its body;
 * `render` returns `undefined` when the section has nothing to show for this evaluation.
 */
export interface ReportSection {
  readonly id: string;
  readonly title?: string;
  render(data: ReportData): string | undefined;
}

/**
 * The report's sections, in page order.
 *
 * @example
 * ```ts
 * REPORT_SECTIONS.map((s) => s.id); // ['summary', 'curves', 'energies', 'scenarios', 'incidents', 'top-events']
 * ```
 */
export const REPORT_SECTIONS: readonly ReportSection[] = [
  summarySection,
  curvesSection,
  energySection,
  scenarioSection,
  incidentsSection,
  topEventsSection,
];

const CSS = `:root{color-scheme:light}
body{margin:0;background:#fff;color:#1f2328;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1120px;margin:0 auto;padding:22px 28px 28px}
h1{font-size:22px;margin:0 0 2px}
h2{font-size:17px;margin:0 0 10px;padding-bottom:4px;border-bottom:2px solid #e7e7e7}
.sub{color:#555;margin:0 0 14px}
section{margin:0 0 26px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:0 0 14px}
.kpi{border:1px solid #dcdcdc;border-radius:6px;padding:7px 12px;background:#f8f9fa}
.kpi b{display:block;font-size:21px;font-variant-numeric:tabular-nums}
.kpi span{color:#555;font-size:12px}
.kpi.warn{border-color:#e0a100;background:#fff8e1}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:22px}
.cols.wide-left{grid-template-columns:3fr 2fr}
dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 14px;margin:0}
dt{color:#555}
dd{margin:0;overflow-wrap:anywhere}
figure{margin:0}
figure svg{display:block;width:100%;height:auto}
figcaption{font-size:12.5px;color:#444;margin-top:4px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e3e3e3;vertical-align:top}
th{font-size:12px;color:#444;font-weight:600;background:#f3f4f6}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code,.raw{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.raw{display:block;color:#555;overflow-wrap:anywhere;margin-top:3px}
.fields{overflow-wrap:anywhere}
#top-events td{font-size:13px}
td.ev{width:40%}
td.why{width:32%}
.yes{color:#b3261e;font-weight:600}
ol.reasons{margin:0;padding-left:18px}
ul.plain{margin:4px 0 0;padding-left:18px}
footer{color:#666;font-size:12px;border-top:1px solid #e7e7e7;padding-top:8px}
@media (max-width:820px){.cols,.cols.wide-left{grid-template-columns:1fr}}
@media print{@page{size:A4;margin:12mm}main{max-width:none;padding:0}body{font-size:10.5px}
.cols{grid-template-columns:1fr 1fr;gap:12px}.kpis{grid-template-columns:repeat(6,1fr);gap:6px}.kpi b{font-size:16px}
#top-events td,th{font-size:9.5px;padding:3px 5px}.raw{font-size:9px}
.kpi span,figcaption,.sub,dl{font-size:9.5px}
.kpi,th{print-color-adjust:exact;-webkit-print-color-adjust:exact}figure,tr,.kpis,dl{break-inside:avoid}h2{break-after:avoid}}
`;

/** The page's own policy: nothing may load or run; only the style sheet above (by its hash) applies. */
const CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'; img-src 'none'; base-uri 'none'; form-action 'none'`;

/**
 * A self-contained HTML evaluation report: what was evaluated and the headline figures, ROC and
 * precision–recall curves, the energy histogram of both classes with the threshold, figures per label
 * when the labels name scenarios, and the top events with their reasons. No script; it reads the same
 * under a strict Content-Security-Policy (it carries one) and prints on A4.
 *
 * @example
 * ```ts
 * fs.writeFileSync('report.html', htmlReport(data));
 * ```
 */
export function htmlReport(data: ReportData): string {
  const body: string[] = [];
  for (const s of REPORT_SECTIONS) {
    const html = s.render(data);
    if (html === undefined) continue;
    const head = s.title === undefined ? '' : `<h2>${esc(s.title)}</h2>`;
    body.push(`<section id="${esc(s.id)}">${head}${html}</section>`);
  }
  const nPos = data.labels.reduce((a, b) => a + b, 0);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ebm eval">
<title>ebm eval — ${esc(data.title)}</title>
<style>${CSS}</style>
</head><body><main>
<header><h1>Evaluation of ${esc(data.title)}</h1>
<p class="sub">${esc(data.model)} model on ${esc(data.format)} events · ${int(data.labels.length)} events, ${int(nPos)} labelled anomalous · threshold ${esc(num(data.threshold))} (false-alarm target ${esc(pct(data.falseAlarmRate.effective ?? data.falseAlarmRate.requested))})</p></header>
${body.join('\n')}
<footer>Made by <code>ebm eval</code> of @nexus/ebm. Higher energy = more anomalous; an event is flagged when its energy is above the threshold, which was set at training from the training log alone (no labels). The labels are used only for the figures in this report.</footer>
</main></body></html>
`;
}
