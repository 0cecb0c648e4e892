/**
 * `pnpm bench accuracy [--data DIR] [--protocol pyod|adbench|clean|all] [--seeds N] [--models a,b]
 *  [--nsl-kdd DIR|none] [--datasets a,b] [--max-train N] [--published DIR] [--quick] [--json] [--write-docs]
 *  [--dump-energies DIR] [--members a,b] [--reuse-members DIR] [--refit a,b]`
 *
 * Accuracy of our energies on every labelled CSV under DIR (default ../shared/data beside the repo) under
 * the pyod, adbench and clean protocols, plus NSL-KDD (fit on the normal training rows), side by side with
 * published results. Prints JSON lines (`--json`) or a table; `--write-docs` rewrites the accuracy section
 * of docs/benchmarks.md. `--dump-energies DIR` writes every ensemble member's raw training and test energies
 * and the test labels per (protocol, data set, seed) to DIR (see {@link dumpMembers}), so combinations of
 * the members can be compared later without refitting them. `--members` names the ensemble members (default:
 * the bench's default members); `--reuse-members DIR` takes the energies of members found in DIR's dumps of
 * the same (protocol, data set, seed) instead of fitting them again (the labels must match), so one new member
 * can be added to an earlier run's dumps; `--refit a,b` fits those members again even where DIR holds them (a
 * changed member beside reused ones).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LabelledData, readLabelledCsv } from './lib/csv.js';
import { findDatasets, findNslKdd, type NslKddFiles, nslKddFilesIn } from './lib/datasets.js';
import { dumpMembers, readDump } from './lib/dumps.js';
import {
  hasBothClasses,
  type MemberEnergies,
  type ModelScore,
  scoreModels,
  scoreOf,
} from './lib/evaluate.js';
import {
  ALL_MODELS,
  BASE_MODELS,
  EXTRA_MODELS,
  type ModelName,
  SINGLE_MODELS,
  type SingleModel,
} from './lib/models.js';
import { chooseKddFeaturization, type KddFeaturizationChoice, nslKddSets, readKdd } from './lib/nslkdd.js';
import { PROTOCOLS, type ProtocolName, prepare } from './lib/protocols.js';
import { loadPublished, type PublishedTable, publishedValue } from './lib/published.js';
import { type AccuracyResults, type NslKddResult, renderAccuracySection } from './lib/render.js';
import type { BenchContext } from './lib/report.js';
import { writeSection } from './lib/table.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Data sets with more rows than this are skipped in `--quick` runs. */
const QUICK_MAX_ROWS = 8000;

