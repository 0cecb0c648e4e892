/**
 * `pnpm bench ensemble-combine --from DIR [--members a,b,…] [--json]`
 *
 * Forms every ensemble combination the accuracy bench knows (`ensemble` = the library default, `ensemble-mean`,
 * `ensemble-rank`, `ensemble-consensus`, `ensemble-select`) from member energies that
 * `pnpm bench accuracy … --dump-energies DIR` wrote, without refitting any member, and reports ROC-AUC and
 * average precision per (protocol, data set) averaged over the seeds found, the single members' too, and the
 * mean over data sets per protocol. A run that was stopped part-way still leaves every finished
 * (set, seed) in DIR, so its figures can be read here. `--members` forms the combinations of those members
 * only (in the order given; each must be in every dump), e.g. to compare an ensemble with and without one.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { readDump } from './lib/dumps.js';
import { combineMembers, ENSEMBLES, type MemberEnergies, scoreOf } from './lib/evaluate.js';
import type { BenchContext } from './lib/report.js';

/** The energies of `only` (in that order), or all of them when `only` is undefined. */
function selectMembers(m: MemberEnergies, only: readonly string[] | undefined, name: string): MemberEnergies {
  if (only === undefined) return m;
  const idx = only.map((w) => {
    const j = (m.members as readonly string[]).indexOf(w);
    if (j < 0)
      throw new Error(
        `ensemble-combine: ${name} has no member ${w} (expected one of ${m.members.join(', ')})`,
      );
    return j;
  });
  return {
    members: idx.map((j) => m.members[j] as MemberEnergies['members'][number]),
    train: idx.map((j) => m.train[j] as Float64Array),
    test: idx.map((j) => m.test[j] as Float64Array),
  };
}

export default async function ensembleCombine(ctx: BenchContext): Promise<void> {
  const from = ctx.flag('from');
  if (from === undefined)
    throw new Error('ensemble-combine: --from DIR is required (a --dump-energies folder)');
  const dir = resolve(from);
  const membersFlag = ctx.flag('members');
  const only = membersFlag === undefined ? undefined : membersFlag.split(',').map((s) => s.trim());
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
  // protocol → dataset → model → per-seed [roc, ap]
  const acc = new Map<string, Map<string, Map<string, [number, number][]>>>();
  const add = (p: string, d: string, m: string, roc: number, ap: number): void => {
    const byD = acc.get(p) ?? new Map<string, Map<string, [number, number][]>>();
    acc.set(p, byD);
    const byM = byD.get(d) ?? new Map<string, [number, number][]>();
    byD.set(d, byM);
    const list = byM.get(m) ?? [];
    byM.set(m, list);
    list.push([roc, ap]);
  };
  for (const name of names) {
    const d = readDump(dir, name);
    const energies = selectMembers(d.energies, only, name);
    energies.members.forEach((m, i) => {
      const s = scoreOf(d.y, energies.test[i] as Float64Array, 0);
      add(d.protocol, d.dataset, m, s.rocAuc, s.averagePrecision);
    });
    for (const c of ENSEMBLES) {
      const s = scoreOf(d.y, combineMembers(energies, c.normalization, c.weighting, c.trimmed), 0);
      add(d.protocol, d.dataset, c.name, s.rocAuc, s.averagePrecision);
    }
  }
  for (const [protocol, byD] of acc) {
    const means = new Map<string, { roc: number[]; ap: number[] }>();
    for (const [dataset, byM] of byD) {
      for (const [model, list] of byM) {
        const roc = list.reduce((a, v) => a + v[0], 0) / list.length;
        const ap = list.reduce((a, v) => a + v[1], 0) / list.length;
        const m = means.get(model) ?? { roc: [], ap: [] };
        m.roc.push(roc);
        m.ap.push(ap);
        means.set(model, m);
        const base = { bench: 'ensemble-combine', dataset, model, protocol, seeds: list.length };
        ctx.report({ ...base, name: `${protocol} ${dataset} ${model}`, value: roc, unit: 'roc_auc' });
        ctx.report({
          ...base,
          name: `${protocol} ${dataset} ${model}`,
          value: ap,
          unit: 'average_precision',
        });
      }
    }
    for (const [model, m] of means) {
      const base = { bench: 'ensemble-combine', dataset: 'mean', model, protocol, sets: m.roc.length };
      const avg = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
      ctx.report({ ...base, name: `${protocol} ${model} mean`, value: avg(m.roc), unit: 'roc_auc' });
      ctx.report({ ...base, name: `${protocol} ${model} mean`, value: avg(m.ap), unit: 'average_precision' });
    }
  }
  ctx.log(`ensemble-combine: ${names.length} dumps from ${dir}`);
}
