import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../reports/render-table.js';
import { PlotParseError, parsePlotData, parsePlotTiming } from './diskcache-plot-parser.js';
import { constant, logUniform, makeResults } from './fixtures/make-results.js';

/**
 * tables.txt must be readable by python-diskcache's tests/plot.py, so the talk's
 * plotting script can draw our numbers. plot.py itself is not part of this
 * project (nor of Debian's python3-diskcache), so the check has two steps:
 * 1. fixtures/diskcache-tables.txt is a table written by the original
 *    tests/benchmark_core.py (regenerate with fixtures/diskcache-tables.py); the
 *    TypeScript rewrite of plot.py's parser (diskcache-plot-parser.ts) must read
 *    it as plot.py does — and reject a copy with the layout broken;
 * 2. our text tables must parse with it to the same numbers, and share the
 *    fixture's rules, header line and column layout character for character.
 */
const fixture = readFileSync(new URL('./fixtures/diskcache-tables.txt', import.meta.url), 'utf8');

/** A talk-like run: sub-µs, µs and ms latencies, a Timeout and an Error column, rows recorded out of order. */
const ours = makeResults({
  backends: [
    {
      label: 'memory',
      actions: {
        delete: { count: 50, distribution: constant(300), misses: 5 },
        set: { count: 450, distribution: constant(850) },
        get: { count: 4_500, distribution: logUniform(200, 900), misses: 400 },
      },
    },
    {
      label: 'sqlite',
      actions: {
        get: { count: 4_500, distribution: logUniform(2_000, 40_000) },
        set: { count: 450, distribution: logUniform(30_000, 3_000_000) },
        delete: { count: 50, distribution: constant(25_000) },
      },
    },
    {
      label: 'fanout',
      actions: {
        get: { count: 4_500, distribution: constant(7_000) },
        set: { count: 450, distribution: constant(10_000_000), timeouts: 3 },
        delete: { count: 50, distribution: constant(40_000) },
      },
    },
    {
      label: 'filebased',
      actions: {
        get: { count: 4_500, distribution: constant(60_000) },
        set: { count: 450, distribution: constant(2_500_000), errors: 2 },
        delete: { count: 50, distribution: constant(1_200_000_000) },
      },
    },
  ],
});
const text = renderTable(ours);

describe("plot.py's parser, rewritten, on python-diskcache's own table", () => {
  it('reads every table of benchmark_core.py output with its rows and microseconds', () => {
    const data = parsePlotData(fixture);
    expect([...data.keys()]).toEqual([
      'diskcache.Cache',
      'diskcache.FanoutCache(shards=4, timeout=1.0)',
      'diskcache.FanoutCache(shards=8, timeout=0.010)',
    ]);
    const cache = data.get('diskcache.Cache')!;
    const line = fixture.split('\n').find((l) => l.trim().startsWith('get'))!;
    const [, count, miss, median] = line.trim().split(/\s+/);
    expect(cache.get).toMatchObject({ Action: 'get', Count: count, Miss: miss, Median: median });
    expect(parsePlotTiming(cache.get.Median!)).toBeCloseTo(Number(median!.replace('us', '')), 6);
    expect(parsePlotTiming('1.342s', Infinity)).toBe(1.342e6);
    expect(parsePlotTiming('2.000ms')).toBeCloseTo(2_000, 9);
    expect(parsePlotTiming('6.000ms')).toBe(0); // above plot.py's default 5 ms limit
  });

  it('rejects what plot.py rejects', () => {
    const lines = fixture.split('\n');
    const dashes = lines.findIndex((l) => /^-+$/.test(l));
    const shortRule = [...lines.slice(0, dashes), lines[dashes]!.slice(1), ...lines.slice(dashes + 1)].join('\n');
    expect(() => parsePlotData(shortRule)).toThrow(PlotParseError);
    const get = lines.findIndex((l) => l.trim().startsWith('get'));
    const swapped = [...lines.slice(0, get), lines[get + 1]!, lines[get]!, ...lines.slice(get + 2)].join('\n');
    expect(() => parsePlotData(swapped)).toThrow(/row 1 is "set", not "get"/);
    const micro = parsePlotData(fixture.replace('us', 'µs')).get('diskcache.Cache')!.get.Median!;
    expect(micro).toMatch(/µs$/);
    expect(() => parsePlotTiming(micro)).toThrow(PlotParseError);
    expect(() => parsePlotTiming('412 ns')).toThrow(PlotParseError);
  });
});

describe('our tables.txt, read by the same parser', () => {
  it('parses to the latencies the results hold, in microseconds', () => {
    const data = parsePlotData(text);
    expect([...data.keys()]).toEqual(['memory', 'sqlite', 'fanout', 'filebased']);
    for (const backend of ours.backends) {
      const parsed = data.get(backend.label)!;
      for (const action of ['get', 'set', 'delete'] as const) {
        const { p50, p90, p99 } = backend.actions[action]!.percentiles;
        const row = parsed[action];
        expect(row.Action).toBe(action);
        expect(Number(row.Count)).toBe(backend.actions[action]!.count);
        // Three significant digits, as printed; sub-µs values to the nanosecond.
        for (const [column, ns] of [
          ['Median', p50],
          ['P90', p90],
          ['P99', p99],
        ] as const) {
          const us = parsePlotTiming(row[column]!, Infinity);
          expect(Math.abs(us - ns / 1_000), `${backend.label} ${action} ${column} ${row[column]}`).toBeLessThanOrEqual(
            Math.max(0.0005, (ns / 1_000) * 0.005),
          );
        }
      }
    }
    // plot.py's own limit: the 1.2 s filebased delete plots as 0, as diskcache's slow ones do.
    expect(parsePlotTiming(data.get('filebased')!.delete.Median!)).toBe(0);
    expect(parsePlotTiming(data.get('memory')!.delete.Median!)).toBeCloseTo(0.3, 9);
  });

  it("has diskcache's layout: the same rules, header and nine-character columns, units us/ms/s", () => {
    const fixtureLines = fixture.split('\n');
    const lines = text.split('\n');
    const opening = lines.findIndex((l) => l === 'Timings for memory') - 1;
    const fixtureOpening = fixtureLines.findIndex((l) => l.startsWith('Timings for')) - 1;
    // Rule, dashes, header, rule: identical to the original's, and the closing rule too.
    for (const offset of [0, 2, 3, 4, 9]) expect(lines[opening + offset]).toBe(fixtureLines[fixtureOpening + offset]);
    const cell = /^ *\S(?:.*\S)?$/;
    const rows = lines.filter((l) => /^ {3,}(get|set|delete|Total) /.test(l));
    expect(rows).toHaveLength(16);
    for (const row of rows) {
      const cells = row.match(/.{9}(?: |$)/g)!.map((c) => c.trimEnd());
      expect(
        cells.every((c) => c.trim() === '' || (c.length === 9 && cell.test(c))),
        row,
      ).toBe(true);
      for (const latency of cells
        .slice(-5)
        .map((c) => c.trim())
        .filter((c) => /\d/.test(c) && !/^\d+$/.test(c))) {
        expect(latency).toMatch(/^\d+(\.\d+)? (us|ms|s)$/);
      }
    }
    // Extra columns (Timeout, Error) widen the table; the 79-dash line stays diskcache's.
    expect(lines.find((l) => l.includes('Timeout'))).toMatch(/^ {3}Action {5}Count {6}Miss {3}Timeout {4}Median/);
    expect(lines.filter((l) => /^-+$/.test(l)).every((l) => l.length === 79)).toBe(true);
  });
});
