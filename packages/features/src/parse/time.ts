/**
 * Timestamp parsing without regular expressions: RFC 3339 / ISO 8601 (with or without a zone), BSD
 * syslog (`Feb 22 16:45:20`, year and zone from configuration) and epoch numbers. Times are seconds since
 * the Unix epoch (fractional). Functions return `NaN` for text that is not a timestamp; parsers turn that
 * into a reason.
 *
 * @module
 */

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(at + i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return (
    y >= 0 &&
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= (DAYS_IN_MONTH[mo - 1] as number) &&
    h >= 0 &&
    h <= 23 &&
    mi >= 0 &&
    mi <= 59 &&
    s >= 0 &&
    s <= 60
  );
}

/**
 * Parses an RFC 3339 / ISO 8601 timestamp (`2019-06-14T10:40:20.912134Z`, `…+01:30`, a space instead of
 * `T`, no zone) into seconds since the Unix epoch. Text without a zone is read in `defaultOffsetMinutes`
 * (minutes east of UTC). Returns `NaN` when `s` is not such a timestamp.
 *
 * @example
 * ```ts
 * parseIsoTime('1970-01-01T00:01:00Z'); // 60
 * parseIsoTime('2020-08-06 11:56:07', -240); // 11:56:07 at UTC−4
 * ```
 */
export function parseIsoTime(s: string, defaultOffsetMinutes = 0, start = 0): number {
  const n = s.length;
  if (n - start < 19) return Number.NaN;
  const y = digits(s, start, 4);
  const mo = digits(s, start + 5, 2);
  const d = digits(s, start + 8, 2);
  const h = digits(s, start + 11, 2);
  const mi = digits(s, start + 14, 2);
  const sec = digits(s, start + 17, 2);
  const sep = s.charCodeAt(start + 10);
  if (
    s.charCodeAt(start + 4) !== 45 ||
    s.charCodeAt(start + 7) !== 45 ||
    (sep !== 84 && sep !== 32 && sep !== 116) ||
    s.charCodeAt(start + 13) !== 58 ||
    s.charCodeAt(start + 16) !== 58 ||
    !validDate(y, mo, d, h, mi, sec)
  ) {
    return Number.NaN;
  }
  let i = start + 19;
  let frac = 0;
  if (i < n && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
    i++;
    let scale = 0.1;
    const f0 = i;
    while (i < n) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      frac += c * scale;
      scale /= 10;
      i++;
    }
    if (i === f0) return Number.NaN;
  }
  let offset = defaultOffsetMinutes;
  if (i < n) {
    const c = s.charCodeAt(i);
    if (c === 90 || c === 122) {
      offset = 0;
      i++;
    } else if (c === 43 || c === 45) {
      const oh = digits(s, i + 1, 2);
      let om = 0;
      let len = 3;
      if (s.charCodeAt(i + 3) === 58) {
        om = digits(s, i + 4, 2);
        len = 6;
      } else if (i + 5 <= n && digits(s, i + 3, 2) >= 0) {
        om = digits(s, i + 3, 2);
        len = 5;
      }
      if (oh < 0 || om < 0 || oh > 23 || om > 59) return Number.NaN;
      offset = (c === 45 ? -1 : 1) * (oh * 60 + om);
      i += len;
    }
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec);
  return ms / 1000 + frac - offset * 60;
}

/**
 * Where an ISO timestamp parsed by {@link parseIsoTime} ends (the index after its zone), or -1.
 *
 * @example
 * ```ts
 * isoTimeEnd('2019-06-14T10:40:20.912134 localhost sudo: x'); // 26
 * ```
 */
export function isoTimeEnd(s: string, start = 0): number {
  let i = start + 19;
  const n = s.length;
  if (i > n) return -1;
  if (i < n && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
    i++;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  }
  if (i < n) {
    const c = s.charCodeAt(i);
    if (c === 90 || c === 122) i++;
    else if (c === 43 || c === 45) {
      i += 3;
      if (s.charCodeAt(i) === 58) i += 3;
      else if (i + 2 <= n && digits(s, i, 2) >= 0) i += 2;
    }
  }
  return i;
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/**
 * The month index (0–11) of a three-letter English month name at `at`, or -1.
 *
 * @example
 * ```ts
 * monthIndex('Feb 22 16:45:20', 0); // 1
 * ```
 */
export function monthIndex(s: string, at: number): number {
  if (at + 3 > s.length) return -1;
  const a = s.charCodeAt(at);
  const b = s.charCodeAt(at + 1);
  const c = s.charCodeAt(at + 2);
  for (let m = 0; m < 12; m++) {
    if (
      MONTHS.charCodeAt(m * 3) === a &&
      MONTHS.charCodeAt(m * 3 + 1) === b &&
      MONTHS.charCodeAt(m * 3 + 2) === c
    )
      return m;
  }
  return -1;
}

/**
 * Parses the BSD syslog timestamp `Mmm dd hh:mm:ss` (day may be space-padded) at the start of `s`, in
 * the given year and zone (minutes east of UTC). Returns `NaN` when `s` does not start with one.
 *
 * @example
 * ```ts
 * parseBsdTime('Jan  1 00:00:10 host sshd[1]: x', 1970, 0); // 10
 * ```
 */
export function parseBsdTime(s: string, year: number, offsetMinutes: number): number {
  if (s.length < 15) return Number.NaN;
  const m = monthIndex(s, 0);
  if (m < 0 || s.charCodeAt(3) !== 32) return Number.NaN;
  let d: number;
  if (s.charCodeAt(4) === 32) d = digits(s, 5, 1);
  else d = digits(s, 4, 2);
  const h = digits(s, 7, 2);
  const mi = digits(s, 10, 2);
  const sec = digits(s, 13, 2);
  if (s.charCodeAt(6) !== 32 || s.charCodeAt(9) !== 58 || s.charCodeAt(12) !== 58) return Number.NaN;
  if (!validDate(2000, m + 1, d, h, mi, sec)) return Number.NaN;
  return Date.UTC(year, m, d, h, mi, sec) / 1000 - offsetMinutes * 60;
}

/**
 * Reads a time value from JSON: an ISO string, or a number of epoch seconds or milliseconds (numbers
 * above 1e11 are taken as milliseconds). Returns `NaN` for anything else.
 *
 * @example
 * ```ts
 * parseJsonTime(1583364251067); // 1583364251.067
 * parseJsonTime('2014-07-16T15:49:27Z'); // 1405525767
 * ```
 */
export function parseJsonTime(v: unknown, defaultOffsetMinutes = 0): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return Number.NaN;
    return Math.abs(v) > 1e11 ? v / 1000 : v;
  }
  if (typeof v === 'string') return parseIsoTime(v.trim(), defaultOffsetMinutes);
  return Number.NaN;
}
