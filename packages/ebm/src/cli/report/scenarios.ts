/**
 * The report's figures per label, when the labels name scenarios (two or more anomalous label values):
 * each scenario's energies against the normal events' as box plots on the histogram's energy axis, and a
 * table of how many of its events were flagged and how well they rank against the normal events.
 *
 * @module
 */
import { averagePrecision, rocAuc } from '@nexus/ebm-core';
import { finiteValue } from '../energyText.js';
import { chart, energyScale, type PlotBox, round1, type Scale } from './chart.js';
import { ANOMALOUS_COLOR, energyRange, NORMAL_COLOR } from './energies.js';
import { clip, esc, int, num, pct } from './html.js';
import type { ReportData, ReportSection } from './htmlReport.js';

/**
 * The events of one label value.
 */
export interface LabelGroup {
  readonly name: string;
  readonly anomalous: boolean;
  readonly index: readonly number[];
}

/**
 * Groups events by label: one `normal` group for every normal event, then one group per anomalous label
 * value (by name). `undefined` when the anomalous events carry fewer than two names (nothing to split).
 *
 * @example
 * ```ts
 * labelGroups(Uint8Array.of(0, 1, 1), ['normal', 'a', 'b']); // [normal, a, b]
 * ```
 */
export function labelGroups(labels: Uint8Array, names: readonly string[]): LabelGroup[] | undefined {
  const normal: number[] = [];
  const byName = new Map<string, number[]>();
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) {
      normal.push(i);
      continue;
    }
    const name = names[i] ?? '1';
    const list = byName.get(name);
    if (list === undefined) byName.set(name, [i]);
    else list.push(i);
  }
  if (byName.size < 2) return undefined;
  const groups: LabelGroup[] = [{ name: 'normal', anomalous: false, index: normal }];
  for (const name of [...byName.keys()].sort()) {
    groups.push({ name, anomalous: true, index: byName.get(name) as number[] });
  }
  return groups;
}

/** The q-quantile of sorted values (linear interpolation). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const i = Math.floor(h);
  const a = sorted[i] as number;
  const b = sorted[Math.min(sorted.length - 1, i + 1)] as number;
  return a === b || !Number.isFinite(a) || !Number.isFinite(b) ? a : a + (b - a) * (h - i);
}

/**
 * Box plots per label (5–95 % whiskers, 25–75 % box, median) and a table: events, flagged, ROC-AUC and
 * average precision of that label's events against all normal events.
 *
 * @example
 * ```ts
 * scenarioSection.render(data); // undefined without scenario names
 * ```
 */
export const scenarioSection: ReportSection = {
  id: 'scenarios',
  title: 'By scenario',
  render(d: ReportData): string | undefined {
    const groups = labelGroups(d.labels, d.labelNames);
    if (groups === undefined) return undefined;
    const normal = groups[0] as LabelGroup;
    const [lo, hi] = energyRange(d.energies, d.threshold);
    const xs = energyScale(lo, hi, 7);
    const n = groups.length;
    const names = groups.map((g) => clip(g.name, 26));
    const rowH = 28;
    const box: PlotBox = {
      width: 1060,
      height: 36 + n * rowH + 50,
      left: Math.min(220, 40 + Math.max(...names.map((s) => s.length)) * 7),
      right: 16,
      top: 36,
      bottom: 50,
    };
    const ys: Scale = {
      kind: 'linear',
      at: (v: number) => v / n,
      ticks: names.map((label, i) => ({ value: n - i - 0.5, label })).reverse(),
    };
    const stats = groups.map((g) => {
      const e = Float64Array.from(g.index, (i) => d.energies[i] as number).sort();
      return [0.05, 0.25, 0.5, 0.75, 0.95].map((q) => quantile(e, q)) as [
        number,
        number,
        number,
        number,
        number,
      ];
    });
    const svg = chart({
      box,
      x: xs,
      y: ys,
      xTitle: `energy${xs.kind === 'symlog' ? ' (symmetric log scale)' : ''}`,
      yTitle: 'label',
      label: 'Energy by label',
      legend: [
        [NORMAL_COLOR, 'normal events'],
        [ANOMALOUS_COLOR, 'anomalous events of the scenario'],
      ],
      body: (p) => {
        const out: string[] = [];
        groups.forEach((g, i) => {
          const [q05, q25, q50, q75, q95] = stats[i] as [number, number, number, number, number];
          const cy = p.y(n - i - 0.5);
          const h = rowH * 0.55;
          const color = g.anomalous ? ANOMALOUS_COLOR : NORMAL_COLOR;
          out.push(
            `<line x1="${p.x(q05)}" x2="${p.x(q95)}" y1="${cy}" y2="${cy}" stroke="${color}" stroke-width="1.5"/>`,
            `<rect x="${p.x(q25)}" y="${round1(cy - h / 2)}" width="${round1(Math.max(1.5, p.x(q75) - p.x(q25)))}" height="${round1(h)}" fill="${color}" fill-opacity="0.35" stroke="${color}"/>`,
            `<line x1="${p.x(q50)}" x2="${p.x(q50)}" y1="${round1(cy - h / 2)}" y2="${round1(cy + h / 2)}" stroke="#111" stroke-width="2"/>`,
          );
        });
        if (Number.isFinite(d.threshold)) {
          const tx = p.x(d.threshold);
          out.push(
            `<line x1="${tx}" x2="${tx}" y1="${p.y0}" y2="${p.y1}" stroke="#111" stroke-width="1.5" stroke-dasharray="6 4"/>`,
          );
        }
        return out.join('');
      },
    });
    const ranked = (i: number): number => finiteValue(d.energies[i] as number);
    const normalE = normal.index.map(ranked);
    const rows = groups.map((g) => {
      const flagged = g.index.reduce((a, i) => a + (d.flags[i] as number), 0);
      let auc = '–';
      let ap = '–';
      if (g.anomalous && normal.index.length > 0) {
        const e = [...normalE, ...g.index.map(ranked)];
        const y = Uint8Array.from(e, (_, j) => (j < normalE.length ? 0 : 1));
        auc = rocAuc(y, e).toFixed(3);
        ap = averagePrecision(y, e).toFixed(3);
      }
      const median = num((stats[groups.indexOf(g)] as number[])[2] as number);
      return `<tr><td>${esc(clip(g.name, 60))}</td><td class="n">${int(g.index.length)}</td><td class="n">${int(flagged)} (${esc(pct(flagged / Math.max(1, g.index.length)))})</td><td class="n">${esc(median)}</td><td class="n">${auc}</td><td class="n">${ap}</td></tr>`;
    });
    return `<figure>${svg}<figcaption>Energies per label: box from the 25th to the 75th percentile, black bar at the median, whiskers from the 5th to the 95th; dashed: the threshold. Right of the threshold is flagged.</figcaption></figure><table><thead><tr><th>label</th><th class="n">events</th><th class="n">flagged</th><th class="n">median energy</th><th class="n">ROC-AUC</th><th class="n">AP</th></tr></thead><tbody>${rows.join('')}</tbody></table><p class="sub">ROC-AUC and average precision (AP): each scenario's events against all normal events. Flagged normal events are false alarms.</p>`;
  },
};
