/**
 * `pnpm bench false-alarms [--json] [--users N] [--days N] [--train-days N] [--seed N | --seeds a,b,…]
 * [--models a,b]`:
 * the observed false-alarm rate of every energy on the simulator's test days (issue 15, case 6). Simulated
 * data: the authentication/SSH stream in LANL format (default 60 people, 14 days, the first 10 for
 * training). Each model is trained as `trainPipeline` does — the featurizer and the energy on the earlier
 * 80 % of the training events, the threshold calibrated on the most recent 20 % — and the later days are
 * scored through `Pipeline.score`. The threshold is set for 0.01 and then for 0.001 on the same calibration
 * energies (`Detector.setFalseAlarmRate`; the energy's fit does not depend on the rate), and the share of
 * normal test events flagged is reported beside the requested rate (`ratio` = observed ÷ requested; the
 * issue's target is 0.5–2). No peer: the figure is a property of calibration, not a race.
 *
 * Two figures per model and rate: `false-alarms MODEL RATE` counts the normal events of the test days as
 * scored in the stream that carries the injected attacks (their features hold the attacks' imprint: an
 * account's decayed failure count after a brute force, a host's raised rates), and
 * `false-alarms MODEL RATE attack-free` scores the same test days with the labelled attack events removed
 * before featurizing (the featurizer starting from the same trained state) — the data the conformal
 * threshold speaks about — with its weekday and weekend (UTC day of the event) parts.
 *
 * Beside every ratio, the central 95 % range that sampling alone explains (`sampling_low`–`sampling_high`,
 * as observed ÷ requested): were the hold-out and the test events exchangeable, the count of m normal
 * events above the threshold — the k-th largest of n calibration energies (`rank`, `calibration_events`)
 * — would be Beta-Binomial(m, k, n + 1 − k) (`falseAlarmRange`, exact). `verdict`: `inside` (0.5–2×),
 * `outside-noise` (outside 0.5–2× but inside the sampling range) or `outside-drift` (outside both: more
 * than sampling explains); `sampling` says where the count lies against the range (`below`, `within`,
 * `above`: a bias the target's wide band can hide). With `--seeds a,b,…` every seed is measured in turn (its lines carry `seed`)
 * and `… pooled` lines sum flagged and normal events over the seeds, the range being that of the sum of
 * the seeds' independent counts. Without `--json` a summary table follows the figures.
 *
 * On the stream with attacks, the normal events are also split by an attack's wake (bench/lib/wake.ts; the
 * stop-25 pre-registration in issue 15): a normal event lies in the wake of W seconds when an attack event
 * of the test days precedes it by 0 < Δt ≤ W and shares a user, source host or destination host with it
 * (the fields keying the featurizer's stream state, read from its config), for W = 3,600 and 86,400. Per W:
 * `wake_W_normal_share` (of normal events), `wake_W_flagged_share` (of flagged normal events) and the
 * figures of the clear events outside the wake — `clear_W_observed_over_requested` with its sampling range
 * (`falseAlarmRange`, m = clear events, the same threshold), `clear_W_sampling` and `clear_W_verdict`. The
 * attack-free lines carry the same fields for the same normal events (a diagnostic: what the clear events
 * get when no attack was featurized, i.e. how far the clear set's make-up alone moves its ratio).
 */
import {
  type ConformalCount,
  falseAlarmRange,
  featurizeWithHoldout,
  fitDetector,
  lineParser,
  MODEL_NAMES,
  type ModelName,
  Pipeline,
} from '@nexus/ebm';
import { authFeaturizer, formatLanl, parseLines, simulate } from '@nexus/ebm-features';
import type { BenchContext, Figure } from './lib/report.js';
import { markdownTable } from './lib/table.js';
import { attackWake, stateKeyFields, type WakeEvent } from './lib/wake.js';

const RATES = [0.01, 0.001] as const;
/** The issue's target: observed ÷ requested within [0.5, 2]. */
const TARGET_LOW = 0.5;
const TARGET_HIGH = 2;
/** The wake windows of the pre-registration, in seconds: the presets' hour windows and one day. */
const WAKE_WINDOWS = [3600, 86400] as const;

type Stream = 'with-attacks' | 'attack-free';

