/**
 * Every file the `ebm` command writes goes through this module: an output may never resolve to one of the
 * command's inputs (same device and inode, so symbolic and hard links are caught), and a regular file is
 * written to a temporary file in its target folder and renamed into place only when the command
 * succeeds — a failed or interrupted run leaves the previous result as it was. An existing device or pipe
 * (`/dev/null`, `/dev/stdout`, a process substitution) is written directly, since there is no previous
 * result to keep and it cannot be renamed over.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './command.js';

/** Temporary files not yet renamed into place, removed if the process is interrupted. */
const pending = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function onSignal(signal: NodeJS.Signals): void {
  for (const t of pending) {
    try {
      unlinkSync(t);
    } catch {
      // already gone
    }
  }
  pending.clear();
  for (const s of SIGNALS) process.off(s, onSignal);
  // Die of the same signal, as the process would have without this handler.
  process.kill(process.pid, signal);
}

function track(tmp: string): void {
  if (pending.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  pending.add(tmp);
}

function untrack(tmp: string): void {
  pending.delete(tmp);
  if (pending.size === 0) for (const s of SIGNALS) process.off(s, onSignal);
}

function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code !== undefined ? `${err.code}: ${err.message.replace(/^[A-Z]+: /, '')}` : String(e);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * An input of a command, for {@link checkOutputs}: a path and the option that named it (for messages).
 */
export interface NamedPath {
  /** The path as given. */
  readonly path: string;
  /** What names it, e.g. `--model`, `--labels` or `the input log`. */
  readonly what: string;
}

/**
 * Refuses (exit code 2) any output that resolves to one of the inputs — the same file through a symbolic
 * link, a hard link or another spelling of the path — or to another output of the same command.
 *
 * @example
 * ```ts
 * checkOutputs('score', [{ path: out, what: '--out' }], [{ path: model, what: '--model' }, { path: log, what: 'the input log' }]);
 * ```
 */
export function checkOutputs(cmd: string, outputs: readonly NamedPath[], inputs: readonly NamedPath[]): void {
  const seen: { st: Stats; p: NamedPath }[] = [];
  for (const p of inputs) {
    const st = statOrUndefined(p.path);
    if (st !== undefined) seen.push({ st, p });
  }
  for (const o of outputs) {
    const st = statOrUndefined(o.path);
    if (st === undefined || (!st.isFile() && !st.isDirectory())) continue;
    for (const s of seen) {
      if (s.st.dev === st.dev && s.st.ino === st.ino) {
        throw new CliError(
          `ebm ${cmd}: ${o.what} would overwrite ${s.p.what} (expected a different file, got ${JSON.stringify(o.path)}, which is ${JSON.stringify(s.p.path)})`,
          2,
        );
      }
    }
    seen.push({ st, p: o });
  }
}

/**
 * A file being written: bytes go to a temporary file beside the target, and {@link OutputFile.commit}
 * renames it into place (or, for a device or pipe, bytes go straight to it). {@link OutputFile.abort}
 * removes the temporary file; a process interrupted by SIGINT, SIGTERM or SIGHUP removes it too.
 *
 * @example
 * ```ts
 * const out = OutputFile.open('scores.ndjson', 'score', '--out');
 * try { out.write('{"line":1}\n'); out.commit(); } finally { out.abort(); }
 * ```
 */
export class OutputFile {
  /** The path given. */
  readonly path: string;
  private readonly target: string;
  private readonly tmp: string | undefined;
  private fd: number | undefined;
  private readonly cmd: string;
  private readonly what: string;
  private done = false;

  private constructor(
    path: string,
    target: string,
    tmp: string | undefined,
    fd: number,
    cmd: string,
    what: string,
  ) {
    this.path = path;
    this.target = target;
    this.tmp = tmp;
    this.fd = fd;
    this.cmd = cmd;
    this.what = what;
  }

  /**
   * Opens an output; a folder, a missing folder or one that cannot be written is a `CliError` (exit code
   * 1) naming the option and the path. Open outputs before long work, so a bad path fails at once.
   *
   * @example
   * ```ts
   * const out = OutputFile.open(args.values.out, 'train', '--out');
   * ```
   */
  static open(path: string, cmd: string, what: string): OutputFile {
    const fail = (why: string): CliError =>
      new CliError(
        `ebm ${cmd}: cannot write ${what} (expected a writable file path, got ${JSON.stringify(path)}: ${why})`,
        1,
      );
    let target = path;
    let mode: number | undefined;
    const st = statOrUndefined(path);
    if (st !== undefined) {
      if (st.isDirectory()) throw fail('it is a folder');
      if (!st.isFile()) {
        // A device or pipe: no previous result to keep, and it cannot be renamed over.
        try {
          return new OutputFile(path, path, undefined, openSync(path, 'w'), cmd, what);
        } catch (e) {
          throw fail(errnoText(e));
        }
      }
      // Write through a symbolic link to the file it names, keeping that file's permissions.
      target = lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
      mode = st.mode & 0o7777;
    }
    const tmp = join(
      dirname(target),
      `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
    );
    // Tracked before it exists: a signal that arrives as the file appears must find the handler installed
    // (tracked after, a signal in between killed the process with the default action and left the file).
    track(tmp);
    let fd: number;
    try {
      fd = openSync(tmp, 'wx', mode ?? 0o666);
    } catch (e) {
      untrack(tmp);
      throw fail(errnoText(e));
    }
    if (mode !== undefined) {
      try {
        chmodSync(tmp, mode);
      } catch {
        // keep the default permissions
      }
    }
    return new OutputFile(path, target, tmp, fd, cmd, what);
  }

  /**
   * Appends text (synchronously; the file is local).
   *
   * @example
   * ```ts
   * out.write('line,energy\n');
   * ```
   */
  write(text: string): void {
    if (this.fd === undefined) throw new Error(`OutputFile.write: ${this.path} is closed`);
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    try {
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    } catch (e) {
      throw new CliError(
        `ebm ${this.cmd}: cannot write ${this.what} (expected to write ${JSON.stringify(this.path)}, got ${errnoText(e)})`,
        1,
      );
    }
  }

  /**
   * Flushes the data and renames the temporary file into place: the target then holds the whole new
   * result.
   *
   * @example
   * ```ts
   * out.commit();
   * ```
   */
  commit(): void {
    if (this.fd === undefined || this.done) return;
    try {
      if (this.tmp !== undefined) fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = undefined;
      if (this.tmp !== undefined) renameSync(this.tmp, this.target);
    } catch (e) {
      this.abort();
      throw new CliError(
        `ebm ${this.cmd}: cannot write ${this.what} (expected to replace ${JSON.stringify(this.path)}, got ${errnoText(e)})`,
        1,
      );
    }
    this.done = true;
    if (this.tmp !== undefined) untrack(this.tmp);
  }

  /**
   * Closes and removes the temporary file unless {@link OutputFile.commit} succeeded (a no-op then).
   *
   * @example
   * ```ts
   * try { write(out); out.commit(); } finally { out.abort(); }
   * ```
   */
  abort(): void {
    if (this.done) return;
    this.done = true;
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    if (this.tmp !== undefined) {
      try {
        unlinkSync(this.tmp);
      } catch {
        // already gone
      }
      untrack(this.tmp);
    }
  }
}

/**
 * Writes a whole output at once through {@link OutputFile} (temporary file, then rename).
 *
 * @example
 * ```ts
 * writeOutput('report.html', html, 'eval', '--report');
 * ```
 */
export function writeOutput(path: string, text: string, cmd: string, what: string): void {
  const out = OutputFile.open(path, cmd, what);
  try {
    out.write(text);
    out.commit();
  } finally {
    out.abort();
  }
}
