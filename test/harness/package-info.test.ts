import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { captureEnvironment, gitRevisionAt } from '../../harness/environment.js';
import { findPackage } from '../../shared/package-info.js';

const root = mkdtempSync(join(tmpdir(), 'cachebench-pkg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("finding cachebench's package.json", () => {
  it('finds it one level up (sources) and two levels up (dist/), skipping other packages', () => {
    const project = join(root, 'project');
    mkdirSync(join(project, 'harness'), { recursive: true });
    mkdirSync(join(project, 'dist', 'harness'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'cachebench', version: '9.8.7' }));
    // A package.json of some other package between dist/harness and the root must not win.
    writeFileSync(join(project, 'dist', 'package.json'), JSON.stringify({ type: 'module' }));
    for (const from of [join(project, 'harness'), join(project, 'dist', 'harness')]) {
      expect(findPackage(from)).toEqual({ root: project, name: 'cachebench', version: '9.8.7' });
    }
    expect(findPackage(join(root))).toBeUndefined();
  });

  it("the results record this package's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(captureEnvironment().cachebench).toBe(pkg.version);
  });

  it("records a git revision only when the package folder is the repository's top level", () => {
    const repo = join(root, 'outer');
    mkdirSync(join(repo, 'node_modules', 'cachebench'), { recursive: true });
    writeFileSync(join(repo, 'a.txt'), 'a');
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: repo, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    git('init', '-q');
    git('add', 'a.txt');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'a');
    const head = git('rev-parse', 'HEAD');
    expect(gitRevisionAt(repo)).toBe(head);
    // Installed inside another project: that project's revision is not cachebench's.
    expect(gitRevisionAt(join(repo, 'node_modules', 'cachebench'))).toBeUndefined();
  });
});
