import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeResults } from '../../results/merge-results.js';
import { summarizeNoise } from '../../results/noise-summary.js';
import type { ResultsFile } from '../../results/results.js';
import { ResultsFileError, validateResults } from '../../results/results-io.js';
import { schemaValidator } from '../../results/validate-results.js';
import { getScenario } from '../../scenarios/registry.js';
import { syntheticRun } from '../compare/fixtures/synthetic-results.js';
import { fixture, getOnly, run } from '../harness/helpers.js';
import { constant, makeResults, talkResults, weightedResults } from '../reports/fixtures/make-results.js';

const schemaText = readFileSync(new URL('../../results/results.schema.json', import.meta.url), 'utf8');

describe('results.schema.json', () => {
  it('compiles under ajv strict mode, as draft 2020-12', () => {
    const schema = JSON.parse(schemaText) as Record<string, unknown>;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    // strict: unknown keywords, formats, ignored keywords and missing types all throw at compile time.
    expect(() => new Ajv2020({ strict: true, allowUnionTypes: true }).compile(schema)).not.toThrow();
  });

  it('is shipped: package.json lists it in files and exports it', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      files: string[];
      exports: Record<string, unknown>;
    };
    expect(pkg.files).toContain('results/results.schema.json');
    expect(pkg.exports['./results.schema.json']).toBe('./results/results.schema.json');
  });
});

