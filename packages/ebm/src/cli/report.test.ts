import { describe, expect, it } from 'vitest';
import { htmlReport } from './report.js';

describe('htmlReport', () => {
  const labels = Uint8Array.from([0, 0, 0, 0, 1, 0, 1, 0]);
  const energies = Float64Array.from([1, 2, 1.5, 0.5, 9, 3, 12, 2.5]);

  it('draws ROC, PR and histogram as inline SVG with the threshold', () => {
    const html = htmlReport({
      title: 'test.txt',
      labels,
      energies,
      figures: { 'ROC-AUC': '1.0000' },
      threshold: 4,
    });
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html.match(/<polyline /g)?.length).toBe(2);
    expect(html).toMatch(/stroke-dasharray="4 3"/); // the threshold line
    expect(html).toMatch(/<th>ROC-AUC<\/th><td>1\.0000<\/td>/);
    expect(html).not.toMatch(/NaN|Infinity/);
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it('escapes the title and figures', () => {
    const html = htmlReport({
      title: '<script>alert(1)</script>',
      labels,
      energies,
      figures: { 'a&b': '"x"' },
      threshold: Number.POSITIVE_INFINITY,
    });
    expect(html).not.toMatch(/<script>/);
    expect(html).toMatch(/&lt;script&gt;/);
    expect(html).toMatch(/a&amp;b/);
    expect(html).not.toMatch(/stroke-dasharray="4 3"/); // an infinite threshold is not drawn
  });
});
