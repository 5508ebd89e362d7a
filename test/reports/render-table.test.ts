import { describe, expect, it } from 'vitest';
import { renderTable } from '../../reports/render-table.js';
import { constant, makeResults, talkResults } from './fixtures/make-results.js';

describe('renderTable', () => {
  it('prints the diskcache columns with per-value units', () => {
    const text = renderTable(
      makeResults({
        backends: [
          {
            label: 'sqlite',
            actions: { get: { count: 100, distribution: constant(2_000), misses: 7 }, set: { count: 10, distribution: constant(5_000_000) } },
          },
        ],
      }),
    );
    const lines = text.split('\n');
    const header = lines.find((l) => l.includes('Action'));
    expect(header?.trim().split(/\s+/)).toEqual(['Action', 'Count', 'Miss', 'Median', 'P90', 'P99', 'Max', 'Total']);
    const get = lines.find((l) => l.trim().startsWith('get'))?.trim().split(/\s{2,}/);
    // 100 gets of exactly 2 µs: every percentile 2 µs, total 200 µs — in diskcache's ASCII `us`.
    expect(get).toEqual(['get', '100', '7', '2.00 us', '2.00 us', '2.00 us', '2.00 us', '200 us']);
    const set = lines.find((l) => l.trim().startsWith('set'))?.trim().split(/\s{2,}/);
    expect(set?.slice(3)).toEqual(['5.00 ms', '5.00 ms', '5.00 ms', '5.00 ms', '50.0 ms']);
    const total = lines.find((l) => l.trim().startsWith('Total'))?.trim().split(/\s{2,}/);
    expect(total).toEqual(['Total', '110', '7', '50.2 ms']);
    // The Markdown (and HTML) tables keep µs and grouped counts.
    expect(renderTable(makeResults({ backends: [{ label: 'sqlite', actions: { get: { count: 1_000, distribution: constant(2_000) } } }] }), { format: 'markdown' })).toContain('| get | 1,000 | 0 | 2.00 µs |');
  });

  it('adds Timeout and Error columns only when some occurred', () => {
    const text = renderTable(
      makeResults({ backends: [{ label: 'redis', actions: { get: { count: 10, distribution: constant(1000), timeouts: 3, errors: 1 } } }] }),
    );
    expect(text).toMatch(/Action\s+Count\s+Miss\s+Timeout\s+Error\s+Median/);
    expect(text).toContain('get errors: boom');
    expect(text).not.toContain('timeouts not timed');
    expect(renderTable(talkResults())).not.toContain('Timeout');
  });

  it('says when a file predates timed timeouts, whose Count and Miss exclude them', () => {
    const old = (timeoutsTimed: boolean) =>
      renderTable(makeResults({ timeoutsTimed, backends: [{ label: 'fanout', actions: { get: { count: 10, distribution: constant(1000), timeouts: 3 } } }] }));
    expect(old(false)).toMatch(/timeouts not timed: this file predates timed timeouts, so Count and Miss exclude the Timeout column/);
    expect(old(true)).not.toContain('timeouts not timed');
    // Nothing to say without timeouts.
    expect(renderTable(makeResults({ timeoutsTimed: false, backends: [{ label: 'sqlite', actions: { get: { count: 10, distribution: constant(1000) } } }] }))).not.toContain('timeouts not timed');
  });

  it('writes Markdown with one table per series labelled by file and backend', () => {
    const md = renderTable([talkResults(1, 'box-a'), talkResults(2, 'box-b')], { format: 'markdown' });
    expect(md.match(/^### /gm)).toHaveLength(6);
    expect(md).toContain('### Timings for box-b filebased');
    expect(md).toContain('| Action | Count | Miss | Median | P90 | P99 | Max | Total |');
    expect(md).toContain('|:---|---:|');
  });
});
