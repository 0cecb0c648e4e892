import { describe, expect, it } from 'vitest';
import { chart, energyScale, linearScale, logScale, niceStep, symlog } from './chart.js';
import { int, num, pct } from './html.js';

const labels = (s: { ticks: readonly { label: string }[] }): string[] => s.ticks.map((t) => t.label);

describe('report scales', () => {
  it('linear: nice steps and ticks inside the domain', () => {
    expect(niceStep(9, 5)).toBe(2);
    expect(niceStep(7, 5)).toBe(1);
    expect(niceStep(1, 5)).toBe(0.2);
    expect(labels(linearScale(0, 1))).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(labels(linearScale(0, 1, 5, pct))).toEqual([
      '0\u202f%',
      '20\u202f%',
      '40\u202f%',
      '60\u202f%',
      '80\u202f%',
      '100\u202f%',
    ]);
    const s = linearScale(2.3, 2.9, 6);
    expect(s.kind).toBe('linear');
    expect(s.at(2.3)).toBe(0);
    expect(s.at(2.9)).toBe(1);
    expect(s.at(100)).toBe(1); // clamped
    for (const t of s.ticks) expect(t.value >= 2.3 && t.value <= 2.9).toBe(true);
  });

  it('log: one tick per power of ten, thinned to at most maxTicks', () => {
    const s = logScale(1e-5, 1, pct, 6);
    expect(labels(s)).toEqual([
      '0.001\u202f%',
      '0.01\u202f%',
      '0.1\u202f%',
      '1\u202f%',
      '10\u202f%',
      '100\u202f%',
    ]);
    expect(s.at(1e-3)).toBeCloseTo(0.4, 12);
    expect(logScale(0.5, 1e12, int, 7).ticks.length).toBeLessThanOrEqual(7);
  });

  it('energy: symmetric log in energy units across orders of magnitude, linear within one', () => {
    expect(symlog(99)).toBeCloseTo(2, 12);
    expect(symlog(-99)).toBeCloseTo(-2, 12);
    const wide = energyScale(-50, 9000);
    expect(wide.kind).toBe('symlog');
    const v = wide.ticks.map((t) => t.value);
    expect(v).toContain(0);
    expect(v).toContain(1000);
    expect(v).toContain(-10);
    expect(v).toEqual([...v].sort((a, b) => a - b));
    expect(wide.at(-50)).toBe(0);
    expect(wide.at(9000)).toBe(1);
    expect(wide.at(Number.POSITIVE_INFINITY)).toBe(1);
    expect(wide.at(Number.NEGATIVE_INFINITY)).toBe(0);
    // ticks at least 1/9 of the axis apart
    const pos = wide.ticks.map((t) => wide.at(t.value));
    for (let i = 1; i < pos.length; i++)
      expect((pos[i] as number) - (pos[i - 1] as number)).toBeGreaterThan(1 / 9.5);
    const narrow = energyScale(2, 3);
    expect(narrow.kind).toBe('linear');
    expect(narrow.ticks.length).toBeGreaterThanOrEqual(3);
    const flat = energyScale(5, 5);
    expect(flat.ticks.length).toBeGreaterThanOrEqual(2);
    expect(flat.at(5)).toBeCloseTo(0.5, 12);
  });

  it('numbers read the same on every machine', () => {
    expect(int(20418)).toBe('20\u202f418');
    expect(int(-1234567)).toBe('−1\u202f234\u202f567');
    expect(pct(0.0015)).toBe('0.15\u202f%');
    expect(pct(1)).toBe('100\u202f%');
    expect(num(50.8634)).toBe('50.86');
    expect(num(-0.5)).toBe('−0.5');
    expect(num(2.5e9)).toBe('2.5e9');
    expect(num(1.7976931348623157e308)).toBe('1.8e308');
    expect(num(Number.POSITIVE_INFINITY)).toBe('∞');
  });
});

describe('chart', () => {
  it('draws both axes with ticks, one title each, and escapes its text', () => {
    const svg = chart({
      box: { width: 300, height: 200, left: 50, right: 10, top: 36, bottom: 40 },
      x: linearScale(0, 1),
      y: logScale(1, 1000, int),
      xTitle: 'x <b>',
      yTitle: 'y & z',
      label: '"quoted"',
      legend: [['#000', '<legend>']],
      body: (p) => `<circle cx="${p.x(0.5)}" cy="${p.y(10)}" r="2"/>`,
    });
    expect(svg.match(/class="x-title"/g)).toHaveLength(1);
    expect(svg.match(/class="y-title"/g)).toHaveLength(1);
    expect(svg).toContain('>x &lt;b&gt;</text>');
    expect(svg).toContain('>y &amp; z</text>');
    expect(svg).toContain('aria-label="&quot;quoted&quot;"');
    expect(svg).toContain('>&lt;legend&gt;</text>');
    // x ticks 0 … 1 (6) and y ticks 1, 10, 100, 1 000 (4)
    expect(svg.match(/text-anchor="middle">[0-9.]+<\/text>/g)).toHaveLength(6);
    expect(svg.match(/text-anchor="end">[0-9\u202f]+<\/text>/g)).toHaveLength(4);
    // the plot spans x 50…290 and y 160…36: the circle sits at x = 50 + 0.5 · 240, y = 160 − (1/3) · 124
    expect(svg).toContain('<circle cx="170" cy="118.7" r="2"/>');
  });
});
