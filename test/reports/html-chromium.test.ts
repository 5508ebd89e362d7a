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
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      // Self-contained means the page asks for nothing but itself.
      page.on('request', (request) => {
        if (request.url() !== pathToFileURL(out.html).href) problems.push(`request: ${request.url()}`);
      });
      await page.goto(pathToFileURL(out.html).href, { waitUntil: 'load' });

      // The answer first: the summary's ranking is on screen before any scrolling.
      const summary = page.locator('#summary table.summary').first();
      expect(await summary.isVisible()).toBe(true);
      expect((await summary.boundingBox())!.y).toBeLessThan(900);
      expect(await page.locator('#summary ul.verdicts li').first().textContent()).toMatch(/^get median: .+ fastest, /);

      const figures = page.locator('figure.plot svg');
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
      const clips = await page.evaluate(`(() => { const all = [...document.querySelectorAll('[clip-path]')]; return [all.length, all.filter((el) => {
        const id = /url\\(#([^)]+)\\)/.exec(el.getAttribute('clip-path') || '')?.[1];
        const target = id ? document.getElementById(id) : null;
        return !target || target.closest('svg') !== el.closest('svg');
      }).length]; })()`);
      expect(clips).toEqual([expect.any(Number), 0]);
      expect((clips as number[])[0]).toBeGreaterThanOrEqual(out.plots.length);
      const legendEntry = page.locator('figure.plot').first().getByText('box-b filebased', { exact: true });
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
});
