import fc from 'fast-check';
import { Matrix } from '../matrix/Matrix.js';
import type { EnergyModel, FitOptions } from '../model/EnergyModel.js';
import { loadModel as defaultLoadModel } from '../model/registry.js';
import { Rng } from '../random/Rng.js';

/**
 * Makes a fresh, unfitted model (the same hyperparameters every call).
 */
export type EnergyModelFactory = () => EnergyModel;

/**
 * One named contract check: `run` throws (or rejects) on failure.
 *
 * @example
 * ```ts
 * for (const check of energyModelContractChecks(factory)) await check.run();
 * ```
 */
export interface ContractCheck {
  /** What the check asserts, e.g. `a row's energy does not depend on its batch`. */
  readonly name: string;
  /** Runs the check; throws an `Error` describing the violation on failure. */
  readonly run: () => void | Promise<void>;
}

/**
 * Options of {@link energyModelContractChecks}.
 */
export interface ContractOptions {
  /** Feature count of the generated data (default 4). */
  readonly nFeatures?: number;
  /** Training rows (default 96). */
  readonly nSamples?: number;
  /** Seed of the generated data and of every fit (default 1). */
  readonly seed?: number;
  /** Makes training data: `n` rows, `d` columns; default correlated Gaussian data drawn from `rng`. */
  readonly makeData?: (rng: Rng, n: number, d: number) => Matrix;
  /** Relative tolerance for batch-independence and contribution sums (default 1e-9). */
  readonly tolerance?: number;
  /** fast-check runs of property checks (default 20). */
  readonly numRuns?: number;
  /** Extra fit options (e.g. a small epoch count is set in the factory instead). */
  readonly fitOptions?: FitOptions;
  /** Whether a far outlier must score above the median training energy (default true). */
  readonly checkOutlier?: boolean;
  /** The `loadModel` to round-trip through (default: this package's registry). */
  readonly loadModel?: (json: unknown) => EnergyModel;
}

function fail(what: string): never {
  throw new Error(`EnergyModel contract violated: ${what}`);
}

/** Correlated Gaussian data: z·A + b with a seeded random A and b. */
function defaultData(rng: Rng, n: number, d: number): Matrix {
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) a[i * d + j] = (i === j ? 1 : 0) + 0.3 * rng.normal();
  }
  const b = new Float64Array(d);
  for (let j = 0; j < d; j++) b[j] = 2 * rng.normal();
  const z = new Float64Array(d);
  const out = new Matrix(n, d);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < d; k++) z[k] = rng.normal();
    for (let j = 0; j < d; j++) {
      let s = b[j] as number;
      for (let k = 0; k < d; k++) s += (z[k] as number) * (a[k * d + j] as number);
      out.data[r * d + j] = s;
    }
  }
  return out;
}

function close(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

function sameArrays(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) fail(`${what}: lengths differ (${a.length} vs ${b.length})`);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) fail(`${what}: element ${i} differs (${a[i]} vs ${b[i]})`);
  }
}

interface ErrorExpectation {
  /** Acceptable `name`s of the error (checked by name, so duplicated module copies still match). */
  readonly names?: readonly string[];
  /** A built-in base class the error must extend. */
  readonly base?: typeof RangeError | typeof TypeError;
  /** Substrings the message must contain. */
  readonly includes?: readonly string[];
}

function expectThrow(fn: () => unknown, exp: ErrorExpectation, what: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  if (err === undefined) fail(`${what}: expected an error, none was thrown`);
  if (!(err instanceof Error)) fail(`${what}: threw a non-Error value ${String(err)}`);
  if (exp.base !== undefined && !(err instanceof exp.base)) {
    fail(`${what}: expected a ${exp.base.name}, got ${err.name}: ${err.message}`);
  }
  if (exp.names !== undefined && !exp.names.includes(err.name)) {
    fail(`${what}: expected ${exp.names.join(' or ')}, got ${err.name}: ${err.message}`);
  }
  for (const s of exp.includes ?? []) {
    if (!err.message.includes(s)) fail(`${what}: message ${JSON.stringify(err.message)} should mention ${s}`);
  }
  if (!/^[\w.$[\]<>-]+: /.test(err.message)) {
    fail(`${what}: message ${JSON.stringify(err.message)} should start with "api: "`);
  }
}

