import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './compare-cli.js';
import { fakeCheckout } from './fake-checkout.js';

const dir = mkdtempSync(join(tmpdir(), 'cachebench-checkouts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = fakeCheckout(join(dir, 'base'));
const head = fakeCheckout(join(dir, 'head'), { CACHEBENCH_INJECT_DELAY: 'set=200us' });

describe('compare --base-checkout --head-checkout', () => {
  it.each([
    [['a.json', 'b.json', '--base-checkout', base, '--head-checkout', head, '--run', 'talk'], 'not both'],
    [['--base-checkout', base, '--run', 'talk'], '--base-checkout and --head-checkout go together'],
    [['--base-checkout', base, '--head-checkout', head], 'need --run'],
    [['--base-checkout', base, '--head-checkout', head, '--run', 'talk --seed 3'], '--run must not set --seed'],
    [
      ['--base-checkout', join(dir, 'nowhere'), '--head-checkout', head, '--run', 'talk'],
      'no dist/cli/main.js; run `npm ci`',
    ],
    [
      ['--base-checkout', base, '--head-checkout', head, '--run', 'talk', '--pairs', '0'],
      '--pairs 0 must be a whole number',
    ],
    [['a.json', 'b.json', '--pairs', '3'], 'go with --base-checkout'],
    [['a.json'], 'give BASE and HEAD'],
  ])('refuses %j with one line and exit 2', async (args, message) => {
    const result = await cli('compare', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('runs both checkouts interleaved into one folder per side and compares the pairs', async () => {
    const runsDir = join(dir, 'runs');
    const result = await cli(
      'compare',
      '--base-checkout',
      base,
      '--head-checkout',
      head,
      '--run',
      'talk -b memory -p 1 -n 300 -w 0',
      '--pairs',
      '2',
      '--runs-dir',
      runsDir,
      '--stats',
      'median',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/2 interleaved pairs into .*runs/);
    expect(readdirSync(join(runsDir, 'base'))).toEqual(['run-01.json', 'run-02.json']);
    const headRun = JSON.parse(readFileSync(join(runsDir, 'head', 'run-02.json'), 'utf8'));
    expect(headRun.run.seed).toBe(2);
    expect(headRun.backends[0].injectedDelays).toEqual({ set: { ns: 200_000, share: 1 } });
    expect(result.stdout).toMatch(/2 base vs 2 head run\(s\)/);
    // A memory set takes about a microsecond; head's waits 200 µs more.
    expect(result.stdout).toMatch(/memory\s+set\s+median\s+\S+ [nµ]s\s+\S+ µs\s+\+\d{3,}%/);
  }, 240_000);
});
