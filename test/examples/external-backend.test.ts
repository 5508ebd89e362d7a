/**
 * The extension points as an outside user meets them: cachebench is built and
 * packed (`npm pack`), the tarball is installed into a copy of
 * examples/external-backend/ with `npm install --offline`, and the example's
 * module backend and scenario file run through the installed `cachebench`
 * binary; the example files are type-checked against the installed package.
 *
 * Offline: npm installs the tarball itself from the local file; cachebench's
 * own dependencies are symlinked into the app's node_modules from this
 * checkout's node_modules before the install, and npm keeps them, as they
 * satisfy the declared ranges, so nothing is fetched from a registry.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const modules = join(root, 'node_modules');
const tsc = join(modules, 'typescript/bin/tsc');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
};

let work: string;
let app: string;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_offline: 'true' },
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cachebench-example-'));
  // The package as `npm pack` would make it after `prepare` (the build), assembled in a temp folder.
  const staged = join(work, 'package');
  run(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(staged, 'dist')], root);
  for (const file of ['package.json', 'README.md']) cpSync(join(root, file), join(staged, file));
  cpSync(join(root, 'backends/python'), join(staged, 'backends/python'), {
    recursive: true,
    filter: (path) => !path.endsWith('__pycache__'),
  });
  run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], staged);
  const tarball = join(work, `${pkg.name}-${pkg.version}.tgz`);

  app = join(work, 'app');
  cpSync(join(root, 'examples/external-backend'), app, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  manifest.dependencies.cachebench = `file:${tarball}`;
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  for (const dependency of Object.keys(pkg.dependencies)) {
    mkdirSync(dirname(join(app, 'node_modules', dependency)), { recursive: true });
    symlinkSync(join(modules, dependency), join(app, 'node_modules', dependency));
  }
  run('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], app);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('an external backend and scenario, installed from the packed tarball', () => {
  it('installs cachebench itself from the tarball (a copy, not a link to this checkout)', () => {
    const installed = join(app, 'node_modules/cachebench');
    expect(readdirSync(installed)).toContain('dist');
    expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version).toBe(pkg.version);
  });

  it('type-checks against the installed subpath exports', () => {
    const files = ['bounded-map.js', 'small-talk.js', 'summarize.js'];
    const options = [
      '--noEmit',
      '--allowJs',
      '--checkJs',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--skipLibCheck',
      '--typeRoots',
      join(modules, '@types'),
      '--types',
      'node',
    ];
    expect(() => run(process.execPath, [tsc, ...options, ...files], app)).not.toThrow();
    // The check has teeth: an action the Scenario type does not know is refused.
    writeFileSync(
      join(app, 'wrong.js'),
      readFileSync(join(app, 'small-talk.js'), 'utf8').replace('mix: { get: 0.5, set: 0.5 }', 'mix: { fly: 1 }'),
    );
    let refusal = '';
    try {
      run(process.execPath, [tsc, ...options, 'wrong.js'], app);
    } catch (error) {
      refusal = String((error as { stdout?: string }).stdout);
    }
    expect(refusal).toMatch(/wrong\.js.*'fly' does not exist in type/);
  });

  it('runs with `cachebench run` and reads the results through cachebench/results', () => {
    const bin = join(app, 'node_modules/.bin/cachebench');
    const output = run(
      bin,
      [
        'run',
        '-b',
        './bounded-map.js:max_entries=500',
        './small-talk.js',
        '-o',
        'results.json',
        '--no-report',
        '--quiet',
      ],
      app,
    );
    expect(output).not.toMatch(/error/i);
    const summary = run(process.execPath, ['summarize.js', 'results.json'], app).trim();
    // 2 processes × 2,000 measured ops of half gets, half sets: every op answered.
    const [label, status, ...counts] = summary.split(' ');
    expect([label, status]).toEqual(['./bounded-map.js:max_entries=500', 'completed']);
    const byAction = Object.fromEntries(
      counts.map((pair) => pair.split('=')).map(([action, n]) => [action, Number(n)]),
    );
    expect(Object.keys(byAction).sort()).toEqual(['get', 'set']);
    expect(byAction.get! + byAction.set!).toBe(4_000);
    const results = JSON.parse(readFileSync(join(app, 'results.json'), 'utf8')) as {
      backends: { description: { settings: Record<string, unknown> }; actions: { get: { misses: number } } }[];
    };
    expect(results.backends[0]!.description.settings).toEqual({ max_entries: 500 });
    // 2,000 keys through a 500-entry bound: most gets miss.
    expect(results.backends[0]!.actions.get.misses).toBeGreaterThan(0);
  });

  it('refuses a misspelt option of the module backend, with the fix', () => {
    const bin = join(app, 'node_modules/.bin/cachebench');
    let stderr = '';
    try {
      run(
        bin,
        ['run', '-b', './bounded-map.js:max_entrys=5', './small-talk.js', '-o', 'never.json', '--no-report'],
        app,
      );
    } catch (error) {
      stderr = String((error as { stderr?: string }).stderr);
    }
    expect(stderr).toMatch(/unknown option "max_entrys"; did you mean "max_entries"\?/);
  });
});