function parseList(v: string | undefined): string[] | undefined {
  return v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

function positiveInt(ctx: BenchContext, name: string, fallback: number): number {
  const v = ctx.flag(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`accuracy: --${name} must be a positive integer (got ${v})`);
  return n;
}

export default async function accuracy(ctx: BenchContext): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const quick = ctx.args.includes('--quick');
  const writeDocs = ctx.args.includes('--write-docs');
  const dataDir = resolve(ctx.flag('data') ?? join(root, '..', 'shared', 'data'));
  const protocolArg = ctx.flag('protocol') ?? (quick ? 'pyod' : 'all');
  const protocols: ProtocolName[] =
    protocolArg === 'all' ? [...PROTOCOLS] : (parseList(protocolArg) as ProtocolName[]);
  for (const p of protocols)
    if (!PROTOCOLS.includes(p))
      throw new Error(`accuracy: unknown protocol (expected pyod|adbench|clean|all, got ${p})`);
  const seeds = positiveInt(ctx, 'seeds', quick ? 1 : 10);
  // seeds seed0 … seed0 + seeds − 1: selection runs use seeds ≥ 100, never the reported 0 … 9
  const seed0 = ctx.flag('seed0') === undefined ? 0 : positiveInt(ctx, 'seed0', 0);
  const maxTrain = positiveInt(ctx, 'max-train', quick ? 5000 : 20000);
  const models = (parseList(ctx.flag('models')) ?? [...ALL_MODELS]) as ModelName[];
  for (const m of models)
    if (!ALL_MODELS.includes(m) && !EXTRA_MODELS.includes(m))
      throw new Error(
        `accuracy: unknown model (expected one of ${[...ALL_MODELS, ...EXTRA_MODELS].join(', ')}, got ${m})`,
      );
  const only = parseList(ctx.flag('datasets'));
  const members = (parseList(ctx.flag('members')) ?? [...BASE_MODELS]) as SingleModel[];
  for (const m of members)
    if (!SINGLE_MODELS.includes(m))
      throw new Error(
        `accuracy: unknown ensemble member (expected one of ${SINGLE_MODELS.join(', ')}, got ${m})`,
      );
  const refit = parseList(ctx.flag('refit')) ?? [];
  for (const m of refit)
    if (!members.includes(m as SingleModel))
      throw new Error(
        `accuracy: --refit ${m} is not an ensemble member (expected one of ${members.join(', ')})`,
      );
  const reuseFlag = ctx.flag('reuse-members');
  const reuseDir = reuseFlag === undefined ? undefined : resolve(reuseFlag);
  if (reuseDir !== undefined && !existsSync(reuseDir))
    throw new Error(
      `accuracy: --reuse-members ${reuseDir} does not exist (expected a --dump-energies folder)`,
    );

  const dumpFlag = ctx.flag('dump-energies');
  const dumpDir = dumpFlag === undefined ? undefined : resolve(dumpFlag);
  if (dumpDir !== undefined) {
    if (existsSync(dumpDir))
      throw new Error(`accuracy: --dump-energies ${dumpDir} exists (expected a new folder)`);
    mkdirSync(dumpDir, { recursive: true });
  }

  // Published tables: --published, else DIR/published, else ../shared/data/published.
  const pubFlag = ctx.flag('published');
  const pubDir = [pubFlag, join(dataDir, 'published'), join(root, '..', 'shared', 'data', 'published')].find(
    (p): p is string => p !== undefined && existsSync(p),
  );
  const published: PublishedTable[] = pubDir === undefined ? [] : loadPublished(pubDir);

  // Labelled CSV data sets.
  const { files, skipped } = findDatasets(dataDir);
  if (skipped.length > 0) ctx.log(`accuracy: skipped ${skipped.length} CSV files without a label column`);
  const datasets: LabelledData[] = [];
  const groups = new Map<string, string>();
  for (const f of files) {
    if (only !== undefined && !only.includes(f.name)) continue;
    const d = readLabelledCsv(f.path);
    if (quick && d.rows > QUICK_MAX_ROWS) {
      ctx.log(`accuracy: --quick skips ${f.name} (${d.rows} rows)`);
      continue;
    }
    datasets.push(d);
    groups.set(d.name, f.group);
  }
  ctx.log(
    `accuracy: ${datasets.length} data sets from ${dataDir}; protocols ${protocols.join(',')}; ${seeds} seed(s); models ${models.join(',')}; fit on ≤ ${maxTrain} rows`,
  );

  // Per protocol, data set, model: the per-seed scores.
  const scores = new Map<string, ModelScore[]>();
  const key = (p: string, d: string, m: string): string => `${p}|${d}|${m}`;
  const bySeed = new Map<string, ModelScore>();
  const failures: string[] = [];
  for (const protocol of protocols) {
    for (const d of datasets) {
      const td = performance.now();
      for (let s = seed0; s < seed0 + seeds; s++) {
        const split = prepare(d, protocol, s);
        if (!hasBothClasses(split.yTest)) {
          ctx.log(
            `accuracy: ${protocol} ${d.name} seed ${s}: the test part holds one class only; seed skipped`,
          );
          continue;
        }
        const dump =
          dumpDir === undefined
            ? undefined
            : (m: MemberEnergies): void => dumpMembers(dumpDir, `${protocol}-${d.name}-${s}`, m, split.yTest);
        const reuse =
          reuseDir === undefined
            ? undefined
            : reusedMembers(reuseDir, `${protocol}-${d.name}-${s}`, split.yTest, refit);
        const res = scoreModels(split, models, s, maxTrain, undefined, members, dump, reuse);
        for (const [m, r] of res) {
          if (r instanceof Error) {
            failures.push(`${protocol} ${d.name} ${m} seed ${s}: ${r.message}`);
            continue;
          }
          const k = key(protocol, d.name, m);
          const list = scores.get(k) ?? [];
          list.push(r);
          scores.set(k, list);
          bySeed.set(`${k}|${s}`, r);
        }
      }
      const fits = models
        .map((m) => {
          const list = scores.get(key(protocol, d.name, m)) ?? [];
          return `${m} ${(list.reduce((a, r) => a + r.fitSeconds, 0) / Math.max(list.length, 1)).toFixed(1)}`;
        })
        .join(', ');
      ctx.log(
        `accuracy: ${protocol} ${d.name} (${d.rows}×${d.cols}) done in ${((performance.now() - td) / 1000).toFixed(1)} s (fit s/seed: ${fits})`,
      );
    }
  }
  for (const f of failures.slice(0, 20)) ctx.log(`accuracy: failed: ${f}`);

  const results: AccuracyResults = {
    protocols,
    models,
    members,
    seeds,
    maxTrain,
    datasets: datasets.map((d) => ({
      name: d.name,
      group: groups.get(d.name) ?? '',
      rows: d.rows,
      cols: d.cols,
      anomalies: d.y.reduce((a, b) => a + b, 0),
    })),
    mean(protocol, dataset, model, metric) {
      const list = scores.get(key(protocol, dataset, model));
      if (list === undefined || list.length === 0) return undefined;
      return list.reduce((a, r) => a + r[metric], 0) / list.length;
    },
    seedScore(protocol, dataset, model, metric, seed) {
      return bySeed.get(`${key(protocol, dataset, model)}|${seed}`)?.[metric];
    },
    published,
    nslKdd: [],
    nslKddNovelTypes: [],
    nslKddFeaturization: undefined,
    failures,
    seconds: 0,
    cpuSeconds: 0,
    command: '',
    reused: reuseDir === undefined ? undefined : { dir: reuseDir, refit },
  };

  // Figures: per data set, and means over data sets.
  for (const protocol of protocols) {
    for (const m of models) {
      for (const metric of ['rocAuc', 'averagePrecision'] as const) {
        const unit = metric === 'rocAuc' ? 'roc_auc' : 'average_precision';
        const vals: number[] = [];
        for (const d of results.datasets) {
          const v = results.mean(protocol, d.name, m, metric);
          if (v === undefined) continue;
          vals.push(v);
          ctx.report({
            bench: 'accuracy',
            name: `${protocol} ${d.name} ${m}`,
            value: v,
            unit,
            dataset: d.name,
            model: m,
            protocol,
          });
        }
        if (vals.length > 0) {
          const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
          ctx.report({
            bench: 'accuracy',
            name: `${protocol} ${m} mean`,
            value: mean,
            unit,
            dataset: 'mean',
            model: m,
            protocol,
          });
        }
      }
    }
    reportPeers(ctx, results, protocol);
  }

  // NSL-KDD.
  const nslFlag = ctx.flag('nsl-kdd');
  let nsl: NslKddFiles | undefined;
  if (nslFlag === 'none') nsl = undefined;
  else if (nslFlag !== undefined) {
    nsl = nslKddFilesIn(resolve(nslFlag));
    if (nsl === undefined) throw new Error(`accuracy: no KDDTrain+*.txt and KDDTest+.txt in ${nslFlag}`);
  } else nsl = findNslKdd(dataDir);
  if (nsl !== undefined && (only === undefined || only.includes('nsl-kdd'))) {
    const tn = performance.now();
    const { nslKdd, novelTypes, choice } = runNslKdd(
      ctx,
      nsl,
      models,
      members,
      seeds,
      maxTrain,
      seed0,
      dumpDir,
      reuseDir === undefined ? undefined : { dir: reuseDir, refit },
    );
    results.nslKdd.push(...nslKdd);
    results.nslKddNovelTypes.push(...novelTypes);
    results.nslKddFeaturization = choice;
    ctx.log(`accuracy: nsl-kdd done in ${((performance.now() - tn) / 1000).toFixed(1)} s`);
  }

  results.seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  results.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const shownArgs = ctx.args.filter((a) => a !== '--write-docs');
  results.command = `pnpm bench accuracy${shownArgs.length > 0 ? ` ${shownArgs.join(' ')}` : ''}`;
  ctx.log(`accuracy: total ${results.seconds.toFixed(0)} s wall, ${results.cpuSeconds.toFixed(0)} s CPU`);
  if (writeDocs) {
    const path = join(root, 'docs', 'benchmarks.md');
    writeSection(path, 'accuracy', renderAccuracySection(results));
    ctx.log(`accuracy: wrote the accuracy section of ${path}`);
  }
}

