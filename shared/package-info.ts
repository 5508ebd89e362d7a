import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * cachebench's own package.json, found the same way from the sources
 * (harness/x.ts, one level down) and from the build (dist/harness/x.js, two
 * levels down): walk up to the first package.json named "cachebench". One
 * helper, so the CLI's --version and the results' environment.cachebench
 * never disagree.
 */
export interface PackageInfo {
  root: string;
  name: string;
  version: string;
}

/** The nearest folder at or above `from` whose package.json is cachebench's. */
export function findPackage(from: string): PackageInfo | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'cachebench' && typeof pkg.version === 'string')
        return { root: dir, name: pkg.name, version: pkg.version };
    } catch {
      // No package.json here (or not JSON): keep walking up.
    }
    if (dirname(dir) === dir) return undefined;
  }
}

let cached: PackageInfo | null | undefined;

/** This installation's package, or undefined when it cannot be found. */
export function ownPackage(): PackageInfo | undefined {
  if (cached === undefined) cached = findPackage(dirname(fileURLToPath(import.meta.url))) ?? null;
  return cached ?? undefined;
}

/** cachebench's version, or "unknown". */
export function packageVersion(): string {
  return ownPackage()?.version ?? 'unknown';
}
