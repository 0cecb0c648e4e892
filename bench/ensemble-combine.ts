/**
 * `pnpm bench ensemble-combine --from DIR [--json]`
 *
 * Forms every ensemble combination the accuracy bench knows (`ensemble` = the library default, `ensemble-mean`,
 * `ensemble-rank`, `ensemble-consensus`, `ensemble-select`) from member energies that
 * `pnpm bench accuracy … --dump-energies DIR` wrote, without refitting any member, and reports ROC-AUC and
 * average precision per (protocol, data set) averaged over the seeds found, the single members' too, and the
 * mean over data sets per protocol. A run that was stopped part-way still leaves every finished
 * (set, seed) in DIR, so its figures can be read here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { combineMembers, ENSEMBLES, type MemberEnergies, scoreOf } from './lib/evaluate.js';
import type { SingleModel } from './lib/models.js';
import type { BenchContext } from './lib/report.js';

interface Dumped {
  readonly protocol: string;
  readonly dataset: string;
  readonly seed: number;
  readonly energies: MemberEnergies;
  readonly y: Uint8Array;
}

/** Reads one dump (`NAME.json` + `NAME.f64`, as `dumpMembers` in accuracy.ts writes them). */
function readDump(dir: string, name: string): Dumped {
  const meta = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as {
    members: SingleModel[];
    trainRows: number;
    testRows: number;
  };
  const bytes = readFileSync(join(dir, `${name}.f64`));
  const k = meta.members.length;
  const want = 8 * (k * (meta.trainRows + meta.testRows) + meta.testRows);
  if (bytes.length !== want)
    throw new Error(
      `ensemble-combine: ${name}.f64 has the wrong size (expected ${want} bytes, got ${bytes.length})`,
    );
  const all = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  let o = 0;
  const train: Float64Array[] = [];
  const test: Float64Array[] = [];
  for (let i = 0; i < k; i++, o += meta.trainRows) train.push(all.slice(o, o + meta.trainRows));
  for (let i = 0; i < k; i++, o += meta.testRows) test.push(all.slice(o, o + meta.testRows));
  const y = Uint8Array.from(all.subarray(o, o + meta.testRows));
  // NAME = protocol-dataset-seed, or nsl-kdd-test-seed
  const cut = name.lastIndexOf('-');
  const seed = Number(name.slice(cut + 1));
  const head = name.slice(0, cut);
  const nsl = head.startsWith('nsl-kdd-');
  const protocol = nsl ? 'nsl-kdd' : head.slice(0, head.indexOf('-'));
  const dataset = nsl ? head.slice('nsl-kdd-'.length) : head.slice(head.indexOf('-') + 1);
  return { protocol, dataset, seed, energies: { members: meta.members, train, test }, y };
}

export default async function ensembleCombine(ctx: BenchContext): Promise<void> {
  const from = ctx.flag('from');
  if (from === undefined)
    throw new Error('ensemble-combine: --from DIR is required (a --dump-energies folder)');
  const dir = resolve(from);
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
    d.energies.members.forEach((m, i) => {
      const s = scoreOf(d.y, d.energies.test[i] as Float64Array, 0);
      add(d.protocol, d.dataset, m, s.rocAuc, s.averagePrecision);
    });
    for (const c of ENSEMBLES) {
      const s = scoreOf(d.y, combineMembers(d.energies, c.normalization, c.weighting, c.trimmed), 0);
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
