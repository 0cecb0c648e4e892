import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Matrix, Rng } from '@nexus/ebm-core';
import { EnsembleEnergy, GaussianMixture } from '@nexus/ebm-energies';
import { describe, expect, it } from 'vitest';
import { parseLabelledCsv, readLabelledCsv } from './lib/csv.js';
import { findDatasets, findNslKdd } from './lib/datasets.js';
import { dumpMembers, readDump } from './lib/dumps.js';
import { combineMembers, type MemberEnergies, scoreModels } from './lib/evaluate.js';
import { BicMixture, createModel, pruneSmallComponents } from './lib/models.js';
import { nslKddSets, QuantileNormal, readKdd } from './lib/nslkdd.js';
import { cleanSplit, prepare, randomSplit, stratifiedSplit } from './lib/protocols.js';
import { bestMethod, loadPublished, publishedValue } from './lib/published.js';
import { type AccuracyResults, seedStandardError } from './lib/render.js';
import { averageRanks, ranks, writeSection } from './lib/table.js';

const data = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data');

describe('labelled CSV reading', () => {
  it('finds the 17 ODDS and 3 ADBench sets and skips unlabelled CSVs', () => {
    const { files } = findDatasets(data);
    const names = files.map((f) => f.name);
    expect(names).toHaveLength(20);
    for (const n of ['arrhythmia', 'mnist', 'satimage-2', 'wbc', 'http', 'smtp', 'thyroid'])
      expect(names).toContain(n);
    expect(files.find((f) => f.name === 'mnist')?.group).toBe('odds');
  });

  it('reads plain and gzipped files with the label column wherever it is', () => {
    const glass = readLabelledCsv(join(data, 'odds', 'glass.csv'));
    expect([glass.rows, glass.cols]).toEqual([214, 9]);
    expect(glass.y.reduce((a, b) => a + b, 0)).toBe(9);
    const mnist = readLabelledCsv(join(data, 'odds', 'mnist.csv.gz'));
    expect([mnist.rows, mnist.cols]).toEqual([7603, 100]);
    const d = parseLabelledCsv('Class,a,b\n1,2,3\n0,4,5\n', 't');
    expect(Array.from(d.X)).toEqual([2, 3, 4, 5]);
    expect(Array.from(d.y)).toEqual([1, 0]);
    expect(() => parseLabelledCsv('a,label\nx,1\n', 't')).toThrow(/line 2/);
  });

  it('reads any folder, gzipped or not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acc-'));
    writeFileSync(join(dir, 'one.csv'), 'f1,f2,label\n1,2,0\n3,4,1\n');
    writeFileSync(join(dir, 'two.csv.gz'), gzipSync('label,f\n0,1\n1,2\n'));
    writeFileSync(join(dir, 'notes.csv'), 'a,b\n1,2\n');
    const { files, skipped } = findDatasets(dir);
    expect(files.map((f) => f.name)).toEqual(['one', 'two']);
    expect(skipped).toEqual(['notes.csv']);
    expect(readLabelledCsv(join(dir, 'two.csv.gz')).rows).toBe(2);
  });
});

