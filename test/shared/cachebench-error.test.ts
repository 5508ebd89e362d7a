import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BackendSpecError } from '../../backends/spec.js';
import { ReportError } from '../../reports/errors.js';
import { CachebenchError } from '../../shared/cachebench-error.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The engine imports nothing outside itself, so its errors share CacheError instead.
const FOLDERS = Object.keys(JSON.parse(readFileSync(join(ROOT, 'layers.json'), 'utf8')) as object).filter(
  (folder) => !folder.startsWith('$') && folder !== 'engine',
);

function errorClassesOutsideTheBase(): string[] {
  const found: string[] = [];
  for (const folder of FOLDERS) {
    for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = join(entry.parentPath, entry.name);
      for (const match of readFileSync(file, 'utf8').matchAll(/class (\w+) extends (Error|TypeError|RangeError)\b/g)) {
        if (match[1] !== 'CachebenchError') found.push(`${relative(ROOT, file)}: ${match[1]} extends ${match[2]}`);
      }
    }
  }
  return found;
}

describe('CachebenchError', () => {
  it('is the base of every error class outside the engine', () => {
    expect(errorClassesOutsideTheBase()).toEqual([]);
  });

  it("keeps the subclass's code, name and message, and its cause", () => {
    const cause = new Error('underneath');
    const error = new CachebenchError('SOME_CODE', 'one line naming the fix', { cause });
    expect(error).toBeInstanceOf(Error);
    expect([error.code, error.name, error.message, error.cause]).toEqual([
      'SOME_CODE',
      'CachebenchError',
      'one line naming the fix',
      cause,
    ]);
    const spec = new BackendSpecError('bad spec');
    expect(spec).toBeInstanceOf(CachebenchError);
    expect([spec.code, spec.name]).toEqual(['BACKEND_SPEC', 'BackendSpecError']);
    const report = new ReportError('NO_INPUT', 'nothing to report');
    expect([report.code, report.name]).toEqual(['NO_INPUT', 'ReportError']);
  });
});