/** Peer lines: published means over the data sets both sides cover, with ratio ours ÷ peer. */
function reportPeers(ctx: BenchContext, r: AccuracyResults, protocol: ProtocolName): void {
  const peers: { table: PublishedTable; method: string; ours: ModelName }[] = [];
  const pyodRoc = r.published.find((t) => t.source === 'pyod-2024' && t.unit === 'roc_auc');
  const pyodAp = r.published.find((t) => t.source === 'pyod-2024' && t.unit === 'average_precision');
  const adb = r.published.find((t) => t.source === 'adbench-D4');
  if (protocol === 'pyod') {
    for (const t of [pyodRoc, pyodAp]) {
      if (t === undefined) continue;
      peers.push({ table: t, method: 'AutoEncoder', ours: 'autoencoder' });
      peers.push({ table: t, method: 'GMM', ours: 'mixture' });
      peers.push({ table: t, method: 'MCD', ours: 'gaussian' });
      peers.push({ table: t, method: 'INNE', ours: 'ensemble' });
    }
  }
  if (protocol === 'adbench' && adb !== undefined) {
    peers.push({ table: adb, method: 'IForest', ours: 'ensemble' });
    peers.push({ table: adb, method: 'PCA', ours: 'gaussian' });
  }
  for (const p of peers) {
    if (!r.models.includes(p.ours)) continue;
    const metric = p.table.unit === 'roc_auc' ? 'rocAuc' : 'averagePrecision';
    const ours: number[] = [];
    const theirs: number[] = [];
    for (const d of r.datasets) {
      const o = r.mean(protocol, d.name, p.ours, metric);
      const t = publishedValue(p.table, d.name, p.method);
      if (o === undefined || t === undefined) continue;
      ours.push(o);
      theirs.push(t);
    }
    if (ours.length === 0) continue;
    const om = ours.reduce((a, b) => a + b, 0) / ours.length;
    const tm = theirs.reduce((a, b) => a + b, 0) / theirs.length;
    ctx.report({
      bench: 'accuracy',
      name: `${protocol} ${p.ours} mean vs ${p.table.source} ${p.method} (${ours.length} sets)`,
      value: tm,
      unit: p.table.unit,
      peer: `${p.table.source} ${p.method}`,
      ratio: om / tm,
      dataset: 'mean',
      model: p.ours,
      protocol,
    });
  }
}

