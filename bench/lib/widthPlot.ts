/**
 * The plot of `pnpm bench width --svg PATH`: one small log–log panel per energy and phase, time against
 * the width d, ours (solid) and the peer (dashed), single-threaded wall-clock, at the largest row count n for which
 * the energy has figures at two or more widths on both sides.
 */
import type { Figure } from './report.js';

const W = 230;
const H = 140;
const M = { left: 44, right: 8, top: 22, bottom: 26 };

interface Series {
  readonly ours: Map<number, number>;
  readonly peer: Map<number, number>;
  readonly peerName: string;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fmtSeconds(v: number): string {
  if (v >= 1) return `${Number(v.toPrecision(2))} s`;
  if (v >= 1e-3) return `${Number((v * 1e3).toPrecision(2))} ms`;
  return `${Number((v * 1e6).toPrecision(2))} µs`;
}

/** Series of one energy and phase at row count n (single-thread figures only). */
function series(figs: readonly Figure[], energy: string, phase: string, n: number): Series {
  const ours = new Map<number, number>();
  const peer = new Map<number, number>();
  let peerName = '';
  for (const f of figs) {
    if (f.energy !== energy || f.phase !== phase || f.n !== n || f.threads !== 1 || f.clock === 'cpu')
      continue;
    const d = Number(f.d);
    if (f.peer === undefined) ours.set(d, f.value);
    else if (f.peer !== 'ours, 1 thread') {
      peer.set(d, f.value);
      peerName = f.peer;
    }
  }
  return { ours, peer, peerName };
}

/**
 * An SVG document plotting the width figures of one run.
 *
 * @example
 * writeFileSync('docs/width.svg', widthSvg(ctx.figures));
 */
export function widthSvg(figs: readonly Figure[]): string {
  const energies = [...new Set(figs.map((f) => String(f.energy)).filter((e) => e !== 'undefined'))];
  const phases = ['fit', 'score'];
  const panels: string[] = [];
  let row = 0;
  for (const e of energies) {
    phases.forEach((phase, col) => {
      const ns = [...new Set(figs.filter((f) => f.energy === e).map((f) => Number(f.n)))].sort(
        (a, b) => b - a,
      );
      let n = ns[0] ?? 0;
      let s = series(figs, e, phase, n);
      for (const cand of ns) {
        const c = series(figs, e, phase, cand);
        if (c.ours.size >= 2 && c.peer.size >= 2) {
          n = cand;
          s = c;
          break;
        }
      }
      panels.push(panel(`${e} ${phase}, n = ${n.toLocaleString('en-US')}`, s, col * W, 30 + row * H));
    });
    row++;
  }
  const width = 2 * W;
  const height = 30 + row * H + 10;
  const legend = `<g font-size="11"><line x1="10" y1="14" x2="34" y2="14" stroke="#1f6feb" stroke-width="2"/><text x="38" y="18">ours (WebAssembly, 1 thread)</text><line x1="210" y1="14" x2="234" y2="14" stroke="#d9822b" stroke-width="2" stroke-dasharray="5 3"/><text x="238" y="18">peer (1 BLAS thread)</text></g>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif"><title>Seconds against width d, ours and the peer, one thread</title><rect width="100%" height="100%" fill="white"/>${legend}${panels.join('')}</svg>\n`;
}

function panel(title: string, s: Series, x0: number, y0: number): string {
  const all = [...s.ours.values(), ...s.peer.values()].filter((v) => v > 0);
  const ds = [...new Set([...s.ours.keys(), ...s.peer.keys()])].sort((a, b) => a - b);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const out: string[] = [`<g transform="translate(${x0},${y0})" font-size="10">`];
  out.push(`<text x="${M.left}" y="12" font-weight="bold">${esc(title)}</text>`);
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  if (all.length === 0 || ds.length === 0) {
    out.push(`<text x="${M.left + 8}" y="${M.top + ph / 2}">no figures</text></g>`);
    return out.join('');
  }
  const dMin = Math.log10(Math.min(...ds));
  const dMax = Math.log10(Math.max(...ds));
  const yMin = Math.floor(Math.log10(Math.min(...all)));
  const yMax = Math.max(yMin + 1, Math.ceil(Math.log10(Math.max(...all))));
  const px = (d: number): number =>
    M.left + (dMax > dMin ? ((Math.log10(d) - dMin) / (dMax - dMin)) * pw : pw / 2);
  const py = (v: number): number => M.top + ph - ((Math.log10(v) - yMin) / (yMax - yMin)) * ph;
  for (const d of ds) {
    out.push(`<text x="${px(d)}" y="${M.top + ph + 12}" text-anchor="middle">${d}</text>`);
  }
  out.push(`<text x="${M.left + pw / 2}" y="${M.top + ph + 23}" text-anchor="middle" fill="#555">d</text>`);
  for (let e = yMin; e <= yMax; e++) {
    const y = py(10 ** e);
    out.push(`<line x1="${M.left}" y1="${y}" x2="${M.left + pw}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${M.left - 3}" y="${y + 3}" text-anchor="end">${fmtSeconds(10 ** e)}</text>`);
  }
  const line = (m: Map<number, number>, style: string): void => {
    const pts = [...m.entries()].filter(([, v]) => v > 0).sort((a, b) => a[0] - b[0]);
    if (pts.length === 0) return;
    out.push(
      `<polyline fill="none" ${style} points="${pts.map(([d, v]) => `${px(d).toFixed(1)},${py(v).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const [d, v] of pts)
      out.push(`<circle cx="${px(d).toFixed(1)}" cy="${py(v).toFixed(1)}" r="2" ${style}/>`);
  };
  line(s.peer, 'stroke="#d9822b" stroke-width="2" stroke-dasharray="5 3"');
  line(s.ours, 'stroke="#1f6feb" stroke-width="2"');
  out.push('</g>');
  return out.join('');
}
