/** The CLI on shippers' shapes: `--format json --map`, `--format auto`, and JSON-array documents. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Pipeline } from '../pipeline/Pipeline.js';
import { runCliCaptured } from './testing.js';

const dir = mkdtempSync(join(tmpdir(), 'ebm-shippers-'));
const p = (f: string): string => join(dir, f);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Okta-like sign-in records (made up for the test): 6 users, a failure every 7th. */
function okta(n: number, t0: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(
      JSON.stringify({
        published: new Date((t0 + i * 97) * 1000).toISOString(),
        eventType: 'user.session.start',
        actor: { alternateId: `u${i % 6}@example.com` },
        client: { ipAddress: `10.0.${i % 6}.${(i * 7) % 5}` },
        outcome: { result: i % 7 === 0 ? 'FAILURE' : 'SUCCESS' },
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

const MAP = {
  event: 'auth',
  fields: {
    time: 'published',
    user: 'actor.alternateId',
    srcHost: 'client.ipAddress',
    action: 'eventType',
    success: { path: 'outcome.result', values: { SUCCESS: true, FAILURE: false } },
  },
};

describe('ebm train --format json --map', () => {
  it('reads with the map, saves it with the model, and scoring reads the same way', async () => {
    writeFileSync(p('okta.train.jsonl'), okta(300, 1_700_000_000));
    writeFileSync(p('okta.test.jsonl'), okta(40, 1_700_100_000));
    writeFileSync(p('map.json'), JSON.stringify(MAP));
    const t = await runCliCaptured([
      'train',
      '--format',
      'json',
      '--map',
      p('map.json'),
      '--model',
      'gaussian',
      '--false-alarm-rate', // a few hundred events hold back too few for 0.01 (issue 15, case 5)
      '0.05',
      '--out',
      p('okta.model.json'),
      p('okta.train.jsonl'),
    ]);
    expect(t.stderr).toMatch(/trained gaussian on 300 json events/);
    expect(t.code).toBe(0);
    const saved = Pipeline.fromJSON(readFileSync(p('okta.model.json'), 'utf8'));
    expect(saved.fieldMap).toEqual(MAP);
    const s = await runCliCaptured(['score', '--model', p('okta.model.json'), p('okta.test.jsonl')]);
    expect(s.code).toBe(0);
    expect(s.stdout.trim().split('\n')).toHaveLength(40);
  });

  it('refuses a bad map, a map without json, and json without a map', async () => {
    writeFileSync(
      p('bad-map.json'),
      JSON.stringify({
        event: 'auth',
        fields: { time: 'published', user: 'actor.alternateId', sucess: 'x' },
      }),
    );
    const bad = await runCliCaptured([
      'train',
      '--format',
      'json',
      '--map',
      p('bad-map.json'),
      '--out',
      p('x.json'),
      p('okta.train.jsonl'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--map .*bad-map.json: fieldMap: unknown target field "sucess" for auth events/,
    );
    const noJson = await runCliCaptured([
      'train',
      '--format',
      'sshd',
      '--map',
      p('map.json'),
      '--out',
      p('x.json'),
      p('okta.train.jsonl'),
    ]);
    expect(noJson.code).toBe(2);
    expect(noJson.stderr).toMatch(/--map is read only with --format json/);
    const noMap = await runCliCaptured([
      'train',
      '--format',
      'json',
      '--out',
      p('x.json'),
      p('okta.train.jsonl'),
    ]);
    expect(noMap.code).toBe(2);
    expect(noMap.stderr).toMatch(/--format json needs --map/);
  });
});

describe('ebm train --format auto', () => {
  it('says which format it chose and why', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      const s = String(i % 60).padStart(2, '0');
      lines.push(
        `Feb 22 10:${String(i % 60).padStart(2, '0')}:${s} web1 sshd[${100 + i}]: ${i % 5 === 0 ? 'Failed' : 'Accepted'} password for u${i % 4} from 10.0.0.${i % 9} port ${40000 + i} ssh2`,
      );
    }
    writeFileSync(p('auth.log'), `${lines.join('\n')}\n`);
    const r = await runCliCaptured([
      'train',
      '--format',
      'auto',
      '--model',
      'gaussian',
      '--allow-coarse-threshold', // a few dozen events hold back too few for 0.01 (issue 15, case 5)
      '--out',
      p('auto.json'),
      p('auth.log'),
    ]);
    expect(r.stderr).toMatch(/--format auto chose sshd \(50 syslog of the first 50 non-blank lines\)/);
    expect(r.code).toBe(0);
    expect(Pipeline.fromJSON(readFileSync(p('auto.json'), 'utf8')).format).toBe('sshd');
  });

  it("on score, checks that the input looks like the model's format", async () => {
    const ok = await runCliCaptured(['score', '--format', 'auto', '--model', p('auto.json'), p('auth.log')]);
    expect(ok.code).toBe(0);
    const wrong = await runCliCaptured([
      'score',
      '--format',
      'auto',
      '--model',
      p('auto.json'),
      p('okta.test.jsonl'),
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /--format auto: .*okta.test.jsonl does not look like the model's format \(expected sshd, got no single format/,
    );
  });

  it('refuses a file whose first lines mix formats', async () => {
    writeFileSync(
      p('mixed.jsonl'),
      '{"class_uid":3002,"time":1,"status_id":1,"user":{"name":"a"}}\n{"class_uid":6003,"time":1}\n',
    );
    const r = await runCliCaptured(['train', '--format', 'auto', '--out', p('mixed.json'), p('mixed.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /--format auto cannot tell the format of .*mixed.jsonl: the first 2 non-blank lines mix formats \(ocsf: 1, cloudtrail: 1;/,
    );
  });
});

describe('JSON documents on the command line', () => {
  it('trains on a JSON array of Winlogbeat documents, one record per line in the accounting', async () => {
    const docs = [];
    for (let i = 0; i < 40; i++) {
      docs.push({
        '@timestamp': '2024-01-01T00:10:00Z',
        event: { code: i % 10 === 9 ? '4688' : '4624' },
        winlog: {
          time_created: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
          computer_name: `WS${i % 3}`,
          event_data: { TargetUserName: `u${i % 5}`, LogonType: '3', IpAddress: `10.0.0.${i % 4}` },
        },
      });
    }
    writeFileSync(p('win.json'), JSON.stringify(docs, null, 2));
    const r = await runCliCaptured([
      'train',
      '--format',
      'winevt',
      '--model',
      'gaussian',
      '--allow-coarse-threshold', // a few dozen events hold back too few for 0.01 (issue 15, case 5)
      '--json',
      '--out',
      p('win.model.json'),
      p('win.json'),
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { events: number; read: { lines: number; non_event_lines: number } };
    expect(out.events).toBe(36);
    expect(out.read).toMatchObject({ lines: 40, non_event_lines: 4 });
  });
});
