import { describe, expect, it } from 'vitest';
import { compare } from '../../compare/compare.js';
import { CompareInputError } from '../../compare/errors.js';
import type { ResultsFile } from '../../results/results.js';
import { syntheticRun } from './fixtures/synthetic-results.js';

const backends = { sqlite: { get: { medianNs: 3_000 } }, 'sqlite-raw': { get: { medianNs: 2_000 } } };
const base = (): ResultsFile => syntheticRun({ seed: 1, backends, samples: 200 });
const sources = { base: ['base.json'], head: ['head.json'] };

function expectInputError(head: ResultsFile, message: RegExp, options = {}): void {
  const run = (): unknown => compare([base()], [head], { sources, ...options });
  expect(run).toThrow(CompareInputError);
  expect(run).toThrow(message);
}

describe('mismatched inputs get one clear error', () => {
  it('different scenarios', () => {
    expectInputError(
      syntheticRun({ seed: 2, backends, samples: 200, scenario: 'other' }),
      /scenarios differ: base.json ran "synthetic", head.json ran "other"/,
    );
  });

  it('different scenario parameters, whatever the key order', () => {
    const head = syntheticRun({ seed: 2, backends, samples: 200, scenarioParameters: { keys: 1000 } });
    expectInputError(head, /parameters differ: base.json \{"keys":100\} vs head.json \{"keys":1000\}/);
    const reordered = { ...base(), scenario: { ...base().scenario, parameters: { b: 1, a: 2 } } };
    expect(() =>
      compare([{ ...base(), scenario: { ...base().scenario, parameters: { a: 2, b: 1 } } }], [reordered]),
    ).not.toThrow();
  });

  it('different schema versions', () => {
    const head = { ...base(), version: 2 } as unknown as ResultsFile; // deliberately off-schema
    expectInputError(head, /head.json: version 2 is newer than this cachebench reads \(1\); upgrade cachebench/);
  });

  it('different run shapes', () => {
    const head = base();
    head.run = { ...head.run, procs: 4 };
    expectInputError(head, /run parameter procs differs: base.json 1 vs head.json 4/);
  });

  it('different CPU placement (--pin)', () => {
    const head = base();
    head.run = {
      ...head.run,
      measurement: { noiseThresholdCores: 0.25, waitIdleSeconds: 0, retryNoisy: 0, pin: 'same' },
    };
    expectInputError(head, /CPU placement differs: base.json --pin \(none\) vs head.json --pin same/);
  });

  it('a missing or extra backend', () => {
    expectInputError(
      syntheticRun({ seed: 2, backends: { sqlite: backends.sqlite }, samples: 200 }),
      /head.json: backend "sqlite-raw" is missing/,
    );
    expectInputError(
      syntheticRun({ seed: 2, backends: { ...backends, redis: { get: { medianNs: 60_000 } } }, samples: 200 }),
      /backend "redis" is not in base.json/,
    );
  });

  it('different actions', () => {
    expectInputError(
      syntheticRun({
        seed: 2,
        backends: { ...backends, sqlite: { get: { medianNs: 1 }, set: { medianNs: 1 } } },
        samples: 200,
      }),
      /timed actions get,set but base.json timed get/,
    );
  });

  it('a backend that did not complete', () => {
    const head = base();
    head.backends[0] = { ...head.backends[0], status: 'errored', message: 'worker 2 exited with code 1' };
    expectInputError(
      head,
      /head.json: backend "sqlite" is errored: worker 2 exited with code 1; only completed \(or partial\) runs can be compared/,
    );
  });

  it('a reference backend that is absent', () => {
    expectInputError(
      syntheticRun({ seed: 2, backends, samples: 200 }),
      /reference backend "lmdb" is not in the results/,
      { reference: 'lmdb' },
    );
  });

  it('an empty side', () => {
    expect(() => compare([], [base()])).toThrow(/BASE has no results files/);
  });

  it('a corrupt histogram when --judge-within-run decodes them', () => {
    const head = base();
    head.backends[0].actions.get.histogram = 'not-a-histogram';
    expectInputError(head, /histogram of sqlite get does not decode/, { judgeWithinRun: true });
  });
});
