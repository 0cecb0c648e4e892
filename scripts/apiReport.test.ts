import { describe, expect, it } from 'vitest';
import { apiEntries, checkReports, lineDiff } from './apiReport.js';

describe('API report', () => {
  it('covers every entry point of every package', () => {
    const specs = apiEntries().map((e) => e.specifier);
    for (const s of ['@nexus/ebm', '@nexus/ebm/node', '@nexus/ebm-core', '@nexus/ebm-core/kernels']) {
      expect(specs).toContain(s);
    }
  });

  it('the committed reports match the sources (run `pnpm api:update` and review the diff if not)', () => {
    const problems = checkReports();
    if (problems !== '') {
      throw new Error(
        `the public API changed:\n\n${problems}\n\nIf intended: pnpm api:update, then commit packages/*/api/*.api.md`,
      );
    }
  });

  it('a diff names the lines that went and came', () => {
    expect(lineDiff('a\nb\nc', 'a\nc\nd')).toBe('- b\n+ d');
  });
});
