/**
 * `.hlog` interval logs against the original: java-read.json is what Java's
 * HdrHistogram (HistogramLogReader, libhdrhistogram-java 2.1.11) read from the
 * committed .hlog files; fixtures/hlog/generate.sh regenerates both.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMergeHistogram, decodeHistogram } from '../../results/histogram.js';
import { HGRM_UNIT_LINE, hgrmFiles } from '../../reports/hgrm.js';
import { HLOG_LEGEND } from '../../reports/hlog.js';
import { generateReport } from '../../reports/index.js';
import { collectSeries } from '../../reports/series.js';
import { talkResults } from './fixtures/make-results.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'hlog');

interface JavaInterval {
  startSec: number;
  lengthSec: number;
  count: number;
  p50: number;
  p99: number;
  max: number;
}
interface JavaRead {
  intervals: JavaInterval[];
  total: { count: number; p50: number; p90: number; p99: number; p999: number; max: number };
}
const javaRead = JSON.parse(readFileSync(join(FIXTURES, 'java-read.json'), 'utf8')) as Record<string, JavaRead>;

describe('.hlog interval logs', () => {
  const results = talkResults(1);
  const series = collectSeries([results]);
  const files = hgrmFiles(series);

  it('are what the committed fixtures hold (so Java read what we write)', () => {
    const logs = files.filter((f) => f.hlog).map((f) => f.hlog!);
    expect(logs.map((l) => l.name).sort()).toEqual(Object.keys(javaRead).sort());
    for (const log of logs) expect(log.text, log.name).toBe(readFileSync(join(FIXTURES, log.name), 'utf8'));
  });

  it("give Java's HistogramLogReader every interval, and totals equal to the results file's percentiles", () => {
    for (const file of files) {
      const java = javaRead[file.hlog!.name];
      const s = series.find((x) => x.label === file.series)!;
      const intervals = s.backend.intervals.filter((i) => (i.actions[file.action]?.count ?? 0) > 0);
      expect(java.intervals).toHaveLength(intervals.length);
      java.intervals.forEach((read, i) => {
        const ours = intervals[i];
        const h = decodeHistogram(ours.actions[file.action].histogram);
        expect(read).toEqual({
          startSec: ours.start,
          lengthSec: ours.seconds,
          count: ours.actions[file.action].count,
          p50: h.getValueAtPercentile(50),
          p99: h.getValueAtPercentile(99),
          max: h.maxValue,
        });
        // The decoded max is its bucket's top; the recorded max lies within HDR's 3 digits of it.
        expect(Math.abs(read.max - ours.actions[file.action].max)).toBeLessThanOrEqual(read.max * 0.001);
      });
      // The intervals added up in Java are the whole run: the results file's own figures.
      const result = s.backend.actions[file.action];
      const { p50, p90, p99, p999 } = result.percentiles;
      const max = decodeHistogram(result.histogram).maxValue;
      expect(java.total).toEqual({ count: result.count, p50, p90, p99, p999, max });
      const sum = createMergeHistogram();
      for (const i of intervals) sum.add(decodeHistogram(i.actions[file.action].histogram));
      expect(sum.getValueAtPercentile(99.9)).toBe(java.total.p999);
    }
  });

  it('state the format version, that the timestamps are relative, and the legend', () => {
    const lines = files[0].hlog!.text.split('\n');
    expect(lines[0]).toBe('#[Histogram log format version 1.3]');
    expect(lines).toContain('#[BaseTime: 0.000 (seconds since epoch)]');
    expect(lines.some((l) => l.startsWith('#[StartTime:'))).toBe(false);
    expect(lines).toContain(HLOG_LEGEND);
    expect(lines[1]).toMatch(
      /values in nanoseconds; run began 2025-01-01T00:00:00.000Z; timestamps are seconds since this backend's measurement start/,
    );
  });

  it('leave out backends without intervals, and sit beside the .hgrm files in a report', async () => {
    const trimmed = talkResults(1);
    trimmed.backends[0].intervals = [];
    const dir = await mkdtemp(join(tmpdir(), 'cachebench-hlog-'));
    try {
      await generateReport([trimmed], dir, { png: false });
      const names = await readdir(join(dir, 'hgrm'));
      expect(names.filter((n) => n.endsWith('.hlog')).sort()).toEqual([
        'filebased-get.hlog',
        'filebased-set.hlog',
        'sqlite-get.hlog',
        'sqlite-set.hlog',
      ]);
      expect(names.filter((n) => n.endsWith('.hgrm'))).toHaveLength(6);
      expect(await readFile(join(dir, 'hgrm', 'sqlite-get.hlog'), 'utf8')).toBe(
        readFileSync(join(FIXTURES, 'sqlite-get.hlog'), 'utf8'),
      );
      const hgrm = await readFile(join(dir, 'hgrm', 'memory-get.hgrm'), 'utf8');
      expect(hgrm.split('\n')[0]).toBe(HGRM_UNIT_LINE);
      const html = await readFile(join(dir, 'index.html'), 'utf8');
      expect(html).toContain('<a href="hgrm/sqlite-get.hlog">sqlite-get.hlog</a>');
      expect(html).not.toContain('memory-get.hlog');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
