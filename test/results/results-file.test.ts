import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RESULTS_VERSION } from '../../results/results.js';
import { loadResults, validateResults, writeResults } from '../../results/results-io.js';
import { getScenario } from '../../scenarios/registry.js';
import { run } from '../harness/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cachebench-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('results file', () => {
  it('a real run round-trips through writeResults and loadResults', async () => {
    const results = await run('memory', getScenario('talk'), { procs: 1, ops: 200, seed: 99 });
    const path = join(dir, 'nested', 'run.json');
    await writeResults(path, results);
    const loaded = await loadResults(path);
    expect(loaded).toEqual(results);
    expect(loaded.run.seed).toBe(99);
    expect(loaded.environment.cores).toBeGreaterThan(0);
    expect(loaded.environment.sqlite).toMatch(/^3\.\d+/);
    expect(loaded.scenario.name).toBe('talk');
  });

  it('names the file and the problem for bad files', async () => {
    await expect(loadResults(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: cannot read it \(ENOENT\)/);
    const notJson = file('not.json', '{ nope');
    await expect(loadResults(notJson)).rejects.toThrow(new RegExp(`results file ${notJson}: not JSON`));
    // One line, whatever JSON.parse says.
    const longBad = file('long.json', `{"a": 1,\n${'x'.repeat(200)}\n}`);
    const message = await loadResults(longBad).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(message).toMatch(/not JSON/);
    expect(message).not.toContain('\n');
    await expect(loadResults(file('other.json', '{"schema":"other"}'))).rejects.toThrow(
      /other\.json: not a cachebench results file/,
    );
    const future = file('future.json', JSON.stringify({ schema: 'cachebench/results', version: RESULTS_VERSION + 1 }));
    await expect(loadResults(future)).rejects.toThrow(
      /future\.json: version 2 is newer than this cachebench reads \(1\); upgrade cachebench/,
    );
  });

  it('points at the field that is wrong', async () => {
    const results = await run('memory', getScenario('talk'), { procs: 1, ops: 50 });
    const broken = structuredClone(results) as unknown as {
      backends: { actions: { get: { percentiles: Record<string, unknown> } } }[];
    };
    delete broken.backends[0]!.actions.get.percentiles.p99;
    expect(() => validateResults(broken, 'x.json')).toThrow(
      /x\.json: "backends\[0\]\.actions\.get\.percentiles\.p99" is missing \(it must be an integer\)/,
    );
    const badStatus = structuredClone(results) as unknown as { backends: { status: string }[] };
    badStatus.backends[0]!.status = 'fine';
    expect(() => validateResults(badStatus, 'y.json')).toThrow(/"backends\[0\]\.status" must be one of/);
    const noParameters = structuredClone(results) as unknown as { scenario: { parameters: unknown } };
    noParameters.scenario.parameters = null;
    expect(() => validateResults(noParameters, 'z.json')).toThrow(/z\.json: "scenario\.parameters" must be an object/);
    const badNoise = structuredClone(results) as unknown as { backends: { hostNoise: { samples: unknown } }[] };
    badNoise.backends[0]!.hostNoise = { ...badNoise.backends[0]!.hostNoise, samples: 'many' };
    expect(() => validateResults(badNoise, 'n.json')).toThrow(/"backends\[0\]\.hostNoise\.samples" must be an array/);
    const badStart = structuredClone(results) as unknown as { backends: { measureStartSeconds: unknown }[] };
    badStart.backends[0]!.measureStartSeconds = 'soon';
    expect(() => validateResults(badStart, 's.json')).toThrow(/"backends\[0\]\.measureStartSeconds" must be a number/);
    const badTimed = structuredClone(results) as unknown as { run: { timeoutsTimed: unknown } };
    badTimed.run.timeoutsTimed = 'yes';
    expect(() => validateResults(badTimed, 't.json')).toThrow(/t\.json: "run\.timeoutsTimed" must be true or false/);
  });

  it('still reads files written before the second barrier (no measureStartSeconds)', async () => {
    const results = await run('memory', getScenario('talk'), { procs: 1, ops: 50 }, { callFloors: false });
    expect(typeof results.backends[0]!.measureStartSeconds).toBe('number');
    const old = structuredClone(results);
    delete old.backends[0]!.measureStartSeconds;
    const loaded = await loadResults(file('old.json', JSON.stringify(old)));
    expect(loaded.backends[0]!.measureStartSeconds).toBeUndefined();
    expect(loaded.backends[0]!.intervals).toEqual(results.backends[0]!.intervals);
  });

  it('still reads files written before timeouts were timed (no run.timeoutsTimed)', async () => {
    const results = await run('memory', getScenario('talk'), { procs: 1, ops: 50 }, { callFloors: false });
    expect(results.run.timeoutsTimed).toBe(true);
    const old = structuredClone(results);
    delete old.run.timeoutsTimed;
    const loaded = await loadResults(file('untimed-timeouts.json', JSON.stringify(old)));
    expect(loaded.run.timeoutsTimed).toBeUndefined();
    expect(loaded.backends[0]!.actions).toEqual(results.backends[0]!.actions);
  });
});
