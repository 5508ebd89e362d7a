import { describe, expect, it } from 'vitest';
import { formatMetrics, formatMetricValue, metricsLine } from '../../reports/format-metrics.js';

describe('formatMetrics', () => {
  it('shows ratios as percentages, counts grouped, rates to four figures, flags and text as written', () => {
    expect(formatMetricValue('cacheHitRatio', 0.905)).toBe('90.5%');
    expect(formatMetricValue('pagesFetched', 1234567)).toBe('1,234,567');
    expect(formatMetricValue('pagesPerSecond', 12713.46)).toBe('12,713');
    expect(formatMetricValue('pagesPerSecond', 3.14159)).toBe('3.142');
    expect(formatMetricValue('noIncrementLost', false)).toBe('false');
    expect(formatMetricValue('engine', 'wal')).toBe('wal');
    // The engine's write-path times are nanoseconds: a lock wait of 7.87 s reads as such, not as a count.
    expect(formatMetricValue('writes.lockWaitNs', 7_873_300_000)).toBe('7.87 s');
    expect(formatMetricValue('writes.checkpointNs', 21_400_000)).toBe('21.4 ms');
    expect(formatMetricValue('writes.lockWaits', 1217)).toBe('1,217');
  });

  it('keeps the results file order and answers [] for a backend without metrics', () => {
    const metrics = formatMetrics({ incremented: 10, drained: 9, lostIncrements: 1, noIncrementLost: false });
    expect(metricsLine(metrics)).toBe('incremented 10 · drained 9 · lostIncrements 1 · noIncrementLost false');
    expect(formatMetrics(undefined)).toEqual([]);
  });
});
