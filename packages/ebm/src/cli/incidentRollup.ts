/**
 * Incidents of a scored stream (`ebm score --incidents`, `ebm worker --incidents`): flagged events go to
 * core's `IncidentTracker` chunk by chunk, in arrival order; incidents no later event can join are
 * explained and returned as NDJSON lines at once.
 *
 * @module
 */
import { type Incident, IncidentTracker, Matrix } from '@nexus/ebm-core';
import {
  defaultIncidentFields,
  type IncidentOptions,
  ignoreSet,
  incidentKeys,
  incidentText,
  type PipelineIncident,
} from '../pipeline/incidents.js';
import type { Pipeline } from '../pipeline/Pipeline.js';
import { numberText } from './energyText.js';
import type { ScoredEvent } from './score.js';

/** Rows kept as the explanation background of models without exact contributions: the input's first. */
const BACKGROUND_ROWS = 64;
/** Line numbers listed per incident. */
const LISTED_LINES = 100;

interface Kept {
  readonly event: object;
  readonly row: Float64Array;
  readonly ref: number | string;
  readonly time: number;
}

/**
 * One NDJSON line of an incident: `incident` (id), `start`/`end` (ISO text for Unix times, else the
 * event time), `entities`, `events` (flagged events), `lines` (their line numbers, at most 100; another
 * name and other references with `refName`, e.g. a stream's `input_ids`), `score` (−log₁₀ of Fisher's
 * combined p-value plus `novelty`), `novelty` (the surprise that its entity has an incident at all, from
 * its `earlier` incidents in the stream so far), `max_energy`, `min_p_value`, `reasons` and `text`.
 *
 * @example
 * ```ts
 * incidentLine(inc, (i) => i + 1);
 * ```
 */
export function incidentLine(
  inc: PipelineIncident,
  refOf: (index: number) => number | string,
  refName = 'lines',
): string {
  const when = (t: number): string | number => (t > 1e8 && t < 1e11 ? new Date(t * 1000).toISOString() : t);
  return `${JSON.stringify({
    incident: inc.id,
    start: when(inc.start),
    end: when(inc.end),
    entities: inc.entities,
    events: inc.count,
    [refName]: inc.events.slice(0, LISTED_LINES).map(refOf),
    score: Number(inc.score.toPrecision(6)),
    novelty: Number(inc.novelty.toPrecision(6)),
    earlier: inc.earlier,
    max_energy: Number(numberText(inc.maxEnergy)),
    min_p_value: inc.minPValue,
    reasons: inc.reasons.map((r) => ({ ...r, attribution: Number(r.attribution.toPrecision(6)) })),
    text: incidentText(inc),
  })}\n`;
}

/**
 * Rolls a scored stream up into incidents and returns each (as an NDJSON line) once it is closed, in
 * order of last event time. Events are taken in arrival order, so the same incidents come out however
 * the stream is cut into chunks. Memory: the flagged events of open incidents (and of incidents closed
 * while the explanation background is still being collected).
 *
 * @example
 * ```ts
 * const r = new IncidentRollup(pipeline, { window: 3600 });
 * for (const { events, X, rows } of chunks) write(r.add(events, X, rows).join(''));
 * write(r.flush().join(''));
 * ```
 */
export class IncidentRollup {
  private readonly pipeline: Pipeline;
  private readonly options: IncidentOptions;
  private readonly tracker: IncidentTracker;
  private readonly by: readonly string[];
  private readonly ignore: ReadonlySet<string>;
  private readonly label: (f: string) => string;
  private readonly timeField: string;
  private readonly refName: string;
  private readonly kept = new Map<number, Kept>();
  private readonly energies = new Map<number, number>();
  private readonly ready: Incident[] = [];
  private readonly background: Float64Array[] = [];
  private seen = 0;
  private latest = Number.NEGATIVE_INFINITY;
  /** Incidents returned so far. */
  written = 0;

