import { describe, expect, it } from 'vitest';
import { HGRM_UNIT_LINE, HGRM_UNIT_RATIO, hgrmFiles } from '../../reports/hgrm.js';
import { collectSeries } from '../../reports/series.js';
import { talkResults } from './fixtures/make-results.js';

interface HgrmRow {
  value: number;
  percentile: number;
  totalCount: number;
  inverse: number;
}

/** Parses the percentile distribution format as HdrHistogram's plotter does: numeric rows, `#[` footer lines. */
function parseHgrm(text: string): { rows: HgrmRow[]; footer: Record<string, number> } {
  const rows: HgrmRow[] = [];
  const footer: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const cells = line.trim().split(/\s+/);
    // The 100 % row has no 1/(1-p) column.
    if ((cells.length === 4 || cells.length === 3) && cells.every((c) => Number.isFinite(Number(c)))) {
      rows.push({
        value: Number(cells[0]),
        percentile: Number(cells[1]),
        totalCount: Number(cells[2]),
        inverse: Number(cells[3] ?? Infinity),
      });
    }
    for (const m of line.matchAll(/(Mean|Max|Total count)\s*=\s*([\d.]+)/g)) footer[m[1]] = Number(m[2]);
  }
  return { rows, footer };
}

describe('.hgrm export', () => {
  const series = collectSeries([talkResults()]);
  const files = hgrmFiles(series);

  it('writes one file per backend × action', () => {
    expect(files.map((f) => f.name)).toEqual([
      'memory-get.hgrm',
      'memory-set.hgrm',
      'sqlite-get.hgrm',
      'sqlite-set.hgrm',
      'filebased-get.hgrm',
      'filebased-set.hgrm',
    ]);
    // A `#` line saying the unit (HdrHistogram's plotter skips `#` lines), then the format's header.
    expect(files[0].text.split('\n')[0]).toBe(HGRM_UNIT_LINE);
    expect(files[0].text.split('\n')[1].trim().split(/\s+/)).toEqual([
      'Value',
      'Percentile',
      'TotalCount',
      '1/(1-Percentile)',
    ]);
  });

  it('holds the percentile distribution in microseconds', () => {
    const file = files.find((f) => f.name === 'filebased-set.hgrm')!;
    const result = series[2].backend.actions.set;
    const { rows, footer } = parseHgrm(file.text);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows[rows.length - 1].totalCount).toBe(result.count);
    expect(rows[rows.length - 1].percentile).toBe(1);
    expect(footer['Total count']).toBe(result.count);
    // Within the histogram's 3-significant-digit resolution (0.1 %).
    const near = (actual: number, ns: number): void =>
      expect(Math.abs(actual - ns / HGRM_UNIT_RATIO)).toBeLessThanOrEqual((ns / HGRM_UNIT_RATIO) * 0.001);
    near(footer.Max, result.percentiles.max);
    // The first row at or past the median holds the median, in µs.
    const median = rows.find((r) => r.percentile >= 0.5)!;
    near(median.value, result.percentiles.p50);
    for (let i = 1; i < rows.length; i++) expect(rows[i].value).toBeGreaterThanOrEqual(rows[i - 1].value);
    const finite = rows.filter((r) => r.percentile < 1);
    for (const r of finite) expect(r.inverse).toBeCloseTo(1 / (1 - r.percentile), 0);
  });
});
