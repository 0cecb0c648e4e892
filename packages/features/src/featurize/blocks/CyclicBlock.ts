/**
 * Time of day and day of week as sin/cos pairs, in the featurizer's time zone.
 *
 * @module
 */
import type { CyclicSpec, FeaturizerColumn } from '../spec.js';
import { ZoneOffsets } from '../zone.js';
import { Block, type BlockContext, numValue } from './Block.js';

const TWO_PI = 2 * Math.PI;

export class CyclicBlock extends Block {
  private readonly field: string;
  private readonly offsetSeconds: number;
  private readonly zone: ZoneOffsets | undefined;
  constructor(ctx: BlockContext, s: CyclicSpec) {
    super(ctx);
    this.field = s.field ?? ctx.timeField;
    this.offsetSeconds = (s.utcOffsetMinutes ?? ctx.utcOffsetMinutes) * 60;
    const tz = s.timeZone ?? (s.utcOffsetMinutes === undefined ? ctx.timeZone : undefined);
    this.zone = tz === undefined ? undefined : new ZoneOffsets(tz);
  }
  private local(t: number): number {
    return t + (this.zone === undefined ? this.offsetSeconds : this.zone.offsetSeconds(t));
  }
  get width(): number {
    return 4;
  }
  rawFields(): string[] {
    return [this.field];
  }
  columns(): FeaturizerColumn[] {
    const l = this.ctx.label(this.field);
    return [
      this.col(`${l}:hour_sin`, l, 'cyclic', [l], 'hour of day'),
      this.col(`${l}:hour_cos`, l, 'cyclic', [l], 'hour of day'),
      this.col(`${l}:weekday_sin`, l, 'cyclic', [l], 'day of week'),
      this.col(`${l}:weekday_cos`, l, 'cyclic', [l], 'day of week'),
    ];
  }
  write(e: object, t: number, out: Float64Array, off: number): void {
    const x = this.local(this.field === this.ctx.timeField ? t : numValue(e, this.field));
    let day = (x % 86400) / 86400;
    if (day < 0) day += 1;
    // 1970-01-01 was a Thursday: shift so that 0 is Sunday 00:00.
    let week = ((x / 86400 + 4) % 7) / 7;
    if (week < 0) week += 1;
    out[off] = Math.sin(TWO_PI * day);
    out[off + 1] = Math.cos(TWO_PI * day);
    out[off + 2] = Math.sin(TWO_PI * week);
    out[off + 3] = Math.cos(TWO_PI * week);
  }
  reason(j: number, e: object): string {
    const d = new Date(this.local(numValue(e, this.field)) * 1000);
    const hh = String(d.getUTCHours()).padStart(2, '0');
    const mm = String(d.getUTCMinutes()).padStart(2, '0');
    const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
    return j < 2 ? `time of day ${hh}:${mm}` : `day of week ${days[d.getUTCDay()]}`;
  }
}
