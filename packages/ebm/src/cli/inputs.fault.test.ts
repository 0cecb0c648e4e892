/**
 * An input named twice — literally, through a symbolic link or a hard link — would be read, and counted,
 * twice: every event would weigh double in training and every line would be reported twice. Refused.
 */
import { linkSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from './testing.js';

const dir = mkdtempSync(join(tmpdir(), 'ebm-inputs-'));
const p = (f: string): string => join(dir, f);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the same input file given twice', () => {
  it('is refused by train, however it is spelled, before anything is written', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 50; i++)
      lines.push(`${i},U${i % 5}@D,U${i % 5}@D,C${i % 7},C${i % 3},Kerberos,Network,LogOn,Success`);
    writeFileSync(p('a.txt'), `${lines.join('\n')}\n`);
    symlinkSync(p('a.txt'), p('sym.txt'));
    linkSync(p('a.txt'), p('hard.txt'));
    for (const second of [p('a.txt'), p('sym.txt'), p('hard.txt')]) {
      const r = await runCliCaptured(['train', '--format', 'lanl', '--out', p('m.json'), p('a.txt'), second]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /ebm train: the same input file is given twice \(expected distinct files, got .*a\.txt.* and .*, which are one file\)/,
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