/** One (seed, model, rate, stream) measurement: what was flagged against which threshold. */
interface Cell {
  readonly seed: number;
  readonly model: ModelName;
  readonly rate: number;
  readonly stream: Stream;
  readonly flagged: number;
  readonly normal: number;
  /** The threshold: the `rank`-th largest of `calibration` energies. */
  readonly part: ConformalCount;
  readonly weekend?: { readonly flagged: number; readonly events: number };
  /**
   * Per wake window (as {@link WAKE_WINDOWS}), the normal events in an attack's wake and those flagged; on
   * the attack-free stream, the same events (membership taken from the stream with attacks).
   */
  readonly wake?: readonly WakeCount[];
}

/** The normal events in an attack's wake of `window` seconds, and how many of them were flagged. */
interface WakeCount {
  readonly window: number;
  readonly normal: number;
  readonly flagged: number;
}

function intFlag(ctx: BenchContext, name: string, fallback: number): number {
  const v = ctx.flag(name);
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`bench false-alarms: --${name} must be a positive integer (got ${v})`);
  return n;
}

function seedList(ctx: BenchContext): number[] {
  const list = ctx.flag('seeds');
  if (list === undefined) return [intFlag(ctx, 'seed', 1)];
  if (ctx.flag('seed') !== undefined)
    throw new Error('bench false-alarms: give --seed N or --seeds a,b,… (got both)');
  const seeds = list.split(',').map(Number);
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 1))
    throw new Error(`bench false-alarms: --seeds must list positive integers (got ${list})`);
  if (new Set(seeds).size !== seeds.length)
    throw new Error(`bench false-alarms: --seeds lists a seed twice (got ${list})`);
  return seeds;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The sampling range (as observed ÷ requested) and the verdict of a flagged count. */
function judge(
  flagged: number,
  normal: number,
  rate: number,
  parts: readonly ConformalCount[],
): {
  ratio: number;
  low: number;
  high: number;
  lowCount: number;
  highCount: number;
  expected: number;
  verdict: string;
  sampling: 'below' | 'within' | 'above';
} {
  const r = falseAlarmRange(parts);
  const ratio = flagged / normal / rate;
  const verdict =
    ratio >= TARGET_LOW && ratio <= TARGET_HIGH
      ? 'inside'
      : flagged >= r.low && flagged <= r.high
        ? 'outside-noise'
        : 'outside-drift';
  return {
    ratio,
    low: r.low / normal / rate,
    high: r.high / normal / rate,
    lowCount: r.low,
    highCount: r.high,
    expected: r.mean,
    verdict,
    sampling: flagged < r.low ? 'below' : flagged > r.high ? 'above' : 'within',
  };
}

/** The JSON fields of a judged cell: expected count, sampling range (ratio and counts), verdicts. */
function samplingFields(j: ReturnType<typeof judge>): Record<string, number | string> {
  return {
    expected_flagged: Math.round(j.expected * 10) / 10,
    sampling_low: round2(j.low),
    sampling_high: round2(j.high),
    sampling_low_flagged: j.lowCount,
    sampling_high_flagged: j.highCount,
    verdict: j.verdict,
    sampling: j.sampling,
  };
}

/** Per wake window: the events in the wake (`wakes[j][i] === 1`) and how many of them `flag` marks. */
function wakeCounts(flag: ArrayLike<number>, wakes: readonly Uint8Array[]): WakeCount[] {
  return WAKE_WINDOWS.map((window, j): WakeCount => {
    const inWake = wakes[j] as Uint8Array;
    let events = 0;
    let hits = 0;
    for (let i = 0; i < flag.length; i++) {
      if (inWake[i] !== 1) continue;
      events++;
      if (flag[i] === 1) hits++;
    }
    return { window, normal: events, flagged: hits };
  });
}

/** A share rounded to four decimals, none of nothing. */
function share(part: number, whole: number): number | undefined {
  return whole === 0 ? undefined : Math.round((part / whole) * 10000) / 10000;
}

/**
 * The wake's shares and the clear events' judged figures, per wake window, over the cells of one or
 * several seeds (one model, rate and stream): JSON fields and the summary table's columns. The clear
 * events of each seed face that seed's threshold, so the range is of the sum of the seeds' counts.
 */
