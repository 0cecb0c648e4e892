/**
 * Text for the HTML report: escaping (every string that may come from a log, a label file or a file name
 * goes through {@link esc}) and number formats that do not depend on the machine's locale.
 *
 * @module
 */

/** C0 controls other than tab and newline, and DEL: not characters a page should carry. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/**
 * Escapes text for HTML element content and quoted attribute values (`& < > " '`); control characters
 * become U+FFFD.
 *
 * @example
 * ```ts
 * esc('</script><img onerror=x>'); // '&lt;/script&gt;&lt;img onerror=x&gt;'
 * ```
 */
export function esc(s: string): string {
  return s
    .replace(CONTROL, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Shortens text to at most `max` characters (an ellipsis marks the cut). Apply before {@link esc}, so an
 * entity is never cut.
 *
 * @example
 * ```ts
 * clip('abcdef', 4); // 'abc…'
 * ```
 */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * An integer with narrow no-break spaces between thousands (locale-independent; never split across lines).
 *
 * @example
 * ```ts
 * int(20418); // '20\u202f418'
 * ```
 */
export function int(n: number): string {
  const s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return n < 0 ? `−${s}` : s;
}

/**
 * A fraction as a percentage with three significant digits (`0.15 %`, `98.5 %`, `100 %`; a narrow no-break
 * space before the sign).
 *
 * @example
 * ```ts
 * pct(0.0015); // '0.15\u202f%'
 * ```
 */
export function pct(f: number): string {
  if (!Number.isFinite(f)) return '–';
  if (f === 0) return '0\u202f%';
  return `${Number((f * 100).toPrecision(3))}\u202f%`;
}

/**
 * An energy (or any real) in a short form: four significant digits, exponent form beyond ±10⁶ or below
 * 10⁻³; `∞` for a value beyond the double range.
 *
 * @example
 * ```ts
 * num(50.8634); // '50.86'
 * num(2.5e9);   // '2.5e9'
 * ```
 */
export function num(v: number): string {
  if (Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  const s =
    a !== 0 && (a >= 1e6 || a < 1e-3)
      ? v
          .toExponential(2)
          .replace(/\.?0+e/, 'e')
          .replace('e+', 'e')
      : String(Number(v.toPrecision(4)));
  return s.replace(/^-/, '−');
}
