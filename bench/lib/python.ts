/**
 * The one way every benchmark runs its Python peer (scikit-learn, numpy, PyTorch). It finds an interpreter
 * that imports the modules the peer needs — `$EBM_PYTHON`, then `python3` on PATH, `/usr/bin/python3`,
 * `/usr/local/bin/python3`, `python` — because the first `python3` on PATH may be another interpreter
 * without them (a pyenv one, say). When none has them, or the peer fails, it prints one loud line saying
 * which peer lines are missing and why, instead of letting them vanish.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from './report.js';

/** An interpreter that imports the needed modules, and their versions. */
export interface PythonFound {
  readonly python: string;
  /** `module → __version__` of every needed module. */
  readonly versions: Readonly<Record<string, string>>;
}

const cache = new Map<string, PythonFound | undefined>();
const tried = new Map<string, string[]>();

function candidates(): string[] {
  const env = process.env.EBM_PYTHON;
  const list = [env, 'python3', '/usr/bin/python3', '/usr/local/bin/python3', 'python'];
  return [...new Set(list.filter((c): c is string => c !== undefined && c !== ''))];
}

const PROBE = `
import importlib, json, sys
out = {}
for m in sys.argv[1:]:
    mod = importlib.import_module(m)
    out[m] = str(getattr(mod, '__version__', '?'))
print(json.dumps(out))
`;

/**
 * The first interpreter that imports every module in `modules` (cached per module set), or undefined.
 *
 * @example
 * findPython(['sklearn', 'numpy'])?.python; // '/usr/bin/python3'
 */
export function findPython(modules: readonly string[]): PythonFound | undefined {
  const key = modules.join(',');
  if (cache.has(key)) return cache.get(key);
  const notes: string[] = [];
  let found: PythonFound | undefined;
  for (const c of candidates()) {
    const r = spawnSync(c, ['-c', PROBE, ...modules], { encoding: 'utf8', timeout: 60_000 });
    if (r.error !== undefined) {
      notes.push(`${c}: ${r.error.message}`);
      continue;
    }
    if (r.status !== 0) {
      const last = (r.stderr ?? '').trim().split('\n').pop() ?? `exit ${r.status}`;
      notes.push(`${c}: ${last}`);
      continue;
    }
    found = { python: c, versions: JSON.parse(r.stdout.trim()) as Record<string, string> };
    break;
  }
  cache.set(key, found);
  tried.set(key, notes);
  return found;
}

/** What to run: a script, its arguments, the modules it needs, and the data it reads. */
export interface PeerSpec {
  /** Names the peer in messages, e.g. `'scikit-learn GaussianMixture'`. */
  readonly label: string;
  /** Modules the script imports (checked before it runs), e.g. `['sklearn', 'numpy']`. */
  readonly modules: readonly string[];
  readonly script: string;
  /**
   * Arrays written to temporary files whose paths become the script's first arguments (`sys.argv[1…]`),
   * in order; the files are removed afterwards.
   */
  readonly inputs?: readonly ArrayBufferView[];
  readonly args?: readonly (string | number)[];
  /** BLAS / OpenMP threads of the peer (default 1: our kernels run one thread unless stated). */
  readonly threads?: number;
  /** Longest run, in seconds (default 3,600). */
  readonly timeoutSeconds?: number;
}

/**
 * Runs a peer script and returns the JSON object on its last line of output (with `python` and the module
 * versions added), or undefined after one loud line on stderr when no interpreter has the modules, the
 * script fails, or it reports `{"error": …}`.
 *
 * @example
 * const r = runPython<{ fit: number }>(ctx, { label: 'scikit-learn', modules: ['sklearn'], script, inputs: [x] });
 */
export function runPython<T extends object>(
  ctx: BenchContext,
  spec: PeerSpec,
): (T & PythonFound) | undefined {
  const found = findPython(spec.modules);
  if (found === undefined) {
    const notes = tried.get(spec.modules.join(',')) ?? [];
    ctx.log(
      `!!! PEER MISSING: ${spec.label} needs Python with ${spec.modules.join(', ')}; none found (${notes.join('; ')}). Its peer lines are NOT printed. Install the Debian packages (python3-sklearn, python3-torch) or set EBM_PYTHON.`,
    );
    return undefined;
  }
  const threads = String(spec.threads ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'ebm-bench-peer-'));
  try {
    const paths = (spec.inputs ?? []).map((v, i) => {
      const p = join(dir, `in${i}.bin`);
      writeFileSync(p, new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      return p;
    });
    const r = spawnSync(found.python, ['-c', spec.script, ...paths, ...(spec.args ?? []).map(String)], {
      encoding: 'utf8',
      maxBuffer: 16 << 20,
      timeout: (spec.timeoutSeconds ?? 3600) * 1000,
      env: {
        ...process.env,
        OMP_NUM_THREADS: threads,
        OPENBLAS_NUM_THREADS: threads,
        MKL_NUM_THREADS: threads,
        EBM_PEER_THREADS: threads,
      },
    });
    if (r.error !== undefined || r.status !== 0) {
      const why = r.error?.message ?? (r.stderr ?? '').trim().split('\n').pop() ?? `exit ${r.status}`;
      ctx.log(`!!! PEER FAILED: ${spec.label} (${found.python}): ${why}. Its peer lines are NOT printed.`);
      return undefined;
    }
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as T & { error?: string };
    if (out.error !== undefined) {
      ctx.log(
        `!!! PEER FAILED: ${spec.label} (${found.python}): ${out.error}. Its peer lines are NOT printed.`,
      );
      return undefined;
    }
    return { ...out, ...found };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
