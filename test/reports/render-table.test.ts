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
            actions: {
              get: { count: 100, distribution: constant(2_000), misses: 7 },
              set: { count: 10, distribution: constant(5_000_000) },
            },
          },
        ],
      }),
    );
    const lines = text.split('\n');
    const header = lines.find((l) => l.includes('Action'));
    expect(header?.trim().split(/\s+/)).toEqual(['Action', 'Count', 'Miss', 'Median', 'P90', 'P99', 'Max', 'Total']);
    const get = lines
      .find((l) => l.trim().startsWith('get'))
      ?.trim()
      .split(/\s{2,}/);
    // 100 gets of exactly 2 µs: every percentile 2 µs, total 200 µs — in diskcache's ASCII `us`.
    expect(get).toEqual(['get', '100', '7', '2.00 us', '2.00 us', '2.00 us', '2.00 us', '200 us']);
    const set = lines
      .find((l) => l.trim().startsWith('set'))
      ?.trim()
      .split(/\s{2,}/);
    expect(set?.slice(3)).toEqual(['5.00 ms', '5.00 ms', '5.00 ms', '5.00 ms', '50.0 ms']);
    const total = lines
      .find((l) => l.trim().startsWith('Total'))
      ?.trim()
      .split(/\s{2,}/);
    expect(total).toEqual(['Total', '110', '7', '50.2 ms']);
    // The Markdown (and HTML) tables keep µs and grouped counts.
    expect(
      renderTable(
        makeResults({
          backends: [{ label: 'sqlite', actions: { get: { count: 1_000, distribution: constant(2_000) } } }],
        }),
        { format: 'markdown' },
      ),
    ).toContain('| get | 1,000 | 0 | 2.00 µs |');
  });

  it('adds Timeout and Error columns only when some occurred', () => {
    const text = renderTable(
      makeResults({
        backends: [
          { label: 'redis', actions: { get: { count: 10, distribution: constant(1000), timeouts: 3, errors: 1 } } },
        ],
      }),
    );
    expect(text).toMatch(/Action\s+Count\s+Miss\s+Timeout\s+Error\s+Median/);
    expect(text).toContain('get errors: boom');
    expect(text).not.toContain('timeouts not timed');
    expect(renderTable(talkResults())).not.toContain('Timeout');
  });

  it('says when a file predates timed timeouts, whose Count and Miss exclude them', () => {
    const old = (timeoutsTimed: boolean) =>
      renderTable(
        makeResults({
          timeoutsTimed,
          backends: [{ label: 'fanout', actions: { get: { count: 10, distribution: constant(1000), timeouts: 3 } } }],
        }),
      );
    expect(old(false)).toMatch(
      /timeouts not timed: this file predates timed timeouts, so Count and Miss exclude the Timeout column/,
    );
    expect(old(true)).not.toContain('timeouts not timed');
    // Nothing to say without timeouts.
    expect(
      renderTable(
        makeResults({
          timeoutsTimed: false,
          backends: [{ label: 'sqlite', actions: { get: { count: 10, distribution: constant(1000) } } }],
        }),
      ),
    ).not.toContain('timeouts not timed');
  });

  it('writes Markdown with one table per series labelled by file and backend', () => {
    const md = renderTable([talkResults(1, 'box-a'), talkResults(2, 'box-b')], { format: 'markdown' });
    expect(md.match(/^### /gm)).toHaveLength(6);
    expect(md).toContain('### Timings for box-b filebased');
    expect(md).toContain('| Action | Count | Miss | Median | P90 | P99 | Max | Total |');
    expect(md).toContain('|:---|---:|');
  });

  it('gives throughput per action and in total: a line under the text table, an Ops/s column in Markdown', () => {
    const file = makeResults({
      backends: [
        {
          label: 'sqlite',
          actions: {
            get: { count: 3_000, distribution: constant(2_000) },
            set: { count: 600, distribution: constant(9_000) },
          },
        },
      ],
    });
    // The fixture spreads its operations over three one-second intervals.
    const lines = renderTable(file).split('\n');
    const description = lines.findIndex((l) => l.startsWith('  sqlite, sync'));
    expect(lines[description + 1]).toBe('  throughput: get 1,000 · set 200 · total 1,200 ops/s');
    const md = renderTable(file, { format: 'markdown' });
    expect(md).toContain('| Action | Count | Miss | Median | P90 | P99 | Max | Total | Ops/s |');
    expect(md).toMatch(/\| get \| 3,000 \| 0 \| 2\.00 µs \|.*\| 1,000 \|$/m);
    expect(md).toMatch(/\| Total \| 3,600 \|.*\| 1,200 \|$/m);
    expect(renderTable(file)).not.toContain('open loop');
  });

  it('in open loop sets the achieved rate against the target and flags it below 95%', () => {
    const at = (rate: number) => {
      const file = makeResults({
        backends: [{ label: 'redis', actions: { get: { count: 3_000, distribution: constant(2_000) } } }],
      });
      file.run = { ...file.run, loadModel: 'open', rate };
      return renderTable(file);
    };
    expect(at(1_020)).toContain('  open loop: achieved 1,000 of the 1,020 ops/s target (98.0%)\n');
    expect(at(1_250)).toContain(
      '  open loop: achieved 1,000 of the 1,250 ops/s target (80.0%) — SHORT of the target (below 95%): the backend could not keep up',
    );
  });
});

describe('renderTable: few samples', () => {
  it('notes a p99 that rests on fewer than 1,000 operations, naming the count', () => {
    const text = renderTable(
      makeResults({
        backends: [
          {
            label: 'sqlite',
            actions: {
              get: { count: 1_000, distribution: constant(1_000) },
              delete: { count: 46, distribution: constant(9_000) },
            },
          },
        ],
      }),
    );
    expect(text).toContain(
      '  few samples: p99 of delete from 46 operations (fewer than 10 beyond it, 1,000 needed), so it is close to the max\n',
    );
    expect(text).not.toContain('get from');
  });
});
