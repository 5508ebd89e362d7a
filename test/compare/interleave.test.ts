import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CompareInputError } from '../../compare/errors.js';
import {
  checkRunArguments,
  checkoutCommand,
  runInterleaved,
  splitArguments,
  type SideCommand,
} from '../../compare/interleave.js';
import { moduleCommand } from '../../harness/fork-module.js';
import { CLI_MAIN } from '../cli/spawn-cli.js';

describe('--run arguments', () => {
  it('split on whitespace, with quotes grouping and nothing expanded', () => {
    expect(splitArguments('talk -b sqlite,sqlite-raw  -p 1')).toEqual(['talk', '-b', 'sqlite,sqlite-raw', '-p', '1']);
    expect(splitArguments(`talk -b 'fanout:shards=8;sqlite' --param "keys=10" $HOME ''`)).toEqual([
      'talk',
      '-b',
      'fanout:shards=8;sqlite',
      '--param',
      'keys=10',
      '$HOME',
      '',
    ]);
    expect(() => splitArguments('talk -b "sqlite')).toThrow(CompareInputError);
  });

  it('may not set what the runner owns', () => {
    expect(() => checkRunArguments(['talk', '--seed', '3'])).toThrow('--run must not set --seed');
    expect(() => checkRunArguments(['talk', '--out=x.json'])).toThrow('--run must not set --out');
    expect(() => checkRunArguments(['talk', '--repeat', '5'])).toThrow('--repeat');
    expect(() => checkRunArguments(['run', 'talk'])).toThrow('without the word run');
    expect(() => checkRunArguments(['talk', '-b', 'memory', '-p', '1'])).not.toThrow();
  });

  it('refuses a checkout that was not built, naming the fix', () => {
    expect(() => checkoutCommand('/no/such/checkout')).toThrow(
      'no dist/cli/main.js; run `npm ci` (or `npm run build`) in that checkout first',
    );
  });
});

describe('interleaved runs', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const self = (env?: Record<string, string>): SideCommand => ({
    argv: moduleCommand(CLI_MAIN),
    cwd: process.cwd(),
    ...(env ? { env } : {}),
  });

  it('alternate which side goes first, give both members of a pair the same seed, and keep each side apart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachebench-interleave-'));
    const events: string[] = [];
    const runs = await runInterleaved({
      base: self(),
      head: self({ CACHEBENCH_INJECT_DELAY: 'set=20us' }),
      runArgs: ['talk', '-b', 'memory', '-p', '1', '-n', '300', '-w', '0'],
      pairs: 2,
      seed: 5,
      outDir: dir,
      onRun: (e) => events.push(`${e.side}${e.pair}`),
    });
    expect(events).toEqual(['base1', 'head1', 'head2', 'base2']);
    expect(runs.basePaths).toEqual([1, 2].map((i) => join(dir, 'base', `run-0${i}.json`)));
    const read = async (path: string) => JSON.parse(await readFile(path, 'utf8'));
    for (let i = 0; i < 2; i++) {
      const [base, head] = [await read(runs.basePaths[i]!), await read(runs.headPaths[i]!)];
      expect(base.run.seed).toBe(5 + i);
      expect(head.run.seed).toBe(5 + i);
      // The environment reached the head side only.
      expect(base.backends[0].injectedDelays).toBeUndefined();
      expect(head.backends[0].injectedDelays).toEqual({ set: { ns: 20_000, share: 1 } });
    }
  }, 180_000);

  it('stops at a run that fails, with its one-line reason', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachebench-interleave-'));
    const failing = runInterleaved({
      base: self(),
      head: self(),
      runArgs: ['talk', '-b', 'nosuchbackend'],
      pairs: 2,
      outDir: dir,
    });
    await expect(failing).rejects.toThrow(/^base run 1 exited with code 2: error: unknown backend "nosuchbackend"/);
  });
});
