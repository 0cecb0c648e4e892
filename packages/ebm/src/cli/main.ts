#!/usr/bin/env node
/**
 * The `ebm` executable: runs {@link runCli} on the process's arguments. Subcommands live one per file in
 * this folder.
 *
 * @example
 * ```sh
 * ebm demo
 * ebm generate --out data/ && ebm train --format lanl --out model.json data/lanl.train.txt
 * ```
 *
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from './run.js';

export { COMMANDS, runCli } from './run.js';

function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  // `ebm score … | head` closes the pipe early: stop quietly instead of failing with EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  void runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: process.stderr.isTTY === true,
  }).then((code) => {
    process.exitCode = code;
  });
}