function runNslKdd(
  ctx: BenchContext,
  files: NslKddFiles,
  models: readonly ModelName[],
  members: readonly SingleModel[],
  seeds: number,
  maxTrain: number,
  seed0: number,
  dumpDir: string | undefined,
  reuse: ReuseFrom | undefined,
): { nslKdd: NslKddResult[]; novelTypes: string[]; choice: KddFeaturizationChoice } {
  const train = readKdd(files.train);
  const testPlus = readKdd(files.testPlus);
  const test21 = files.test21 === undefined ? undefined : readKdd(files.test21);
  // the featurization is chosen by validation on the training file alone (never on the test files)
  const choice = chooseKddFeaturization(train);
  ctx.log(
    `accuracy: nsl-kdd featurization by validation on ${files.train} (${choice.splits} half splits): ${choice.validation
      .map((v) => `${v.name} ${v.rocAuc.toFixed(4)}`)
      .join(', ')} → ${choice.chosen.name}`,
  );
  const sets = nslKddSets(train, testPlus, test21, choice.chosen.options);
  ctx.log(
    `accuracy: nsl-kdd: ${sets.trainRows} normal training rows × ${sets.featurizer.cols} features; ${sets.novelTypes.length} novel attack types`,
  );
  // One fit per seed; every test set is scored with the same fitted models.
  const acc = new Map<string, { roc: number[]; ap: number[] }>();
  const nslSeeds = Math.min(seeds, 3);
  for (let s = seed0; s < seed0 + nslSeeds; s++) {
    const fitted = scoreNslSeed(sets, models, members, s, maxTrain, dumpDir, reuse);
    for (const [k, v] of fitted) {
      const a = acc.get(k) ?? { roc: [], ap: [] };
      a.roc.push(v.rocAuc);
      a.ap.push(v.averagePrecision);
      acc.set(k, a);
    }
  }
  const out: NslKddResult[] = [];
  for (const t of sets.tests) {
    for (const m of models) {
      const a = acc.get(`${t.name}|${m}`);
      if (a === undefined) continue;
      const roc = a.roc.reduce((x, y) => x + y, 0) / a.roc.length;
      const ap = a.ap.reduce((x, y) => x + y, 0) / a.ap.length;
      out.push({
        test: t.name,
        model: m,
        rocAuc: roc,
        averagePrecision: ap,
        rows: t.rows,
        anomalies: t.y.reduce((x, y) => x + y, 0),
      });
      ctx.report({
        bench: 'accuracy',
        name: `nsl-kdd ${t.name} ${m}`,
        value: roc,
        unit: 'roc_auc',
        dataset: t.name,
        model: m,
        protocol: 'nsl-kdd',
      });
      ctx.report({
        bench: 'accuracy',
        name: `nsl-kdd ${t.name} ${m}`,
        value: ap,
        unit: 'average_precision',
        dataset: t.name,
        model: m,
        protocol: 'nsl-kdd',
      });
    }
  }
  return { nslKdd: out, novelTypes: sets.novelTypes, choice };
}

