import * as core from '@nexus/ebm-core';
import * as energies from '@nexus/ebm-energies';
import * as features from '@nexus/ebm-features';
import { describe, expect, it } from 'vitest';
import * as ebm from './index.js';

describe('@nexus/ebm', () => {
  it('re-exports every value at the roots of core, energies and features (the names users write)', () => {
    for (const [name, pkg] of [
      ['@nexus/ebm-core', core],
      ['@nexus/ebm-energies', energies],
      ['@nexus/ebm-features', features],
    ] as const) {
      const missing = Object.keys(pkg).filter((k) => !(k in ebm));
      expect(missing, `${name} root exports missing from @nexus/ebm`).toEqual([]);
    }
  });
});
