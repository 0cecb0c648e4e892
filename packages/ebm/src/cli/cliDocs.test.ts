import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './run.js';

// docs/cli.md describes each command's options in its own section; the options themselves live in the
// command definitions (which also print `--help`). This keeps the two from drifting apart: an option the
// docs never mention, or a usage line naming an option the command does not have.
const CLI_MD = readFileSync(new URL('../../../../docs/cli.md', import.meta.url), 'utf8');

/** The text of `## ebm NAME` up to the next `## ` heading. */
function section(name: string): string {
  const heading = `\n## ebm ${name}\n`;
  const start = CLI_MD.indexOf(heading);
  if (start < 0) return '';
  const rest = CLI_MD.slice(start + heading.length);
  const end = rest.search(/\n## /);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The long options named in the section's first code block (its usage lines). */
function usageOptions(text: string): string[] {
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(text)?.[1] ?? '';
  return [...new Set([...block.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1] as string))];
}

// `ebm worker` is described in docs/scale.md and defers to its `--help` for the full option list.
const DOCUMENTED = COMMANDS.filter((c) => c.name !== 'worker');

describe('docs/cli.md and the commands', () => {
  it.each(DOCUMENTED.map((c) => [c.name, c] as const))('ebm %s: every option is in its section', (_n, c) => {
    const text = section(c.name);
    expect(text, `docs/cli.md has no section "## ebm ${c.name}"`).not.toBe('');
    const missing = Object.keys(c.options).filter((o) => o !== 'help' && !text.includes(`--${o}`));
    expect(missing).toEqual([]);
  });

  it.each(DOCUMENTED.map((c) => [c.name, c] as const))(
    'ebm %s: the usage names only its options',
    (_n, c) => {
      const unknown = usageOptions(section(c.name)).filter((o) => !(o in c.options));
      expect(unknown).toEqual([]);
    },
  );

  it.each(DOCUMENTED.map((c) => [c.name, c] as const))(
    'ebm %s: the usage lists the formats --help lists',
    (_n, c) => {
      const formats = (text: string): string | undefined => /--format ([A-Za-z|-]+)\]/.exec(text)?.[1];
      const block = /```[a-z]*\n([\s\S]*?)```/.exec(section(c.name))?.[1] ?? '';
      expect(formats(block)).toBe(formats(c.usage));
    },
  );
});
