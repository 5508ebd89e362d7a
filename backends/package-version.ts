import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The installed version of an npm package, for describe(). Some packages
 * (lmdb) do not export their package.json, so find it by walking up from the
 * resolved entry point instead of requiring `pkg/package.json`.
 */
export function packageVersion(name: string): string {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(name));
    for (;;) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const meta = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (meta.name === name && meta.version) return meta.version;
      }
      const parent = dirname(dir);
      if (parent === dir) return 'unknown';
      dir = parent;
    }
  } catch {
    return 'unknown';
  }
}