async function expectReject(fn: () => Promise<unknown>, name: string, what: string): Promise<void> {
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  if (!(err instanceof Error) || err.name !== name) {
    fail(
      `${what}: expected ${name}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    );
  }
}

/**
 * The reusable `EnergyModel` contract as named check functions, independent of any test runner: each
 * `run()` throws on a violation. Checks: fitting returns the model and records `nFeatures`; determinism
 * under a seed; a row's energy does not depend on the batch it is scored in (fast-check permutations and
 * sub-batches) and equals `energyOne`; a finite row far outside the data never gives NaN; save → `JSON.stringify` → `loadModel` gives identical energies;
 * tampered saves are rejected; bad input (NaN, wrong column count, empty, wrong kind) and use before fit
 * throw the documented errors; refit replaces state; an aborted signal stops `fit`; contributions sum to
 * the energy when `hasContributions`; a far outlier scores above the median training energy.
 *
 * @example
 * ```ts
 * for (const check of energyModelContractChecks(() => new GaussianDensity())) await check.run();
 * ```
 */
export function energyModelContractChecks(
  factory: EnergyModelFactory,
  options: ContractOptions = {},
): ContractCheck[] {
  const d = options.nFeatures ?? 4;
  const n = options.nSamples ?? 96;
  const seed = options.seed ?? 1;
  const tol = options.tolerance ?? 1e-9;
  const numRuns = options.numRuns ?? 20;
  const make = options.makeData ?? defaultData;
  const load = options.loadModel ?? defaultLoadModel;
  const fitOpts: FitOptions = { ...options.fitOptions, seed };
  const train = make(new Rng(`contract-train:${seed}`), n, d);
  const test = make(new Rng(`contract-test:${seed}`), 40, d);
  const fitted = (): EnergyModel => factory().fit(train, fitOpts);

  const checks: ContractCheck[] = [
    {
      name: 'fit returns the model, records nFeatures and gives finite energies',
      run(): void {
        const m = factory();
        if (m.fitted) fail('a new model reports fitted = true');
        const r = m.fit(train, fitOpts);
        if (r !== m) fail('fit must return the model itself');
        if (!m.fitted) fail('fitted is false after fit');
        if (m.nFeatures !== d) fail(`nFeatures is ${m.nFeatures}, expected ${d}`);
        if (typeof m.kind !== 'string' || m.kind.length === 0) fail('kind must be a non-empty string');
        const e = m.energy(test);
        if (!(e instanceof Float64Array) || e.length !== test.rows)
          fail('energy must return one Float64 per row');
        for (let i = 0; i < e.length; i++) if (!Number.isFinite(e[i])) fail(`energy of row ${i} is ${e[i]}`);
      },
    },
    {
      name: 'a finite row far outside the training data gives a number or +Infinity, never NaN',
      run(): void {
        const m = fitted();
        let maxAbs = 1;
        for (const v of test.data) maxAbs = Math.max(maxAbs, Math.abs(v));
        const rows: number[][] = [];
        for (const scale of [1e20, 1e39, 1e150, Number.MAX_VALUE / maxAbs]) {
          for (let i = 0; i < 2; i++) {
            const r = Array.from(test.row(i), (v) => v * scale);
            rows.push(
              r,
              r.map((v) => -v),
            );
          }
        }
        let e: Float64Array;
        try {
          e = m.energy(rows);
        } catch (err) {
          // A model may refuse inputs outside its domain (an RBM's Bernoulli units) with a clear error.
          if (err instanceof RangeError) return;
          throw err;
        }
        for (let i = 0; i < e.length; i++) if (Number.isNaN(e[i])) fail(`energy of far-out row ${i} is NaN`);
      },
    },
    {
      name: 'the same seed gives the same model and energies',
      run(): void {
        sameArrays(fitted().energy(test), fitted().energy(test), 'energies of two fits with one seed');
      },
    },
    {
      name: "a row's energy does not depend on the batch it is scored in",
      run(): void {
        const m = fitted();
        const full = m.energy(test);
        for (let i = 0; i < 3; i++) {
          const one = m.energyOne(test.row(i));
          if (!close(one, full[i] as number, tol))
            fail(`energyOne(row ${i}) = ${one}, energy()[${i}] = ${full[i]}`);
        }
        fc.assert(
          fc.property(
            fc.uniqueArray(fc.integer({ min: 0, max: test.rows - 1 }), {
              minLength: 1,
              maxLength: test.rows,
            }),
            (idx) => {
              const e = m.energy(test.selectRows(idx));
              for (let k = 0; k < idx.length; k++) {
                const want = full[idx[k] as number] as number;
                if (!close(e[k] as number, want, tol)) {
                  fail(
                    `row ${idx[k]} scores ${e[k]} in a sub-batch of ${idx.length} but ${want} in the full batch`,
                  );
                }
              }
            },
          ),
          { numRuns, seed },
        );
      },
    },
    {
      name: 'save → JSON.stringify → loadModel gives identical energies',
      run(): void {
        const names = Array.from({ length: d }, (_, j) => `f${j}`);
        const m = factory().fit(train, { ...fitOpts, featureNames: names });
        const text = JSON.stringify(m.toJSON());
        const again = load(text);
        if (again.kind !== m.kind) fail(`loaded kind ${again.kind}, saved ${m.kind}`);
        if (again.nFeatures !== d) fail(`loaded nFeatures ${again.nFeatures}, saved ${d}`);
        if (JSON.stringify(again.featureNames) !== JSON.stringify(names))
          fail('featureNames were not restored');
        sameArrays(again.energy(test), m.energy(test), 'energies after save/load');
        if (JSON.stringify(again.toJSON()) !== text) fail('saving a loaded model changes its JSON');
        const fromObject = load(m.toJSON());
        sameArrays(fromObject.energy(test), m.energy(test), 'energies after loading the toJSON() object');
      },
    },
    {
      name: 'loadModel rejects tampered saves (unknown version, missing or non-finite state fields)',
      run(): void {
        const json = JSON.parse(JSON.stringify(fitted().toJSON())) as {
          version: number;
          state: Record<string, unknown>;
        };
        const names = ['ModelFormatError'];
        expectThrow(() => load({ ...json, version: json.version + 1000 }), { names }, 'a future version');
        expectThrow(() => load({ ...json, kind: 'no-such-kind-registered' }), { names }, 'an unknown kind');
        expectThrow(() => load('{"kind":'), { names }, 'truncated JSON text');
        for (const key of Object.keys(json.state)) {
          if (key === 'featureNames') continue;
          const state = { ...json.state };
          delete state[key];
          expectThrow(() => load({ ...json, state }), { names }, `a save without state.${key}`);
          expectThrow(
            () => load({ ...json, state: { ...json.state, [key]: 'not-a-number' } }),
            { names },
            `a save with a string in state.${key}`,
          );
        }
        const polluted = JSON.stringify(json).replace('"state":{', '"state":{"__proto__":{"polluted":1},');
        expectThrow(() => load(polluted), { names }, 'a save with a __proto__ key');
        if (({} as Record<string, unknown>).polluted !== undefined) fail('Object.prototype was polluted');
      },
    },
    {
      name: 'bad input gives clear errors (NaN, wrong column count, empty, wrong kind)',
      run(): void {
        const m = fitted();
        const nan = test.clone();
        nan.data[1 * d + 0] = Number.NaN;
        expectThrow(() => m.energy(nan), { base: RangeError, names: ['ValueError'] }, 'energy with NaN');
        const inf = test.clone();
        inf.data[0] = Number.POSITIVE_INFINITY;
        expectThrow(() => m.energy(inf), { base: RangeError }, 'energy with Infinity');
        const wide = new Matrix(2, d + 1);
        expectThrow(
          () => m.energy(wide),
          { base: RangeError, names: ['ShapeError'], includes: [String(d), String(d + 1)] },
          'energy with one column too many',
        );
        expectThrow(
          () => m.energyOne(new Float64Array(d - 1)),
          { base: RangeError, includes: [String(d), String(d - 1)] },
          'energyOne with one value too few',
        );
        expectThrow(() => m.energy([]), { base: RangeError }, 'energy of an empty batch');
        expectThrow(() => m.energy('x' as unknown as number[][]), { base: TypeError }, 'energy of a string');
        expectThrow(() => m.energy(5 as unknown as number[][]), { base: TypeError }, 'energy of a number');
        expectThrow(() => factory().fit(nan, fitOpts), { base: RangeError }, 'fit with NaN');
        expectThrow(() => factory().fit([], fitOpts), { base: RangeError }, 'fit on no rows');
        expectThrow(
          () => factory().fit([[1, 2], [3]], fitOpts),
          { base: RangeError, names: ['ShapeError'] },
          'fit on ragged rows',
        );
      },
    },
    {
      name: 'using a model before fit is a NotFittedError',
      run(): void {
        const m = factory();
        const names = ['NotFittedError'];
        expectThrow(() => m.energy(test), { names }, 'energy before fit');
        expectThrow(() => m.energyOne(test.row(0)), { names }, 'energyOne before fit');
        expectThrow(() => m.nFeatures, { names }, 'nFeatures before fit');
        expectThrow(() => m.toJSON(), { names }, 'toJSON before fit');
      },
    },
    {
      name: 'refit replaces earlier state',
      run(): void {
        const other = make(new Rng(`contract-other:${seed}`), n, d + 1);
        const otherTest = make(new Rng(`contract-other-test:${seed}`), 10, d + 1);
        const m = fitted();
        m.fit(other, fitOpts);
        if (m.nFeatures !== d + 1) fail(`nFeatures is ${m.nFeatures} after refitting on ${d + 1} columns`);
        const fresh = factory().fit(other, fitOpts);
        sameArrays(m.energy(otherTest), fresh.energy(otherTest), 'energies of a refitted vs a fresh model');
        expectThrow(() => m.energy(test), { names: ['ShapeError'] }, 'old-width input after refit');
      },
    },
    {
      name: 'an aborted AbortSignal stops fit with an AbortError',
      async run(): Promise<void> {
        const ac = new AbortController();
        ac.abort();
        const m = factory();
        expectThrow(
          () => m.fit(train, { ...fitOpts, signal: ac.signal }),
          { names: ['AbortError'] },
          'fit aborted',
        );
        if (m.fitted) fail('a model whose fit was aborted reports fitted = true');
        if (m.fitAsync !== undefined) {
          await expectReject(
            () => m.fitAsync!(train, { ...fitOpts, signal: ac.signal }),
            'AbortError',
            'fitAsync aborted',
          );
        }
      },
    },
    {
      name: 'contributions are an exact per-feature split when hasContributions',
      run(): void {
        const m = fitted();
        if (!m.hasContributions || m.contributions === undefined) {
          if (m.contributions !== undefined)
            expectThrow(() => m.contributions!(test), {}, 'contributions when unsupported');
          return;
        }
        const c = m.contributions(test);
        const e = m.energy(test);
        if (c.rows !== test.rows || c.cols !== d)
          fail(`contributions shape ${c.rows}×${c.cols}, expected ${test.rows}×${d}`);
        for (let i = 0; i < c.rows; i++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += c.data[i * d + j] as number;
          if (!close(s, e[i] as number, tol * 100))
            fail(`row ${i}: contributions sum to ${s}, energy is ${e[i]}`);
        }
      },
    },
  ];
  if (options.checkOutlier !== false) {
    checks.push({
      name: 'a far outlier scores above the median training energy',
      run(): void {
        const m = fitted();
        const e = Array.from(m.energy(train)).sort((a, b) => a - b);
        const median = e[Math.floor(e.length / 2)] as number;
        const far = new Float64Array(d);
        for (let j = 0; j < d; j++) {
          let lo = Number.POSITIVE_INFINITY;
          let hi = Number.NEGATIVE_INFINITY;
          for (let i = 0; i < n; i++) {
            const v = train.data[i * d + j] as number;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
          far[j] = hi + 20 * (hi - lo + 1);
        }
        const eo = m.energyOne(far);
        if (!(eo > median)) fail(`outlier energy ${eo} is not above the median training energy ${median}`);
      },
    });
  }
  return checks;
}

/**
 * The test-runner functions {@link describeEnergyModelContract} registers checks with (vitest, jest, mocha…).
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * const runner: TestRunner = { describe, it };
 * ```
 */
export interface TestRunner {
  /** Groups tests, e.g. vitest's `describe`. */
  readonly describe: (name: string, body: () => void) => unknown;
  /** Registers one test, e.g. vitest's `it`. */
  readonly it: (name: string, fn: () => void | Promise<void>) => unknown;
}

/**
 * Registers the {@link energyModelContractChecks} as tests with the caller's runner (no runner is imported
 * here), inside `describe(`${name} satisfies the EnergyModel contract`)`.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { describeEnergyModelContract } from '@nexus/ebm-core/testing';
 * describeEnergyModelContract('GaussianDensity', () => new GaussianDensity(), { describe, it });
 * ```
 */
export function describeEnergyModelContract(
  name: string,
  factory: EnergyModelFactory,
  runner: TestRunner,
  options: ContractOptions = {},
): void {
  runner.describe(`${name} satisfies the EnergyModel contract`, () => {
    for (const check of energyModelContractChecks(factory, options)) runner.it(check.name, check.run);
  });
}
