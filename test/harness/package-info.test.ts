import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureEnvironment } from '../../harness/environment.js';
import { findPackage } from '../../harness/package-info.js';

const root = mkdtempSync(join(tmpdir(), 'cachebench-pkg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('finding cachebench\'s package.json', () => {
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

  it('the results record this package\'s version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(captureEnvironment().cachebench).toBe(pkg.version);
  });
});