  /**
   * @param pipeline - the scoring pipeline.
   * @param options - linking fields, window, reasons.
   * @param refName - the name of the event references in each line (default `lines`).
   */
  constructor(pipeline: Pipeline, options: IncidentOptions, refName = 'lines') {
    this.refName = refName;
    this.pipeline = pipeline;
    this.options = options;
    this.tracker = new IncidentTracker(options);
    this.by = options.by ?? defaultIncidentFields(pipeline.featurizer.config.name);
    this.ignore = ignoreSet(options);
    this.label = pipeline.fieldLabel();
    this.timeField = pipeline.featurizer.config.timeField ?? 'time';
  }

  /** Open incidents. */
  get open(): number {
    return this.tracker.openCount + this.ready.length;
  }

  /**
   * Adds a scored chunk (events, their feature rows and their scored rows with line numbers; `refs`, when
   * given, name the events instead of the line numbers); returns the incidents it closed, one NDJSON line
   * each.
   */
  add(
    events: readonly object[],
    X: Matrix,
    rows: readonly ScoredEvent[],
    refs?: readonly (number | string)[],
  ): string[] {
    const w = X.cols;
    for (let i = 0; i < events.length && this.background.length < BACKGROUND_ROWS; i++)
      this.background.push(X.data.slice(i * w, (i + 1) * w));
    for (let i = 0; i < events.length; i++) {
      const t = (events[i] as Record<string, unknown>)[this.timeField] as number;
      if (t > this.latest) this.latest = t;
      const r = rows[i] as ScoredEvent;
      if (r.flag !== 1) continue;
      const index = this.seen + i;
      this.kept.set(index, {
        event: events[i] as object,
        row: X.data.slice(i * w, (i + 1) * w),
        ref: refs === undefined ? r.line : (refs[i] as number | string),
        time: t,
      });
      this.energies.set(index, r.energy);
      this.tracker.add({
        index,
        time: t,
        keys: incidentKeys(events[i] as object, this.by, this.label, this.ignore),
        pValue: r.pValue,
        energy: r.energy,
      });
    }
    this.seen += events.length;
    this.ready.push(...this.tracker.closeBefore(this.latest));
    // The background is the input's first rows: explain only once it is complete (or at the end).
    return this.background.length >= BACKGROUND_ROWS ? this.emit() : [];
  }

  /** Closes every open incident (end of input); returns them, one NDJSON line each. */
  flush(): string[] {
    this.ready.push(...this.tracker.flush());
    return this.emit();
  }

  private emit(): string[] {
    if (this.ready.length === 0) return [];
    const list = this.ready.splice(0, this.ready.length);
    const ids = [...new Set(list.flatMap((inc) => inc.events))].sort((a, b) => a - b);
    const pos = new Map(ids.map((id, k) => [id, k]));
    const w = this.pipeline.featurizer.nFeatures;
    const X = new Matrix(Math.max(1, ids.length), w);
    ids.forEach((id, k) => {
      X.data.set((this.kept.get(id) as Kept).row, k * w);
    });
    const local = list.map((inc) => ({ ...inc, events: inc.events.map((i) => pos.get(i) as number) }));
    const energy = ids.map((id) => this.energies.get(id) as number);
    const bg = new Matrix(Math.max(1, this.background.length), w);
    this.background.forEach((r, k) => {
      bg.data.set(r, k * w);
    });
    const detailed = this.pipeline.explainIncidents(
      ids.map((id) => (this.kept.get(id) as Kept).event),
      X,
      energy,
      local,
      { ...this.options, by: this.by, background: bg },
    );
    const text: string[] = [];
    detailed.forEach((inc, k) => {
      const orig = list[k] as Incident;
      text.push(
        incidentLine({ ...inc, events: orig.events }, (i) => (this.kept.get(i) as Kept).ref, this.refName),
      );
    });
    for (const inc of list) {
      for (const i of inc.events) {
        this.kept.delete(i);
        this.energies.delete(i);
      }
    }
    // Events past an incident's listed maximum are never listed: forget those no open incident can hold.
    const horizon = this.latest - (this.options.window ?? 3600) - (this.options.maxSpan ?? 86400);
    for (const [i, k] of this.kept) {
      if (k.time < horizon) {
        this.kept.delete(i);
        this.energies.delete(i);
      }
    }
    this.written += text.length;
    return text;
  }
}
