import { describe, expect, it } from 'vitest';
import { resolveRun } from '../../cli/commands/run.js';
import { exitCodeOf } from '../../cli/run-execute.js';
import type { ResultsFile } from '../../results/results.js';

describe('--backends presets', () => {
  it("originals runs the talk's three designs, the original Python cache beside ours", async () => {
    const resolved = await resolveRun('talk', { out: 'results', backends: 'originals' });
    expect(resolved.backends.map((b) => b.label)).toEqual([
      'sqlite',
      'py-diskcache',
      'filebased',
      'py-django-filebased',
      'redis',
      'py-redis',
    ]);
  });

  it('all names every registered backend, the Python ones too', async () => {
    const labels = (await resolveRun('talk', { out: 'results', backends: 'all' })).backends.map((b) => b.label);
    expect(labels).toEqual(
      expect.arrayContaining(['sqlite', 'lmdb', 'memcached', 'redis-cluster', 'py-diskcache', 'py-redis']),
    );
  });

  it('a preset member that cannot run here is reported, not failed; a named one fails the run', () => {
    const file = {
      backends: [
        { label: 'py-redis', status: 'unavailable' },
        { label: 'sqlite', status: 'completed' },
      ],
    } as unknown as ResultsFile;
    expect(exitCodeOf([file], { backends: 'originals' })).toBe(0);
    expect(exitCodeOf([file], { backends: 'sqlite,py-redis' })).toBe(1);
  });
});
