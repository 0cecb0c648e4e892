/**
 * UTC offsets of IANA time zones (`Europe/Berlin`, …) through `Intl`, cached per UTC quarter hour so a
 * time-ordered stream asks `Intl` about once per 15 minutes of event time.
 *
 * @module
 */

/**
 * Whether `Intl` knows the IANA zone name.
 *
 * @example
 * ```ts
 * isTimeZone('Europe/Berlin'); // true
 * ```
 */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The offset (seconds east of UTC) of an IANA zone at a Unix time, with daylight saving time.
 *
 * @example
 * ```ts
 * const z = new ZoneOffsets('America/New_York');
 * z.offsetSeconds(Date.UTC(2024, 6, 1) / 1000); // -14400
 * ```
 */
export class ZoneOffsets {
  private readonly fmt: Intl.DateTimeFormat;
  private bucket = Number.NaN;
  private offset = 0;

  /** @param timeZone - an IANA zone name (checked by the caller with {@link isTimeZone}). */
  constructor(timeZone: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /**
   * Offset in seconds east of UTC at Unix time `t` (seconds).
   *
   * @example
   * ```ts
   * new ZoneOffsets('UTC').offsetSeconds(0); // 0
   * ```
   */
  offsetSeconds(t: number): number {
    const b = Math.floor(t / 900);
    if (b === this.bucket) return this.offset;
    this.bucket = b;
    const at = b * 900;
    const ms = at * 1000;
    if (!(Math.abs(ms) <= 8.64e15)) {
      this.offset = 0;
      return 0;
    }
    let y = 1970;
    let mo = 1;
    let d = 1;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const p of this.fmt.formatToParts(new Date(ms))) {
      const v = Number(p.value);
      if (p.type === 'year') y = v;
      else if (p.type === 'month') mo = v;
      else if (p.type === 'day') d = v;
      else if (p.type === 'hour') h = v;
      else if (p.type === 'minute') mi = v;
      else if (p.type === 'second') s = v;
    }
    const local = Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
    this.offset = Number.isFinite(local) ? local - at : 0;
    return this.offset;
  }
}
