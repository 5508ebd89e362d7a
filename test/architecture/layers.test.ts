import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering docs/architecture.md draws, checked on every import of the
 * sources: data flows one way (scenario → harness → results → reports /
 * compare / sweep), and each folder may import only the folders listed here
 * besides itself (layers.json, which the linter reads too). The results file has one module, results/: the
 * harness writes through it, and reports and compare read it through it alone. npm packages and node: built-ins
 * are not folders and are always allowed.
 */
const MAY_IMPORT = Object.fromEntries(
  Object.entries(
    JSON.parse(readFileSync(new URL('../../layers.json', import.meta.url), 'utf8')) as Record<string, unknown>,
  ).filter(([folder]) => !folder.startsWith('$')),
) as Record<string, readonly string[]>;

const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
const IMPORT = /(?:from\s+|import\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

interface Edge {
  file: string;
  from: string;
  to: string;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Every relative import of a source file that leaves its top folder. */
function crossFolderImports(file: string, text: string): Edge[] {
  const from = file.split(sep)[0]!;
  const edges: Edge[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const to = relative(ROOT, join(ROOT, dirname(file), match[1]!)).split(sep)[0]!;
    if (to !== from) edges.push({ file, from, to });
  }
  return edges;
}

function violations(edges: readonly Edge[]): string[] {
  return edges
    .filter((e) => !(MAY_IMPORT[e.from] ?? []).includes(e.to))
    .map(
      (e) =>
        `${e.file} imports ${e.to}/ (${e.from}/ may import ${(MAY_IMPORT[e.from] ?? []).join(', ') || 'nothing outside itself'})`,
    );
}

describe('import layering', () => {
  const edges = Object.keys(MAY_IMPORT).flatMap((folder) =>
    sourceFiles(folder).flatMap((file) => crossFolderImports(file, readFileSync(join(ROOT, file), 'utf8'))),
  );

  it('reads the imports of every source folder', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(new Set(edges.map((e) => e.from))).toEqual(
      new Set(Object.keys(MAY_IMPORT).filter((f) => f !== 'engine' && f !== 'shared')),
    );
  });

  it('keeps every folder to the imports its layer allows', () => {
    expect(violations(edges)).toEqual([]);
  });

  it('would catch a backend reaching into the harness, the engine reaching out, or a reader of results going around results/', () => {
    const planted = [
      ...crossFolderImports(join('backends', 'x.ts'), "import { runBackend } from '../harness/run-backend.js';"),
      ...crossFolderImports(join('engine', 'x.ts'), "export { Rng } from '../shared/rng.js';"),
      ...crossFolderImports(join('harness', 'x.ts'), "const m = await import('../reports/index.js');"),
      ...crossFolderImports(
        join('results', 'x.ts'),
        "import type { BackendDescription } from '../backends/backend.js';",
      ),
      ...crossFolderImports(
        join('reports', 'specs', 'x.ts'),
        "import { loadResults } from '../../harness/results-io.js';",
      ),
      ...crossFolderImports(join('compare', 'x.ts'), "import { summarizeNoise } from '../harness/host-noise.js';"),
    ];
    expect(violations(planted)).toHaveLength(6);
  });
});
