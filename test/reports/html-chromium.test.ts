/**
 * The report page in a real browser: Debian's chromium, driven by
 * playwright-core. Without /usr/bin/chromium the test is skipped with a
 * message — except under CI=true, where a missing browser is a failure.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReport, type ReportOutput } from '../../reports/index.js';
import { talkResults } from './fixtures/make-results.js';

// CHROMIUM_PATH lets a machine point at another build (and lets the skip path be tried by hand).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';
const SKIP_MESSAGE = `skipped: ${CHROMIUM} not found — install Debian's chromium (apt-get install -y chromium) to run the browser test`;
const ARTIFACT = join(process.cwd(), 'test-results', 'report-index.png');

if (!available && !inCi) console.warn(`html-chromium.test.ts ${SKIP_MESSAGE}`);

/** How many plots' vega views rendered (the page keeps their promises in window.cachebenchViews). */
const RENDERED_VIEWS =
  'Promise.all(window.cachebenchViews).then((views) => views.filter((v) => v !== null && typeof v.signal === "function").length)';

function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

describe('index.html in headless Chromium', () => {
  let dir: string;
  let out: ReportOutput;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachebench-html-'));
    out = await generateReport([talkResults(1, 'box-a'), talkResults(2, 'box-b')], dir, { png: false });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads offline without console errors and shows every plot', async (ctx) => {
    // Without the browser a developer's machine skips with the reason in the test list; CI must not.
    if (!available && !inCi) return ctx.skip(SKIP_MESSAGE);
    if (!available) throw new Error(`CI=true but ${CHROMIUM} is missing: install Debian's chromium package in .ci/run`);
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning')
          problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      // Self-contained means the page asks for nothing but itself.
      page.on('request', (request) => {
        if (request.url() !== pathToFileURL(out.html).href) problems.push(`request: ${request.url()}`);
      });
      await page.goto(pathToFileURL(out.html).href, { waitUntil: 'load' });
      // Every plot became a live vega view, drawn over (and hiding) its static SVG.
      expect(await page.evaluate(RENDERED_VIEWS)).toBe(out.plots.length);

      // The answer first: the summary's ranking is on screen before any scrolling.
      const summary = page.locator('#summary table.summary').first();
      expect(await summary.isVisible()).toBe(true);
      expect((await summary.boundingBox())!.y).toBeLessThan(900);
      expect(await page.locator('#summary ul.verdicts li').first().textContent()).toMatch(/^get median: .+ fastest, /);

      expect(await page.locator('figure.plot.live').count()).toBe(out.plots.length);
      expect(await page.locator('figure.plot .static svg').first().isVisible()).toBe(false);
      const figures = page.locator('figure.plot .interactive svg');
      expect(await figures.count()).toBe(out.plots.length);
      for (let i = 0; i < out.plots.length; i++) {
        const svg = figures.nth(i);
        await svg.scrollIntoViewIfNeeded();
        expect(await svg.isVisible()).toBe(true);
        const box = await svg.boundingBox();
        expect(box?.width).toBeGreaterThan(300);
        expect(box?.height).toBeGreaterThan(200);
      }
      // Lines are drawn inside their own plot's clip rectangle, not a clip of another plot.
      // Evaluated in the page; a string keeps DOM types out of this Node-typed project.
      const clips =
        await page.evaluate(`(() => { const all = [...document.querySelectorAll('[clip-path]')]; return [all.length, all.filter((el) => {
        const id = /url\\(#([^)]+)\\)/.exec(el.getAttribute('clip-path') || '')?.[1];
        const target = id ? document.getElementById(id) : null;
        return !target || target.closest('svg') !== el.closest('svg');
      }).length]; })()`);
      expect(clips).toEqual([expect.any(Number), 0]);
      expect((clips as number[])[0]).toBeGreaterThanOrEqual(out.plots.length);
      const legendEntry = page
        .locator('figure.plot .interactive')
        .first()
        .getByText('box-b filebased', { exact: true });
      expect(await legendEntry.isVisible()).toBe(true);
      expect(await page.locator('table.timings').count()).toBe(6);

      await mkdir(join(process.cwd(), 'test-results'), { recursive: true });
      await page.screenshot({ path: ARTIFACT, fullPage: true });
      expect(existsSync(ARTIFACT)).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('works with the network blocked: tooltips on points, a legend click hides a backend and brings it back', async (ctx) => {
    if (!available && !inCi) return ctx.skip(SKIP_MESSAGE);
    if (!available) throw new Error(`CI=true but ${CHROMIUM} is missing: install Debian's chromium package in .ci/run`);
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requested: string[] = [];
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      // The network is off: anything but the page's own file:// URL is aborted, and recorded.
      await page.route('**/*', async (route) => {
        const url = route.request().url();
        if (url === pathToFileURL(out.html).href) return route.continue();
        requested.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(out.html).href, { waitUntil: 'load' });
      expect(await page.evaluate(RENDERED_VIEWS)).toBe(out.plots.length);

      // The first plot is get's time vs percentile: a line per series, and a point under every datum.
      const plot = page.locator('#plot-1 .interactive');
      const seriesPaths = (series: string) =>
        `[...document.querySelectorAll('#plot-1 .interactive g.mark-line path')].filter((p) => (p.getAttribute('aria-label') || '').includes('series: ${series};'))`;
      const opacities = (series: string) =>
        page.evaluate(`${seriesPaths(series)}.map((p) => getComputedStyle(p).opacity)`) as Promise<string[]>;
      expect(await opacities('box-b filebased')).not.toHaveLength(0);
      expect(new Set(await opacities('box-b filebased'))).toEqual(new Set(['1']));

      // Hover a point in the middle of the slowest line (drawn last, clear of the others): the tooltip shows its series and latency.
      const point = plot.locator('g.mark-symbol path[aria-label*="series: box-b filebased;"]').nth(10);
      await point.hover();
      const tooltip = page.locator('#vg-tooltip-element');
      await tooltip.waitFor({ state: 'visible', timeout: 5000 });
      expect(await tooltip.textContent()).toMatch(/box-b filebased.*latency \(ns\)/s);

      // Click the legend entry: that backend's lines are hidden, the others stay; a second click shows it again.
      const entry = plot.getByText('box-b filebased', { exact: true });
      await entry.click();
      await expect.poll(() => opacities('box-b filebased')).toEqual(expect.arrayContaining(['0']));
      expect(new Set(await opacities('box-b filebased'))).toEqual(new Set(['0']));
      expect(new Set(await opacities('box-a sqlite'))).toEqual(new Set(['1']));
      // Its invisible points take no pointer events, so they show no tooltips while it is hidden.
      const pointerEvents = (series: string) =>
        page.evaluate(
          `[...new Set([...document.querySelectorAll('#plot-1 .interactive g.mark-symbol path')].filter((p) => (p.getAttribute('aria-label') || '').includes('series: ${series};')).map((p) => getComputedStyle(p).pointerEvents))]`,
        );
      expect(await pointerEvents('box-b filebased')).toEqual(['none']);
      expect(await pointerEvents('box-a sqlite')).not.toContain('none');
      await entry.click();
      await expect.poll(async () => [...new Set(await opacities('box-b filebased'))]).toEqual(['1']);

      expect(requested).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
