/**
 * `tsx bench/lib/trainInMemory.ts LOG OUT MODEL SEED`: trains a LANL pipeline the in-memory way — every
 * event read into an array, then `trainPipeline` — and writes the pipeline file. The stream-memory
 * benchmark runs it in a child process as the peer of the streaming `ebm train` on the same file (peak
 * memory, time, and the pipelines compared).
 */
import { createReadStream, writeFileSync } from 'node:fs';
import { type ModelName, trainPipeline } from '@nexus/ebm';
import { ParseSession, parsers, readLineBatches } from '@nexus/ebm-features';

const [log, out, model, seed] = process.argv.slice(2) as [string, string, ModelName, string];
const session = new ParseSession(parsers.lanl(), { policy: 'collect', maxErrors: 10 });
const events: Parameters<typeof session.parseLine>[1] = [];
for await (const lines of readLineBatches(createReadStream(log))) {
  for (const line of lines) session.parseLine(line, events);
}
const pipeline = trainPipeline(events, { format: 'lanl', model, seed: Number(seed) });
writeFileSync(out, JSON.stringify(pipeline.toJSON()));
