import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g;

/**
 * Plain-JavaScript copies of a TypeScript module and every module it imports
 * relatively, for worker threads: a thread starts without the parent's loader,
 * and registering tsx in each of 64 threads costs seconds apiece on a busy
 * 2-core machine. The copies go under node_modules/.cache (so `better-sqlite3`
 * still resolves from the package), in a folder named by their sources' hash.
 * Returns the URL of the entry module's copy.
 */
export function transpileForThreads(entry: URL): URL {
  const sources = new Map<string, string>();
  const pending = [fileURLToPath(entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (sources.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    sources.set(file, text);
    for (const match of text.matchAll(IMPORT)) pending.push(resolve(dirname(file), `${match[1]}.ts`));
  }
  const hash = createHash('sha256');
  for (const [file, text] of [...sources].sort()) hash.update(file).update(text);
  const out = join(ROOT, 'node_modules', '.cache', 'cachebench-reliability', hash.digest('hex').slice(0, 16));
  mkdirSync(out, { recursive: true });
  // Below node_modules no package.json of ours applies: say these files are ES modules.
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  for (const [file, text] of sources) {
    const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
    if (existsSync(target)) continue;
    const { outputText } = ts.transpileModule(text, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return pathToFileURL(join(out, relative(ROOT, fileURLToPath(entry))).replace(/\.ts$/, '.js'));
}
