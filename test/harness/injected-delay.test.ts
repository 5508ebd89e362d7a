import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveRun } from '../../cli/commands/run.js';
import {
  checkRuleLabels,
  delayDraws,
  delaysForLabel,
  injectDelays,
  InjectedDelayError,
  parseInjectedDelayRule,
  parseInjectedDelayRules,
} from '../../harness/injected-delay.js';
import { parseBackendChoices } from '../../harness/load-backend.js';
import { runBenchmark } from '../../harness/run-benchmark.js';
import { memoryFactory } from '../../backends/memory.js';
import { getScenario } from '../../scenarios/registry.js';
import { runCli } from '../cli/spawn-cli.js';
import { decodeHistogram } from '../../results/histogram.js';
import { smallRun } from './helpers.js';

/** How many recorded values are at least `ns`: the rank where they start, found by bisection over percentiles. */
function countAtLeast(encoded: string, ns: number): number {
  const histogram = decodeHistogram(encoded);
  const total = histogram.totalCount;
  const valueAtRank = (rank: number): number => histogram.getValueAtPercentile((rank / total) * 100);
  let low = 1;
  let high = total + 1; // first rank whose value is >= ns, total + 1 when none is
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (valueAtRank(mid) >= ns) high = mid;
    else low = mid + 1;
  }
  histogram.destroy();
  return total + 1 - low;
}

describe('--inject-delay rules', () => {
  it('reads a method, a duration in ns, µs or ms, and an optional backend label', () => {
    expect(parseInjectedDelayRule('set=6us')).toEqual({ label: null, method: 'set', ns: 6_000, share: 1 });
    expect(parseInjectedDelayRule('sqlite:get=500ns')).toEqual({ label: 'sqlite', method: 'get', ns: 500, share: 1 });
    expect(parseInjectedDelayRule('delete=1.5ms')).toEqual({ label: null, method: 'delete', ns: 1_500_000, share: 1 });
    expect(parseInjectedDelayRule('getMany=2µs')).toEqual({ label: null, method: 'getMany', ns: 2_000, share: 1 });
    // A label may hold its own options: the method and duration are what comes last.
    expect(parseInjectedDelayRule('fanout:shards=8,timeout=1:set=6us')).toEqual({
      label: 'fanout:shards=8,timeout=1',
      method: 'set',
      ns: 6_000,
      share: 1,
    });
    expect(parseInjectedDelayRule('set=2ms@1.5%')).toEqual({ label: null, method: 'set', ns: 2_000_000, share: 0.015 });
    expect(parseInjectedDelayRules(['set=1us;get=2us', 'sqlite:delete=3us'])).toHaveLength(3);
  });

  it.each([
    ['set=6', 'with a unit ns, us or ms'],
    ['set6us', 'with a unit ns, us or ms'],
    ['put=6us', 'unknown method "put"'],
    ['set=0us', 'above 0'],
    ['set=0.0001ns', 'above 0'],
    ['set=2s', 'with a unit ns, us or ms'],
    ['set=101ms', 'at most 100ms'],
    ['set=1ms@0%', 'above 0% and at most 100%'],
    ['set=1ms@150%', 'above 0% and at most 100%'],
    ['set=1ms@5', 'DURATION[@PERCENT%]'],
  ])('refuses %s, naming the problem', (text, problem) => {
    expect(() => parseInjectedDelayRule(text)).toThrow(InjectedDelayError);
    expect(() => parseInjectedDelayRule(text)).toThrow(problem);
  });

  it('gives a labelled rule precedence over one for every backend, and refuses the same one twice', () => {
    const rules = parseInjectedDelayRules(['set=10us', 'sqlite:set=6us', 'get=1us']);
    expect(delaysForLabel(rules, 'sqlite')).toEqual({ set: { ns: 6_000, share: 1 }, get: { ns: 1_000, share: 1 } });
    expect(delaysForLabel(rules, 'memory')).toEqual({ set: { ns: 10_000, share: 1 }, get: { ns: 1_000, share: 1 } });
    expect(() => delaysForLabel(parseInjectedDelayRules(['sqlite:set=6us', 'sqlite:set=7us']), 'sqlite')).toThrow(
      'given twice',
    );
  });

  it("refuses a label that is not one of the run's backends, so a typo is never a silent no-op", () => {
    expect(() => checkRuleLabels(parseInjectedDelayRules(['sqlte:set=6us']), ['sqlite', 'memory'])).toThrow(
      'no backend labelled "sqlte"',
    );
    expect(() =>
      checkRuleLabels(parseInjectedDelayRules(['set=6us', 'memory:get=1us']), ['sqlite', 'memory']),
    ).not.toThrow();
  });

  it('attaches the rules to the backends they name when a run is resolved', async () => {
    const resolved = await resolveRun('talk', {
      out: 'results',
      backends: 'sqlite-raw,memory',
      injectDelay: ['memory:set=6us'],
    });
    expect(resolved.backends.map((b) => b.injectedDelays)).toEqual([undefined, { set: { ns: 6_000, share: 1 } }]);
    await expect(
      resolveRun('talk', { out: 'results', backends: 'memory', injectDelay: ['redis:set=6us'] }),
    ).rejects.toThrow(InjectedDelayError);
  });
});

