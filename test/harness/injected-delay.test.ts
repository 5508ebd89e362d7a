import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveRun } from '../../cli/commands/run.js';
import { checkRuleLabels, delaysForLabel, injectDelays, InjectedDelayError, parseInjectedDelayRule, parseInjectedDelayRules } from '../../harness/injected-delay.js';
import { parseBackendChoices } from '../../harness/load-backend.js';
import { runBenchmark } from '../../harness/run-benchmark.js';
import { memoryFactory } from '../../backends/memory.js';
import { getScenario } from '../../scenarios/registry.js';
import { runCli } from '../cli/spawn-cli.js';
import { smallRun } from './helpers.js';

describe('--inject-delay rules', () => {
  it('reads a method, a duration in ns, µs or ms, and an optional backend label', () => {
    expect(parseInjectedDelayRule('set=6us')).toEqual({ label: null, method: 'set', ns: 6_000 });
    expect(parseInjectedDelayRule('sqlite:get=500ns')).toEqual({ label: 'sqlite', method: 'get', ns: 500 });
    expect(parseInjectedDelayRule('delete=1.5ms')).toEqual({ label: null, method: 'delete', ns: 1_500_000 });
    expect(parseInjectedDelayRule('getMany=2µs')).toEqual({ label: null, method: 'getMany', ns: 2_000 });
    // A label may hold its own options: the method and duration are what comes last.
    expect(parseInjectedDelayRule('fanout:shards=8,timeout=1:set=6us')).toEqual({ label: 'fanout:shards=8,timeout=1', method: 'set', ns: 6_000 });
    expect(parseInjectedDelayRules(['set=1us;get=2us', 'sqlite:delete=3us'])).toHaveLength(3);
  });

  it.each([
    ['set=6', 'DURATION with a unit'],
    ['set6us', 'DURATION with a unit'],
    ['put=6us', 'unknown method "put"'],
    ['set=0us', 'above 0'],
    ['set=0.0001ns', 'above 0'],
    ['set=2s', 'DURATION with a unit'],
    ['set=101ms', 'at most 100ms'],
  ])('refuses %s, naming the problem', (text, problem) => {
    expect(() => parseInjectedDelayRule(text)).toThrow(InjectedDelayError);
    expect(() => parseInjectedDelayRule(text)).toThrow(problem);
  });

  it('gives a labelled rule precedence over one for every backend, and refuses the same one twice', () => {
    const rules = parseInjectedDelayRules(['set=10us', 'sqlite:set=6us', 'get=1us']);
    expect(delaysForLabel(rules, 'sqlite')).toEqual({ set: 6_000, get: 1_000 });
    expect(delaysForLabel(rules, 'memory')).toEqual({ set: 10_000, get: 1_000 });
    expect(() => delaysForLabel(parseInjectedDelayRules(['sqlite:set=6us', 'sqlite:set=7us']), 'sqlite')).toThrow('given twice');
  });

  it('refuses a label that is not one of the run\'s backends, so a typo is never a silent no-op', () => {
    expect(() => checkRuleLabels(parseInjectedDelayRules(['sqlte:set=6us']), ['sqlite', 'memory'])).toThrow('no backend labelled "sqlte"');
    expect(() => checkRuleLabels(parseInjectedDelayRules(['set=6us', 'memory:get=1us']), ['sqlite', 'memory'])).not.toThrow();
  });

  it('attaches the rules to the backends they name when a run is resolved', async () => {
    const resolved = await resolveRun('talk', { out: 'results', backends: 'sqlite-raw,memory', injectDelay: ['memory:set=6us'] });
    expect(resolved.backends.map((b) => b.injectedDelays)).toEqual([undefined, { set: 6_000 }]);
    await expect(resolveRun('talk', { out: 'results', backends: 'memory', injectDelay: ['redis:set=6us'] })).rejects.toThrow(InjectedDelayError);
  });
});

describe('an injected delay', () => {
  it('replaces only the delayed method, and leaves absent methods absent', () => {
    const backend = memoryFactory.create({}, 'memory');
    const ownGet = backend.get;
    injectDelays(backend, { set: 1_000, read: 1_000 });
    expect(backend.get).toBe(ownGet);
    expect(backend.read).toBeUndefined();
    backend.open();
    expect(backend.set('k', 'v')).toBe(true);
    expect(backend.get('k')).toBe('v');
  });

  it('adds at least its duration to every timed call of that method, and nothing to the others', async () => {
    const delayNs = 200_000;
    const choices = parseBackendChoices('memory,sqlite-raw').map((choice) => (choice.label === 'memory' ? { ...choice, injectedDelays: { set: delayNs } } : choice));
    const results = await runBenchmark({ scenario: getScenario('talk'), backends: choices, run: smallRun({ procs: 1, ops: 3_000 }), callFloors: false });
    const [delayed, plain] = results.backends;
    expect(delayed!.status).toBe('completed');
    expect(delayed!.injectedDelays).toEqual({ set: delayNs });
    expect(delayed!.actions.set!.count).toBeGreaterThan(100);
    // Every set waited its delay: the smallest recorded set is at least the delay.
    expect(delayed!.actions.set!.percentiles.min).toBeGreaterThanOrEqual(delayNs);
    // A memory get or delete takes about a microsecond: far below the delay unless it were delayed too.
    expect(delayed!.actions.get!.percentiles.p50).toBeLessThan(delayNs / 4);
    expect(delayed!.actions.delete!.percentiles.p50).toBeLessThan(delayNs / 4);
    // The other backend in the same run carries no delay.
    expect(plain!.injectedDelays).toBeUndefined();
    expect(plain!.actions.set!.percentiles.p50).toBeLessThan(delayNs / 4);
  });
});

describe('cachebench run with CACHEBENCH_INJECT_DELAY', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('records the delay in the results file and warns that the figures include it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachebench-inject-'));
    const out = join(dir, 'r.json');
    const exit = await runCli(['run', 'talk', '-b', 'memory', '-p', '1', '-n', '500', '-w', '0', '--no-report', '-q', '-o', out], dir, { CACHEBENCH_INJECT_DELAY: 'set=50us' });
    expect(exit.code, exit.stderr).toBe(0);
    const results = JSON.parse(await readFile(out, 'utf8'));
    expect(results.backends[0].injectedDelays).toEqual({ set: 50_000 });
    expect(results.backends[0].actions.set.percentiles.min).toBeGreaterThanOrEqual(50_000);
    expect(exit.stdout + exit.stderr).toMatch(/memory: a delay was injected on purpose \(--inject-delay\): set \+50(\.0)? µs per call/);
  });

  it('refuses a bad rule with one line and exit 2', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachebench-inject-'));
    const exit = await runCli(['run', 'talk', '-b', 'memory', '-p', '1', '-n', '100', '--inject-delay', 'set=6', '-o', join(dir, 'r.json')], dir);
    expect(exit.code).toBe(2);
    expect(exit.stderr.split('\n')[0]).toBe('error: --inject-delay "set=6": expected [LABEL:]METHOD=DURATION with a unit ns, us or ms, e.g. set=6us or sqlite:get=500ns');
  });
});