describe('splits and protocols', () => {
  it('random, stratified and clean splits partition the rows as documented', () => {
    const y = Uint8Array.from({ length: 200 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const r = randomSplit(200, 0.6, new Rng(1));
    expect(r.train.length).toBe(120);
    expect(new Set([...r.train, ...r.test]).size).toBe(200);
    const s = stratifiedSplit(y, 0.7, new Rng(1));
    expect(Array.from(s.train).filter((i) => y[i] === 1)).toHaveLength(14);
    const c = cleanSplit(y, 0.6, new Rng(1));
    expect(Array.from(c.train).every((i) => y[i] === 0)).toBe(true);
    expect(c.train.length).toBe(108);
    expect(Array.from(c.test).filter((i) => y[i] === 1)).toHaveLength(20);
  });

  it('z-scores on the training part and is deterministic per seed', () => {
    const d = readLabelledCsv(join(data, 'odds', 'pima.csv'));
    const a = prepare(d, 'pyod', 3);
    const b = prepare(d, 'pyod', 3);
    expect(Array.from(a.test.slice(0, 16))).toEqual(Array.from(b.test.slice(0, 16)));
    expect(a.trainRows).toBe(Math.round(0.6 * d.rows));
    let m = 0;
    for (let i = 0; i < a.trainRows; i++) m += a.train[i * a.cols] as number;
    expect(Math.abs(m / a.trainRows)).toBeLessThan(1e-9);
    expect(prepare(d, 'clean', 0).trainAnomalies).toBe(0);
  });
});

describe('scoring', () => {
  it('fits and scores deterministically; the ensemble reports its members without refitting them', () => {
    const d = readLabelledCsv(join(data, 'odds', 'wbc.csv'));
    const split = prepare(d, 'pyod', 0);
    const a = scoreModels(split, ['gaussian', 'mixture', 'ensemble'], 0, 20000, undefined, [
      'gaussian',
      'mixture',
    ]);
    const b = scoreModels(split, ['gaussian'], 0, 20000);
    const g = a.get('gaussian');
    const e = a.get('ensemble');
    if (g === undefined || g instanceof Error || e === undefined || e instanceof Error)
      throw new Error('failed');
    expect(g.rocAuc).toBeGreaterThan(0.8);
    expect(e.rocAuc).toBeGreaterThan(0.8);
    expect(g.rocAuc).toBe((b.get('gaussian') as { rocAuc: number }).rocAuc);
  });
});

describe('ensemble combinations in the bench', () => {
  it('are the energies EnsembleEnergy gives with the same members and options (bit for bit)', () => {
    const d = readLabelledCsv(join(data, 'odds', 'wbc.csv'));
    const split = prepare(d, 'pyod', 3);
    const members = ['gaussian', 'knn', 'histogram'] as const;
    let got: MemberEnergies | undefined;
    scoreModels(split, ['ensemble-consensus'], 3, 20000, undefined, members, (m) => {
      got = m;
    });
    if (got === undefined) throw new Error('no member energies');
    const train = new Matrix(split.trainRows, split.cols, split.train);
    const test = new Matrix(split.testRows, split.cols, split.test);
    for (const [weighting, combine] of [
      ['consensus', 'mean'],
      ['select', 'mean'],
      ['equal', 'mean'],
      ['equal', 'trimmed'],
    ] as const) {
      const ens = new EnsembleEnergy({
        members: members.map((m) => createModel(m, train.rows, train.cols, split)),
        weighting,
        combine,
      }).fit(train, { seed: 3 });
      const want = ens.energy(test);
      const bench = combineMembers(got, 'quantile', weighting, combine === 'trimmed');
      expect(Array.from(bench)).toEqual(Array.from(want));
    }
  });
});

describe('reused member energies (--reuse-members)', () => {
  it('give the energies a fresh fit gives, through a dump, and wrong row counts are refused', () => {
    const d = readLabelledCsv(join(data, 'odds', 'wbc.csv'));
    const split = prepare(d, 'pyod', 4);
    const members = ['gaussian', 'histogram', 'inne'] as const;
    let fresh: MemberEnergies | undefined;
    const a = scoreModels(split, ['ensemble', 'inne'], 4, 20000, undefined, members, (m) => {
      fresh = m;
    });
    if (fresh === undefined) throw new Error('no member energies');
    // an earlier run of the first two members only, dumped and read back
    const dir = mkdtempSync(join(tmpdir(), 'ebm-reuse-'));
    const two = {
      members: fresh.members.slice(0, 2),
      train: fresh.train.slice(0, 2),
      test: fresh.test.slice(0, 2),
    };
    dumpMembers(dir, 'pyod-wbc-4', two, split.yTest);
    const back = readDump(dir, 'pyod-wbc-4');
    expect(back.y).toEqual(split.yTest);
    let again: MemberEnergies | undefined;
    const b = scoreModels(
      split,
      ['ensemble', 'inne'],
      4,
      20000,
      undefined,
      members,
      (m) => {
        again = m;
      },
      back.energies,
    );
    if (again === undefined) throw new Error('no member energies');
    for (let i = 0; i < 3; i++)
      expect(Array.from(again.test[i] as Float64Array)).toEqual(Array.from(fresh.test[i] as Float64Array));
    expect(b.get('ensemble')).toMatchObject({ rocAuc: (a.get('ensemble') as { rocAuc: number }).rocAuc });
    expect(b.get('inne')).toMatchObject({ rocAuc: (a.get('inne') as { rocAuc: number }).rocAuc });
    const short = { ...two, test: two.test.map((e) => e.subarray(1)) };
    const bad = scoreModels(split, ['ensemble'], 4, 20000, undefined, members, undefined, short).get(
      'ensemble',
    );
    expect(bad).toBeInstanceOf(Error);
    expect((bad as Error).message).toMatch(/reused gaussian energies have the wrong row counts/);
  });
});

describe('histogram energy on real data', () => {
  it('ranks lympho as the published HBOS does (0.996 in PyOD 2024)', () => {
    const d = readLabelledCsv(join(data, 'odds', 'lympho.csv'));
    let sum = 0;
    for (let s = 0; s < 3; s++) {
      const r = scoreModels(prepare(d, 'pyod', s), ['histogram'], s, 20000).get('histogram');
      if (r === undefined || r instanceof Error) throw new Error('failed');
      sum += r.rocAuc;
    }
    expect(sum / 3).toBeGreaterThan(0.97);
  });
});

describe('mixture pruning', () => {
  it('drops components under 10 % of the weight and renormalises', () => {
    const rng = new Rng(5);
    const rows: number[][] = [];
    for (let i = 0; i < 400; i++) rows.push([rng.normal(), rng.normal()]);
    for (let i = 0; i < 400; i++) rows.push([8 + rng.normal(), rng.normal()]);
    for (let i = 0; i < 20; i++) rows.push([0, 30 + rng.normal()]);
    const gm = new GaussianMixture({ nComponents: 3, regularization: 1e-3 }).fit(rows, { seed: 1 });
    const pruned = pruneSmallComponents(gm, 0.1);
    expect(pruned.nComponents).toBe(2);
    // The small far cluster is no longer explained by a component of its own.
    expect(pruned.energyOne([0, 30])).toBeGreaterThan(gm.energyOne([0, 30]) + 10);
  });
});

describe('training kind (from the protocol, never from labels)', () => {
  it('trims the Gaussian and prunes the mixture only when the training rows may hold anomalies', () => {
    const d = readLabelledCsv(join(data, 'odds', 'wbc.csv'));
    expect(prepare(d, 'pyod', 0).contaminated).toBe(true);
    expect(prepare(d, 'adbench', 0).contaminated).toBe(true);
    expect(prepare(d, 'clean', 0).contaminated).toBe(false);
    const g = createModel('gaussian', 1000, 4, { contaminated: true });
    const m = createModel('mixture', 1000, 4, { contaminated: false });
    expect((g as { trim?: number }).trim).toBe(0.25);
    expect((createModel('gaussian', 1000, 4, { contaminated: false }) as { trim?: number }).trim).toBe(0);
    expect(m instanceof BicMixture && m.minWeight).toBe(0);
    const pruning = createModel('mixture', 1000, 4, { contaminated: true });
    expect(pruning instanceof BicMixture && pruning.minWeight).toBe(0.1);
    expect(pruning instanceof BicMixture && pruning.trim).toBe(0.25);
    expect(m instanceof BicMixture && m.trim).toBe(0);
  });
});

describe('published tables', () => {
  it('joins PyOD 2024 and ADBench D4 by name; INNE is the best PyOD mean on the 17 ODDS sets', () => {
    const pub = loadPublished(join(data, 'published'));
    const roc = pub.find((t) => t.source === 'pyod-2024' && t.unit === 'roc_auc');
    const adb = pub.find((t) => t.source === 'adbench-D4');
    if (roc === undefined || adb === undefined) throw new Error('published tables missing');
    const odds = findDatasets(join(data, 'odds')).files.map((f) => f.name);
    const best = bestMethod(roc, odds);
    expect(best?.method).toBe('INNE');
    expect(best?.mean).toBeCloseTo(0.8265, 3);
    expect(publishedValue(roc, 'satimage-2', 'GMM')).toBeCloseTo(0.98398, 4);
    expect(publishedValue(roc, 'arrhythmia', 'ALAD')).toBeUndefined();
    expect(publishedValue(adb, 'thyroid', 'IForest')).toBeCloseTo(0.983, 4);
  });
});

describe('NSL-KDD', () => {
  it('QuantileNormal matches scikit-learn QuantileTransformer(output_distribution="normal")', () => {
    const X = Float64Array.from([0, 1, 0, 2, 0, 3, 1, 4, 5, 5, 0, 6, 2, 7]);
    const q = QuantileNormal.fit(X, 7, 2);
    const T = Float64Array.from([0, 1.5, 1, 3.5, 3, 7, -1, 10, 5, 4]);
    q.apply(T, 5);
    // scikit-learn 1.2.1, n_quantiles=1000 (capped at the 7 rows)
    const want = [
      -5.199337582606, -1.382994127101, 0.430727299295, -0.210428394248, 1.220640348847, 5.199337582703,
      -5.199337582606, 5.199337582703, 5.199337582703, 0,
    ];
    want.forEach((w, i) => {
      expect(T[i]).toBeCloseTo(w, 6);
    });
  });

  it('featurizes the normal training rows and finds the 18 novel attack types', () => {
    const files = findNslKdd(data);
    if (files === undefined || files.test21 === undefined) throw new Error('NSL-KDD missing');
    const train = readKdd(files.train);
    expect(train).toHaveLength(25192);
    const sets = nslKddSets(train, readKdd(files.testPlus), readKdd(files.test21));
    expect(sets.trainRows).toBe(train.filter((r) => r.label === 'normal').length);
    expect(sets.novelTypes).toHaveLength(18);
    const novel = sets.tests.find((t) => t.name === 'KDDTest+ novel');
    expect(novel?.y.reduce((a, b) => a + b, 0)).toBe(3752);
    expect(sets.tests.map((t) => t.rows)).toEqual([22544, novel?.rows, 11850]);
    // zero indicators for the numeric fields that are not 0/1, none for 0/1 fields
    const names = sets.featurizer.featureNames;
    expect(names).toContain('src_bytes≠0');
    expect(names).toContain('logged_in');
    expect(names).not.toContain('logged_in≠0');
    // z-scored: every training column has mean 0.
    const c = sets.featurizer.cols;
    for (let j = 0; j < c; j += 7) {
      let m = 0;
      for (let i = 0; i < sets.trainRows; i++) m += sets.train[i * c + j] as number;
      expect(Math.abs(m / sets.trainRows)).toBeLessThan(1e-9);
    }
  });
});

describe('tables and docs', () => {
  it('ranks with ties and averages over complete rows', () => {
    expect(ranks([0.9, 0.8, 0.9])).toEqual([1.5, 3, 1.5]);
    expect(
      averageRanks([
        [1, 2],
        [2, 1],
        [undefined, 1],
      ]),
    ).toEqual({ ranks: [1.5, 1.5], rows: 2 });
  });

  it('gives the standard error over seeds of the mean over data sets, leaving out incomplete seeds', () => {
    // Seed means over the two sets: 0.7, 0.8, 0.9 (seed 3 lacks set b and is left out).
    const table: Record<string, (number | undefined)[]> = {
      a: [0.6, 0.8, 0.8, 0.5],
      b: [0.8, 0.8, 1.0, undefined],
    };
    const r = {
      seeds: 4,
      seedScore: (_p: string, d: string, _m: string, _k: string, s: number) => table[d]?.[s],
    } as unknown as AccuracyResults;
    const se = seedStandardError(r, 'pyod', ['a', 'b'], 'gaussian') as number;
    expect(se).toBeCloseTo(0.1 / Math.sqrt(3), 12);
    expect(seedStandardError({ ...r, seeds: 1 } as AccuracyResults, 'pyod', ['a'], 'gaussian')).toBe(
      undefined,
    );
  });

  it('replaces only its own marked section', () => {
    const p = join(mkdtempSync(join(tmpdir(), 'acc-')), 'b.md');
    writeFileSync(p, '# Benchmarks\n\nintro\n');
    writeSection(p, 'accuracy', 'first');
    writeSection(p, 'other', 'theirs');
    writeSection(p, 'accuracy', 'second');
    const text = readFileSync(p, 'utf8');
    expect(text).toContain('intro');
    expect(text).toContain('theirs');
    expect(text).toContain('second');
    expect(text).not.toContain('first');
  });
});