describe('an injected delay', () => {
  it('replaces only the delayed method, and leaves absent methods absent', () => {
    const backend = memoryFactory.create({}, 'memory');
    const ownGet = backend.get;
    injectDelays(backend, { set: { ns: 1_000, share: 1 }, read: { ns: 1_000, share: 1 } });
    expect(backend.get).toBe(ownGet);
    expect(backend.read).toBeUndefined();
    backend.open();
    expect(backend.set('k', 'v')).toBe(true);
    expect(backend.get('k')).toBe('v');
  });

  it('adds at least its duration to every timed call of that method, and nothing to the others', async () => {
    const delayNs = 200_000;
    const choices = parseBackendChoices('memory,sqlite-raw').map((choice) =>
      choice.label === 'memory' ? { ...choice, injectedDelays: { set: { ns: delayNs, share: 1 } } } : choice,
    );
    const results = await runBenchmark({
      scenario: getScenario('talk'),
      backends: choices,
      run: smallRun({ procs: 1, ops: 3_000 }),
      callFloors: false,
    });
    const [delayed, plain] = results.backends;
    expect(delayed!.status).toBe('completed');
    expect(delayed!.injectedDelays).toEqual({ set: { ns: delayNs, share: 1 } });
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

  it('with a share, delays about that share of calls, chosen by the seed', async () => {
    const delayNs = 1_000_000;
    const choices = parseBackendChoices('memory').map((choice) => ({
      ...choice,
      injectedDelays: { get: { ns: delayNs, share: 0.05 } },
    }));
    const results = await runBenchmark({
      scenario: getScenario('talk'),
      backends: choices,
      run: smallRun({ procs: 1, ops: 4_000, seed: 3 }),
      callFloors: false,
    });
    const get = results.backends[0]!.actions.get!;
    // Calls at or above the delay are the delayed ones: decode the histogram's count there.
    const delayed = countAtLeast(get.histogram, delayNs);
    expect(delayed / get.count).toBeGreaterThan(0.03);
    expect(delayed / get.count).toBeLessThan(0.07);
    expect(get.percentiles.p50).toBeLessThan(delayNs / 10);
    expect(get.percentiles.p99).toBeGreaterThanOrEqual(delayNs);
  });

  it('is refused for a backend whose operations run in a foreign worker, which the spin cannot reach', async () => {
    const choices = parseBackendChoices('py-dict').map((choice) => ({
      ...choice,
      injectedDelays: { set: { ns: 1_000, share: 1 } },
    }));
    const results = await runBenchmark({
      scenario: getScenario('talk'),
      backends: choices,
      run: smallRun({ procs: 1, ops: 100 }),
      callFloors: false,
    });
    expect(results.backends[0]!.status).toBe('unavailable');
    expect(results.backends[0]!.message).toMatch(
      /^--inject-delay cannot reach py-dict: its operations run in its own py-dict worker process/,
    );
  });

  it('draws the delayed calls from the seed: the same seed, the same calls; another method or seed, others', () => {
    const draws = (seed: number, method: 'get' | 'set') => {
      const next = delayDraws(seed, method, 0.3);
      return Array.from({ length: 200 }, next);
    };
    expect(draws(7, 'get')).toEqual(draws(7, 'get'));
    expect(draws(7, 'get')).not.toEqual(draws(8, 'get'));
    expect(draws(7, 'get')).not.toEqual(draws(7, 'set'));
    const share = draws(7, 'get').filter(Boolean).length / 200;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
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
    const exit = await runCli(
      ['run', 'talk', '-b', 'memory', '-p', '1', '-n', '500', '-w', '0', '--no-report', '-q', '-o', out],
      dir,
      { CACHEBENCH_INJECT_DELAY: 'set=50us' },
    );
    expect(exit.code, exit.stderr).toBe(0);
    const results = JSON.parse(await readFile(out, 'utf8'));
    expect(results.backends[0].injectedDelays).toEqual({ set: { ns: 50_000, share: 1 } });
    expect(results.backends[0].actions.set.percentiles.min).toBeGreaterThanOrEqual(50_000);
    expect(exit.stdout + exit.stderr).toMatch(
      /memory: a delay was injected on purpose \(--inject-delay\): set \+50\.0 µs on every call; these figures include it/,
    );
  });

  it('refuses a bad rule with one line and exit 2', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachebench-inject-'));
    const exit = await runCli(
      ['run', 'talk', '-b', 'memory', '-p', '1', '-n', '100', '--inject-delay', 'set=6', '-o', join(dir, 'r.json')],
      dir,
    );
    expect(exit.code).toBe(2);
    expect(exit.stderr.split('\n')[0]).toBe(
      'error: --inject-delay "set=6": expected [LABEL:]METHOD=DURATION[@PERCENT%] with a unit ns, us or ms, e.g. set=6us, sqlite:get=500ns or set=2ms@1%',
    );
  });
});
