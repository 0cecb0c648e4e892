/**
 * What both vitest configurations (unit and data) share: the Node 20 polyfill vitest's reporter needs,
 * the optional JSON report CI reads, and resolution of our packages to their sources.
 */

// Vitest 5's reporter calls Map.groupBy (Node 21+) when it prints failures; Node 20 lacks it.
const mapWithGroupBy = Map as unknown as { groupBy?: unknown };
if (typeof mapWithGroupBy.groupBy !== 'function') {
  mapWithGroupBy.groupBy = <K, V>(items: Iterable<V>, key: (v: V, i: number) => K): Map<K, V[]> => {
    const out = new Map<K, V[]>();
    let i = 0;
    for (const v of items) {
      const k = key(v, i++);
      const list = out.get(k);
      if (list === undefined) out.set(k, [v]);
      else list.push(v);
    }
    return out;
  };
}

// CI asks for a machine-readable report too (see .ci/run); `pnpm test` alone prints the usual summary.
const jsonReport = process.env.EBM_JSON_REPORT;
export const reporting: { reporters?: string[]; outputFile?: { json: string } } = jsonReport
  ? { reporters: ['default', 'json'], outputFile: { json: jsonReport } }
  : {};

/** Tests, type-checks and tsx resolve `@nexus/*` to `src/` through this export condition. */
export const sourceResolution = {
  resolve: { conditions: ['@nexus/source'] },
  ssr: { resolve: { conditions: ['@nexus/source'] } },
};
