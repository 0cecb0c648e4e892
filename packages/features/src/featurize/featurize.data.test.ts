import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLines } from '../parse/common.js';
import type { AuthEvent } from '../parse/events.js';
import { parsers } from '../parse/registry.js';
import { FeaturePipeline } from './FeaturePipeline.js';
import { authFeaturizer, featurizers } from './presets.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const dataDir = process.env.EBM_DATA_DIR ?? path.resolve(repoRoot, '../shared/data');
const logs = path.join(dataDir, 'logs');
const read = (f: string): string => readFileSync(path.join(logs, f), 'utf8');

function allFinite(a: Float64Array): boolean {
  for (const v of a) if (!Number.isFinite(v)) return false;
  return true;
}

describe.skipIf(!existsSync(logs))('featurizers on the real log samples', () => {
  it('LANL: fit on the first day, score the rest; training pairs are not first seen', () => {
    const events = parseLines(parsers.lanl(), read('lanl/auth_lanl_decoded_from_safekit.txt')).events;
    const train = events.filter((e) => e.time < 86400);
    const test = events.filter((e) => e.time >= 86400);
    const f = authFeaturizer({ seed: 1 });
    const Xtr = f.fitTransform(train);
    const X = f.transform(test);
    expect(Xtr.rows).toBe(train.length);
    expect(X.cols).toBe(f.nFeatures);
    expect(allFinite(Xtr.data) && allFinite(X.data)).toBe(true);
    const j = f.featureNames.indexOf('user→dst_computer:first_seen');
    const seen = new Set(train.map((e) => `${e.user}|${e.dstHost}`));
    const firstInTest = new Set<string>();
    for (let i = 0; i < test.length; i++) {
      const e = test[i] as AuthEvent;
      const k = `${e.user}|${e.dstHost}`;
      const expected = seen.has(k) || firstInTest.has(k) ? 0 : 1;
      firstInTest.add(k);
      expect(X.get(i, j)).toBe(expected);
    }
    expect(f.columns.every((c) => c.fields.every((fl) => fl in f.describe(test[0] as AuthEvent)))).toBe(true);
    const again = FeaturePipeline.fromJSON<AuthEvent>(JSON.parse(JSON.stringify(f.toJSON())));
    expect(again.featureNames).toEqual(f.featureNames);
  });

  it('sshd, Windows, CloudTrail and GitHub samples featurize to finite matrices', () => {
    const cases = [
      { file: 'openssh/OpenSSH_2k.log', parse: parsers.sshd({ year: 2016 }), feat: featurizers.sshd() },
      {
        file: 'windows_security/otrf_mordor_auth_events.jsonl',
        parse: parsers.winevt(),
        feat: featurizers.winevt(),
      },
      {
        file: 'aws_cloudtrail/otrf_ec2_proxy_s3_exfiltration.jsonl',
        parse: parsers.cloudtrail(),
        feat: featurizers.cloudtrail(),
      },
      {
        file: 'cicd/github_audit_excerpt.jsonl',
        parse: parsers['github-audit'](),
        feat: featurizers['github-audit'](),
      },
    ] as const;
    for (const c of cases) {
      const events = parseLines(c.parse as never, read(c.file), { policy: 'skip' }).events as object[];
      const half = Math.ceil(events.length / 2);
      const f = c.feat as unknown as FeaturePipeline<object>;
      const Xtr = f.fitTransform(events.slice(0, half));
      const X = f.transform(events.slice(half));
      expect(Xtr.rows + X.rows).toBe(events.length);
      expect(allFinite(Xtr.data) && allFinite(X.data)).toBe(true);
      expect(new Set(f.featureNames).size).toBe(f.nFeatures);
    }
  });
});
