import { describe, expect, it } from 'vitest';
import { fitSegments, progressSegments } from '../../cli/progress-line.js';
import { rowCells } from '../../compare/format-values.js';
import type { ComparisonReport, ComparisonRow } from '../../compare/report.js';
import { formatDuration } from '../../shared/format-duration.js';
import { plural } from '../../shared/plural.js';

describe('the one duration formatter', () => {
  it('three significant digits, unit-scaled ns/µs/ms/s', () => {
    expect(formatDuration(0)).toBe('0 ns');
    expect(formatDuration(412)).toBe('412 ns');
    expect(formatDuration(17_340)).toBe('17.3 µs');
    expect(formatDuration(123_456)).toBe('123 µs');
    expect(formatDuration(4_560_000)).toBe('4.56 ms');
    expect(formatDuration(1_500_000_000)).toBe('1.50 s');
    expect(formatDuration(999_600)).toBe('1.00 ms');
  });

  it('the progress line and compare print a latency the same way', () => {
    const snapshot = {
      label: 'sqlite',
      phase: 'measuring' as const,
      ops: 1,
      totalOps: 2,
      elapsedSeconds: 1,
      durationSeconds: null,
      p99: { get: 17_340, set: 999_600 },
    };
    expect(progressSegments(snapshot).slice(-2)).toEqual(['p99: get 17.3 µs', 'set 1.00 ms']);
    const row = {
      backend: 'sqlite',
      action: 'get',
      statistic: 'p99',
      kind: 'latency',
      base: { value: 17_340 },
      head: { value: 999_600 },
      ratio: 57.6,
      ci: null,
      pValue: null,
      detectable: undefined,
      verdict: 'slower',
    };
    const cells = rowCells({ reference: null } as unknown as ComparisonReport, row as unknown as ComparisonRow);
    expect(cells.slice(3, 5)).toEqual(['17.3 µs', '1.00 ms']);
  });
});

describe('the progress line', () => {
  const base = { label: 'redis', ops: 1_200, totalOps: 20_000, elapsedSeconds: 0, durationSeconds: null, p99: {} };
  it('names its phase', () => {
    expect(progressSegments({ ...base, phase: 'preload', ops: 0 })).toEqual(['redis  preload…']);
    expect(progressSegments({ ...base, phase: 'warm-up', ops: 0 })).toEqual(['redis  warm-up…']);
    expect(progressSegments({ ...base, phase: 'measuring', elapsedSeconds: 2.34, p99: { get: 61_000 } })).toEqual([
      'redis  measuring',
      '1,200/20,000 ops',
      '2.3 s',
      'p99: get 61.0 µs',
    ]);
  });

  it('drops whole parts that do not fit, never half a figure', () => {
    const parts = ['redis  measuring', '1,200/20,000 ops', '2.3 s', 'p99: get 61.0 µs'];
    expect(fitSegments(parts, 80)).toBe('redis  measuring  1,200/20,000 ops  2.3 s  p99: get 61.0 µs');
    expect(fitSegments(parts, 50)).toBe('redis  measuring  1,200/20,000 ops  2.3 s');
    expect(fitSegments(parts, 40)).toBe('redis  measuring  1,200/20,000 ops');
    expect(fitSegments(parts, 10)).toBe('redis  me…');
  });
});

describe('plural', () => {
  it('agrees with the count', () => {
    expect(plural(1, 'process', 'processes')).toBe('1 process');
    expect(plural(4, 'process', 'processes')).toBe('4 processes');
    expect(plural(0, 'run', 'runs')).toBe('0 runs');
    expect(plural(12_000, 'op', 'ops')).toBe('12,000 ops');
  });
});
