import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../errors.js';
import { parseModelJSON } from './modelJson.js';
import { loadModel } from './registry.js';

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'] as const;

/** Inserts `"key": {...}` into a random object of the JSON text (or wraps the value in one). */
function inject(value: unknown, key: string, path: readonly number[]): string {
  const text = JSON.stringify(value);
  const objects: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === '{' && !inString(text, i)) objects.push(i);
  const payload = `"${key}":{"polluted":true}`;
  if (objects.length === 0) return `{${payload},"v":${text}}`;
  const at = objects[(path[0] ?? 0) % objects.length] as number;
  const empty = text[at + 1] === '}';
  return `${text.slice(0, at + 1)}${payload}${empty ? '' : ','}${text.slice(at + 1)}`;
}

function inString(text: string, pos: number): boolean {
  let inside = false;
  for (let i = 0; i < pos; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') inside = !inside;
  }
  return inside;
}

describe('persistence properties', () => {
  it('a forbidden key anywhere is rejected and nothing is polluted', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.constantFrom(...FORBIDDEN),
        fc.array(fc.nat(), { minLength: 1, maxLength: 1 }),
        (v, key, path) => {
          const text = inject(v, key, path);
          expect(() => parseModelJSON(text)).toThrow(ModelFormatError);
          expect(() => loadModel(text)).toThrow(ModelFormatError);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      { numRuns: 150, seed: 21 },
    );
  });

  it('arbitrary JSON text never loads by accident and only ever fails with ModelFormatError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 4 }), fc.string({ maxLength: 40 })), (text) => {
        expect(() => loadModel(text)).toThrow(ModelFormatError);
      }),
      { numRuns: 200, seed: 22 },
    );
  });
});