/** `--reuse-members DIR` and the members `--refit` fits again anyway. */
interface ReuseFrom {
  readonly dir: string;
  readonly refit: readonly string[];
}

/** Fits the models once on the NSL-KDD training matrix and scores every test set. */
function scoreNslSeed(
  sets: ReturnType<typeof nslKddSets>,
  models: readonly ModelName[],
  members: readonly SingleModel[],
  seed: number,
  maxTrain: number,
  dumpDir: string | undefined,
  reuseFrom: ReuseFrom | undefined,
): Map<string, ModelScore> {
  // scoreModels fits per test set; to fit once, concatenate the test sets and split the energies after.
  const cols = sets.featurizer.cols;
  const total = sets.tests.reduce((a, t) => a + t.rows, 0);
  const test = new Float64Array(total * cols);
  const y = new Uint8Array(total);
  let off = 0;
  for (const t of sets.tests) {
    test.set(t.X, off * cols);
    y.set(t.y, off);
    off += t.rows;
  }
  const out = new Map<string, ModelScore>();
  // reused members: the dumps of the test sets, joined again in the same order
  let reuse: MemberEnergies | undefined;
  if (reuseFrom !== undefined) {
    const parts = sets.tests.map((t) =>
      reusedMembers(reuseFrom.dir, `nsl-kdd-${t.name}-${seed}`, t.y, reuseFrom.refit),
    );
    const first = parts[0];
    if (first !== undefined && parts.every((p) => p !== undefined)) {
      const all = parts as MemberEnergies[];
      reuse = {
        members: first.members,
        train: first.train,
        test: first.members.map((_, j) => {
          const e = new Float64Array(total);
          let o = 0;
          for (const p of all) {
            e.set(p.test[j] as Float64Array, o);
            o += (p.test[j] as Float64Array).length;
          }
          return e;
        }),
      };
    }
  }
  const energies = scoreModels(
    {
      cols,
      trainRows: sets.trainRows,
      train: sets.train,
      testRows: total,
      test,
      yTest: y,
      contaminated: false,
    },
    models,
    seed,
    maxTrain,
    (m, e, fitSeconds) => {
      let o = 0;
      for (const t of sets.tests) {
        out.set(`${t.name}|${m}`, scoreOf(t.y, e.subarray(o, o + t.rows), fitSeconds));
        o += t.rows;
      }
    },
    members,
    dumpDir === undefined
      ? undefined
      : (m) => {
          // one file per test set, each with the same training energies
          let o = 0;
          for (const t of sets.tests) {
            const part = { ...m, test: m.test.map((e) => e.subarray(o, o + t.rows)) };
            dumpMembers(dumpDir, `nsl-kdd-${t.name}-${seed}`, part, t.y);
            o += t.rows;
          }
        },
    reuse,
  );
  for (const [m, r] of energies) if (r instanceof Error) throw new Error(`nsl-kdd ${m}: ${r.message}`);
  return out;
}

/**
 * The member energies of dump NAME in DIR (`--reuse-members`), or undefined when DIR holds no such dump; its
 * test labels must equal `y` (the same split), else an error.
 */
function reusedMembers(
  dir: string,
  name: string,
  y: Uint8Array,
  refit: readonly string[],
): MemberEnergies | undefined {
  const file = name.replace(/[^A-Za-z0-9+._-]/g, '_'); // as dumpMembers names it
  if (!existsSync(join(dir, `${file}.json`))) return undefined;
  const d = readDump(dir, file);
  if (d.y.length !== y.length || d.y.some((v, i) => v !== y[i]))
    throw new Error(`accuracy: --reuse-members ${name}: the dump's test labels differ from this split's`);
  const keep = d.energies.members.flatMap((m, j) => (refit.includes(m) ? [] : [j]));
  const e = d.energies;
  return {
    members: keep.map((j) => e.members[j] as SingleModel),
    train: keep.map((j) => e.train[j] as Float64Array),
    test: keep.map((j) => e.test[j] as Float64Array),
  };
}
