import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { ModelFormatError, message } from '@nexus/ebm-core';
import { MAX_JSON_CHARS } from '@nexus/ebm-core/extend';
import type { Scorer, ScorerSource } from './ScoringWorker.js';

/**
 * A {@link ScorerSource} backed by a model file: rebuilt whenever the file's content changes (checked by
 * size and modification time, then by a hash of the content), so a new model version is picked up
 * without restarting the worker. A file that fails to load keeps the previous scorer (and reports the
 * error through `onError`).
 *
 * @example
 * ```ts
 * const source = fileScorerSource('model.json', (text, version) => buildScorer(JSON.parse(text), version));
 * ```
 */
export function fileScorerSource(
  path: string,
  build: (text: string, version: string) => Scorer,
  onError?: (e: unknown) => void,
): ScorerSource {
  let key = '';
  let scorer: Scorer | undefined;
  return {
    async current(): Promise<Scorer> {
      const st = statSync(path);
      const k = `${st.size}:${st.mtimeMs}`;
      if (scorer !== undefined && k === key) return scorer;
      try {
        // The limit of saved models, checked before the file is read.
        if (st.size > MAX_JSON_CHARS) {
          throw new ModelFormatError(
            message(
              'fileScorerSource',
              `${path} is too large for a model file`,
              `at most ${MAX_JSON_CHARS} bytes`,
              `${st.size}`,
            ),
          );
        }
        const text = readFileSync(path, 'utf8');
        const version = createHash('sha256').update(text).digest('hex').slice(0, 12);
        if (scorer === undefined || version !== scorer.version) scorer = build(text, version);
        key = k;
      } catch (e) {
        if (scorer === undefined) throw e;
        onError?.(e);
      }
      return scorer;
    },
  };
}
