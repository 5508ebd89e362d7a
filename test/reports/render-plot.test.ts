import { describe, expect, it } from 'vitest';
import { Resvg } from '@resvg/resvg-js';
import { PNG_RENDER_OPTIONS, renderSvg, svgToPng } from '../../reports/render-plot.js';
import { collectSeries } from '../../reports/series.js';
import { barSpec } from '../../reports/specs/bar-spec.js';
import { percentileSpec } from '../../reports/specs/percentile-spec.js';
import { talkResults, weightedResults } from './fixtures/make-results.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Text drawn in an SVG: vega writes each label as a <text> element. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

describe('headless rendering', () => {
  const series = collectSeries([talkResults(1, 'box-a'), talkResults(2, 'box-b')]);

  it('renders the percentile plot to SVG with every series and the percentile ticks', async () => {
    const svg = await renderSvg(percentileSpec(series, 'get'));
    expect(svg.startsWith('<svg')).toBe(true);
    const texts = svgTexts(svg);
    for (const name of ['box-a memory', 'box-a sqlite', 'box-b filebased']) expect(texts).toContain(name);
    for (const tick of ['0 %', '90 %', '99 %', '99.9 %']) expect(texts).toContain(tick);
    expect(texts).toContain('get time vs percentile');
    // Two line marks per series, solid and the dashed thin tail: 2 files × 3 backends × 2.
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(12);
    expect(texts).toContain('fewer than 10');
  });

  // Runs of 10^7 and 10^8 operations: the percentile distribution reaches within
  // a few samples of 100 %, so the axis needs ticks 1/(1-p) = 10^7 and 10^8.
  // Their labels once rounded to "100 %" twice over.
  it.each([
    [7, 10_000_000],
    [8, 100_000_000],
  ])('keeps every percentile tick label distinct for a run of 10^%i operations', async (decades, ops) => {
    const results = weightedResults('memory', [
      [1_000, ops - 3],
      [50_000, 1],
      [400_000, 1],
      [2_000_000, 1],
    ]);
    const spec = percentileSpec(collectSeries([results]), 'get');
    const texts = svgTexts(await renderSvg(spec));
    const ticks = texts.filter((t) => t.endsWith(' %'));
    // The axis reaches at least 1/(1-p) = 10^decades (the distribution's last point before 100 % may lie deeper).
    expect(ticks.length).toBeGreaterThanOrEqual(decades + 1);
    const written = [
      '0 %',
      '90 %',
      '99 %',
      '99.9 %',
      '99.99 %',
      '99.999 %',
      '99.9999 %',
      '99.99999 %',
      '99.999999 %',
      '99.9999999 %',
    ];
    expect(ticks).toEqual(written.slice(0, ticks.length));
    expect(texts).not.toContain('100 %');
  });

  it('finds a font, so PNG text is drawn', () => {
    const textOnly =
      '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><text x="5" y="20" font-family="sans-serif" font-size="16">p99 latency</text></svg>';
    const pixels = new Resvg(textOnly, PNG_RENDER_OPTIONS).render().pixels;
    let inked = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128) inked++;
    // No font found means a blank white image (fonts-dejavu-core on Debian).
    expect(inked).toBeGreaterThan(50);
  });

  it('renders a PNG with text, twice the SVG size', async () => {
    const svg = await renderSvg(barSpec(series, 'set'));
    const png = svgToPng(svg);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const width = Number(/width="(\d+(?:\.\d+)?)"/.exec(svg)?.[1]);
    // IHDR width is the big-endian uint32 at byte 16.
    expect(png.readUInt32BE(16)).toBe(Math.round(width * 2));
    // Without fonts the PNG is mostly flat fills; text and bars make it well over 10 kB.
    expect(png.length).toBeGreaterThan(10_000);
  });
});
