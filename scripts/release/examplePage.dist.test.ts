/**
 * The in-browser example page (examples/browser) in headless Chromium, bundled by esbuild from the BUILT
 * packages: a simulated sshd log scored in the page gives the same flags, ROC-AUC and top events as the same
 * analysis in Node; a dropped LANL file with a broken line shows that line's number and reason; a pipeline
 * file trained in Node scores a file without training; the page fetches nothing but itself.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLanl, parseLines, parsers, simulate, trainPipeline } from '@nexus/ebm';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without declarations
import { analyse, sampleLog } from '../../examples/browser/analyse.js';
// @ts-expect-error plain JavaScript module without declarations
import { buildPage } from '../../examples/browser/build.mjs';
import { CHROMIUM, CHROMIUM_FLAGS, hasChromium } from './chromium.js';

interface Analysis {
  readonly flagged: number;
  readonly auc: number | undefined;
  readonly lines: number;
  readonly events: number;
  readonly top: readonly { readonly line: number; readonly reasons: string }[];
}
const analyseJs = analyse as (text: string, options: object) => Analysis;

interface PageView {
  readonly done: string | null;
  readonly status: string;
  readonly cards: string[];
  readonly errors: string[];
  readonly rows: string[][];
}

describe.skipIf(!hasChromium)('the example page in headless Chromium', () => {
  let dir = '';
  let server: Server;
  let base = '';
  const requested: string[] = [];
  let context!: BrowserContext;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ebm-page-'));
    await (buildPage as (out: string) => Promise<string>)(join(dir, 'site'));
    server = createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0] ?? '/';
      requested.push(url);
      const name = url === '/' ? 'index.html' : url.slice(1);
      const file = join(dir, 'site', name);
      if (!/^[a-z]+\.(html|js|css)$/.test(name) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      const type = name.endsWith('.js')
        ? 'text/javascript'
        : name.endsWith('.css')
          ? 'text/css'
          : 'text/html';
      res.writeHead(200, { 'content-type': type });
      res.end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_FLAGS],
    });
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  async function open(): Promise<{ page: Page; errors: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    page.on('console', (m: { type(): string; text(): string }) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${base}/`);
    return { page, errors };
  }

  async function runAndRead(page: Page): Promise<PageView> {
    await page.click('#run');
    await page.waitForSelector('body[data-done]', { timeout: 120_000 });
    const rows: string[][] = [];
    const tr = page.locator('#top tbody tr');
    for (let i = 0, n = await tr.count(); i < n; i++)
      rows.push(await tr.nth(i).locator('td').allTextContents());
    return {
      done: await page.locator('body').getAttribute('data-done'),
      status: (await page.locator('#status').textContent()) ?? '',
      cards: await page.locator('#summary .kpi').allTextContents(),
      errors: await page.locator('#errors .error').allTextContents(),
      rows,
    };
  }

  it('the simulated sshd sample: the same flags, ROC-AUC and top events as in Node, with reasons', async () => {
    const { page, errors } = await open();
    await page.click('#sample');
    await page.selectOption('#model', 'gaussian');
    const view = await runAndRead(page);
    expect(view.status, view.status).toBe('done');
    expect(errors).toEqual([]);
    const s = sampleLog() as { text: string; labels: unknown[]; year: number; trainFraction: number };
    const node = analyseJs(s.text, {
      model: 'gaussian',
      labels: s.labels,
      year: s.year,
      trainFraction: Math.round(s.trainFraction * 100) / 100,
      falseAlarmRate: 0.01,
    });
    expect(node.auc).toBeGreaterThan(0.95);
    const card = (label: string): string => view.cards.find((c) => c.includes(label)) ?? '';
    expect(card('flagged')).toContain(node.flagged.toLocaleString('en'));
    expect(card('ROC-AUC')).toContain((node.auc as number).toFixed(3));
    expect(card('lines read')).toContain(node.lines.toLocaleString('en'));
    expect(view.rows.map((r) => Number(r[0]))).toEqual(node.top.map((t) => t.line));
    for (const r of view.rows) expect((r[5] ?? '').length, 'a reason per event').toBeGreaterThan(10);
    // most of the highest energies are the simulated attacks
    expect(view.rows.filter((r) => /\[simulated: /.test(r[5] ?? '')).length).toBeGreaterThanOrEqual(15);
    await page.close();
  }, 300_000);

  it('a dropped LANL file with a broken line, then a pipeline file trained in Node: every line accounted for', async () => {
    const sim = simulate({ seed: 5, users: 30, days: 8, trainDays: 5 });
    const logs = formatLanl(sim);
    const lines = [...logs.lines];
    lines.splice(100, 0, '17,not a lanl line');
    const file = join(dir, 'auth.txt');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { page, errors } = await open();
    await page.setInputFiles('#file', file);
    await page.selectOption('#model', 'histogram');
    let view = await runAndRead(page);
    expect(view.status, view.status).toBe('done');
    expect(view.errors).toHaveLength(1);
    expect(view.errors[0]).toMatch(/^line 101: /);
    expect(view.cards.find((c) => c.includes('malformed'))).toMatch(/^1malformed/);
    expect(view.cards.find((c) => c.includes('events ('))).toContain('lanl');
    expect(view.rows.length).toBe(20);

    const cut = logs.times.findIndex((t) => t >= sim.testStart);
    const train = parseLines(parsers.lanl(), logs.lines.slice(0, cut)).events;
    const pipeline = trainPipeline(train, { format: 'lanl', model: 'gaussian', seed: 5 });
    const pipeFile = join(dir, 'pipeline.json');
    writeFileSync(pipeFile, JSON.stringify(pipeline.toJSON()));
    const testFile = join(dir, 'test.txt');
    writeFileSync(testFile, `${logs.lines.slice(cut).join('\n')}\n`);
    await page.setInputFiles('#pipeline', pipeFile);
    await page.setInputFiles('#file', testFile);
    await page.locator('body').evaluate((b: { dataset: Record<string, string | undefined> }) => {
      delete b.dataset.done;
    });
    view = await runAndRead(page);
    expect(view.status, view.status).toBe('done');
    expect(view.cards.find((c) => c.includes('pipeline ('))).toContain('loaded');
    expect(view.cards.find((c) => c.startsWith('scored') || c.includes('scored'))).toContain(
      (logs.lines.length - cut).toLocaleString('en'),
    );
    expect(errors).toEqual([]);
    expect(new Set(requested)).toEqual(new Set(['/', '/style.css', '/app.js']));
    await page.close();
  }, 300_000);
});