function wakeFigures(
  cs: readonly Cell[],
  rate: number,
): { fields: Record<string, number | string | undefined>; cols: string[] } {
  const fields: Record<string, number | string | undefined> = {};
  const cols: string[] = [];
  WAKE_WINDOWS.forEach((window, j) => {
    let normal = 0;
    let flagged = 0;
    let wakeNormal = 0;
    let wakeFlagged = 0;
    const parts: ConformalCount[] = [];
    for (const c of cs) {
      const w = c.wake?.[j];
      if (w === undefined || w.window !== window) break;
      normal += c.normal;
      flagged += c.flagged;
      wakeNormal += w.normal;
      wakeFlagged += w.flagged;
      parts.push({ calibration: c.part.calibration, rank: c.part.rank, events: c.normal - w.normal });
    }
    if (parts.length !== cs.length) {
      cols.push('–', '–');
      return;
    }
    const clearNormal = normal - wakeNormal;
    const clearFlagged = flagged - wakeFlagged;
    const normalShare = share(wakeNormal, normal);
    const flaggedShare = share(wakeFlagged, flagged);
    Object.assign(fields, {
      [`wake_${window}_normal_events`]: wakeNormal,
      [`wake_${window}_normal_flagged`]: wakeFlagged,
      [`wake_${window}_normal_share`]: normalShare,
      [`wake_${window}_flagged_share`]: flaggedShare,
      [`clear_${window}_normal_events`]: clearNormal,
      [`clear_${window}_normal_flagged`]: clearFlagged,
    });
    const pct = (x: number | undefined): string => (x === undefined ? '–' : `${(x * 100).toFixed(1)} %`);
    cols.push(`${pct(normalShare)} / ${pct(flaggedShare)}`);
    if (clearNormal === 0) {
      cols.push('–');
      return;
    }
    const jc = judge(clearFlagged, clearNormal, rate, parts);
    fields[`clear_${window}_observed_over_requested`] = round2(jc.ratio);
    for (const [k, v] of Object.entries(samplingFields(jc))) fields[`clear_${window}_${k}`] = v;
    cols.push(
      `${jc.ratio.toFixed(2)}× · ${jc.low.toFixed(2)}–${jc.high.toFixed(2)} (${jc.sampling}) · ${jc.verdict}`,
    );
  });
  return { fields, cols };
}

