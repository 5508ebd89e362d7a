import { describe, expect, it } from 'vitest';
import { parseBackendChoices, validateBackendChoices } from '../../harness/load-backend.js';
import { runBenchmark } from '../../harness/run-benchmark.js';
import { getScenario } from '../../scenarios/registry.js';
import { validateScenario } from '../../scenarios/validate-scenario.js';

const tiny = {
  procs: 1,
  ops: 200,
  durationSeconds: null,
  warmupOps: 0,
  rate: null,
  loadModel: 'closed' as const,
  seed: 3,
};

describe('per-backend option defaults of a scenario', () => {
  it('django runs filebased as benchmark_djangocache configured it (max_entries=1000, cull_frequency=10); user options override', async () => {
    const django = getScenario('django');
    const results = await runBenchmark({
      scenario: django,
      backends: parseBackendChoices('filebased;filebased:max_entries=300;memory'),
      run: tiny,
    });
    const [defaults, overridden, memory] = results.backends;
    expect(defaults!.status).toBe('completed');
    expect(defaults!.description!.settings).toMatchObject({ max_entries: 1000, cull_frequency: 10 });
    expect(overridden!.description!.settings).toMatchObject({ max_entries: 300, cull_frequency: 10 });
    // Only the named backend gets them.
    expect(memory!.status).toBe('completed');
  });

  it('other scenarios leave filebased at its own defaults', async () => {
    const results = await runBenchmark({
      scenario: getScenario('talk'),
      backends: parseBackendChoices('filebased'),
      run: tiny,
    });
    expect(results.backends[0]!.description!.settings).toMatchObject({ max_entries: 300, cull_frequency: 3 });
  });

  it("a scenario's backend options are validated with the user's, before anything runs", async () => {
    const bad = { ...getScenario('django'), backendOptions: { filebased: { max_entries: 'lots' } } };
    await expect(validateBackendChoices(parseBackendChoices('filebased'), bad)).rejects.toThrow(
      /backend filebased: option max_entries="lots"/,
    );
    await expect(validateBackendChoices(parseBackendChoices('filebased:max_entries=5'), bad)).resolves.toBeUndefined();
  });

  it('a scenario file with a malformed backendOptions is refused, naming the field', () => {
    const base = { ...getScenario('talk') } as Record<string, unknown>;
    expect(() => validateScenario({ ...base, backendOptions: { filebased: { max_entries: 1000 } } }, 'x.json')).toThrow(
      /"backendOptions" must map backend names/,
    );
    expect(() => validateScenario({ ...base, backendOptions: [] }, 'x.json')).toThrow(/"backendOptions"/);
    expect(
      validateScenario({ ...base, backendOptions: { filebased: { max_entries: '1000' } } }, 'x.json').backendOptions,
    ).toEqual({ filebased: { max_entries: '1000' } });
  });
});