describe('every results file cachebench and the test fixtures make validates', () => {
  const real: Record<string, ResultsFile> = {};
  beforeAll(async () => {
    real.closed = await run('memory,sqlite', getScenario('talk'), { procs: 2, ops: 300 });
    real.open = await run(
      'memory',
      getOnly(),
      { procs: 1, ops: 300, rate: 3_000, loadModel: 'open' },
      { callFloors: false },
    );
    real.duration = await run(
      'memory',
      getScenario('talk'),
      { procs: 1, ops: null, durationSeconds: 0.3 },
      { callFloors: false, intervalMs: 100 },
    );
    real.analytics = await run('memory', getScenario('analytics'), { procs: 2, ops: 200 }, { callFloors: false });
    real.faults = await run(
      `${fixture('faulty', 'missEvery=5,timeoutEvery=7,errorEvery=11')},${fixture('unavailable')}`,
      getOnly(),
      { procs: 2, ops: 300 },
      { callFloors: false },
    );
    real.crash = await run(
      fixture('crash', 'crashAt=150'),
      getOnly(),
      { procs: 2, ops: 300 },
      { callFloors: false, intervalMs: 50 },
    );
  }, 180_000);

  const accepted = (file: ResultsFile, name: string): void => {
    const validate = schemaValidator();
    expect(validate(JSON.parse(JSON.stringify(file))), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(validateResults(JSON.parse(JSON.stringify(file)), name)).toBeTruthy();
  };

  it('real runs: closed and open loop, bounded by count and by time, with metrics, call floors, faults, a crash', () => {
    for (const [name, file] of Object.entries(real)) accepted(file, name);
    // The runs cover the optional parts and the statuses the schema describes.
    expect(real.faults!.backends.map((b) => b.status)).toEqual(['partial', 'unavailable']);
    expect(real.faults!.backends[0]!.actions.get!.timeouts).toBeGreaterThan(0);
    expect(real.crash!.backends[0]!.status).toBe('partial');
    expect(real.closed!.callFloors).toBeDefined();
    expect(real.open!.backends[0]!.actions.get!.serviceTime).toBeDefined();
    expect(real.duration!.run.ops).toBeNull();
    expect(Object.keys(real.analytics!.backends[0]!.metrics ?? {})).not.toHaveLength(0);
  });

  it('merged files', () => {
    accepted(mergeResults([talkResults(1), talkResults(2)]), 'merged fixtures');
  });

  it('the report and compare fixtures', () => {
    accepted(talkResults(3), 'talkResults');
    accepted(
      weightedResults('sqlite', [
        [1_000, 90],
        [50_000, 10],
      ]),
      'weightedResults',
    );
    accepted(
      makeResults({
        timeoutsTimed: false,
        backends: [
          { label: 'sqlite', actions: { get: { count: 100, timeouts: 3, misses: 5, distribution: constant(2_000) } } },
        ],
      }),
      'untimed timeouts',
    );
    accepted(
      syntheticRun({ seed: 1, backends: { sqlite: { get: { medianNs: 3_000 } } }, samples: 200 }),
      'syntheticRun',
    );
  });
});

describe('broken files are refused with the path of the field at fault', () => {
  let good: ResultsFile;
  beforeAll(async () => {
    good = await run('memory', getScenario('talk'), { procs: 1, ops: 200 });
  }, 60_000);

  /** The loader's message for `good` changed by `change`. */
  function refusal(change: (file: any) => void): string {
    const file = structuredClone(good);
    change(file);
    try {
      validateResults(file, 'broken.json');
    } catch (error) {
      expect(error).toBeInstanceOf(ResultsFileError);
      expect((error as ResultsFileError).code).toBe('RESULTS_FILE');
      const { message } = error as Error;
      expect(message).not.toContain('\n');
      expect(message.startsWith('results file broken.json: ')).toBe(true);
      return message;
    }
    throw new Error('the broken file was accepted');
  }

  it.each([
    [
      'a missing field, with what it must be',
      (f: any) => delete f.environment.cores,
      /"environment\.cores" is missing \(it must be an integer\)/,
    ],
    [
      'a wrong type deep in an action',
      (f: any) => (f.backends[0].actions.get.totalNs = '12'),
      /"backends\[0\]\.actions\.get\.totalNs" must be an integer/,
    ],
    [
      'a histogram that is not HdrHistogram V2 compressed base64',
      (f: any) => (f.backends[0].actions.get.histogram = 'not a histogram'),
      /"backends\[0\]\.actions\.get\.histogram" must be an encoded histogram \(HdrHistogram V2 compressed, base64/,
    ],
    [
      'a negative count inside an interval',
      (f: any) => (f.backends[0].intervals[0].actions.get.count = -1),
      /"backends\[0\]\.intervals\[0\]\.actions\.get\.count" must be >= 0/,
    ],
    ['an unknown load model', (f: any) => (f.run.loadModel = 'half'), /"run\.loadModel" must be one of closed, open/],
    [
      'a timestamp that is not ISO 8601',
      (f: any) => (f.createdAt = 'yesterday'),
      /"createdAt" must be an ISO 8601 UTC timestamp/,
    ],
    [
      'an unknown durability',
      (f: any) => (f.backends[0].description.durability = 'maybe'),
      /"backends\[0\]\.description\.durability" must be one of fsync-per-write, /,
    ],
    [
      'a --pin the harness never writes',
      (f: any) => (f.run.measurement.pin = 'left'),
      /"run\.measurement\.pin" must be same, separate, both/,
    ],
    [
      'a fractional count in the call floors',
      (f: any) => (f.callFloors.sync.count = 1.5),
      /"callFloors\.sync\.count" must be an integer/,
    ],
    [
      'an injected delay share above 1',
      (f: any) => (f.backends[0].injectedDelays = { set: { ns: 100, share: 2 } }),
      /"backends\[0\]\.injectedDelays\.set\.share" must be <= 1/,
    ],
    [
      'an unknown tracked role',
      (f: any) => (f.backends[0].hostNoise = summarizeNoise([], 0.25, [{ role: 'guest' as 'parent', pid: 1 }])),
      /"backends\[0\]\.hostNoise\.tracked\[0\]\.role" must be one of parent, worker, server/,
    ],
    [
      'a metric that is an object',
      (f: any) => (f.backends[0].metrics = { hitRatio: { value: 1 } }),
      /"backends\[0\]\.metrics\.hitRatio" must be a number, a string or true or false/,
    ],
  ])('%s', (_name, change, message) => {
    const text = refusal(change);
    expect(text).toMatch(message);
    expect(text).toMatch(/regenerate the file with `cachebench run` or correct that field$/);
  });

  it('a newer version or a foreign file says so before naming any field', () => {
    expect(refusal((f) => ((f.version = 2), delete f.run))).toMatch(
      /version 2 is newer than this cachebench reads \(1\); upgrade cachebench$/,
    );
    expect(refusal((f) => (f.schema = 'other/results'))).toMatch(
      /not a cachebench results file \("schema" is "other\/results", expected "cachebench\/results"\)/,
    );
  });

  it.each([
    [
      'a label twice',
      (f: any) => f.backends.push(structuredClone(f.backends[0])),
      /"backends\[1\]\.label" "memory" appears twice/,
    ],
    [
      'more timeouts than answers',
      (f: any) => (f.backends[0].actions.get.timeouts = f.backends[0].actions.get.count + 1),
      /"backends\[0\]\.actions\.get\.(timeouts" \(\d+\) is more than "count"|misses" \(\d+\) is more than)/,
    ],
    [
      'more timed-out gets than misses',
      (f: any) => ((f.backends[0].actions.get.timeouts = 1), (f.backends[0].actions.get.misses = 0)),
      /"backends\[0\]\.actions\.get\.timeouts" \(1\) is more than "misses" \(0\); a timed-out get is a miss/,
    ],
    [
      'intervals that do not add up to the count',
      (f: any) => (f.backends[0].intervals[0].actions.get.count += 1),
      /"backends\[0\]\.actions\.get\.count" is (\d+) but its intervals hold (\d+)/,
    ],
    [
      'a noisy interval that is not a sample',
      (f: any) => (f.backends[0].hostNoise = { ...summarizeNoise([], 0.25, []), noisyIntervals: [3] }),
      /"backends\[0\]\.hostNoise\.noisyIntervals" names sample 3, but there are 0/,
    ],
  ])('counts that disagree: %s', (_name, change, message) => {
    const text = refusal(change);
    expect(text).toMatch(message);
    expect(text).toMatch(/regenerate it with `cachebench run`$/);
  });

  it('the unchanged file passes, so each refusal above is the change alone', () => {
    expect(validateResults(structuredClone(good), 'good.json')).toEqual(good);
  });
});
