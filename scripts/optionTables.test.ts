import { describe, expect, it } from 'vitest';
import { DECLARED, generated, renderTables } from './optionTables.js';

describe('option tables and option comments', () => {
  it('are what the declarations say (run pnpm docs:options after changing a declaration)', () => {
    for (const g of generated())
      expect(g.current, `${g.file} is out of date: run pnpm docs:options`).toBe(g.wanted);
  });

  it('list every declared option of every model, with its default', () => {
    const tables = renderTables();
    for (const m of DECLARED) {
      expect(tables).toContain(`### ${m.name}\n`);
      for (const r of m.rows()) {
        expect(r.default, `${m.name}.${r.name}`).not.toBe('');
        expect(tables).toContain(`| \`${r.name}\` |`);
      }
    }
  });
});
