/**
 * Member-energy dumps of the accuracy bench (`--dump-energies DIR`): one fit's raw training and test
 * energies of every ensemble member and the test labels per (protocol, data set, seed), written by
 * {@link dumpMembers} and read back by {@link readDump} (`ensemble-combine`, `accuracy --reuse-members`).
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemberEnergies } from './evaluate.js';
import type { SingleModel } from './models.js';

/**
 * Writes one fit's member energies as `NAME.json` (members, row counts) and `NAME.f64` (little-endian
 * float64: every member's training energies in member order, then every member's test energies, then the
 * test labels as 0/1), in a folder the run created.
 */
export function dumpMembers(dir: string, name: string, m: MemberEnergies, y: Uint8Array): void {
  const file = name.replace(/[^A-Za-z0-9+._-]/g, '_');
  const k = m.members.length;
  const trainRows = (m.train[0] as Float64Array).length;
  const testRows = y.length;
  const buf = new Float64Array(k * (trainRows + testRows) + testRows);
  let o = 0;
  for (const t of m.train) {
    buf.set(t, o);
    o += trainRows;
  }
  for (const t of m.test) {
    buf.set(t, o);
    o += testRows;
  }
  for (let r = 0; r < testRows; r++) buf[o + r] = y[r] as number;
  writeFileSync(join(dir, `${file}.f64`), new Uint8Array(buf.buffer));
  writeFileSync(join(dir, `${file}.json`), JSON.stringify({ members: m.members, trainRows, testRows }));
}

/** One dump read back: where it came from, the members' energies and the test labels. */
export interface Dumped {
  readonly protocol: string;
  readonly dataset: string;
  readonly seed: number;
  readonly energies: MemberEnergies;
  readonly y: Uint8Array;
}

/** Reads one dump (`NAME.json` + `NAME.f64`, as `dumpMembers` in accuracy.ts writes them). */
export function readDump(dir: string, name: string): Dumped {
  const meta = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as {
    members: SingleModel[];
    trainRows: number;
    testRows: number;
  };
  const bytes = readFileSync(join(dir, `${name}.f64`));
  const k = meta.members.length;
  const want = 8 * (k * (meta.trainRows + meta.testRows) + meta.testRows);
  if (bytes.length !== want)
    throw new Error(`readDump: ${name}.f64 has the wrong size (expected ${want} bytes, got ${bytes.length})`);
  const all = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  let o = 0;
  const train: Float64Array[] = [];
  const test: Float64Array[] = [];
  for (let i = 0; i < k; i++, o += meta.trainRows) train.push(all.slice(o, o + meta.trainRows));
  for (let i = 0; i < k; i++, o += meta.testRows) test.push(all.slice(o, o + meta.testRows));
  const y = Uint8Array.from(all.subarray(o, o + meta.testRows));
  // NAME = protocol-dataset-seed, or nsl-kdd-test-seed
  const cut = name.lastIndexOf('-');
  const seed = Number(name.slice(cut + 1));
  const head = name.slice(0, cut);
  const nsl = head.startsWith('nsl-kdd-');
  const protocol = nsl ? 'nsl-kdd' : head.slice(0, head.indexOf('-'));
  const dataset = nsl ? head.slice('nsl-kdd-'.length) : head.slice(head.indexOf('-') + 1);
  return { protocol, dataset, seed, energies: { members: meta.members, train, test }, y };
}
