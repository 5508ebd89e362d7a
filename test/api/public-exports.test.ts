import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as backends from '../../api/backends.js';
import * as results from '../../api/results.js';
import * as scenarios from '../../api/scenarios.js';
import * as engine from '../../engine/index.js';
import * as root from '../../index.js';

describe('the root export is the engine without its internals', () => {
  it('leaves out the key hash, the Disk tags and the eviction SQL', () => {
    for (const internal of ['fnv1a32', 'keyHash', 'shardOf', 'HASH_NAME', 'KIND', 'MODE', 'EVICTION_POLICY'])
      expect(root, internal).not.toHaveProperty(internal);
  });

  it('keeps everything else the engine exports', () => {
    const internals = new Set(['fnv1a32', 'keyHash', 'shardOf', 'HASH_NAME', 'KIND', 'MODE', 'EVICTION_POLICY']);
    expect(Object.keys(root).sort()).toEqual(
      Object.keys(engine)
        .filter((name) => !internals.has(name))
        .sort(),
    );
  });
});

describe('the extension points on subpaths', () => {
  it('package.json maps cachebench/backends, /scenarios and /results to the api/ entries', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, { import: string; types: string }>;
    };
    for (const name of ['backends', 'scenarios', 'results']) {
      expect(pkg.exports[`./${name}`]).toEqual({ types: `./dist/api/${name}.d.ts`, import: `./dist/api/${name}.js` });
    }
  });

  it('export what a module backend, a scenario file and a results reader need', () => {
    expect(Object.keys(backends).sort()).toEqual([
      'BackendConnectionError',
      'BackendSpecError',
      'BackendTimeoutError',
      'BackendUnavailableError',
      'checkExpire',
      'choiceOption',
      'defineForeignBackend',
      'integerOption',
      'rejectUnknownOptions',
      'secondsOption',
      'sizeOption',
    ]);
    expect(Object.keys(scenarios).sort()).toEqual([
      'MIX_ACTIONS',
      'SCENARIOS',
      'ScenarioError',
      'getScenario',
      'validateScenario',
    ]);
    expect(Object.keys(results).sort()).toEqual([
      'RESULTS_SCHEMA',
      'RESULTS_VERSION',
      'ResultsFileError',
      'loadResults',
      'validateResults',
    ]);
  });
});