function measureSeed(
  ctx: BenchContext,
  seed: number,
  users: number,
  days: number,
  trainDays: number,
  models: readonly ModelName[],
): Cell[] {
  const sim = simulate({ seed, users, days, trainDays });
  const logs = formatLanl(sim);
  const cut = logs.times.findIndex((t) => t >= sim.testStart);
  const train = parseLines(lineParser('lanl'), logs.lines.slice(0, cut), { policy: 'throw' }).events;
  const test = parseLines(lineParser('lanl'), logs.lines.slice(cut), { policy: 'throw' }).events;
  const normal = logs.labels.slice(cut).map((l) => l === null);
  const nNormal = normal.filter(Boolean).length;
  const cleanLines = logs.lines.slice(cut).filter((_, i) => normal[i]);
  const clean = parseLines(lineParser('lanl'), cleanLines, { policy: 'throw' }).events;
  const weekend = logs.times
    .slice(cut)
    .filter((_, i) => normal[i])
    .map((t) => {
      const day = new Date(t * 1000).getUTCDay();
      return day === 0 || day === 6;
    });
  const nWeekend = weekend.filter(Boolean).length;
  // The attacks' wakes: the entity fields are those the featurizer keys its stream state by.
  const fields = stateKeyFields(authFeaturizer({ seed }).config);
  if (test.length !== normal.length)
    throw new Error(
      `bench false-alarms: test events and labels differ (expected ${normal.length} events, got ${test.length})`,
    );
  const wakeInput: WakeEvent[] = test.map((e, i) => {
    const r = e as Record<string, unknown>;
    return {
      time: typeof r.time === 'number' ? r.time : Number.NaN,
      entities: fields.map((f) => String(r[f] ?? '')),
      attack: normal[i] !== true,
    };
  });
  const wakes = WAKE_WINDOWS.map((w) => attackWake(wakeInput, w));
  // the same normal events in the attack-free stream (which holds the normal events alone, in order)
  const cleanWakes = wakes.map((w) => w.filter((_, i) => normal[i] === true));
  if (clean.length !== nNormal)
    throw new Error(
      `bench false-alarms: the attack-free stream differs from the normal events (expected ${nNormal}, got ${clean.length})`,
    );
  const empty = wakeInput.filter((e) => e.entities.includes('')).length;
  ctx.log(
    `seed ${seed}: wake entities ${fields.join(', ')}; ${test.length - nNormal} attack events; normal events in a wake: ${WAKE_WINDOWS.map(
      (w, j) => `${(wakes[j] as Uint8Array).reduce((a, b) => a + b, 0)} within ${w} s`,
    ).join(', ')}; ${empty} test events with an empty entity value`,
  );
  ctx.log(
    `seed ${seed}: simulated ${users} people, ${days} days (training on ${trainDays}): ${train.length} training events, ${test.length} test events (${nNormal} normal); simulated data`,
  );
  const cells: Cell[] = [];
  for (const m of models) {
    const t0 = performance.now();
    const featurizer = authFeaturizer({ seed });
    const { fit, calibration } = featurizeWithHoldout(featurizer, train, 0.2);
    const { detector } = fitDetector(fit, { model: m, seed, calibrationRows: calibration });
    const pipeline = new Pipeline({
      format: 'lanl',
      modelName: m,
      featurizer,
      detector,
      trainedEvents: train.length,
    });
    const s = pipeline.score(test);
    // The attack-free stream starts from the same trained featurizer state (a second, identical fit).
    const cleanFeaturizer = authFeaturizer({ seed });
    featurizeWithHoldout(cleanFeaturizer, train, 0.2);
    const cleanPipeline = new Pipeline({
      format: 'lanl',
      modelName: m,
      featurizer: cleanFeaturizer,
      detector,
      trainedEvents: train.length,
    });
    const cleanRows = cleanPipeline.score(clean).rows;
    for (const rate of RATES) {
      detector.setFalseAlarmRate(rate);
      const n = detector.calibrationCount;
      const k = detector.thresholdRank;
      if (k === undefined) throw new Error('bench false-alarms: the threshold has no calibration rank');
      const flag = pipeline.scoreRows(s.rows).flag;
      let flagged = 0;
      for (let i = 0; i < flag.length; i++) if (normal[i] === true && flag[i] === 1) flagged++;
      cells.push({
        seed,
        model: m,
        rate,
        stream: 'with-attacks',
        flagged,
        normal: nNormal,
        part: { calibration: n, rank: k, events: nNormal },
        wake: wakeCounts(flag, wakes),
      });
      const cleanFlag = cleanPipeline.scoreRows(cleanRows).flag;
      let all = 0;
      let onWeekend = 0;
      for (let i = 0; i < cleanFlag.length; i++) {
        if (cleanFlag[i] !== 1) continue;
        all++;
        if (weekend[i] === true) onWeekend++;
      }
      cells.push({
        seed,
        model: m,
        rate,
        stream: 'attack-free',
        flagged: all,
        normal: clean.length,
        part: { calibration: n, rank: k, events: clean.length },
        weekend: { flagged: onWeekend, events: nWeekend },
        wake: wakeCounts(cleanFlag, cleanWakes),
      });
    }
    ctx.log(`seed ${seed} ${m}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return cells;
}

/** Reports one measured cell (one seed) and returns the verdict row of the summary table. */
function reportCell(ctx: BenchContext, c: Cell, protocol: string, withSeed: boolean): string[] {
  const j = judge(c.flagged, c.normal, c.rate, [c.part]);
  const attackFree = c.stream === 'attack-free';
  const ratio = (k: number, n: number): number | undefined => (n === 0 ? undefined : round2(k / n / c.rate));
  const fig: Figure = {
    bench: 'false-alarms',
    name: `false-alarms ${c.model} ${c.rate}${attackFree ? ' attack-free' : ''}`,
    value: c.flagged / c.normal,
    unit: 'rate',
    model: c.model,
    dataset: attackFree ? 'simulated-lanl-test-days-attack-free' : 'simulated-lanl-test-days',
    protocol,
    ...(withSeed ? { seed: c.seed } : {}),
    requested: c.rate,
    observed_over_requested: round2(j.ratio),
    ...(c.weekend === undefined
      ? {}
      : {
          weekday_observed_over_requested: ratio(c.flagged - c.weekend.flagged, c.normal - c.weekend.events),
          weekend_observed_over_requested: ratio(c.weekend.flagged, c.weekend.events),
          weekend_events: c.weekend.events,
        }),
    normal_flagged: c.flagged,
    normal_events: c.normal,
    calibration_events: c.part.calibration,
    rank: c.part.rank,
    ...samplingFields(j),
  };
  const wake = wakeFigures([c], c.rate);
  ctx.report({ ...fig, ...wake.fields });
  return row(
    c.model,
    c.rate,
    c.stream,
    String(c.seed),
    c.flagged,
    j,
    c.part.rank,
    c.part.calibration,
    wake.cols,
  );
}

function row(
  model: string,
  rate: number,
  stream: Stream,
  seeds: string,
  flagged: number,
  j: ReturnType<typeof judge>,
  k: number | string,
  n: number | string,
  wake: readonly string[],
): string[] {
  return [
    model,
    String(rate),
    stream,
    seeds,
    `${flagged} (${j.expected.toFixed(1)})`,
    `${j.ratio.toFixed(2)}×`,
    `${j.low.toFixed(2)}–${j.high.toFixed(2)}× (${j.sampling})`,
    `${k} of ${n}`,
    j.verdict,
    ...wake,
  ];
}

export default function run(ctx: BenchContext): void {
  const users = intFlag(ctx, 'users', 60);
  const days = intFlag(ctx, 'days', 14);
  const trainDays = intFlag(ctx, 'train-days', 10);
  const seeds = seedList(ctx);
  const list = ctx.flag('models');
  const models = (list === undefined ? [...MODEL_NAMES] : list.split(',')) as ModelName[];
  for (const m of models) {
    if (!(MODEL_NAMES as readonly string[]).includes(m))
      throw new Error(`bench false-alarms: unknown model (expected ${MODEL_NAMES.join(', ')}, got ${m})`);
  }
  const pooling = ctx.flag('seeds') !== undefined;
  const rows: string[][] = [];
  const all: Cell[] = [];
  for (const seed of seeds) {
    const protocol = `simulated-lanl-u${users}-d${days}-t${trainDays}-s${seed}`;
    for (const c of measureSeed(ctx, seed, users, days, trainDays, models)) {
      rows.push(reportCell(ctx, c, protocol, pooling));
      all.push(c);
    }
  }
  if (pooling) {
    const protocol = `simulated-lanl-u${users}-d${days}-t${trainDays}-s${seeds.join('+')}`;
    for (const m of models) {
      for (const rate of RATES) {
        for (const stream of ['with-attacks', 'attack-free'] as const) {
          const cs = all.filter((c) => c.model === m && c.rate === rate && c.stream === stream);
          const flagged = cs.reduce((s, c) => s + c.flagged, 0);
          const normal = cs.reduce((s, c) => s + c.normal, 0);
          const parts = cs.map((c) => c.part);
          const j = judge(flagged, normal, rate, parts);
          const wake = wakeFigures(cs, rate);
          ctx.report({
            bench: 'false-alarms',
            name: `false-alarms ${m} ${rate}${stream === 'attack-free' ? ' attack-free' : ''} pooled`,
            value: flagged / normal,
            unit: 'rate',
            model: m,
            dataset:
              stream === 'attack-free' ? 'simulated-lanl-test-days-attack-free' : 'simulated-lanl-test-days',
            protocol,
            seeds: seeds.join(','),
            requested: rate,
            observed_over_requested: round2(j.ratio),
            normal_flagged: flagged,
            normal_events: normal,
            calibration_events: parts.map((p) => p.calibration).join(','),
            rank: parts.map((p) => p.rank).join(','),
            ...samplingFields(j),
            ...wake.fields,
          });
          rows.push(
            row(
              m,
              rate,
              stream,
              `pooled ${seeds.join('+')}`,
              flagged,
              j,
              parts.map((p) => p.rank).join('+'),
              parts.map((p) => p.calibration).join('+'),
              wake.cols,
            ),
          );
        }
      }
    }
  }
  if (!ctx.json) {
    process.stdout.write(
      `\n${markdownTable(
        [
          'energy',
          'rate',
          'stream',
          'seeds',
          'flagged (expected)',
          'observed ÷ requested',
          'sampling 95 %',
          'threshold: k-th largest of n',
          'verdict',
          ...WAKE_WINDOWS.flatMap((w) => [
            `wake ≤ ${w} s: share of normal / of flagged`,
            `clear (outside the ${w} s wake): ÷ requested · sampling 95 % · verdict`,
          ]),
        ],
        rows,
        [],
        ['l', 'r', 'l', 'l', 'r', 'r', 'r', 'r', 'l', 'r', 'l', 'r', 'l'],
      )}\n`,
    );
  }
}
