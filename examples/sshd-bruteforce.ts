/**
 * sshd brute force and off-hours logins: OpenSSH auth.log lines (simulated), an RBM energy, and how well
 * each scenario is found.
 *
 * Run: npx tsx examples/sshd-bruteforce.ts
 */
import { formatSshd, parseLines, parsers, rocAuc, simulate, trainPipeline } from '@nexus/ebm';

const sim = simulate({ seed: 3, users: 40, days: 8, trainDays: 5 });
const logs = formatSshd(sim);
const cut = logs.times.findIndex((t) => t >= sim.testStart);
// sshd writes several lines per attempt; the parser keeps the ones that are authentication events.
const parse = (lines: string[]) => parseLines(parsers.sshd({ year: 2026 }), lines);
const train = parse(logs.lines.slice(0, cut)).events;
const { events: test } = parse(logs.lines.slice(cut));
const pipeline = trainPipeline(train, { format: 'sshd', model: 'rbm', seed: 3 });
const { energy, pValue } = pipeline.score(test);

// Each event remembers its line, so labels follow it even when lines are skipped.
const labelOf = (line: number) => logs.labels[cut + line - 1] ?? null;
for (const scenario of ['brute_force', 'off_hours_ssh', 'credential_stuffing'] as const) {
  const y: number[] = [];
  const s: number[] = [];
  test.forEach((e, i) => {
    const l = labelOf(e.line);
    if (l === null || l === scenario) {
      y.push(l === null ? 0 : 1);
      s.push(energy[i] as number);
    }
  });
  if (y.includes(1) && y.includes(0))
    console.log(`${scenario.padEnd(20)} ROC-AUC ${rocAuc(y, s).toFixed(3)}`);
}
const worst = Array.from(pValue.keys()).sort((a, b) => (pValue[a] as number) - (pValue[b] as number))[0] ?? 0;
console.log(
  `smallest p-value ${pValue[worst]?.toExponential(2)} on line ${test[worst]?.line}: ${test[worst]?.user} → ${test[worst]?.dstHost}`,
);
