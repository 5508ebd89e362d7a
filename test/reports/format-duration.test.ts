import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatPercent } from '../../reports/format-duration.js';

describe('formatDuration', () => {
  it('picks the unit per value with three significant digits', () => {
    expect(formatDuration(0)).toBe('0 ns');
    expect(formatDuration(999)).toBe('999 ns');
    expect(formatDuration(1_000)).toBe('1.00 µs');
    expect(formatDuration(12_345)).toBe('12.3 µs');
    expect(formatDuration(123_456)).toBe('123 µs');
    expect(formatDuration(4_560_000)).toBe('4.56 ms');
    expect(formatDuration(1_500_000_000)).toBe('1.50 s');
  });

  it('moves to the larger unit when rounding reaches 1000', () => {
    expect(formatDuration(999_600)).toBe('1.00 ms');
    expect(formatDuration(999_960_000)).toBe('1.00 s');
    expect(formatDuration(999_400)).toBe('999 µs');
  });

  it('honours digits and spacing options', () => {
    expect(formatDuration(12_345, { digits: 4, space: false })).toBe('12.35µs');
    expect(formatDuration(-2_000)).toBe('-2.00 µs');
  });

  it('formats counts and percentages', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatPercent(0.01234)).toBe('1.23%');
    expect(formatPercent(0)).toBe('0%');
  });
});
